// Runs the mocha suite of test/integration inside a real VS Code: code-server, driven by headless
// Chromium. The suite reports through `codeAutomationExit`, whose code becomes this process's.
//   node test/host/run-code-server.mjs [--untrusted | --no-folder | --multi-root]   (after `node scripts/build.mjs`)
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { developmentUrl, launchChromium, startCodeServer } from './codeServer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const suite = join(root, 'out/test/integration/index.js');
// --untrusted: open the fixtures with workspace trust on and not granted, and run the tests of
// Restricted Mode; --no-folder: open an empty window and run the tests of that case; otherwise
// trust is off (everything trusted) and the tests of those two passes are left out.
// --multi-root: the fixtures and a second folder in one `.code-workspace`, for the tests of folders
// added and removed.
const untrusted = process.argv.includes('--untrusted');
const noFolder = process.argv.includes('--no-folder');
const multiRoot = process.argv.includes('--multi-root');
const pass = untrusted ? 'untrusted' : noFolder ? 'no-folder' : multiRoot ? 'multi-root' : 'trusted';
const SUITE_TIMEOUT_MS = Number(process.env.RUNBOOKS_SUITE_TIMEOUT_MS || 10 * 60_000);

if (!existsSync(suite)) {
  console.error(`No compiled suite at ${suite}: run "node scripts/build.mjs" first.`);
  process.exit(1);
}

// The suite works on a copy of the fixtures, so nothing it does can touch the repository.
const workspace = mkdtempSync(join(tmpdir(), 'runbooks-it-'));
cpSync(join(root, 'test/fixtures/workspace'), workspace, { recursive: true });
let workspaceFile;
let secondFolder;
if (multiRoot) {
  secondFolder = mkdtempSync(join(tmpdir(), 'runbooks-it-second-'));
  mkdirSync(join(secondFolder, 'runbooks'));
  writeFileSync(join(secondFolder, 'runbooks', 'second.md'), '# Second folder\n\n```bash {name=second-step}\necho second\n```\n');
  workspaceFile = join(mkdtempSync(join(tmpdir(), 'runbooks-it-ws-')), 'runbooks.code-workspace');
  writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: workspace }, { path: secondFolder }] }));
}

/** Extension-host log lines arrive as `%c INFO color: … <text>`-style console messages. */
function cleanConsoleText(text) {
  return text.replace(/^%c\s*\S*\s*color:[^%]*?(?=\S)/, '').replace(/%c/g, '').replace(/^\s*(INFO|WARN|ERROR)?\s*color: [^ ]+\s*/, '');
}

let server;
let browser;
let exitCode = 1;
try {
  server = await startCodeServer({
    folder: noFolder ? undefined : (workspaceFile ?? workspace),
    env: { RUNBOOKS_TEST_WORKSPACE: workspace, RUNBOOKS_TEST_SECOND_FOLDER: secondFolder ?? '', RUNBOOKS_TEST_PASS: pass },
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
  await page.goto(developmentUrl(server.url, { folder: noFolder ? undefined : workspace, workspace: workspaceFile, extensionPath: root, testsPath: suite }));
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
  if (secondFolder) rmSync(secondFolder, { recursive: true, force: true });
  if (workspaceFile) rmSync(dirname(workspaceFile), { recursive: true, force: true });
}
process.exit(exitCode);
