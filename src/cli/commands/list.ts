// `runbook list [paths…]`: the runbooks found (the Runbooks view's rules: src/core/discovery) with
// their steps, ids, inputs and environment; a table on a TTY, JSON otherwise (or with --json).

import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { discoverRunbooks } from '../../core/discovery';
import { parseRunbook } from '../../core/runbook';
import type { Terminal } from '../terminal';

export const LIST_USAGE = `Usage: runbook list [paths…] [--json] [--include GLOB …]

Lists the runbooks under the given folders (default: the current one): Markdown files matching
**/*.runbook.md or **/runbooks/**/*.md (or --include), or whose front matter has inputs: or
runbook: true. A table on a terminal, JSON otherwise or with --json.`;

export async function listCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, include: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    terminal.out(`${LIST_USAGE}\n`);
    return 0;
  }
  const found = await discoverRunbooks(positionals.length ? positionals : ['.'], { include: values.include });
  const runbooks = await Promise.all(
    found.map(async ({ path, header }) => {
      const runbook = parseRunbook(await readFile(path, 'utf8'), { path });
      return {
        path: relative(process.cwd(), path).split(sep).join('/') || path,
        title: header.title,
        environment: runbook.meta.environment ?? null,
        owner: runbook.meta.owner ?? null,
        inputs: runbook.inputs.map((input) => ({ name: input.name, type: input.type, required: input.required, secret: input.secret, default: input.secret ? undefined : input.default })),
        steps: runbook.items.map((item, index) => ({ number: index + 1, id: item.id, title: item.title, kind: item.kind, language: item.kind === 'code' ? item.language : undefined, line: item.startLine + 1 })),
      };
    }),
  );
  if (values.json || !terminal.stdoutIsTTY) {
    terminal.out(`${JSON.stringify({ runbooks }, null, 2)}\n`);
    return 0;
  }
  const c = terminal.colors;
  if (runbooks.length === 0) terminal.out('No runbooks found.\n');
  for (const runbook of runbooks) {
    terminal.out(`\n${c.bold(runbook.title)}  ${c.dim(runbook.path)}${runbook.environment ? `  ${c.yellow(runbook.environment)}` : ''}\n`);
    if (runbook.inputs.length) terminal.out(`  ${c.dim('inputs:')} ${runbook.inputs.map((input) => `${input.name}${input.secret ? ' (secret)' : input.required && input.default === undefined ? ' (required)' : ''}`).join(', ')}\n`);
    const width = Math.max(0, ...runbook.steps.map((step) => step.id.length));
    for (const step of runbook.steps) terminal.out(`  ${String(step.number).padStart(3)}. ${step.id.padEnd(width)}  ${step.kind === 'manual' ? c.dim('(manual) ') : ''}${step.title === step.id ? '' : step.title}\n`);
  }
  return 0;
}
