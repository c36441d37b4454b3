import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { quickOpen, RESULTS, ROOT, runCommand, useWorkbench } from './workbench';

/** The rendered editor line whose text starts with `start`. */
function editorLine(page: Page, start: string): Locator {
  return page.locator('.editor-instance .view-lines .view-line', { hasText: start }).first();
}

/** The CSS class (Monaco's colour token) of the first rendered token with exactly `text`. */
async function tokenClass(line: Locator, text: string): Promise<string> {
  return line.locator('span > span').evaluateAll((spans, wanted) => spans.find((s) => s.textContent === wanted)?.className ?? `(no token "${wanted}")`, text);
}

/** Puts the cursor at 1-based `line`:`column` with "Go to Line/Column". */
async function goTo(page: Page, line: number, column: number): Promise<void> {
  await runCommand(page, 'Go to Line/Column');
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('[id="status.editor.selection"]', { hasText: `Ln ${line}, Col ${column}` }).waitFor({ timeout: 10_000 });
}

describe('authoring a runbook in the browser', function () {
  const workbench = useWorkbench(join(ROOT, 'test/fixtures/workspace'));

  it('highlights attributes and input references, and shows the problems', async () => {
    const { page } = workbench;
    await quickOpen(page, 'authoring.runbook.md');
    const fence = editorLine(page, '{name=check timout=2m}');
    await fence.waitFor({ timeout: 30_000 });
    // The injection grammar gives the attribute's name and its value their own colours.
    await page.waitForFunction(() => document.querySelectorAll('.view-line').length > 10);
    const name = await tokenClass(fence, 'name');
    const value = await tokenClass(fence, 'check');
    assert.notEqual(name, value, 'attribute name and value are coloured differently');
    const reference = editorLine(page, 'echo "$REGION');
    assert.notEqual(await tokenClass(reference, 'REGION'), await tokenClass(reference, ' '), '$REGION stands out from the string around it');
    // Semantic highlighting (a moment later) tells the declared input $REGION from the undeclared $CLUSTER.
    await page.waitForFunction(() => {
      const spans = Array.from(document.querySelectorAll('.view-line span > span'));
      const region = spans.find((s) => s.textContent === 'REGION');
      const cluster = spans.find((s) => s.textContent?.endsWith('CLUSTER'));
      return region && cluster && region.className !== cluster.className;
    }, undefined, { timeout: 15_000 });

    await page.locator('.editor-instance .squiggly-warning').first().waitFor({ timeout: 30_000 });
    await page.locator('.editor-instance .squiggly-error').first().waitFor();
    await runCommand(page, 'View: Focus Problems');
    const problems = page.locator('.markers-panel .monaco-list-row');
    await problems.filter({ hasText: '$CLUSTER is not a declared input' }).first().waitFor({ timeout: 15_000 });
    await problems.filter({ hasText: 'Unknown attribute "timout"' }).first().waitFor();
    await page.screenshot({ path: join(RESULTS, 'authoring-problems.png') });
  });

  it('applies a quick fix chosen from the light bulb menu', async () => {
    const { page } = workbench;
    await quickOpen(page, 'authoring.runbook.md');
    await goTo(page, 13, 22);
    await runCommand(page, 'Quick Fix...');
    // The menu lists the fixes with the preferred one focused; Enter applies it, as from the keyboard.
    const rows = page.locator('.action-widget .monaco-list-row');
    await rows.filter({ hasText: 'Remove attribute "timout"' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.action-widget .monaco-list-row.focused', { hasText: 'Change "timout" to "timeout"' }).waitFor();
    await page.keyboard.press('Enter');
    await editorLine(page, '{name=check timeout=2m}').waitFor({ timeout: 10_000 });
  });

  it('offers attribute names inside a fence\'s braces and front matter keys', async () => {
    const { page } = workbench;
    await quickOpen(page, 'authoring.runbook.md');
    await goTo(page, 17, 20);
    await page.keyboard.type(' ');
    const suggestions = page.locator('.editor-widget.suggest-widget .monaco-list-row');
    await suggestions.filter({ hasText: 'interactive' }).first().waitFor({ timeout: 15_000 });
    const labels = await suggestions.evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
    assert.ok(!labels.some((label) => /^name\b/.test(label)), `name is already written: ${labels.join(' | ')}`);
    await page.screenshot({ path: join(RESULTS, 'authoring-completions.png') });
    await page.keyboard.press('Escape');

    // In the JSON form, after `, "`: the list is filtered by what was typed, quote included.
    // (The editor closes the typed quote itself; accepting a key replaces both quotes, then the
    // values are offered, quoted.)
    await goTo(page, 23, 26);
    await page.keyboard.type(', "');
    await suggestions.filter({ hasText: 'timeout' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.type('ti');
    await page.keyboard.press('Enter');
    await suggestions.filter({ hasText: '10m' }).first().waitFor({ timeout: 15_000 });
    await suggestions.filter({ hasText: '10m' }).first().click();
    await editorLine(page, '{"name": "report", "timeout": "10m"}').waitFor({ timeout: 10_000 });

    await goTo(page, 2, 25);
    await page.keyboard.press('Enter');
    await page.keyboard.type('env');
    await runCommand(page, 'Trigger Suggest');
    await suggestions.filter({ hasText: 'environment' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await editorLine(page, 'environment:').waitFor({ timeout: 10_000 });
  });
});
