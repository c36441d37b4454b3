// The part of every generated script that does not depend on the runbook: the command line, the
// inputs (each from its option, else the environment variable of the same name, else its default;
// secrets from the environment only; checked by the runbook's own `checkInputValue`), the loop over
// the steps with confirmations and manual steps, each step's code run by the engine's own executor
// (stepProcess.ts: containers, the tree kill, the shell session, expected output, masking), and the
// run's records: `--report` (Markdown), `--junit` (JUnit XML, each step's case made by the builder
// the `runbook` command's reporter uses too), `--history` (history.jsonl lines, whose run id is the
// starter's when it gives one: RUNBOOK_CORRELATION_ID in an exported CI workflow).
// A real module, type-checked and linted here, that the generator embeds as text after the
// runbook's inputs and steps (see embed.ts); it must stay self-contained like the modules it uses.
//
// Exit codes: 0 all passed, 1 a step failed (or its expected output did not match, or it could not
// start), 2 bad usage or invalid input, 3 a confirmation or a manual step needs a person,
// 124 a step timed out, 130 interrupted (SIGINT/SIGTERM).

import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { appendHistoryLine, currentUser, givenRunId, headlessOrigin, historyInputs, type HistoryLine } from '../report/historyLine';
import { junitOutput, junitXml, stepCase, type StepOutcome } from '../report/junit';
import { markdownRunReport, outputTail, type ReportStep } from '../report/markdown';
import type { ExpectedSpec } from '../run/expected';
import { sessionDirectory, sessionEnvironment, type SessionState } from '../run/shellState';
import { executeCode, type BackgroundProcesses, type CodeResult } from '../run/stepProcess';
import { arithmeticValueProblem } from '../runbook/arithmeticValue';
import { checkInputValue } from '../runbook/inputValue';

/** An input of the script: a declared one (with its rules) or an implicit one (a placeholder, an unset variable). */
export interface InputEntry {
  /** The environment variable the steps read, and where the value may come from. */
  name: string;
  /** The command-line option; none for secrets, which come from the environment only. */
  option?: string;
  description?: string;
  type?: 'number' | 'boolean';
  default?: string;
  pattern?: string;
  min?: number;
  max?: number;
  choices?: string[];
  required?: boolean;
  secret?: boolean;
  /** A missing value matters only when one of these steps runs. */
  usedBy: string[];
  /** One of the steps evaluates it as shell arithmetic: only a whole number may reach it. */
  arithmetic?: boolean;
}

/** How one code step runs; the interpreter gets the code's file as its last argument. */
export interface CodeSpec {
  command: string[];
  extension: string;
  /** Shares the session (exports, cd) and stops at the first failing command. */
  shell?: boolean;
  errexit?: boolean;
  /** Relative to the definition's workDir. */
  cwd?: string;
  timeoutMs: number;
  /** Uses this terminal directly; output is not captured. */
  interactive?: boolean;
  code: string;
  expected?: ExpectedSpec;
}

/** What a step function gets: run code the way the runbook editor does. */
export interface StepRunner {
  /** Runs the code; resolves when it passed, stops the script when it did not. */
  code(spec: CodeSpec): Promise<void>;
}

export interface StepEntry {
  id: string;
  title: string;
  /** A step for a person: nothing runs. */
  manual?: boolean;
  /** Why it asks before running. */
  confirm?: string[];
  /** Runs only when named with --only. */
  skip?: boolean;
  run?: (step: StepRunner) => Promise<void>;
}

export interface ScriptDefinition {
  about: string;
  usage: string;
  runbookTitle: string;
  /** The runbook's repository-relative path and the sha256 of its text when the script was made. */
  runbookPath: string;
  runbookSha256: string;
  /** Where steps run unless they set their own cwd: the runbook's folder or its front matter cwd. */
  workDir: string;
  inputs: InputEntry[];
  steps: StepEntry[];
}

/** Ends a step function: the step did not pass (the record says how). */
class StepStopped extends Error {}

const EXIT = { failed: 1, usage: 2, needsPerson: 3, timedOut: 124, interrupted: 130 } as const;

interface RunState {
  definition: ScriptDefinition;
  dryRun: boolean;
  yes: boolean;
  skipManual: boolean;
  reportFile?: string;
  junitFile?: string;
  historyFile?: string;
  inputEnv: Record<string, string>;
  secrets: string[];
  session: SessionState;
  scratch?: string;
  counter: number;
  runId: string;
  startedAt: number;
  records: Map<string, ReportStep>;
  /** What the JUnit case of a step that ran keeps beyond its record: more of its output, and an expected-output difference. */
  junit: Map<string, { output: string; diff?: string }>;
  /** The steps the run covers, in order: those it runs, and the `skip` steps among them (reported as skipped). */
  planned: StepEntry[];
  /** The steps it runs. */
  chosen: StepEntry[];
  current?: StepEntry;
  running?: AbortController;
  interrupted: boolean;
  background: Array<{ stepId: string; processes: BackgroundProcesses }>;
  /** The expected-output difference of the step that just failed on it, ready to print. */
  lastDiff?: string;
  finishing?: Promise<never>;
}

/** Runs the script's steps per its command line, writes its records, and exits with its code. */
export async function runScript(definition: ScriptDefinition): Promise<never> {
  const state: RunState = {
    definition,
    dryRun: false,
    yes: false,
    skipManual: false,
    inputEnv: {},
    secrets: [],
    session: { variables: new Map(), unset: new Set(), cwd: undefined },
    counter: 0,
    runId: givenRunId() ?? randomUUID(),
    startedAt: Date.now(),
    records: new Map(),
    junit: new Map(),
    planned: [],
    chosen: [],
    interrupted: false,
    background: [],
  };
  try {
    return await runAll(state);
  } catch (error) {
    return finish(state, EXIT.failed, `✗ ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function runAll(state: RunState): Promise<never> {
  const { definition } = state;
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean' },
    'skip-manual': { type: 'boolean' },
    from: { type: 'string' },
    only: { type: 'string' },
    report: { type: 'string' },
    junit: { type: 'string' },
    history: { type: 'string' },
    help: { type: 'boolean' },
  };
  for (const input of definition.inputs) if (input.option) options[input.option] = { type: 'string' };
  const values = parseCommandLine(definition, options);
  if (values.help) {
    printHelp(definition);
    process.exit(0);
  }
  state.dryRun = values['dry-run'] === true;
  state.yes = values.yes === true;
  state.skipManual = values['skip-manual'] === true;
  for (const [key, option] of [['reportFile', 'report'], ['junitFile', 'junit'], ['historyFile', 'history']] as const) {
    const file = values[option];
    if (file === '') usage(`--${option} needs a file name`);
    if (typeof file === 'string') state[key] = resolve(file);
  }
  state.planned = chooseSteps(definition.steps, values.from, values.only);
  state.chosen = typeof values.only === 'string' ? state.planned : state.planned.filter((step) => !step.skip);
  for (const step of state.planned) state.records.set(step.id, { id: step.id, title: step.title, kind: step.manual ? 'manual' : 'code', state: 'pending' });
  // A value refused: nothing runs, and the reports say so (every step not run).
  const refused = readInputs(state, values, new Set(state.chosen.map((step) => step.id)));
  if (refused) return finish(state, EXIT.usage, `error: ${refused}`);
  const interrupt = () => void onInterrupt(state);
  process.on('SIGINT', interrupt).on('SIGTERM', interrupt);

  for (const step of state.planned) {
    if (!state.chosen.includes(step)) {
      // Never part of a run of all steps, as in the editor: reported as skipped, not as run.
      if (!state.dryRun) Object.assign(state.records.get(step.id)!, { state: 'skipped', durationMs: 0, message: 'marked skip' });
      continue;
    }
    state.current = step;
    console.log(`[${definition.steps.indexOf(step) + 1}/${definition.steps.length}] ${step.title}`);
    const started = Date.now();
    if (step.manual) {
      await manualStep(state, step);
      continue;
    }
    if (step.confirm) await confirmStep(state, step, step.confirm.join('; '));
    try {
      await step.run?.(runnerFor(state, step));
    } catch (error) {
      if (error instanceof StepStopped) return endAfterFailure(state, step);
      throw error;
    }
    if (!state.dryRun) {
      const record = state.records.get(step.id)!;
      if (record.state === 'pending') record.state = 'passed'; // a step function that ran no code
      record.durationMs ??= Date.now() - started;
      console.log(`  ✓ passed in ${seconds(Date.now() - started)}`);
    }
  }
  return finish(state, 0);
}

function parseCommandLine(definition: ScriptDefinition, options: Record<string, { type: 'string' | 'boolean' }>): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    const option = /^Unknown option '(--?[^']*)'/.exec(message)?.[1];
    const secret = definition.inputs.find((input) => input.secret && option === `--${input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`);
    if (secret) return usage(`${option} is a secret: set the environment variable ${secret.name} instead`);
    return usage(option ? `unknown option ${option} (see --help)` : `${message.replace(/\.$/, '')} (see --help)`);
  }
}

function chooseSteps(steps: StepEntry[], from: unknown, only: unknown): StepEntry[] {
  if (from !== undefined && only !== undefined) usage('use --from or --only, not both');
  const find = (option: string, wanted: string): number => {
    const index = /^\d+$/.test(wanted) ? Number(wanted) - 1 : steps.findIndex((step) => step.id === wanted);
    if (index >= 0 && index < steps.length) return index;
    return usage(`${option}: no step "${wanted}"; give a number from 1 to ${steps.length} or one of: ${steps.map((step) => step.id).join(', ')}`);
  };
  if (typeof only === 'string') return [steps[find('--only', only)]];
  return steps.slice(typeof from === 'string' ? find('--from', from) : 0);
}

/**
 * Each input from its option, else the environment variable of the same name (an empty one counts
 * as unset: CI engines pass an input left blank that way), else its default; checked by the
 * runbook's own rule and kept for the steps' environment. Returns why a value is refused, if one is.
 */
function readInputs(state: RunState, values: Record<string, unknown>, chosen: Set<string>): string | undefined {
  for (const input of state.definition.inputs) {
    const given = input.option ? values[input.option] : undefined;
    const fromEnv = process.env[input.name];
    const value = typeof given === 'string' ? given : fromEnv !== undefined && fromEnv !== '' ? fromEnv : input.default;
    const needed = input.usedBy.some((id) => chosen.has(id));
    const problem =
      checkInputValue({ ...input, type: input.type ?? 'string', required: input.required === true && needed }, value) ??
      (input.arithmetic && needed && value !== undefined ? arithmeticValueProblem(value) : undefined);
    if (problem) {
      const label = input.option ? `--${input.option}` : input.name;
      const got = value && !input.secret && !problem.includes(value) ? ` Got ${JSON.stringify(value)}.` : '';
      const how = input.secret ? ` Set the environment variable ${input.name}.` : ` Give ${label} or set the environment variable ${input.name}.`;
      return `${label}: ${problem}${got}${value ? '' : how}`;
    }
    if (value !== undefined) {
      state.inputEnv[input.name] = value;
      if (input.secret && value !== '') state.secrets.push(value);
    }
  }
  return undefined;
}

function printHelp(definition: ScriptDefinition): void {
  const rows = definition.inputs.map((input): [string, string] => {
    const notes = [
      input.default !== undefined && `default: ${input.default}`,
      input.choices && `one of: ${input.choices.join(', ')}`,
      input.pattern !== undefined && `pattern: ${input.pattern}`,
      (input.min !== undefined || input.max !== undefined) && `from ${input.min ?? '-∞'} to ${input.max ?? '∞'}`,
      input.type === 'boolean' && 'true or false',
      input.required && input.default === undefined && 'required',
      input.secret ? `secret: from the environment variable ${input.name}` : `or the environment variable ${input.name}`,
    ].filter(Boolean);
    const left = input.option ? `--${input.option} <${input.type === 'number' ? 'number' : 'value'}>` : `${input.name} (environment)`;
    return [left, `${input.description ?? ''}${notes.length ? ` (${notes.join('; ')})` : ''}`];
  });
  const options: Array<[string, string]> = [
    ['--dry-run', 'Print what each step would run, and run nothing'],
    ['--yes', 'Answer yes to every confirmation (manual steps still need a person, or --skip-manual)'],
    ['--skip-manual', 'Report manual steps as skipped and list them at the end as left for a person'],
    ['--from <step>', 'Start at this step (its id or number) and run the rest'],
    ['--only <step>', 'Run just this step'],
    ['--report <file>', 'Write a Markdown report of the run'],
    ['--junit <file>', 'Write a JUnit XML report, one test case per step'],
    ['--history <file>', 'Append one history line per step (history.jsonl)'],
    ['--help', 'Show this help'],
  ];
  const width = Math.max(...[...rows, ...options].map(([left]) => left.length)) + 2;
  const table = (list: Array<[string, string]>) => list.map(([left, right]) => `  ${left.padEnd(width)}${right}`.trimEnd());
  const steps = definition.steps.map((step, i) => `  ${i + 1}. ${step.id}: ${step.title}${step.manual ? ' (manual)' : ''}${step.skip ? ' (only with --only)' : ''}`);
  const exits = ['Exit codes: 0 all passed, 1 a step failed, 2 bad usage or input, 3 a confirmation or manual step needs a person,', '124 a step timed out, 130 interrupted.'];
  console.log([definition.about, '', `Usage: ${definition.usage} [options]`, '', 'Inputs:', ...(rows.length ? table(rows) : ['  (none)']), '', 'Options:', ...table(options), '', 'Steps:', ...steps, '', ...exits].join('\n'));
}

async function confirmStep(state: RunState, step: StepEntry, reasons: string): Promise<void> {
  if (state.dryRun) return void console.log(`  asks for confirmation: ${reasons}`);
  if (state.yes) return;
  const record = state.records.get(step.id)!;
  if (!process.stdin.isTTY) {
    record.message = `Needs confirmation (${reasons}): not confirmed.`;
    await finish(state, EXIT.needsPerson, `✗ "${step.title}" needs confirmation (${reasons}): rerun with --yes or in a terminal`);
  }
  console.log(`  Needs confirmation: ${reasons}`);
  if (!/^y(es)?$/i.test((await ask(state, `Run "${step.title}"? [y/N] `)).trim())) {
    record.message = 'Not confirmed.';
    await finish(state, EXIT.needsPerson, `✗ Not confirmed: ${step.title}`);
  }
}

/** A step for a person: wait until they say it is done, or leave it for one (--skip-manual). */
async function manualStep(state: RunState, step: StepEntry): Promise<void> {
  console.log(`  Manual step: ${step.title}`);
  if (state.dryRun) return;
  const record = state.records.get(step.id)!;
  const at = Date.now();
  if (state.skipManual) {
    Object.assign(record, { state: 'skipped', durationMs: 0, message: 'Left for a person (--skip-manual).' });
    history(state, step, { at, durationMs: 0, result: 'skipped' }, 'manual');
    return void console.log('  ⏭ left for a person (--skip-manual)');
  }
  if (!process.stdin.isTTY) {
    record.message = 'Needs a person: no terminal to ask in.';
    await finish(state, EXIT.needsPerson, `✗ Manual step "${step.title}" needs a person: run in a terminal, or pass --skip-manual to leave it for a person`);
  }
  await ask(state, '  Press Enter when it is done (Ctrl+C stops) ');
  Object.assign(record, { state: 'passed', durationMs: Date.now() - at });
  history(state, step, { at, durationMs: Date.now() - at, result: 'checked' }, 'manual');
  console.log(`  ✓ done in ${seconds(Date.now() - at)}`);
}

function runnerFor(state: RunState, step: StepEntry): StepRunner {
  return { code: (spec) => runCode(state, step, spec) };
}

async function runCode(state: RunState, step: StepEntry, spec: CodeSpec): Promise<void> {
  const { definition, session } = state;
  const record = state.records.get(step.id)!;
  const own = spec.cwd !== undefined ? resolve(definition.workDir, spec.cwd) : undefined;
  const fromSession = own === undefined ? sessionDirectory(session, definition.workDir) : {};
  const cwd = own ?? fromSession.dir ?? definition.workDir;
  if (state.dryRun) {
    console.log(`  ${spec.command.join(' ')} in ${cwd}, timeout ${seconds(spec.timeoutMs)}\n${spec.code.replace(/^/gm, '  | ')}`);
    if (spec.expected) console.log(`  expects output (${spec.expected.match}):\n${spec.expected.text.replace(/^/gm, '  > ')}`);
    return;
  }
  state.scratch ??= mkdtempSync(join(tmpdir(), 'runbook-script-'));
  const n = ++state.counter;
  const controller = new AbortController();
  state.running = controller;
  if (state.interrupted) controller.abort();
  const [command, ...args] = spec.command;
  const result: CodeResult = await executeCode({
    command,
    args,
    extension: spec.extension,
    code: spec.code,
    shell: spec.shell === true,
    errexit: spec.errexit !== false,
    cwd,
    cwdFrom: own ? `the step's cwd ${spec.cwd}` : fromSession.dir ? 'the directory an earlier step changed to' : undefined,
    env: { ...sessionEnvironment(session, process.env), ...state.inputEnv },
    timeoutMs: spec.timeoutMs,
    scratchDir: state.scratch,
    session: spec.shell ? { state: session, files: { env: join(state.scratch, `${n}.env`), cwd: join(state.scratch, `${n}.cwd`) } } : undefined,
    secrets: state.secrets,
    expected: spec.expected,
    signal: controller.signal,
    interactive: spec.interactive,
    interpreterHint: 'Install it, or change the command of this step in the script.',
    onOutput: (text, stream) => void process[stream].write(text),
  });
  state.running = undefined;
  const warnings = [...(fromSession.warning ? [fromSession.warning] : []), ...(result.warnings ?? [])];
  for (const warning of warnings) console.error(`  ⚠ ${warning}`);
  if (result.background) keepBackground(state, step, result.background);
  Object.assign(record, {
    state: result.status,
    durationMs: result.durationMs,
    exitCode: result.exitCode,
    message: result.status === 'passed' ? warnings.join(' ') || undefined : result.message,
    output: outputTail(result.output),
  });
  history(state, step, { at: result.startedAt, durationMs: result.durationMs, result: result.status, exitCode: result.exitCode }, 'code');
  const diff = result.expected?.ok === false ? result.expected.diff : undefined;
  state.junit.set(step.id, { output: junitOutput(result.output), diff });
  state.lastDiff = diff ? ` (- expected, + printed)\n${diff.replace(/^/gm, '  ')}` : undefined;
  if (result.status !== 'passed') throw new StepStopped(result.message);
}

/** A step left processes running: their output still reaches this terminal while the script runs. */
function keepBackground(state: RunState, step: StepEntry, processes: BackgroundProcesses): void {
  processes.onOutput((text, stream) => void process[stream].write(text));
  state.background.push({ stepId: step.id, processes });
  const members = processes.members();
  if (members.length) console.log(`  ↳ left running in the background: ${members.map((m) => `${m.pid} ${m.command}`).join('; ')}`);
}

function endAfterFailure(state: RunState, step: StepEntry): Promise<never> {
  const record = state.records.get(step.id)!;
  const exit = state.interrupted || record.state === 'cancelled' ? EXIT.interrupted : record.state === 'timed-out' ? EXIT.timedOut : EXIT.failed;
  const diff = record.state === 'failed' && state.lastDiff ? state.lastDiff : '';
  return finish(state, exit, `✗ Step "${step.title}": ${record.message ?? record.state}${diff}`);
}

async function onInterrupt(state: RunState): Promise<void> {
  if (state.interrupted) return;
  state.interrupted = true;
  // A running step is stopped (its whole tree) and reports itself cancelled; otherwise end now.
  if (state.running) state.running.abort();
  else await finish(state, EXIT.interrupted, `✗ Stopped${state.current ? ` during "${state.current.title}"` : ''}`);
}

async function ask(state: RunState, question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  prompt.on('SIGINT', () => void onInterrupt(state));
  return prompt.question(question).finally(() => prompt.close());
}

function history(state: RunState, step: StepEntry, what: { at: number; durationMs: number; result: string; exitCode?: number }, kind: 'code' | 'manual'): void {
  if (!state.historyFile) return;
  const secretNames = new Set(state.definition.inputs.filter((input) => input.secret).map((input) => input.name));
  const line: HistoryLine = {
    runbook: state.definition.runbookPath,
    runbookTitle: state.definition.runbookTitle,
    step: step.id,
    stepTitle: step.title,
    kind,
    who: currentUser(),
    where: headlessOrigin(),
    runId: state.runId,
    at: new Date(what.at).toISOString(),
    durationMs: what.durationMs,
    result: what.result,
    inputs: historyInputs(state.inputEnv, secretNames),
  };
  if (what.exitCode !== undefined) line.exitCode = what.exitCode;
  try {
    appendHistoryLine(state.historyFile, line);
  } catch (error) {
    console.error(`  ⚠ Could not append to the history file ${state.historyFile}: ${(error as Error).message}`);
  }
}

/** Writes `text` to `file` whole or not at all (a temporary file beside it, then a rename). */
function writeWhole(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    console.error(`✗ Could not write ${file}: ${(error as Error).message}`);
  }
}

function writeReports(state: RunState, exit: number, message: string | undefined): void {
  if (state.dryRun || (!state.reportFile && !state.junitFile)) return;
  const { definition } = state;
  const steps = state.planned.flatMap((step) => state.records.get(step.id) ?? []);
  const failed = steps.find((step) => step.state !== 'passed' && step.state !== 'skipped' && step.state !== 'pending') ?? (exit !== 0 ? steps.find((step) => step.state === 'pending') : undefined);
  const result =
    exit === 0 ? 'passed' : exit === EXIT.interrupted ? 'interrupted' : exit === EXIT.needsPerson ? `stopped: "${failed?.title ?? ''}" needs a person` : exit === EXIT.usage ? `not run${message ? `: ${message.replace(/^error: /, '')}` : ''}` : `failed at "${failed?.title ?? ''}"`;
  if (state.reportFile) {
    const secretNames = new Set(definition.inputs.filter((input) => input.secret).map((input) => input.name));
    writeWhole(
      state.reportFile,
      markdownRunReport({
        title: definition.runbookTitle,
        runbookPath: definition.runbookPath,
        runbookSha256: definition.runbookSha256,
        startedAt: state.startedAt,
        durationMs: Date.now() - state.startedAt,
        result: message && exit !== 0 && exit !== EXIT.usage && !failed ? `${result}: ${message.replace(/^✗ /, '')}` : result,
        passed: exit === 0,
        where: headlessOrigin(),
        who: currentUser(),
        inputs: historyInputs(state.inputEnv, secretNames),
        steps,
      }),
    );
  }
  if (state.junitFile) {
    const cases = steps.map((step) => {
      const outcome: StepOutcome['state'] = step.state === 'pending' ? 'not-run' : step.kind === 'manual' && step.state === 'passed' ? 'checked' : step.state;
      const kept = state.junit.get(step.id);
      return stepCase({ id: step.id, title: step.title, kind: step.kind, state: outcome, durationMs: step.durationMs, message: step.message, diff: kept?.diff, output: kept?.output ?? step.output }, definition.runbookPath);
    });
    writeWhole(state.junitFile, junitXml([{ name: definition.runbookTitle, timestamp: new Date(state.startedAt).toISOString(), properties: { runbook: definition.runbookPath, sha256: definition.runbookSha256 }, cases }], definition.runbookTitle));
  }
}

/** Stops what the steps left running, writes the reports, says what is left for a person, and exits. */
function finish(state: RunState, exit: number, message?: string): Promise<never> {
  state.finishing ??= (async (): Promise<never> => {
    if (message) console.error(message);
    const left = state.background.flatMap(({ processes }) => processes.members());
    if (left.length) {
      console.log(`Stopping ${left.length} background process${left.length === 1 ? '' : 'es'} the steps left running: ${left.map((m) => `${m.pid} ${m.command}`).join('; ')}`);
    }
    await Promise.all(state.background.map(({ processes }) => processes.stop()));
    writeReports(state, exit, message);
    const manual = state.chosen.filter((step) => step.manual && state.records.get(step.id)?.state === 'skipped');
    if (manual.length) {
      console.log(['Left for a person:', ...manual.map((step) => `  - [ ] ${step.title}`)].join('\n'));
    }
    if (state.scratch) rmSync(state.scratch, { recursive: true, force: true });
    process.exit(exit);
  })();
  return state.finishing;
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${ms % 60_000 ? ` ${Math.round((ms % 60_000) / 1000)}s` : ''}`;
}

function usage(message: string): never {
  console.error(`error: ${message}`);
  process.exit(EXIT.usage);
}
