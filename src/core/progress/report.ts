// The run report: a Markdown account of a runbook's run, ready to paste into an incident ticket.
// The Markdown helpers are the generated scripts' own (src/core/report/markdown.ts), so both
// reports escape alike.

export { codeSpan, escapeMarkdownInline, fenceFor } from '../report/markdown';

import { codeSpan, escapeMarkdownInline, fenceFor, plainOutput } from '../report/markdown';
import { formatDuration } from '../runbook/duration';
import type { ManualStep, Runbook, Step } from '../runbook/types';
import { MASK, SecretMasker } from '../run/secretMasker';
import { manualState, stepState, summarize } from './model';
import type { RunbookProgress, StepRecord, StepState } from './types';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function stateLabel(state: StepState, record: StepRecord | undefined): string {
  switch (state) {
    case 'passed':
      return '✅ passed';
    case 'failed':
      if (record?.exitCode !== undefined) return `❌ failed (exit ${record.exitCode})`;
      return record?.signal ? `❌ failed (${record.signal})` : '❌ failed';
    case 'timed-out':
      return '⏱ timed out';
    case 'cancelled':
      return '⏹ cancelled';
    case 'skipped':
      return '⏭ skipped';
    case 'running':
      return '⏳ running';
    case 'queued':
      return '⏳ queued';
    case 'stale':
      return record ? `⚠ stale (the code changed since it ran; then: ${stateLabel(record.state, record)})` : '⚠ stale';
    case 'pending':
      return '○ pending';
  }
}

export function renderRunReport(args: {
  runbook: Runbook;
  runbookPath: string;
  progress: RunbookProgress;
  inputs: Record<string, string>;
  secretNames: Set<string>;
  now: number;
}): string {
  const { runbook, runbookPath, progress, inputs, now } = args;
  const secretNames = new Set(args.secretNames);
  for (const input of runbook.inputs) if (input.secret) secretNames.add(input.name);
  const masker = new SecretMasker(
    Object.entries(inputs).filter(([name]) => secretNames.has(name)).map(([, value]) => String(value)),
  );
  const inline = (text: string): string => escapeMarkdownInline(masker.mask(text));
  const out: string[] = [];

  const summary = summarize(progress, runbook);
  const summaryParts = [`${summary.done}/${summary.total} done`];
  if (summary.failed) summaryParts.push(`${summary.failed} failed`);
  if (summary.stale) summaryParts.push(`${summary.stale} stale`);
  if (summary.running) summaryParts.push(`running: ${summary.running}`);

  out.push(`# Run report: ${inline(runbook.title)}`, '');
  out.push(`- **Runbook:** ${codeSpan(masker.mask(runbookPath))}`);
  out.push(`- **Environment:** ${runbook.meta.environment ? inline(runbook.meta.environment) : 'not set'}`);
  if (runbook.meta.owner) out.push(`- **Owner:** ${inline(runbook.meta.owner)}`);
  out.push(`- **Generated:** ${iso(now)}`);
  if (progress.lastRunAt !== undefined) out.push(`- **Last activity:** ${iso(progress.lastRunAt)}`);
  out.push(`- **Summary:** ${summaryParts.map(inline).join(', ')}`, '');

  // Declared inputs first (in their order), then any other value the run was given (placeholders).
  const names = [...runbook.inputs.map((input) => input.name)];
  for (const name of Object.keys(inputs)) if (!names.includes(name)) names.push(name);
  if (names.length) {
    out.push('## Inputs', '', '| Input | Value |', '| --- | --- |');
    for (const name of names) {
      const given = Object.hasOwn(inputs, name);
      const text = given ? masker.mask(String(inputs[name])) : '';
      const value = !given ? '*(not set)*' : secretNames.has(name) ? MASK : text ? codeSpan(text, true) : '*(empty)*';
      out.push(`| ${codeSpan(name, true)} | ${value} |`);
    }
    out.push('');
  }

  out.push('## Steps', '');
  let section: number | undefined;
  let inList = false;
  for (const item of runbook.items) {
    if (item.sectionIndex !== section) {
      section = item.sectionIndex;
      if (inList) out.push('');
      inList = false;
      if (item.sectionPath.length) out.push(`### ${item.sectionPath.map(inline).join(' › ')}`, '');
    }
    if (item.kind === 'manual') {
      out.push(manualLine(progress, item, inline));
      inList = true;
      continue;
    }
    if (inList) out.push('');
    inList = false;
    out.push(...stepBlock(progress, item, inline, masker), '');
  }
  if (inList) out.push('');
  if (!runbook.items.length) out.push('*This runbook has no steps.*', '');
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function manualLine(progress: RunbookProgress, step: ManualStep, inline: (text: string) => string): string {
  const record = progress.manual[step.id];
  switch (manualState(progress, step)) {
    case 'checked':
      return `- [x] ${inline(step.title)} (checked at ${iso(record.at)})`;
    case 'skipped':
      return `- [ ] ${inline(step.title)} (⏭ skipped at ${iso(record.at)})`;
    default:
      return `- [ ] ${inline(step.title)}`;
  }
}

function stepBlock(progress: RunbookProgress, step: Step, inline: (text: string) => string, masker: SecretMasker): string[] {
  const record = Object.hasOwn(progress.steps, step.id) ? progress.steps[step.id] : undefined;
  const state = stepState(progress, step);
  const lines = [`**${inline(step.title)}** — ${stateLabel(state, record)}`];
  if (!record) return lines;
  const facts: string[] = [];
  if (record.state === 'skipped') facts.push(`Skipped at: ${iso(record.startedAt)}`);
  else facts.push(`Started at: ${iso(record.startedAt)}`);
  if (record.durationMs !== undefined) facts.push(`Duration: ${formatDuration(record.durationMs)}`);
  lines.push('', ...facts.map((fact) => `- ${fact}`));
  if (record.message) lines.push(`- Message: ${inline(record.message)}`);
  if (record.outputTail !== undefined && record.outputTail !== '') {
    const text = masker.mask(plainOutput(record.outputTail));
    const fence = fenceFor(text);
    lines.push('', record.outputTruncated ? 'Output (last lines):' : 'Output:', '', `${fence}text`, text, fence);
  } else if (record.state !== 'skipped' && record.state !== 'running') {
    lines.push('', '*(no output)*');
  }
  return lines;
}
