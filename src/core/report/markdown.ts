// The Markdown run report of a headless run: the runbook, the overall result, each step with its
// state, duration, exit code and the tail of its output, and the manual steps left for a person.
// Generated scripts write it for `--report` (a CI job summary shows it as it is), and the `runbook`
// command's Markdown reporter can render the same data. The Markdown helpers escape whatever a step
// prints or a title says, so no output can break the report's structure.
// Self-contained (only `node:` imports): the script generator embeds this file in every script.

import { stripVTControlCharacters } from 'node:util';

/** How a step of the run ended; manual steps are `passed` (done by a person) or `skipped` (left for one). */
export type ReportState = 'passed' | 'failed' | 'timed-out' | 'cancelled' | 'skipped' | 'pending';

export interface ReportStep {
  id: string;
  title: string;
  kind: 'code' | 'manual';
  /** `pending`: not reached (an earlier step stopped the run). */
  state: ReportState;
  durationMs?: number;
  exitCode?: number;
  /** Why it ended so, or why it was skipped. */
  message?: string;
  /** The tail of its output, secrets already masked. */
  output?: string;
}

export interface RunReport {
  title: string;
  /** The runbook's repository-relative path. */
  runbookPath: string;
  /** sha256 of the runbook text the tool was made from, when known. */
  runbookSha256?: string;
  startedAt: number;
  durationMs: number;
  /** The run's outcome in a few words: `passed`, `failed at "deploy"`, `interrupted`. */
  result: string;
  passed: boolean;
  where?: string;
  who?: string;
  /** Non-secret inputs only. */
  inputs?: Record<string, string>;
  steps: ReportStep[];
}

/** Backslash-escapes what Markdown would read as markup in a line of inline text. */
export function escapeMarkdownInline(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, '\\$&')
    .replace(/^(\s*)([-+=#])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** Inline code for `text`; in a table cell, pipes are escaped so they do not split the cell. */
export function codeSpan(text: string, inTable = false): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || /^ .* $/.test(flat) ? ' ' : '';
  const span = `${ticks}${pad}${flat}${pad}${ticks}`;
  return inTable ? span.replace(/\|/g, '\\|') : span;
}

/** A fence of backticks longer than any run of backticks in `text` (at least three). */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Output as a reader should see it: no colour codes, carriage-return rewrites applied. */
export function plainOutput(text: string): string {
  return stripVTControlCharacters(text)
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => {
      const parts = line.split('\r').filter((part) => part !== '');
      return parts.length ? parts[parts.length - 1] : '';
    })
    .join('\n');
}

/** The last `maxLines` lines of `text` (and at most `maxChars` characters). */
export function outputTail(text: string, maxLines = 40, maxChars = 4000): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const tail = lines.slice(-maxLines).join('\n');
  return tail.length > maxChars ? tail.slice(tail.length - maxChars) : tail;
}

const LABELS: Record<ReportState, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  'timed-out': '⏱ timed out',
  cancelled: '⏹ cancelled',
  skipped: '⏭ skipped',
  pending: '○ not run',
};

function stateLabel(step: ReportStep): string {
  if (step.kind === 'manual') return step.state === 'passed' ? '☑ done by a person' : step.state === 'skipped' ? '☐ left for a person' : LABELS[step.state];
  if (step.state === 'failed' && step.exitCode !== undefined && step.exitCode !== 0) return `❌ failed (exit ${step.exitCode})`;
  return LABELS[step.state];
}

function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}

/** The report as Markdown. */
export function markdownRunReport(report: RunReport): string {
  const lines: string[] = [`# ${escapeMarkdownInline(report.title)}: ${report.passed ? '✅' : '❌'} ${escapeMarkdownInline(report.result)}`, ''];
  lines.push(`- Runbook: ${codeSpan(report.runbookPath)}${report.runbookSha256 ? ` (sha256 ${codeSpan(report.runbookSha256.slice(0, 12))})` : ''}`);
  lines.push(`- Started: ${new Date(report.startedAt).toISOString()}, took ${duration(report.durationMs)}`);
  if (report.where || report.who) lines.push(`- Ran: ${[report.where && `in ${report.where}`, report.who && `by ${escapeMarkdownInline(report.who)}`].filter(Boolean).join(' ')}`);
  const inputs = Object.entries(report.inputs ?? {});
  if (inputs.length) lines.push(`- Inputs: ${inputs.map(([name, value]) => `${codeSpan(name)} = ${codeSpan(value)}`).join(', ')}`);
  lines.push('', '| # | Step | State | Duration | Exit code |', '|---|---|---|---|---|');
  report.steps.forEach((step, i) => {
    const title = `${escapeMarkdownInline(step.title)}${step.kind === 'code' && step.id !== step.title ? ` ${codeSpan(step.id, true)}` : ''}`;
    lines.push(`| ${i + 1} | ${title} | ${stateLabel(step)} | ${duration(step.durationMs)} | ${step.exitCode ?? ''} |`);
  });
  const left = report.steps.filter((step) => step.kind === 'manual' && step.state !== 'passed');
  if (left.length) {
    lines.push('', '## Left for a person', '');
    for (const step of left) lines.push(`- [ ] ${escapeMarkdownInline(step.title)}${step.state === 'pending' ? ' (not reached)' : ''}`);
  }
  const detailed = report.steps.filter((step) => step.kind === 'code' && (step.output || step.message));
  if (detailed.length) {
    lines.push('', '## Output');
    for (const step of detailed) {
      lines.push('', `### ${report.steps.indexOf(step) + 1}. ${escapeMarkdownInline(step.title)}: ${stateLabel(step)}`, '');
      if (step.message) lines.push(escapeMarkdownInline(step.message), '');
      if (step.output) {
        const text = outputTail(plainOutput(step.output));
        const fence = fenceFor(text);
        lines.push(`${fence}text`, text, fence);
      }
    }
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
