import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { newRunbookTemplate } from '../../src/core/authoring/template';
import { RESULTS, ROOT, runbooksPane, runCommand, showRunbooksContainer, useWorkbench } from './workbench';

/** The input box the command opens (the same widget as the palette, with our title). */
function titleBox(page: Page) {
  return page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: 'New Runbook' }) });
}

describe('New Runbook in the browser', function () {
  const created: string[] = [];
  // Registered before useWorkbench's hooks, so it runs before the workbench and its folder go.
  after(() => {
    for (const file of created) rmSync(file, { force: true });
  });
  const workbench = useWorkbench(join(ROOT, 'test/fixtures/workspace'));

  it('creates a runbook from the Command Palette and opens it in an editor', async () => {
    const { page, folder } = workbench;
    const file = join(folder, 'runbooks', 'rotate-api-keys.md');
    assert.equal(existsSync(file), false);
    await runCommand(page, 'Runbooks: New Runbook');
    const box = titleBox(page);
    await box.waitFor({ timeout: 15_000 });
    await box.locator('input').fill('Rotate API keys');
    // Under the box: which file the title makes, before anything is written.
    await box.locator('.quick-input-message', { hasText: 'Creates runbooks/rotate-api-keys.md' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    created.push(file);

    await page.locator('.tab.active[aria-label*="rotate-api-keys.md"]').waitFor({ timeout: 15_000 });
    const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines');
    await lines.filter({ hasText: 'show-target' }).waitFor({ timeout: 10_000 });
    const shown = ((await lines.textContent()) ?? '').replace(/\u00a0/g, ' ');
    for (const text of ['title: "Rotate API keys"', 'inputs:', '## Check the target', '```bash {name=show-target}', '```output {match=regex}', '- [ ] Check that']) {
      assert.ok(shown.includes(text), `the editor shows ${text}: ${shown}`);
    }
    assert.equal(readFileSync(file, 'utf8'), newRunbookTemplate('Rotate API keys'));
    await page.screenshot({ path: join(RESULTS, 'new-runbook.png') });
  });

  it('is offered in the Runbooks view title bar, and Escape creates nothing', async () => {
    const { page, folder } = workbench;
    await showRunbooksContainer(page);
    const pane = runbooksPane(page, 'Runbooks');
    await pane.locator('.pane-header').hover();
    await pane.locator('.pane-header .action-label[aria-label="New Runbook"]').click();
    const box = titleBox(page);
    await box.waitFor({ timeout: 15_000 });
    await box.locator('input').fill('Never written');
    await box.locator('.quick-input-message', { hasText: 'Creates runbooks/never-written.md' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    await box.waitFor({ state: 'hidden', timeout: 10_000 });
    assert.equal(existsSync(join(folder, 'runbooks', 'never-written.md')), false);
    // The first test's runbook is listed in the view.
    await pane.locator('.monaco-list-row', { hasText: 'Rotate API keys' }).waitFor({ timeout: 15_000 });
  });
});
