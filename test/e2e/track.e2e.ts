import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { quickOpen, reloadWindow, RESULTS, ROOT, runCommand, showRunbooksContainer, stepsPane, useWorkbench, webviewFrame } from './workbench';

describe('progress in the Steps view, in the browser', function () {
  const workbench = useWorkbench(join(ROOT, 'test/fixtures/workspace'));
  let frame: Frame;
  const row = (title: string) => stepsPane(workbench.page).locator('.monaco-list-row', { hasText: title }).first();

  before(async () => {
    const { page } = workbench;
    await quickOpen(page, 'track.runbook.md');
    await runCommand(page, 'Runbooks: Open Preview to the Side');
    frame = await webviewFrame(page, '.step[data-step-id="first"]');
    await showRunbooksContainer(page);
    await row('first').waitFor({ timeout: 30_000 });
  });

  it('runs a step from the tree and shows its state in the tree and the preview', async () => {
    await row('first').hover();
    await row('first').locator('.action-label[aria-label="Run Step"]').click();
    await row('first').locator('.codicon-pass').waitFor({ timeout: 15_000 });
    await frame.locator('.step[data-step-id="first"] .step-badge', { hasText: 'passed' }).waitFor({ timeout: 15_000 });
    assert.match((await frame.locator('.step[data-step-id="first"] pre.output').textContent()) ?? '', /first by oncall/);
  });

  it('checks off a manual step', async () => {
    const manual = row('Tell the team');
    await manual.locator('.custom-view-tree-node-item-checkbox').click();
    await manual.locator('.custom-view-tree-node-item-checkbox[aria-checked="true"]').waitFor({ timeout: 10_000 });
    await frame.locator('#content input.task-checkbox:checked').waitFor({ timeout: 10_000 });
    await workbench.page.screenshot({ path: join(RESULTS, 'steps-progress.png') });
  });

  it('still shows the progress after the window is reloaded', async () => {
    const { page } = workbench;
    await reloadWindow(page);
    await showRunbooksContainer(page);
    await row('first').locator('.codicon-pass').waitFor({ timeout: 30_000 });
    await row('Tell the team').locator('.custom-view-tree-node-item-checkbox[aria-checked="true"]').waitFor({ timeout: 10_000 });
    // The status bar counts the passed step and the checked manual step.
    await page.locator('.statusbar-item', { hasText: '2/4' }).first().waitFor({ timeout: 10_000 });
    const restored = await webviewFrame(page, '.step[data-step-id="first"]', 60_000);
    await restored.locator('.step[data-step-id="first"] .step-badge', { hasText: 'passed' }).waitFor({ timeout: 15_000 });
  });
});
