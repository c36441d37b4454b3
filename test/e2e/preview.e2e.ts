import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { parseRunbook } from '../../src/core/runbook';
import { quickOpen, reloadWindow, RESULTS, ROOT, runCommand, useWorkbench, webviewFrame } from './workbench';

describe('runbook preview in the browser', function () {
  const workbench = useWorkbench(join(ROOT, 'test/fixtures/workspace'));
  let frame: Frame;
  const step = (id: string) => frame.locator(`.step[data-step-id="${id}"]`);
  const run = (id: string) => step(id).locator('[data-action="run"]').click();

  before(async () => {
    await quickOpen(workbench.page, 'run.runbook.md');
    await runCommand(workbench.page, 'Runbooks: Open Preview to the Side');
    frame = await webviewFrame(workbench.page, '.step[data-step-id="hello"]');
  });

  it('uses a value typed into the inputs form, streams output and shows the passed badge', async () => {
    const field = frame.locator('#rb-input-GREETING');
    await field.fill('howdy partner');
    await field.blur();
    // An invalid value is flagged inline and not used.
    await field.fill('NOT valid 1');
    await frame.locator('#rb-input-GREETING[aria-invalid="true"]').waitFor();
    await field.fill('howdy partner');
    await field.blur();
    await frame.locator('#rb-input-GREETING:not([aria-invalid="true"])').waitFor();
    await run('echo-greeting');
    await step('echo-greeting').locator('[data-status="passed"], .step-badge:has-text("passed")').first().waitFor({ timeout: 15_000 });
    assert.match((await step('echo-greeting').locator('pre.output').textContent()) ?? '', /greeting: howdy partner/);
    assert.match((await step('echo-greeting').locator('.step-badge').textContent()) ?? '', /passed · exit 0/);
  });

  it('stops a long step', async () => {
    await run('long');
    await step('long').locator('pre.output', { hasText: 'started' }).waitFor({ timeout: 15_000 });
    assert.match((await step('long').locator('.step-badge').textContent()) ?? '', /running/);
    await step('long').locator('[data-action="stop"]').click();
    await step('long').locator('.step-badge', { hasText: 'cancelled' }).waitFor({ timeout: 15_000 });
  });

  it('shows the exit code of a failing step', async () => {
    await run('fails');
    await step('fails').locator('.step-badge', { hasText: 'exit 3' }).waitFor({ timeout: 15_000 });
    await step('fails').locator('pre.output', { hasText: 'about to fail' }).waitFor({ timeout: 5_000 });
  });

  it('shows the difference when the output does not match', async () => {
    await run('mismatch');
    const diff = step('mismatch').locator('.diff');
    await diff.waitFor({ timeout: 15_000 });
    const text = (await diff.textContent()) ?? '';
    assert.match(text, /expected line/);
    assert.match(text, /actual line/);
    assert.equal(await step('mismatch').locator('.diff-removed').count(), 1);
    assert.equal(await step('mismatch').locator('.diff-inserted').count(), 1);
  });

  it('asks for a placeholder value and runs with it', async () => {
    await run('placeholder');
    const input = workbench.page.locator('.quick-input-widget input');
    await workbench.page.locator('.quick-input-widget', { hasText: '<pod-name>' }).waitFor({ timeout: 15_000 });
    await input.fill('pod-7f9c');
    await workbench.page.keyboard.press('Enter');
    await step('placeholder').locator('pre.output', { hasText: 'value:  pod-7f9c' }).waitFor({ timeout: 15_000 });
  });

  it('asks for confirmation in a modal dialog before a confirm step', async () => {
    await run('marker');
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match((await dialog.textContent()) ?? '', /Run "marker"/);
    assert.equal(existsSync(join(workbench.folder, 'confirmed.marker')), false);
    await dialog.locator('.monaco-button', { hasText: 'Run' }).first().click();
    await step('marker').locator('.step-badge', { hasText: 'passed' }).waitFor({ timeout: 15_000 });
    assert.equal(existsSync(join(workbench.folder, 'confirmed.marker')), true);
    await workbench.page.screenshot({ path: join(RESULTS, 'preview.png') });
  });

  it('updates in place when the runbook is edited, keeping output and state', async () => {
    const { page } = workbench;
    await page.locator('.tab', { hasText: 'run.runbook.md' }).first().click();
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\nA paragraph added while the preview is open.\n');
    await frame.locator('#content p', { hasText: 'A paragraph added while the preview is open.' }).waitFor({ timeout: 15_000 });
    assert.match((await step('echo-greeting').locator('pre.output').textContent()) ?? '', /greeting: howdy partner/);
    assert.match((await step('echo-greeting').locator('.step-badge').textContent()) ?? '', /passed/);
  });

  it('reveals the source line of a clicked heading', async () => {
    const runbook = parseRunbook(readFileSync(join(ROOT, 'test/fixtures/workspace/run.runbook.md'), 'utf8'));
    const safety = runbook.sections.find((section) => section.title === 'Safety')!;
    await frame.locator('#content .heading', { hasText: 'Safety' }).click();
    await workbench.page.locator('[id="status.editor.selection"]', { hasText: `Ln ${safety.line + 1},` }).waitFor({ timeout: 10_000 });
  });

  it('renders ANSI colours and says when output was truncated', async () => {
    const { page } = workbench;
    await quickOpen(page, 'session.runbook.md');
    await runCommand(page, 'Runbooks: Open Preview to the Side');
    const session = await webviewFrame(page, '.step[data-step-id="colours"]');
    await session.locator('.step[data-step-id="colours"] [data-action="run"]').click();
    const colours = session.locator('.step[data-step-id="colours"]');
    await colours.locator('.step-badge', { hasText: 'passed' }).waitFor({ timeout: 30_000 });
    await colours.locator('.output-dropped').waitFor({ timeout: 10_000 });
    const red = colours.locator('pre.output span', { hasText: 'red text' }).first();
    const colour = await red.evaluate((element) => getComputedStyle(element).color);
    assert.notEqual(colour, await colours.locator('pre.output').evaluate((element) => getComputedStyle(element).color), 'red text has its own colour');
  });

  it('shows a production runbook with a warning badge', async () => {
    const { page } = workbench;
    await quickOpen(page, 'production.runbook.md');
    await runCommand(page, 'Runbooks: Open Preview to the Side');
    const production = await webviewFrame(page, '.step[data-step-id="prod-marker"]');
    assert.match((await production.locator('.env-badge.env-production').textContent()) ?? '', /production/);
  });

  it('executes nothing from a malicious runbook', async () => {
    const { page } = workbench;
    await quickOpen(page, 'malicious.runbook.md');
    await runCommand(page, 'Runbooks: Open Preview to the Side');
    const malicious = await webviewFrame(page, '.step[data-step-id="plant"]');
    assert.equal(await malicious.locator('#content script, #content iframe, #content [onerror], #content [onclick]').count(), 0);
    const hrefs = await malicious.locator('#content a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    assert.ok(!hrefs.some((href) => /^\s*javascript:/i.test(href)), `a javascript: link survived: ${hrefs.join(', ')}`);
    // Click what the runbook hoped a person would click.
    await malicious.locator('#content div', { hasText: 'Click me' }).last().click();
    const jsLink = malicious.locator('#content a', { hasText: 'A javascript: link' });
    if (await jsLink.count()) await jsLink.click();
    await page.waitForTimeout(1000);
    assert.notEqual(await malicious.evaluate(() => document.title), 'pwned-by-script');
    assert.equal(await malicious.evaluate(() => document.body.dataset.pwned ?? null), null);
    assert.equal(existsSync(join(workbench.folder, 'planted.marker')), false);
  });

  it('restores the previews, their input values and a masked secret field after a reload', async () => {
    const { page } = workbench;
    await reloadWindow(page);
    // Only the visible tab of a group loads its webview; bring the run fixture's preview forward.
    await page.locator('.tab', { hasText: 'Runbook: Run fixture' }).first().click({ timeout: 60_000 });
    const restored = await webviewFrame(page, '.step[data-step-id="hello"]', 60_000);
    assert.equal(await restored.locator('#rb-input-GREETING').inputValue(), 'howdy partner');
    assert.equal(await restored.locator('#rb-input-TOKEN').getAttribute('type'), 'password');
  });
});
