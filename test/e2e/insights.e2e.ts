// Runbook Insights as a person meets it in the real workbench: the command from the palette opens
// the panel over the fixture history (runbooks.historyFolders) and runbooks at every stage of the
// ladder; the table is read, the period switched 30 / 90 / 365 days by mouse and keyboard with
// the numbers changing, an issue export chosen through VS Code's own file dialog, a runbook opened
// from the table; the charts are drawn under the panel's Content Security Policy with no
// violation; axe-core finds nothing in the four default themes. The README screenshot is written
// to docs/ only with UPDATE_SCREENSHOTS=1.

import { strict as assert } from 'node:assert';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { redateInsightsData } from '../integration/insightsFixture';
import { axeViolations, contrastProblems, setColorTheme, THEMES } from './accessibilityChecks';
import { openWorkbench, RESULTS, ROOT, runCommand, saveFailureScreenshot, type Workbench } from './workbench';

const UPDATE_DOCS = process.env.UPDATE_SCREENSHOTS === '1';

/**
 * The fixture workspace, its insights data redated to now, a runbook with a tool note and its
 * script (test/fixtures/insights/repo), a workflow for docs/ops-guide.md, and the settings.
 */
function composeWorkspace(): string {
  const folder = mkdtempSync(join(tmpdir(), 'runbooks-insights-'));
  cpSync(join(ROOT, 'test/fixtures/workspace'), folder, { recursive: true });
  cpSync(join(ROOT, 'test/fixtures/insights/repo'), folder, { recursive: true });
  redateInsightsData(join(folder, 'insights-data'));
  mkdirSync(join(folder, '.github/workflows'), { recursive: true });
  writeFileSync(join(folder, '.github/workflows/runbook-ops-guide.yml'), 'name: Ops guide\non: workflow_dispatch\njobs: {}\n');
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(
    join(folder, '.vscode/settings.json'),
    JSON.stringify({ 'runbooks.historyFolders': ['insights-data'], 'runbooks.runbookUrlPrefixes': { 'https://runbooks.example.com/': '' } }, null, 2),
  );
  return folder;
}

interface TableRow {
  rank: string;
  title: string;
  path: string;
  runs: string;
  people: string;
  issues: string;
  stage: string;
  automation: string;
}

async function ranking(frame: Frame): Promise<TableRow[]> {
  return frame.locator('#ranking tbody tr').evaluateAll((rows) =>
    rows.map((row) => {
      // Each cell's own first text: the number, without the notes under it. (No named helper
      // functions in here: the test runner's transform would wrap them in a helper the page lacks.)
      const cells = Array.from(row.children).map((cell) => cell.firstChild?.textContent?.trim() ?? '');
      return {
        rank: cells[0],
        title: row.querySelector('.runbook-link')?.textContent ?? '',
        path: (row as HTMLElement).dataset.path ?? '',
        runs: cells[2],
        people: cells[3],
        issues: cells[6],
        stage: row.querySelector('.stage-badge')?.textContent ?? '',
        automation: row.children[7]?.textContent ?? '',
      };
    }),
  );
}

async function rowOf(frame: Frame, path: string): Promise<TableRow> {
  const found = (await ranking(frame)).find((row) => row.path === path);
  assert.ok(found, `${path} is in the table`);
  return found;
}

/** Waits until the table shows `runs` for `path` (the host's answer to a period change). */
async function waitForRuns(frame: Frame, path: string, runs: number): Promise<void> {
  await frame.waitForFunction(
    ([wanted, count]) => document.querySelector(`#ranking tbody tr[data-path="${wanted}"] td:nth-child(3)`)?.firstChild?.textContent?.trim() === String(count),
    [path, runs] as const,
    { timeout: 15_000 },
  );
}

describe('runbook insights in the browser', function () {
  let workbench: Workbench;
  let composed: string;
  let page: Page;
  let frame: Frame;
  const violations: string[] = [];
  const savedCliHistory = process.env.RUNBOOKS_HISTORY;

  before(async () => {
    composed = composeWorkspace();
    // No command-line history of this machine's user: only the fixtures count.
    process.env.RUNBOOKS_HISTORY = join(composed, 'no-command-line-history.jsonl');
    workbench = await openWorkbench(composed);
    page = workbench.page;
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await saveFailureScreenshot(page, this.currentTest.title);
  });
  after(async () => {
    await workbench?.close();
    rmSync(composed, { recursive: true, force: true });
    if (savedCliHistory === undefined) delete process.env.RUNBOOKS_HISTORY;
    else process.env.RUNBOOKS_HISTORY = savedCliHistory;
  });

  it('opens from the Command Palette and ranks the runbooks with their ladder stage', async () => {
    await runCommand(page, 'Runbooks: Show Insights');
    frame = await frameWithTable(page);
    await frame.locator('input[name="period"][value="90d"]:checked').waitFor();
    const rows = await ranking(frame);
    assert.equal(rows[0].path, 'track.runbook.md', `track ranks first: ${rows.map((row) => row.path).join(', ')}`);
    assert.deepEqual(rows.map((row) => row.rank), rows.map((_, index) => String(index + 1)));
    const track = await rowOf(frame, 'track.runbook.md');
    assert.equal(track.title, 'Track fixture');
    assert.equal(track.runs, '5');
    assert.equal(track.people, '3');
    assert.equal((await rowOf(frame, 'docs/ops-guide.md')).stage, 'service');
    const tool = await rowOf(frame, 'runbooks/rotate-certs.md');
    assert.match(tool.stage, /^tool \d+\/\d+$/);
    assert.match(tool.automation, /\d+ of \d+ steps automated · no workflow/);
    assert.match(tool.automation, /Done by scripts\/rotate-certs\.ts/);
    assert.match((await frame.locator('#insights-summary').textContent()) ?? '', /^Last 90d/);
    // The history's cut-short line is named with its file and line.
    assert.match((await frame.locator('#problems').textContent()) ?? '', /insights-data\/history\.jsonl:8: not JSON/);
  });

  it('draws both charts under the Content Security Policy, each with its table', async () => {
    // Every chart drawn from now on (periods, themes) reports a blocked style or script here too.
    await frame.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective}: ${event.blockedURI}`));
    });
    for (const id of ['runs-chart', 'hours-chart']) {
      const painted = await frame.locator(`#${id} canvas`).evaluate((canvas: HTMLCanvasElement) => {
        const context = canvas.getContext('2d');
        if (!context || canvas.width === 0 || canvas.height === 0) return 0;
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
        return count;
      });
      assert.ok(painted > 100, `${id} has something drawn (${painted} pixels)`);
      assert.ok((await frame.locator(`#${id} canvas[role="img"]`).getAttribute('aria-label'))?.length, `${id} is named`);
    }
    await frame.locator('#runs-chart summary').click();
    const header = await frame.locator('#runs-per-week-table thead th').allTextContents();
    assert.equal(header[0], 'Week of');
    assert.ok(header.includes('Track fixture'), header.join(', '));
    assert.ok((await frame.locator('#runs-per-week-table tbody tr').count()) >= 13, 'a row per week of 90 days');
    await frame.locator('#hours-chart summary').click();
    assert.ok((await frame.locator('#hands-on-table tbody tr').count()) >= 2);
    assert.deepEqual(violations, [], 'no Content Security Policy violation');
  });

  it('switches the period to 30 and 365 days and shows the numbers change', async () => {
    await frame.locator('label.period-option', { hasText: 'Last 30 days' }).click();
    await waitForRuns(frame, 'track.runbook.md', 3);
    assert.equal((await rowOf(frame, 'docs/ops-guide.md')).runs, '0');
    assert.match((await frame.locator('#insights-summary').textContent()) ?? '', /^Last 30d/);
    await frame.locator('label.period-option', { hasText: 'Last 365 days' }).click();
    await waitForRuns(frame, 'track.runbook.md', 9);
    assert.equal((await rowOf(frame, 'docs/ops-guide.md')).runs, '2');
    // The open chart tables stay open, and follow the period.
    assert.ok((await frame.locator('#runs-per-week-table tbody tr').count()) >= 52);
    // By keyboard: the radio group takes the arrow keys.
    await frame.locator('input[name="period"][value="365d"]').focus();
    await page.keyboard.press('ArrowLeft');
    await waitForRuns(frame, 'track.runbook.md', 5);
    assert.ok(await frame.locator('input[name="period"][value="90d"]').evaluate((input) => input === document.activeElement), 'focus stays on the period');
  });

  it('reads an issue export chosen through the file dialog', async () => {
    assert.equal((await rowOf(frame, 'track.runbook.md')).issues, '0');
    await frame.locator('button[data-command="chooseIssueFiles"]').click();
    // VS Code's own dialog in the browser: a path typed into the quick input.
    const input = page.locator('.quick-input-widget input');
    const entry = (name: string) => page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
    // It opens in the workspace folder; typing before it has listed that folder would be overwritten.
    await entry('insights-data').waitFor({ timeout: 15_000 });
    await input.fill(`${join(workbench.folder, 'insights-data')}/`);
    await entry('issues.json').waitFor({ timeout: 15_000 });
    await input.fill(join(workbench.folder, 'insights-data', 'issues.json'));
    await page.locator('.quick-input-widget .monaco-button', { hasText: 'Use as Issue Exports' }).click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    await frame.waitForFunction(() => document.querySelector('#ranking tbody tr[data-path="track.runbook.md"] td:nth-child(7)')?.firstChild?.textContent?.trim() === '1', undefined, { timeout: 20_000 });
    assert.equal((await rowOf(frame, 'basic.runbook.md')).issues, '1', 'named by a runbook_url');
    assert.match((await frame.locator('#insights-content').textContent()) ?? '', /issues\.json/);
  });

  /** The panel alone (no side bar), tall enough for the table and the charts. */
  async function readmeScreenshot(): Promise<void> {
    const size = page.viewportSize();
    await runCommand(page, 'View: Close Primary Side Bar');
    await page.setViewportSize({ width: 1400, height: 1500 });
    try {
      await frame.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
      await page.screenshot({ path: join(RESULTS, 'screenshot-insights.png') });
      if (UPDATE_DOCS) copyFileSync(join(RESULTS, 'screenshot-insights.png'), join(ROOT, 'docs', 'screenshot-insights.png'));
    } finally {
      if (size) await page.setViewportSize(size);
    }
  }

  it('has no axe violations and readable text in the four themes', async () => {
    mkdirSync(RESULTS, { recursive: true });
    for (const id of ['runs-chart', 'hours-chart']) {
      const details = frame.locator(`#${id}-details`);
      if (!(await details.evaluate((element: HTMLDetailsElement) => element.open))) await details.locator('summary').click();
    }
    const failures: string[] = [];
    for (const theme of THEMES) {
      await setColorTheme(page, theme, frame);
      for (const violation of await axeViolations(frame)) failures.push(`${theme}: axe ${violation.id} (${violation.impact}) ${violation.help}\n      ${violation.nodes.join('\n      ')}`);
      const { checked, problems } = await contrastProblems(frame);
      assert.ok(checked > 0, 'some text was checked for contrast');
      for (const problem of problems) failures.push(`${theme}: contrast ${problem.ratio}:1 of ${problem.what} "${problem.text}" (${problem.foreground} on ${problem.background})`);
      // The charts in each theme, for a person to look at (test-results/).
      await frame.evaluate(() => document.getElementById('charts-heading')?.scrollIntoView());
      await page.screenshot({ path: join(RESULTS, `insights-charts-${theme.replace(/\s+/g, '-').toLowerCase()}.png`) });
      await frame.evaluate(() => window.scrollTo(0, 0));
      if (theme === 'Default Dark Modern') await readmeScreenshot();
    }
    assert.deepEqual(failures, [], failures.join('\n'));
    assert.deepEqual(violations, [], 'no Content Security Policy violation');
    assert.deepEqual(await frame.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), [], 'no violation while the charts were drawn again');
  });

  it('opens a runbook from the table', async () => {
    await frame.locator('#ranking .runbook-link', { hasText: 'Track fixture' }).click();
    await page.locator('.tab[aria-label*="track.runbook.md"]').first().waitFor({ timeout: 15_000 });
  });
});

/** The insights webview's frame, once its table is shown. */
async function frameWithTable(page: Page): Promise<Frame> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const candidate of page.frames()) {
      if (candidate === page.mainFrame()) continue;
      if (await candidate.locator('#ranking tbody tr').count().catch(() => 0)) return candidate;
    }
    await page.waitForTimeout(200);
  }
  throw new Error('The insights table did not appear within 60s.');
}
