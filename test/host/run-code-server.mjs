// Runs the mocha suite of test/integration inside a real VS Code: code-server, driven by headless
// Chromium. The suite reports through `codeAutomationExit`, whose code becomes this process's.
//   node test/host/run-code-server.mjs [--untrusted | --no-folder]   (after `node scripts/build.mjs`)
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { developmentUrl, launchChromium, startCodeServer } from './codeServer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const suite = join(root, 'out/test/integration/index.js');
// --untrusted: open the fixtures with workspace trust on and not granted, and run the tests of
// Restricted Mode; --no-folder: open an empty window and run the tests of that case; otherwise
// trust is off (everything trusted) and the tests of those two passes are left out.
const untrusted = process.argv.includes('--untrusted');
const noFolder = process.argv.includes('--no-folder');
const pass = untrusted ? 'untrusted' : noFolder ? 'no-folder' : 'trusted';
const SUITE_TIMEOUT_MS = Number(process.env.RUNBOOKS_SUITE_TIMEOUT_MS || 10 * 60_000);

if (!existsSync(suite)) {
  console.error(`No compiled suite at ${suite}: run "node scripts/build.mjs" first.`);
  process.exit(1);
}

// The suite works on a copy of the fixtures, so nothing it does can touch the repository.
const workspace = mkdtempSync(join(tmpdir(), 'runbooks-it-'));
cpSync(join(root, 'test/fixtures/workspace'), workspace, { recursive: true });

/** Extension-host log lines arrive as `%c INFO color: … <text>`-style console messages. */
function cleanConsoleText(text) {
  return text.replace(/^%c\s*\S*\s*color:[^%]*?(?=\S)/, '').replace(/%c/g, '').replace(/^\s*(INFO|WARN|ERROR)?\s*color: [^ ]+\s*/, '');
}

let server;
let browser;
let exitCode = 1;
try {
  server = await startCodeServer({
    folder: noFolder ? undefined : workspace,
    env: { RUNBOOKS_TEST_WORKSPACE: workspace, RUNBOOKS_TEST_PASS: pass },
    workspaceTrust: untrusted,
  });
  browser = await launchChromium();
  const page = await browser.newPage();
  const finished = new Promise((resolveExit) => {
    page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
  });
  page.on('console', (message) => {
    const text = cleanConsoleText(message.text());
    if (text.includes('[runbooks-test]')) process.stdout.write(`${text.replace(/^.*?\[runbooks-test\] ?/s, '')}\n`);
    else if (process.env.RUNBOOKS_TEST_VERBOSE) process.stdout.write(`  [page] ${text}\n`);
  });
  page.on('pageerror', (error) => process.stderr.write(`  [page error] ${error.message}\n`));
  await page.goto(developmentUrl(server.url, { folder: noFolder ? undefined : workspace, extensionPath: root, testsPath: suite }));
  const timedOut = new Promise((r) => setTimeout(() => r('timeout'), SUITE_TIMEOUT_MS));
  const result = await Promise.race([finished, timedOut]);
  if (result === 'timeout') {
    console.error(`The integration suite did not finish within ${SUITE_TIMEOUT_MS / 1000}s.`);
    await page.screenshot({ path: join(root, 'test-results', 'integration-timeout.png') }).catch(() => {});
  } else {
    exitCode = result;
  }
} catch (error) {
  console.error(`Integration harness failed: ${error.stack || error}`);
  if (server) console.error(server.output());
} finally {
  await browser?.close().catch(() => {});
  await server?.stop();
  rmSync(workspace, { recursive: true, force: true });
}
process.exit(exitCode);
