// `runbook test [paths…]`: runs the runbooks that opt in with a `test:` block, each in a fresh
// temporary copy of its folder with its own HOME and TMPDIR and the block's stand-in commands first
// on PATH. Every step is a test case whose expected output is its assertion; confirmations are
// accepted; manual steps are reported as skipped, never passed. Test runs write no history.

import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { discoverRunbooks } from '../../core/discovery';
import { junitXml, type JUnitSuite } from '../../core/report/junit';
import { parseRunbook } from '../../core/runbook';
import { DEFAULT_TIMEOUT_MS } from '../../core/run';
import { MemoryProgress, RunbookRunner, type RunOutcome } from '../../core/runner';
import { readTestSpec, testKeyLine } from '../../core/testing/testSpec';
import { CliFrontEnd } from '../cliFrontEnd';
import { usageError } from '../errors';
import { JUnitReporter } from '../reporters/junit';
import { PrettyReporter } from '../reporters/pretty';
import type { Terminal } from '../terminal';

export const TEST_USAGE = `Usage: runbook test [paths…] [--reporter pretty|junit] [--report FILE]

Runs every runbook under the paths (default: the current folder) whose front matter has a test:
block, as tests:

  test:
    inputs: { NAMESPACE: test }     # the values to use
    path: test/bin                  # stand-in commands, first on PATH (relative to the runbook)

Each runs in a fresh temporary copy of its folder, with its own HOME and TMPDIR. A step passes when
it exits 0 and its expected output matches; confirmations are accepted; manual steps are skipped.
Ends with "N passed, N failed, N skipped"; exit 1 when any step failed.`;

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

const SKIP_COPY = new Set(['node_modules', '.git']);

async function testOne(path: string, terminal: Terminal, tally: Tally): Promise<JUnitSuite | undefined> {
  const text = await readFile(path, 'utf8');
  const original = parseRunbook(text, { path });
  const { spec, problems } = readTestSpec(original, testKeyLine(original, text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)));
  for (const problem of problems) terminal.err(`${path}:${problem.line + 1}: ${problem.message}\n`);
  if (!spec) return undefined;
  const scratch = await mkdtemp(join(tmpdir(), 'runbook-test-'));
  try {
    const work = join(scratch, 'work');
    const home = join(scratch, 'home');
    const temp = join(scratch, 'tmp');
    await Promise.all([mkdir(home), mkdir(temp)]);
    await cp(dirname(path), work, { recursive: true, filter: (source) => !SKIP_COPY.has(basename(source)) });
    const copy = join(work, basename(path));
    const runbook = parseRunbook(await readFile(copy, 'utf8'), { path: copy });
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: temp, TMP: temp, TEMP: temp };
    if (spec.path) env.PATH = `${resolve(work, spec.path)}${delimiter}${process.env.PATH ?? ''}`;
    const key = relative(process.cwd(), path).split(sep).join('/');
    const runner = new RunbookRunner({
      key,
      frontEnd: new CliFrontEnd(new Map(Object.entries(spec.inputs)), [], { yes: true, skipManual: true }, { ...terminal, interactive: false }),
      progress: new MemoryProgress(),
      settings: () => ({ interpreters: {}, defaultTimeoutMs: DEFAULT_TIMEOUT_MS }),
      where: 'cli',
      baseEnv: () => env,
    });
    const context = { runbook, key, inputs: spec.inputs, secretNames: new Set<string>(), progress: () => runner.progressOf() };
    const junit = new JUnitReporter(context);
    const pretty = new PrettyReporter({ ...terminal, stdoutIsTTY: false }, context);
    runner.events.on((event) => {
      junit.event(event);
      pretty.event(event);
    });
    const outcome: RunOutcome = await runner.runAll(runbook);
    await runner.dispose();
    pretty.finish(outcome, outcome.status === 'passed' ? 0 : 1);
    const cases = junit.cases(outcome);
    for (const c of cases) tally[c.outcome === 'failure' ? 'failed' : c.outcome === 'skipped' ? 'skipped' : 'passed']++;
    const suite: JUnitSuite = { name: runbook.title, timestamp: new Date().toISOString(), properties: { runbook: key }, cases };
    return suite;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function testCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { reporter: { type: 'string' }, report: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    terminal.out(`${TEST_USAGE}\n`);
    return 0;
  }
  const reporter = values.reporter ?? 'pretty';
  if (reporter !== 'pretty' && reporter !== 'junit') throw usageError(`--reporter ${reporter}: use pretty or junit`, 'see `runbook test --help`');
  const found = await discoverRunbooks(positionals.length ? positionals : ['.']);
  const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
  const suites: JUnitSuite[] = [];
  let tested = 0;
  for (const { path } of found) {
    const suite = await testOne(path, terminal, tally);
    if (!suite) continue;
    tested++;
    suites.push(suite);
    terminal.out('\n');
  }
  if (reporter === 'junit' || values.report) {
    const xml = junitXml(suites, 'runbook test');
    if (values.report) await writeFile(resolve(values.report), xml);
    else terminal.out(xml);
  }
  if (tested === 0) terminal.err('runbook test: no runbook under these paths has a test: block.\n');
  terminal.out(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped\n`);
  return tally.failed > 0 ? 1 : 0;
}
