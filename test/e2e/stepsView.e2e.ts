import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunbook } from '../../src/core/runbook';
import { quickOpen, RESULTS, ROOT, runCommand, stepsPane, useWorkbench, webviewFrame } from './workbench';

describe('Steps view in the browser', function () {
  const workbench = useWorkbench(join(ROOT, 'examples'));

  it('lists the sections and steps of the open runbook and reveals a clicked step', async () => {
    const { page } = workbench;
    await quickOpen(page, 'log-triage.runbook.md');
    await page.locator('.activitybar [aria-label^="Runbooks"]').first().click();
    const rows = stepsPane(page).locator('.monaco-list-row');
    await rows.nth(3).waitFor({ timeout: 30_000 });
    const labels = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.ok(labels.length >= 4, `the tree shows sections and steps (got ${labels.join(' | ')})`);

    // Clicking a step moves the editor's cursor to its opening fence.
    const runbook = parseRunbook(readFileSync(join(ROOT, 'examples', 'log-triage.runbook.md'), 'utf8'));
    const step = runbook.steps[1];
    await rows.filter({ hasText: step.title }).first().click();
    const selection = page.locator('[id="status.editor.selection"]');
    await selection.filter({ hasText: `Ln ${step.startLine + 1},` }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(RESULTS, 'steps-view.png') });
  });

  it('runs the first steps of an example from its preview', async () => {
    const { page } = workbench;
    await quickOpen(page, 'log-triage.runbook.md');
    await runCommand(page, 'Runbooks: Open Preview to the Side');
    const frame = await webviewFrame(page, '.step[data-step-id="generate-log"]');
    for (const id of ['generate-log', 'count-by-level']) {
      await frame.locator(`.step[data-step-id="${id}"] [data-action="run"]`).click();
      await frame.locator(`.step[data-step-id="${id}"] .step-badge`, { hasText: 'passed' }).waitFor({ timeout: 30_000 });
    }
    await frame.locator('.step[data-step-id="count-by-level"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(RESULTS, 'example-preview.png') });
  });
});
