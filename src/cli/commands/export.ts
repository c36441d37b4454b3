// `runbook export github|gitlab <file.md>` and `runbook extract <file.md>`: the runbook's tool as a
// CI workflow, and the tool itself (the same generator as the editor's Extract Steps to Script).
// The workflow runs the extracted script, so a runbook with none is sent to `runbook extract` first.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { canWrite, checkExportDrift, exportWorkflow, findExtractedScript, replaceProblem, type ExportEngine, type ReadFile } from '../../core/export';
import { DEFAULT_TIMEOUT_MS } from '../../core/run';
import { defaultScriptPath, generateScript } from '../../core/scaffold';
import { CliError, usageError } from '../errors';
import { findItem } from './run';
import { loadRunbook, type RunbookFile } from '../runbookFile';
import type { Terminal } from '../terminal';

export const EXPORT_USAGE = `Usage: runbook export github|gitlab <file.md> [--out PATH] [--check] [--force]

Writes the runbook's CI workflow (.github/workflows/runbook-<name>.yml, or .gitlab/runbooks/<name>.yml
to include from .gitlab-ci.yml): a form with the runbook's inputs that runs its extracted script
(runbook extract) in CI. A GitLab job runs in a pipeline whose variable RUNBOOK is the runbook's
name. --check says whether the file still matches the runbook and the script (exit 1 when not);
--force replaces a file the exporter did not write.`;

export const EXTRACT_USAGE = `Usage: runbook extract <file.md> [--out PATH] [--only STEP …] [--force]

Writes the runbook's steps (all, or --only these) as a TypeScript script with validated options
(scripts/<title>.ts by default): the same generator as the editor's Extract Steps to Script. Run it
with \`npx tsx <script> --help\`. Refuses to replace a file unless --force.`;

/** Reads repository-relative files for the export core; undefined when there is none. */
function reader(root: string): ReadFile {
  return async (path) => {
    try {
      return await readFile(join(root, path), 'utf8');
    } catch {
      return undefined;
    }
  };
}

function repoPath(file: RunbookFile, path: string): string {
  const relativePath = relative(file.root, resolve(path)).split(sep).join('/');
  if (relativePath.startsWith('..')) throw new CliError(`${path} is outside the repository (${file.root})`);
  return relativePath;
}

async function writeNew(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

export async function extractCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, only: { type: 'string', multiple: true }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    terminal.out(`${EXTRACT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw usageError('runbook extract takes one runbook file', 'see `runbook extract --help`');
  const file = await loadRunbook(positionals[0]);
  const { runbook } = file;
  if (runbook.items.length === 0) throw new CliError(`${positionals[0]} has no steps to extract`);
  const itemIds = values.only ? values.only.map((wanted) => findItem(runbook, wanted, '--only')) : runbook.items.map((item) => item.id);
  const out = values.out ? resolve(values.out) : join(file.root, defaultScriptPath(runbook));
  const scriptPath = repoPath(file, out);
  const existing = await readFile(out, 'utf8').catch(() => undefined);
  if (existing !== undefined && !values.force) throw new CliError(`${scriptPath} exists: give --force to replace it, or --out another path`);
  const text = generateScript(runbook, {
    itemIds,
    runbookPath: file.key,
    scriptPath,
    runbookDirFromScript: relative(dirname(out), dirname(file.path)).split(sep).join('/') || '.',
    generatedAt: new Date(),
    defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
    runbookText: file.text,
  });
  await writeNew(out, text);
  terminal.out(`Wrote ${scriptPath} (${itemIds.length} step${itemIds.length === 1 ? '' : 's'}). Run \`npx tsx ${scriptPath} --help\` to see its options; it needs tsx (npm install --save-dev tsx).\n`);
  return 0;
}

export async function exportCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, check: { type: 'boolean' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    terminal.out(`${EXPORT_USAGE}\n`);
    return 0;
  }
  const [engine, target, ...extra] = positionals;
  if (engine !== 'github' && engine !== 'gitlab') throw usageError(engine ? `unknown engine "${engine}": use github or gitlab` : 'runbook export needs an engine: github or gitlab', 'see `runbook export --help`');
  if (!target || extra.length > 0) throw usageError('runbook export takes one runbook file', 'see `runbook export --help`');
  const file = await loadRunbook(target);
  const read = reader(file.root);
  const script = await findExtractedScript(file.runbook, file.text, file.key, read);
  if (!script) {
    terminal.err(`runbook export: ${file.key} has no extracted script yet; the workflow runs it, so extract it first: runbook extract ${target} [--out PATH]\n`);
    return 2;
  }
  const source = { runbook: file.runbook, runbookText: file.text, runbookPath: file.key, scriptPath: script.path, scriptText: script.text, defaultTimeoutMs: DEFAULT_TIMEOUT_MS };
  const result = exportWorkflow(engine as ExportEngine, source);
  const path = values.out ? repoPath(file, values.out) : result.path;
  for (const problem of result.problems) terminal.err(`runbook export: ${problem.severity}: ${problem.message}\n`);
  if (!canWrite(result)) return 2;
  const existing = await read(path);
  if (values.check) {
    if (existing === undefined) {
      terminal.err(`runbook export: ${path} does not exist yet: run \`runbook export ${engine} ${target}\`\n`);
      return 1;
    }
    const drift = checkExportDrift(engine as ExportEngine, path, existing, source);
    if (drift.upToDate) {
      terminal.out(`${path} is up to date with ${file.key} and ${script.path}.\n`);
      return 0;
    }
    for (const reason of drift.reasons) terminal.err(`runbook export: ${reason.message}\n`);
    return 1;
  }
  const replacing = replaceProblem(existing, { ...result, path }, file.key);
  if (replacing?.severity === 'error' || (replacing && !values.force)) {
    terminal.err(`runbook export: ${replacing.message}${replacing.severity === 'warning' ? ' (give --force to replace it)' : ''}\n`);
    return 2;
  }
  await writeNew(join(file.root, path), result.text);
  terminal.out(`Wrote ${path}: it runs ${script.path} (${file.key}).\n`);
  return 0;
}
