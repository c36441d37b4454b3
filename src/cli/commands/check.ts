// `runbook check [paths…]`: parses and lints every runbook found, with the editor's Problems
// (the same codes, src/core/authoring's runbookProblems); errors fail, warnings are shown and fail
// with --strict. Under GitHub Actions it also prints ::error/::warning annotations.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { diagnosticRange, runbookProblems } from '../../core/authoring';
import { discoverRunbooks } from '../../core/discovery';
import { checkRunbookExports } from '../../core/export';
import { DEFAULT_TIMEOUT_MS } from '../../core/run';
import { junitXml, type JUnitCase } from '../../core/report/junit';
import { parseRunbook, type RunbookDiagnostic } from '../../core/runbook';
import { usageError } from '../errors';
import { repositoryRoot } from '../runbookFile';
import type { Terminal } from '../terminal';

export const CHECK_USAGE = `Usage: runbook check [paths…] [--strict] [--reporter text|junit] [--report FILE] [--include GLOB …]

Parses and lints every runbook under the paths (default: the current folder) with the editor's
checks, and checks that each exported CI workflow (runbook export) still matches its runbook and
script. Exit 1 when any has an error (with --strict, a warning too), else 0. Under GitHub Actions it
also prints annotations; --reporter junit writes one test case per runbook.`;

export interface CheckedFile {
  path: string;
  problems: Array<RunbookDiagnostic & { column: number; endColumn: number; endLine: number }>;
}

/** GitHub's workflow-command escaping of a property value and of a message. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Reads a file of the repository if it exists, listing each folder once: checking hundreds of
 * runbooks looks for two workflow files each, and most repositories have neither.
 */
function repositoryReader(): (root: string, file: string) => Promise<string | undefined> {
  const folders = new Map<string, Promise<Set<string>>>();
  const entries = (folder: string) => {
    let listed = folders.get(folder);
    if (!listed) {
      listed = readdir(folder).then((names) => new Set(names), () => new Set<string>());
      folders.set(folder, listed);
    }
    return listed;
  };
  return async (root, file) => {
    const path = join(root, file);
    if (!(await entries(dirname(path))).has(basename(path))) return undefined;
    return readFile(path, 'utf8').catch(() => undefined);
  };
}

export async function checkFiles(paths: string[], include?: string[]): Promise<CheckedFile[]> {
  const found = await discoverRunbooks(paths, { include });
  const readInRepository = repositoryReader();
  const roots = new Map<string, string>();
  const rootOf = (folder: string) => {
    let root = roots.get(folder);
    if (root === undefined) roots.set(folder, (root = repositoryRoot(folder) ?? process.cwd()));
    return root;
  };
  return Promise.all(
    found.map(async ({ path }) => {
      const text = await readFile(path, 'utf8');
      const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
      const runbook = parseRunbook(text, { path });
      // The editor leaves out variables its environment has; so does the command, with its own.
      const problems = runbookProblems(runbook, lines, { available: (name) => process.env[name] !== undefined }).map((problem) => ({ ...problem, ...diagnosticRange(problem, lines) }));
      // An exported workflow that no longer matches its runbook and script fails the check, like a stale lockfile.
      const root = rootOf(dirname(path));
      const runbookPath = relative(root, path).split(sep).join('/');
      const read = (file: string) => readInRepository(root, file);
      for (const report of await checkRunbookExports({ runbook, runbookText: text, runbookPath, defaultTimeoutMs: DEFAULT_TIMEOUT_MS }, read)) {
        for (const reason of report.reasons) problems.push({ severity: 'error', code: 'export-drift', message: reason.message, line: 0, endLine: 0, column: 0, endColumn: 0 });
      }
      return { path, problems };
    }),
  );
}

export async function checkCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { strict: { type: 'boolean' }, reporter: { type: 'string' }, report: { type: 'string' }, include: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    terminal.out(`${CHECK_USAGE}\n`);
    return 0;
  }
  const reporter = values.reporter ?? 'text';
  if (reporter !== 'text' && reporter !== 'junit') throw usageError(`--reporter ${reporter}: use text or junit`, 'see `runbook check --help`');
  const files = await checkFiles(positionals.length ? positionals : ['.'], values.include);
  const c = terminal.colors;
  const shown = (path: string) => relative(process.cwd(), path).split(sep).join('/') || path;
  const annotate = process.env.GITHUB_ACTIONS === 'true';
  let errors = 0;
  let warnings = 0;
  const lines: string[] = [];
  for (const file of files) {
    for (const problem of file.problems) {
      if (problem.severity === 'error') errors++;
      else if (problem.severity === 'warning') warnings++;
      const where = `${shown(file.path)}:${problem.line + 1}:${problem.column + 1}`;
      const colour = problem.severity === 'error' ? c.red : problem.severity === 'warning' ? c.yellow : c.dim;
      lines.push(`${where}: ${colour(problem.severity)} ${c.dim(`[${problem.code}]`)} ${problem.message}`);
      if (annotate && problem.severity !== 'info') {
        const kind = problem.severity === 'error' ? 'error' : 'warning';
        lines.push(`::${kind} file=${escapeProperty(shown(file.path))},line=${problem.line + 1},col=${problem.column + 1},endLine=${problem.endLine + 1},endColumn=${problem.endColumn + 1},title=${escapeProperty(problem.code)}::${escapeData(problem.message)}`);
      }
    }
  }
  const failed = errors > 0 || (values.strict === true && warnings > 0);
  if (reporter === 'junit') {
    const cases = files.map((file): JUnitCase => {
      const counted = file.problems.filter((problem) => problem.severity === 'error' || (values.strict && problem.severity === 'warning'));
      const details = file.problems.map((problem) => `${problem.line + 1}:${problem.column + 1} ${problem.severity} [${problem.code}] ${problem.message}`).join('\n');
      return counted.length > 0
        ? { name: shown(file.path), classname: 'runbook check', durationMs: 0, outcome: 'failure', type: 'lint', message: `${counted.length} problem${counted.length === 1 ? '' : 's'}`, details }
        : { name: shown(file.path), classname: 'runbook check', durationMs: 0, outcome: 'passed', output: details || undefined };
    });
    const xml = junitXml([{ name: 'runbook check', cases }]);
    if (values.report) await writeFile(resolve(values.report), xml);
    else terminal.out(xml);
  }
  if (reporter === 'text' || values.report) for (const line of lines) terminal.out(`${line}\n`);
  terminal.err(`${files.length} runbook${files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  return failed ? 1 : 0;
}
