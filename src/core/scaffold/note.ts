// The note the extract command may add to a runbook: which tool now does the extracted steps, how
// to run it, its options and what it should print. A block quote of plain Markdown with no fence
// and no task item, so it adds no step to the runbook.

import type { Runbook, Step } from '../runbook';
import { scriptInputs, selectedItems } from './generate';

/** Inline code for any text: a backtick run longer than any inside it. */
function code(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function quoted(text: string): string {
  return `"${text.replace(/[\r\n]+/g, ' ')}"`;
}

function list(words: string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export function runbookNote(runbook: Runbook, options: { scriptPath: string; itemIds: string[] }): string {
  const items = selectedItems(runbook, options.itemIds);
  const inputs = scriptInputs(runbook, items);
  const run = `npx tsx ${options.scriptPath}`;
  const lines = [
    `> **Automated:** ${items.length === 1 ? 'the step' : 'the steps'} ${list(items.map((item) => quoted(item.title)))} ${items.length === 1 ? 'is' : 'are'} now done by the script ${code(options.scriptPath)}.`,
    `> Run it with ${code(`${run} --help`)} to see its options, ${code(`${run} --dry-run`)} to see what it would run, and ${code(run)} to run it`,
    items.some((item) => item.kind === 'manual')
      ? '> (it asks before steps that need confirmation, `--yes` answers for you; it waits for a person at manual steps, `--skip-manual` leaves them for one).'
      : '> (it asks before steps that need confirmation; `--yes` answers for you).',
    '> Each input is its option or the environment variable of the same name; `--report`, `--junit` and `--history` record the run.',
  ];
  if (inputs.length > 0) {
    lines.push('>', '> Inputs:');
    for (const input of inputs) {
      const spec = input.spec;
      const name = input.option ? code(`--${input.option}`) : `${code(input.name)} (environment variable)`;
      const notes: string[] = [];
      if (spec?.description) notes.push(spec.description);
      if (!spec) notes.push(`the value for ${code(input.label ?? input.name)}, or the environment variable ${code(input.name)}`);
      if (spec?.default !== undefined) notes.push(`default ${code(spec.default)}`);
      if (spec?.choices) notes.push(`one of ${spec.choices.map(code).join(', ')}`);
      if (spec?.pattern !== undefined) notes.push(`matching ${code(spec.pattern)}`);
      if (spec?.min !== undefined || spec?.max !== undefined) notes.push(`from ${spec.min ?? '−∞'} to ${spec.max ?? '∞'}`);
      if (spec?.secret) notes.push('secret');
      if (!spec || (spec.required && spec.default === undefined)) notes.push('required');
      lines.push(`> - ${name}: ${notes.join('; ').replace(/[\r\n]+/g, ' ')}`);
    }
  }
  const expected = items.filter((item): item is Step & { expected: NonNullable<Step['expected']> } => item.kind === 'code' && item.expected !== undefined);
  if (expected.length > 0) {
    lines.push('>', '> Expected output:');
    for (const step of expected) {
      const how = step.expected.match === 'exact' ? 'prints exactly' : step.expected.match === 'regex' ? 'prints output matching' : 'prints';
      lines.push(`> - ${quoted(step.title)} ${how} ${code(step.expected.text.replace(/\n+$/, ''))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
