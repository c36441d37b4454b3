// Starts code-server on a free loopback port and a headless Chromium (Debian's, through
// playwright-core) against it; stops every process it started. Shared by the integration harness,
// the browser tests and `npm start`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, node20Path } from '../../scripts/provision.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const QUIET_SETTINGS = {
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.startupPrompt': 'never',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000}s`);
}

/**
 * Starts code-server opening `folder` (none: an empty window). Returns its URL and `stop()`. `env`
 * reaches the extension host. With `port` unset a free one is picked; workspace trust is off
 * unless `workspaceTrust`.
 */
export async function startCodeServer({ folder, port, env = {}, quiet = true, userDataDir, workspaceTrust = false, settings = {} } = {}) {
  const entry = ensureCodeServer();
  const scratch = mkdtempSync(join(tmpdir(), 'runbooks-code-server-'));
  const dataDir = userDataDir ?? join(scratch, 'user-data');
  const config = join(scratch, 'config.yaml');
  writeFileSync(config, 'auth: none\n');
  // Quiet, offline settings: no marketplace look-ups, no welcome page, no update checks.
  mkdirSync(join(dataDir, 'User'), { recursive: true });
  const settingsFile = join(dataDir, 'User', 'settings.json');
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  const chosenPort = port ?? (await freePort());
  const args = [
    entry,
    '--bind-addr', `127.0.0.1:${chosenPort}`,
    '--auth', 'none',
    '--config', config,
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir', dataDir,
    '--extensions-dir', join(scratch, 'extensions'),
  ];
  if (!workspaceTrust) args.push('--disable-workspace-trust');
  if (folder) args.push(folder);
  // `node` from a PATH that puts Node 20 first: code-server runs on Node 20 only.
  const child = spawn('node', args, {
    detached: true,
    stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    // An empty gallery: the workbench would otherwise look up open-vsx.org, which is unreachable here.
    env: { ...process.env, PATH: node20Path(), EXTENSIONS_GALLERY: '{"serviceUrl":""}', ...env },
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${chosenPort}`;
  const stop = async () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const exited = await Promise.race([
        new Promise((r) => child.once('exit', () => r(true))),
        new Promise((r) => setTimeout(() => r(false), 5000)),
      ]);
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${output}`);
  }
  return { url, port: chosenPort, stop, output: () => output };
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** The URL that opens `folder` or a `workspace` file (neither: an empty window) with the extension at `extensionPath` loaded as in development. */
export function developmentUrl(url, { folder, workspace, extensionPath, testsPath }) {
  const authority = new URL(url).host;
  const payload = [['extensionDevelopmentPath', `vscode-remote://${authority}${extensionPath}`], ['skipWelcome', 'true']];
  if (testsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${testsPath}`]);
  // A `.code-workspace` file opens a multi-root workspace.
  const window = workspace ? `workspace=${encodeURIComponent(workspace)}` : folder ? `folder=${encodeURIComponent(folder)}` : 'ew=true';
  return `${url}/?${window}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
