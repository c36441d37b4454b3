// Runs the same integration suite in desktop VS Code through @vscode/test-electron, the standard
// tool for extension authors. It downloads VS Code unless VSCODE_EXECUTABLE_PATH names one; on
// machines without internet access, use `npm test` (code-server) instead.
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const workspace = mkdtempSync(join(tmpdir(), 'runbooks-desktop-'));
cpSync(join(root, 'test/fixtures/workspace'), workspace, { recursive: true });
let code = 1;
try {
  code = await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/test/integration/index.js'),
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
    version: process.env.VSCODE_VERSION || '1.100.3',
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    extensionTestsEnv: { RUNBOOKS_TEST_WORKSPACE: workspace },
  });
} catch (error) {
  console.error(`Desktop test run failed: ${error.message ?? error}`);
  console.error('Set VSCODE_EXECUTABLE_PATH to a local VS Code if it cannot be downloaded here.');
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
process.exit(code);
