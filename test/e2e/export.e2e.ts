// Export as CI Workflow from the Command Palette, as a person would: pick the engine, see the
// workflow open, answer the offer to note it in the runbook.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quickOpen, ROOT, runCommand, useWorkbench } from './workbench';

describe('export as a CI workflow, in the browser', function () {
  const workbench = useWorkbench(join(ROOT, 'test/fixtures/workspace'));

  before(() => {
    // The runbook's tool exists already (the CLI's extract, the same generator as the editor's).
    execFileSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'extract', 'basic.runbook.md'], { cwd: workbench.folder, stdio: 'ignore' });
  });

  it('writes the GitHub workflow from the palette and opens it', async () => {
    const { page } = workbench;
    await quickOpen(page, 'basic.runbook.md');
    await runCommand(page, 'Runbooks: Export as CI Workflow');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'GitHub Actions' }).first().click();
    await page.locator('.tab', { hasText: 'runbook-basic.yml' }).first().waitFor({ timeout: 30_000 });
    const file = join(workbench.folder, '.github/workflows/runbook-basic.yml');
    assert.ok(existsSync(file));
    assert.match(readFileSync(file, 'utf8'), /workflow_dispatch:/);
    const offer = page.locator('.notifications-toasts .notification-toast', { hasText: 'Add a line to the tool note' });
    await offer.waitFor({ timeout: 15_000 });
    await offer.locator('.monaco-button', { hasText: 'No' }).click();
    assert.doesNotMatch(readFileSync(join(workbench.folder, 'basic.runbook.md'), 'utf8'), /In CI:/, 'the runbook is left alone on No');
  });
});
