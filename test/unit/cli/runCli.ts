// Runs the `runbook` command as CI runs it: the real bundle (built once per test run with the same
// esbuild options as scripts/build.mjs), a real process, stdin closed, and a watchdog that kills
// it if it waits on anything.

import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = resolve(__dirname, '../../..');
const OUT = join(ROOT, 'out', 'cli-test');
export const CLI = join(OUT, 'cli.js');

let built: Promise<void> | undefined;

/** Bundles src/cli/main.ts into out/cli-test/cli.js once. */
export function buildCli(): Promise<void> {
  built ??= (async () => {
    mkdirSync(OUT, { recursive: true });
    const { scaffoldRuntimeSources } = (await import(join(ROOT, 'scripts', 'scaffoldRuntimePlugin.mjs'))) as { scaffoldRuntimeSources: (dir: string) => esbuild.Plugin };
    await esbuild.build({
      entryPoints: [join(ROOT, 'src/cli/main.ts')],
      outfile: CLI,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      charset: 'utf8',
      logLevel: 'warning',
      banner: { js: '#!/usr/bin/env node' },
      plugins: [scaffoldRuntimeSources(OUT)],
    });
  })();
  return built;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the watchdog had to kill it: it waited on something. */
  hung: boolean;
  ms: number;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command after this long and report it hung (default 2 s: nothing should wait). */
  watchdogMs?: number;
  /** Called with the child once it started (to send it a signal). */
  started?: (child: import('node:child_process').ChildProcess) => void;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const start = Date.now();
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', CI: '', GITHUB_ACTIONS: '', ...options.env },
      // stdin closed, as in CI.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const watchdog = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, options.watchdogMs ?? 2000);
    options.started?.(child);
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      resolveRun({ code, signal, stdout, stderr, hung, ms: Date.now() - start });
    });
  });
}
