// The insights panel's content, built from the host's view with text only (never HTML strings):
// the "automate next" table, the two charts each with its table, and the sources with their
// problems. Anything a click acts on carries `data-command` (and the runbook or file it names);
// anything that can hold focus carries `data-focus-key`, so main.ts can put focus back after the
// content is built again.

import { handsOnText } from '../../core/insights/rank';
import type { InputProblem, Insights, RunbookInsight } from '../../core/insights/types';
import type { InsightsView } from '../../features/insights/protocol';
import { el } from '../dom';
import { HANDS_ON_BARS, weekLabel } from './charts';

export interface BuiltContent {
  nodes: HTMLElement[];
  canvases: { runs: HTMLCanvasElement; hours: HTMLCanvasElement };
}

const PERIOD_WORDS: Record<string, string> = { '30d': '30 days', '90d': '90 days', '365d': '365 days' };

export function periodWords(label: string): string {
  return PERIOD_WORDS[label] ?? label;
}

function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A paragraph whose `backticked` parts are code. */
function note(className: string, text: string): HTMLParagraphElement {
  const paragraph = el('p', className);
  text.split('`').forEach((part, index) => paragraph.append(index % 2 === 1 ? el('code', undefined, part) : document.createTextNode(part)));
  return paragraph;
}

function focusable<T extends HTMLElement>(element: T, key: string): T {
  element.dataset.focusKey = key;
  return element;
}

function commandButton(text: string, command: string, className = 'button button-secondary'): HTMLButtonElement {
  const button = focusable(el('button', className, text), `command:${command}`);
  button.type = 'button';
  button.dataset.command = command;
  return button;
}

function section(id: string, title: string): HTMLElement {
  const element = el('section', 'insights-section');
  element.setAttribute('aria-labelledby', `${id}-heading`);
  const heading = el('h2', 'section-heading', title);
  heading.id = `${id}-heading`;
  element.append(heading);
  return element;
}

/** A table that scrolls sideways on a narrow panel; the keyboard can scroll it too (it takes focus). */
function scrolling(table: HTMLTableElement, label: string, key: string): HTMLElement {
  const box = focusable(el('div', 'table-scroll'), key);
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', label);
  box.append(table);
  return box;
}

function headerRow(columns: ReadonlyArray<readonly [string, boolean]>): HTMLTableSectionElement {
  const head = el('thead');
  const row = el('tr');
  for (const [text, numeric] of columns) {
    const cell = el('th', numeric ? 'numeric' : undefined, text);
    cell.scope = 'col';
    row.append(cell);
  }
  head.append(row);
  return head;
}

function cell(text: string, numeric = false): HTMLTableCellElement {
  return el('td', numeric ? 'numeric' : undefined, text);
}

const RANKING_COLUMNS = [
  ['#', true],
  ['Runbook', false],
  ['Runs', true],
  ['People', true],
  ['Hands-on', true],
  ['Failed', true],
  ['Issues', true],
  ['Automation', false],
  ['Why', false],
] as const;

function stageCell(row: RunbookInsight): HTMLTableCellElement {
  const { ladder } = row;
  const td = el('td', 'stage-cell');
  const badge = el('span', 'stage-badge', ladder.badge);
  badge.dataset.stage = ladder.stage;
  td.append(badge, el('span', 'stage-summary', ladder.summary));
  if (ladder.automatedStepTitles.length > 0) {
    td.append(el('span', 'stage-steps', `Done by ${ladder.scripts.join(', ')}: ${ladder.automatedStepTitles.join(', ')}`));
  }
  if (ladder.missingScripts.length > 0) td.append(el('span', 'stage-steps', `Not counted (script missing): ${ladder.missingScripts.join(', ')}`));
  return td;
}

function issuesCell(row: RunbookInsight): HTMLTableCellElement {
  const td = cell(String(row.mentions), true);
  if (row.issues.length > 0) {
    const list = el('ul', 'issue-list');
    for (const issue of row.issues.slice(0, 3)) list.append(el('li', undefined, `#${issue.number} ${issue.title}`));
    if (row.issues.length > 3) list.append(el('li', undefined, `and ${row.issues.length - 3} more`));
    td.append(list);
  }
  return td;
}

function rankingTable(insights: Insights): HTMLTableElement {
  const table = el('table', 'insights-table ranking-table');
  table.id = 'ranking';
  table.append(el('caption', 'visually-hidden', `Runbooks ranked by toil over the last ${periodWords(insights.period.label)}, the best candidate to automate first`));
  table.append(headerRow(RANKING_COLUMNS));
  const body = el('tbody');
  for (const row of insights.runbooks) {
    const tr = el('tr');
    tr.dataset.path = row.path;
    const name = el('th', 'runbook-cell');
    name.scope = 'row';
    const open = focusable(el('button', 'runbook-link', row.title), `runbook:${row.path}`);
    open.type = 'button';
    open.dataset.command = 'openRunbook';
    open.dataset.path = row.path;
    open.setAttribute('aria-label', `Open ${row.title} (${row.path})`);
    name.append(open, el('span', 'runbook-path', row.path));
    const runs = cell(String(row.runs), true);
    if (row.unattendedRuns > 0) runs.append(el('span', 'cell-note', `${row.unattendedRuns} unattended`));
    tr.append(cell(String(row.rank), true), name, runs, cell(String(row.people), true), cell(handsOnText(row.handsOnMs), true), cell(percent(row.failureRate), true), issuesCell(row), stageCell(row), cell(row.why));
    body.append(tr);
  }
  table.append(body);
  return table;
}

/** A canvas for a chart: an image to assistive technology, named by what it shows. */
function chartCanvas(label: string): HTMLCanvasElement {
  const canvas = el('canvas', 'chart-canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  return canvas;
}

function chartFigure(id: string, caption: string, canvas: HTMLCanvasElement, table: HTMLTableElement | undefined, empty: string, tableLabel: string): HTMLElement {
  const figure = el('figure', 'chart');
  figure.id = id;
  const captionId = `${id}-caption`;
  const figcaption = el('figcaption', 'chart-caption', caption);
  figcaption.id = captionId;
  figure.append(figcaption);
  if (!table) {
    figure.append(el('p', 'empty-note', empty));
    return figure;
  }
  const box = el('div', 'chart-box');
  box.append(canvas);
  const details = focusable(el('details', 'chart-table'), `details:${id}`);
  details.id = `${id}-details`;
  const summary = focusable(el('summary', undefined, tableLabel), `summary:${id}`);
  details.append(summary, scrolling(table, tableLabel, `table:${id}`));
  figure.append(box, details);
  return figure;
}

function runsTable(insights: Insights): HTMLTableElement | undefined {
  const { weeks, series } = insights.charts.runsPerWeek;
  if (series.length === 0) return undefined;
  const table = el('table', 'insights-table');
  table.id = 'runs-per-week-table';
  table.append(headerRow([['Week of', false], ...series.map((line) => [line.title, true] as const)]));
  const body = el('tbody');
  weeks.forEach((week, index) => {
    const tr = el('tr');
    const head = el('th', undefined, weekLabel(week));
    head.scope = 'row';
    tr.append(head, ...series.map((line) => cell(String(line.counts[index] ?? 0), true)));
    body.append(tr);
  });
  table.append(body);
  return table;
}

function hoursTable(insights: Insights): HTMLTableElement | undefined {
  const bars = insights.charts.handsOnHours;
  if (bars.length === 0) return undefined;
  const table = el('table', 'insights-table');
  table.id = 'hands-on-table';
  table.append(headerRow([['Runbook', false], ['Hands-on hours', true]]));
  const body = el('tbody');
  for (const bar of bars) {
    const tr = el('tr');
    const head = el('th', undefined, bar.title);
    head.scope = 'row';
    tr.append(head, cell(bar.hours.toFixed(2), true));
    body.append(tr);
  }
  table.append(body);
  return table;
}

function fileList(files: readonly string[], labels: Record<string, string>): HTMLUListElement {
  const list = el('ul', 'source-list');
  for (const file of files) {
    const item = el('li', undefined, labels[file] ?? file);
    if (labels[file] && labels[file] !== file) item.title = file;
    list.append(item);
  }
  return list;
}

function problemItem(problem: InputProblem, labels: Record<string, string>, openable: ReadonlySet<string>): HTMLLIElement {
  const item = el('li', 'problem');
  const where = `${labels[problem.file] ?? problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}`;
  if (openable.has(problem.file)) {
    const open = focusable(el('button', 'source-link', where), `source:${problem.file}:${problem.line ?? ''}`);
    open.type = 'button';
    open.dataset.command = 'openSource';
    open.dataset.file = problem.file;
    if (problem.line !== undefined) open.dataset.line = String(problem.line);
    item.append(open);
  } else {
    item.append(el('span', 'problem-file', where));
  }
  item.append(document.createTextNode(`: ${problem.message}`));
  return item;
}

function sourcesSection(view: InsightsView): HTMLElement {
  const { insights, labels } = view;
  const sources = section('sources', 'Sources');
  const { historyFiles, historyLines, duplicateLines, issues } = insights.sources;
  const read = `${plural(historyLines, 'history line')} read${duplicateLines > 0 ? ` (${plural(duplicateLines, 'repeated line')} counted once)` : ''}, as of ${new Date(view.readAt).toLocaleString('en')}.`;
  sources.append(el('h3', 'sub-heading', 'History'));
  if (historyFiles.length > 0) sources.append(el('p', undefined, read), fileList(historyFiles, labels));
  else sources.append(note('empty-note', 'No history yet: runs in the editor and with `runbook run` are recorded here, and the setting `runbooks.historyFolders` adds folders of history files.'));

  sources.append(el('h3', 'sub-heading', 'Issue exports'));
  if (view.issueFiles.length > 0) sources.append(el('p', undefined, `${plural(issues, 'issue')} read from:`), fileList(view.issueFiles, labels));
  else sources.append(note('empty-note', 'None chosen. Export issues with `gh issue list --state all --json number,title,body,labels,createdAt,closedAt,url > issues.json` (GitHub) or from the GitLab issues API, then choose the file.'));
  const buttons = el('div', 'button-row');
  buttons.append(commandButton('Choose Issue Exports…', 'chooseIssueFiles'));
  if (view.issueFiles.length > 0) buttons.append(commandButton('Forget Issue Exports', 'clearIssueFiles'));
  sources.append(buttons);

  if (insights.unknownRunbooks.length > 0) {
    sources.append(el('h3', 'sub-heading', 'Runbooks the history names that are not here'));
    const list = el('ul', 'source-list');
    for (const unknown of insights.unknownRunbooks) list.append(el('li', undefined, `${unknown.path}${unknown.title ? ` (${unknown.title})` : ''}: ${plural(unknown.lines, 'line')}`));
    sources.append(list);
  }

  const problemsHeading = el('h3', 'sub-heading', insights.problems.length > 0 ? `Problems in the sources (${insights.problems.length})` : 'Problems in the sources');
  problemsHeading.id = 'problems-heading';
  sources.append(problemsHeading);
  if (insights.problems.length === 0) sources.append(el('p', 'empty-note', 'None: every line and issue was read.'));
  else {
    const openable = new Set([...insights.sources.historyFiles, ...insights.sources.issueFiles]);
    const list = el('ul', 'problem-list');
    list.id = 'problems';
    for (const problem of insights.problems) list.append(problemItem(problem, labels, openable));
    sources.append(list);
  }
  return sources;
}

export function buildContent(view: InsightsView): BuiltContent {
  const { insights } = view;
  const ranking = section('ranking', 'Automate next');
  ranking.append(el('p', 'section-note', 'Ranked by toil: hands-on hours, attended runs, the people who ran it and the issues that name it, more for runs that failed, less for what a script or workflow already does. Select a runbook to open it.'));
  if (insights.runbooks.length === 0) ranking.append(el('p', 'empty-note', 'No runbooks in this folder.'));
  else ranking.append(scrolling(rankingTable(insights), 'Automate next: ranking table', 'table:ranking'));

  const charts = section('charts', 'Charts');
  const period = periodWords(insights.period.label);
  const series = insights.charts.runsPerWeek.series;
  const runsCanvas = chartCanvas(`Line chart of runs per week over the last ${period} for ${series.map((line) => line.title).join(', ') || 'no runbook'}; the same numbers are in the table after it.`);
  const hoursCanvas = chartCanvas(`Bar chart of hands-on hours over the last ${period} for the ${Math.min(HANDS_ON_BARS, insights.charts.handsOnHours.length)} runbooks that took most; the table after it lists them all.`);
  charts.append(
    chartFigure('runs-chart', `Runs per week of the top runbooks`, runsCanvas, runsTable(insights), `No runs in the last ${period}.`, 'Runs per week as a table'),
    chartFigure('hours-chart', 'Hands-on hours per runbook', hoursCanvas, hoursTable(insights), `No hands-on time in the last ${period}.`, 'Hands-on hours as a table'),
  );
  return { nodes: [ranking, charts, sourcesSection(view)], canvases: { runs: runsCanvas, hours: hoursCanvas } };
}
