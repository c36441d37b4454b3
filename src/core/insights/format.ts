// The insights as `runbook stats` prints them: a terminal table, JSON, CSV (RFC 4180) for a
// spreadsheet, Markdown for a weekly report. Pure functions of the insights. The table and CSV
// carry no input problems (a CSV is one table, and the CLI prints problems on stderr with
// `formatProblems`); JSON and Markdown include them.

import { codeSpan, escapeMarkdownInline } from '../progress';
import { handsOnText } from './rank';
import type { InputProblem, Insights, RunbookInsight } from './types';

export type InsightsFormat = 'table' | 'json' | 'csv' | 'markdown';
export const INSIGHTS_FORMATS: readonly InsightsFormat[] = ['table', 'json', 'csv', 'markdown'];

function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

function hours(ms: number): string {
  return (ms / 3_600_000).toFixed(2);
}

/** `file:12: message` (or `file: message`), one per line, for stderr. */
export function formatProblems(problems: readonly InputProblem[]): string {
  return problems.map((problem) => `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}: ${problem.message}\n`).join('');
}

/** One line: the period and what it holds. */
export function summaryLine(insights: Insights): string {
  const { totals, period } = insights;
  const parts = [
    `${totals.runs} ${totals.runs === 1 ? 'run' : 'runs'} by ${totals.people} ${totals.people === 1 ? 'person' : 'people'}`,
    `${handsOnText(totals.handsOnMs)} hands-on`,
    `${handsOnText(totals.timeSavedMs)} unattended (time saved)`,
    `${totals.issuesMentioningRunbooks} of ${totals.issues} issues name a runbook`,
  ];
  return `Last ${period.label} (${period.since.slice(0, 10)} to ${period.until.slice(0, 10)}): ${parts.join(' · ')}`;
}

const COLUMNS = ['#', 'runbook', 'runs', 'people', 'hands-on', 'failed', 'issues', 'stage', 'why'] as const;
const RIGHT: ReadonlySet<string> = new Set(['#', 'runs', 'people', 'hands-on', 'failed', 'issues']);

function tableCells(row: RunbookInsight): string[] {
  return [String(row.rank), row.path, String(row.runs), String(row.people), handsOnText(row.handsOnMs), percent(row.failureRate), String(row.mentions), row.ladder.badge, row.why];
}

/** Code points, so a title with accents lines up (wide CJK characters still count one). */
function width(text: string): number {
  return [...text].length;
}

/** A plain-text table for a terminal (no colours: the CLI decides those). */
export function formatInsightsTable(insights: Insights): string {
  const rows = insights.runbooks.map(tableCells);
  const widths = COLUMNS.map((column, i) => Math.max(width(column), ...rows.map((cells) => width(cells[i]))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i] - width(cell));
        if (i === cells.length - 1) return cell;
        return RIGHT.has(COLUMNS[i]) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  const lines = [summaryLine(insights), '', line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (rows.length === 0) lines.push('(no runbooks)');
  if (insights.unknownRunbooks.length > 0) {
    lines.push('', `Not among the runbooks (renamed or removed?): ${insights.unknownRunbooks.map((r) => `${r.path} (${r.lines} lines)`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatInsightsJson(insights: Insights): string {
  return `${JSON.stringify(insights, null, 2)}\n`;
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. Text that
 * a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab or CR first) gets a leading `'`.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CSV_HEADER = [
  'rank',
  'path',
  'title',
  'runs',
  'attended_runs',
  'unattended_runs',
  'people',
  'hands_on_hours',
  'time_saved_hours',
  'failed_runs',
  'failure_rate',
  'issue_mentions',
  'stage',
  'automated_steps',
  'steps',
  'workflows',
  'score',
  'why',
];

/** CSV with a header row and CRLF line ends (RFC 4180). */
export function formatInsightsCsv(insights: Insights): string {
  const records = insights.runbooks.map((row) => [
    row.rank,
    row.path,
    row.title,
    row.runs,
    row.attendedRuns,
    row.unattendedRuns,
    row.people,
    hours(row.handsOnMs),
    hours(row.timeSavedMs),
    row.failedRuns,
    row.failureRate === null ? null : Math.round(row.failureRate * 1000) / 1000,
    row.mentions,
    row.ladder.stage,
    row.ladder.automatedSteps,
    row.ladder.steps,
    row.ladder.workflows.join(' '),
    row.score,
    row.why,
  ]);
  return [CSV_HEADER, ...records].map((record) => `${record.map(csvField).join(',')}\r\n`).join('');
}

function cell(text: string): string {
  return escapeMarkdownInline(text);
}

/** A Markdown weekly report: the summary, the ranking, coverage per runbook, and the input problems. */
export function formatInsightsMarkdown(insights: Insights): string {
  const out: string[] = [`# Runbook insights: last ${escapeMarkdownInline(insights.period.label)}`, '', escapeMarkdownInline(summaryLine(insights)), '', '## Automate next', ''];
  if (insights.runbooks.length === 0) out.push('No runbooks.', '');
  else {
    out.push('| # | Runbook | Runs | People | Hands-on | Failed | Issues | Stage | Why |', '|--:|---|--:|--:|--:|--:|--:|---|---|');
    for (const row of insights.runbooks) {
      out.push(
        `| ${[
          row.rank,
          `${cell(row.title)} ${codeSpan(row.path, true)}`,
          row.runs,
          row.people,
          handsOnText(row.handsOnMs),
          percent(row.failureRate),
          row.mentions,
          cell(row.ladder.badge),
          cell(row.why),
        ].join(' | ')} |`,
      );
    }
    out.push('', '## Automation', '');
    for (const row of insights.runbooks) {
      const extra = [
        row.ladder.scripts.length > 0 ? `script ${row.ladder.scripts.map((script) => codeSpan(script)).join(', ')}` : '',
        row.ladder.missingScripts.length > 0 ? `the note names ${row.ladder.missingScripts.map((script) => codeSpan(script)).join(', ')}, which is not in the repository` : '',
      ].filter(Boolean);
      out.push(`- **${cell(row.title)}** (${codeSpan(row.path)}): ${cell(row.ladder.summary)}${extra.length > 0 ? `; ${extra.join('; ')}` : ''}`);
    }
    out.push('');
  }
  if (insights.unknownRunbooks.length > 0) {
    out.push('## In the history but not among the runbooks', '');
    for (const runbook of insights.unknownRunbooks) out.push(`- ${codeSpan(runbook.path)}${runbook.title ? ` (${cell(runbook.title)})` : ''}: ${runbook.lines} lines`);
    out.push('');
  }
  if (insights.problems.length > 0) {
    out.push('## Input problems', '');
    for (const problem of insights.problems) out.push(`- ${codeSpan(`${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}`)}: ${cell(problem.message)}`);
    out.push('');
  }
  return out.join('\n');
}

/** The insights in one of the formats. */
export function formatInsights(insights: Insights, format: InsightsFormat): string {
  switch (format) {
    case 'json':
      return formatInsightsJson(insights);
    case 'csv':
      return formatInsightsCsv(insights);
    case 'markdown':
      return formatInsightsMarkdown(insights);
    default:
      return formatInsightsTable(insights);
  }
}
