// What a person clicking fast sees: a double click and one more click on Run while the
// confirmation dialog is open run the step once; a burst of output shows once, and once again
// (never twice) after a reload.

import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { quickOpen, reloadWindow, ROOT, runCommand, useWorkbench, webviewFrame } from './workbench';

describe('the run path in the browser', function () {
  const workbench = useWorkbench(join(ROOT, 'test/fixtures/workspace'));
  let frame: Frame;
  const step = (id: string) => frame.locator(`.step[data-step-id="${id}"]`);
  const ledger = () => join(workbench.folder, 'ledger.txt');

  before(async () => {
    await quickOpen(workbench.page, 'runpath.runbook.md');
    await runCommand(workbench.page, 'Runbooks: Open Preview to the Side');
    frame = await webviewFrame(workbench.page, '.step[data-step-id="append"]');
  });

  it('a double click and a third click while the confirmation is open run the step once', async () => {
    const run = step('append').locator('[data-action="run"]');
    await run.dblclick();
    await run.click({ force: true, timeout: 2_000 }).catch(() => undefined);
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    // The webview is still there under the dialog: click it again, straight through the page.
    await run.evaluate((button) => (button as HTMLButtonElement).click());
    await workbench.page.waitForTimeout(500);
    assert.equal(await dialog.count(), 1, 'one dialog');
    await dialog.locator('.monaco-button', { hasText: 'Run' }).first().click();
    await step('append').locator('.step-badge', { hasText: 'passed' }).waitFor({ timeout: 15_000 });
    await workbench.page.waitForTimeout(1000);
    assert.equal(await workbench.page.locator('.monaco-dialog-box').count(), 0, 'no second dialog');
    assert.deepEqual(readFileSync(ledger(), 'utf8').split('\n').filter(Boolean), ['ran']);
  });

  it('shows the output of a 40-line burst exactly once, and after a reload no line twice', async () => {
    await step('burst').locator('[data-action="run"]').click();
    await step('burst').locator('.step-badge', { hasText: 'passed' }).waitFor({ timeout: 15_000 });
    const lines = async (current: Frame) => ((await current.locator('.step[data-step-id="burst"] pre.output').textContent()) ?? '').split('\n').filter((line) => line.startsWith('burst line'));
    const shown = await lines(frame);
    assert.equal(shown.length, 40);
    assert.equal(new Set(shown).size, 40);
    await reloadWindow(workbench.page);
    await workbench.page.locator('.tab', { hasText: 'Runbook: Run path fixture' }).first().click({ timeout: 60_000 });
    const restored = await webviewFrame(workbench.page, '.step[data-step-id="burst"] pre.output', 60_000);
    await restored.locator('.step[data-step-id="burst"] pre.output', { hasText: 'burst line 40' }).waitFor({ timeout: 30_000 });
    const after = await lines(restored);
    assert.ok(after.length > 0);
    assert.equal(new Set(after).size, after.length, `a line shows twice: ${after.join(' | ')}`);
    assert.equal(after.at(-1), 'burst line 40');
    assert.equal(existsSync(ledger()), true);
  });
});
