// `runbook run <file.md>`: Run all of the editor, headless, through the same core runner. Every
// value is checked before anything runs; with no TTY nothing waits on a prompt (a missing value, a
// confirmation or a manual step ends the run at once, saying which flag gives it); Ctrl-C stops the
// running step and everything it started, writes the report and exits 130.

import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HistoryLog } from '../../core/progress';
import { checkInputValue, formatDuration, inputsUsedBy, parseDuration, replacePlaceholders, shellAnalysisOf, type InputSpec, type Runbook, type Step } from '../../core/runbook';
import { DEFAULT_TIMEOUT_MS, stepDirectory, stepTimeout } from '../../core/run';
import { exitCodeOf, historySink, inputValues, MemoryProgress, planProblems, RunbookRunner, type RunOutcome, type RunPlan } from '../../core/runner';
import { CliError, usageError } from '../errors';
import { CliFrontEnd } from '../cliFrontEnd';
import { givenRunId, historyPath, origin } from '../historyFile';
import { JsonlReporter } from '../reporters/jsonl';
import { JUnitReporter } from '../reporters/junit';
import { MarkdownReporter } from '../reporters/markdown';
import { PrettyReporter } from '../reporters/pretty';
import { REPORTERS, type Reporter, type ReporterName, type ReportContext } from '../reporters/types';
import { loadRunbook } from '../runbookFile';
import type { Terminal } from '../terminal';
import { gatherValues, parseInputFlags, readInputsFile } from '../values';

export const RUN_USAGE = `Usage: runbook run <file.md> [options]

Runs the runbook's steps in order, as Run all in the editor: shell steps share a session, expected
output is checked, \`skip\` steps are passed over, and it stops at the first step that fails.

Options:
  --input NAME=value      a value for an input or a placeholder (<pod-name> is POD_NAME); repeatable
  --inputs-file FILE      values from a YAML or JSON mapping (flags win over it)
  --from STEP             start at this step (id, name or number)
  --only STEP             run just this step (repeatable; its skip does not apply)
  --yes                   answer yes to every confirmation (production runbooks, confirm steps)
  --skip-manual           report manual steps as skipped and list them as left for a person
  --dry-run               print what would run and check the values given, run nothing
  --timeout DURATION      timeout of steps that set none (90s, 10m, 1h; default 15m)
  --reporter NAME         pretty (default), jsonl, junit or markdown
  --report FILE           write the jsonl, junit or markdown report to FILE (the terminal shows pretty)
  --history FILE          append the history here (default $RUNBOOKS_HISTORY, else the state folder)

Values: flags, then the inputs file, then environment variables of the same name, then defaults.
Secrets only from the environment. Exit codes: 0 passed, 1 a step failed, 2 bad usage or invalid
input, 3 a confirmation, a manual or an interactive step needs a person, 124 timeout, 130
interrupted.`;

/** Finds a step by id, name or 1-based number among the runbook's items. */
export function findItem(runbook: Runbook, wanted: string, flag: string): string {
  if (/^\d+$/.test(wanted)) {
    const item = runbook.items[Number(wanted) - 1];
    if (item) return item.id;
  }
  const item = runbook.items.find((candidate) => candidate.id === wanted || (candidate.kind === 'code' && candidate.attributes.name === wanted));
  if (item) return item.id;
  throw usageError(`${flag} ${wanted}: no such step; give a number from 1 to ${runbook.items.length} or one of ${runbook.items.map((i) => i.id).join(', ')}`, 'see `runbook list`');
}

/** What a person must do to go on, in the command line's words. */
export function explainOutcome(outcome: RunOutcome, plan?: RunPlan): string | undefined {
  switch (outcome.reason) {
    case 'missing-input':
      return `No value for ${(outcome.missing ?? []).map((input) => `${input.label} (give it with --input ${input.name}=… or the environment variable ${input.name})`).join(', ')}.`;
    case 'invalid-input':
      return `${(outcome.problems ?? []).map((problem) => problem.message).join(' ')} Nothing was run.`;
    case 'not-confirmed':
      return `"${outcome.stepTitle}" needs confirmation (${(outcome.confirmReasons ?? []).join('; ')}): rerun with --yes, or in a terminal to answer.`;
    case 'manual-step':
      return `Stopped at the manual step "${outcome.stepTitle}": do it, then rerun with --from ${nextAfter(plan, outcome.stepId)}, or rerun with --skip-manual to leave manual steps for a person.`;
    case 'interactive-step':
      return `Stopped before "${outcome.stepTitle}", which is interactive: run it yourself, then rerun with --from ${nextAfter(plan, outcome.stepId)}.`;
    default:
      return outcome.status === 'blocked' ? outcome.message : undefined;
  }
}

function nextAfter(plan: RunPlan | undefined, stepId: string | undefined): string {
  const items = plan?.items ?? [];
  const index = items.findIndex((item) => item.id === stepId);
  return items[index + 1]?.id ?? '<next step>';
}

function dryRun(runbook: Runbook, plan: RunPlan, terminal: Terminal, settingsTimeout: number): void {
  const c = terminal.colors;
  terminal.out(`${c.bold(runbook.title)}: ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} would run (dry run: nothing runs)\n`);
  const confirms = new Map(plan.confirmations.map((entry) => [entry.step.id, entry.reasons]));
  let n = 0;
  for (const item of plan.items) {
    n++;
    if (item.kind === 'manual') {
      terminal.out(`\n${n}. ${item.title} ${c.dim('(manual: a person does it)')}\n`);
      continue;
    }
    if (!plan.steps.includes(item)) {
      terminal.out(`\n${n}. ${item.title} ${c.dim('(skipped)')}\n`);
      continue;
    }
    const step: Step = item;
    const code = step.family === 'shell' ? replacePlaceholders(step.code, shellAnalysisOf(step).placeholders) : step.code;
    terminal.out(`\n${n}. ${step.title} ${c.dim(`[${step.id}]`)}\n   ${c.dim(`${step.interpreter} in ${stepDirectory(runbook, step).dir}, timeout ${formatDuration(stepTimeout(runbook, step, settingsTimeout))}`)}\n`);
    const reasons = confirms.get(step.id);
    if (reasons) terminal.out(`   ${c.yellow(`asks for confirmation: ${reasons.join('; ')}`)}\n`);
    terminal.out(`${code.replace(/\n$/, '').replace(/^/gm, '   | ')}\n`);
    if (step.expected) terminal.out(`   expects output (${step.expected.match}):\n${step.expected.text.replace(/\n$/, '').replace(/^/gm, '   > ')}\n`);
  }
}

export async function runCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values: flags, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      input: { type: 'string', multiple: true },
      'inputs-file': { type: 'string' },
      from: { type: 'string' },
      only: { type: 'string', multiple: true },
      yes: { type: 'boolean' },
      'skip-manual': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      timeout: { type: 'string' },
      reporter: { type: 'string' },
      report: { type: 'string' },
      history: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (flags.help) {
    terminal.out(`${RUN_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw usageError(positionals.length === 0 ? 'runbook run needs a runbook file' : `runbook run takes one file, not ${positionals.length}`, 'see `runbook run --help`');
  if (flags.from && flags.only) throw usageError('use --from or --only, not both', 'see `runbook run --help`');
  const reporterName = (flags.reporter ?? 'pretty') as ReporterName;
  if (!REPORTERS.includes(reporterName)) throw usageError(`--reporter ${flags.reporter}: use ${REPORTERS.join(', ')}`, 'see `runbook run --help`');
  const defaultTimeoutMs = flags.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(flags.timeout);
  if (defaultTimeoutMs === undefined) throw usageError(`--timeout ${flags.timeout}: write seconds or 90s, 10m, 1h`, 'see `runbook run --help`');

  const file = await loadRunbook(positionals[0]);
  const { runbook } = file;
  const given = gatherValues(runbook, parseInputFlags(runbook, flags.input ?? []), flags['inputs-file'] ? await readInputsFile(runbook, resolve(flags['inputs-file'])) : new Map(), process.env);
  const options = { from: flags.from ? findItem(runbook, flags.from, '--from') : undefined, only: flags.only?.map((wanted) => findItem(runbook, wanted, '--only')) };

  const progress = new MemoryProgress();
  const history = flags['dry-run'] ? undefined : new HistoryLog(historyPath(flags.history));
  const frontEnd = new CliFrontEnd(given.values, given.secrets, { yes: flags.yes === true, skipManual: flags['skip-manual'] === true }, terminal);
  const historyErrors: string[] = [];
  const runner = new RunbookRunner({
    key: file.key,
    frontEnd,
    progress,
    history: history && historySink(history, (error) => historyErrors.push(error.message)),
    settings: () => ({ interpreters: {}, defaultTimeoutMs }),
    where: origin(),
    onError: (error) => terminal.err(`runbook: ${error instanceof Error ? error.message : String(error)}\n`),
  });

  const plan = runner.preview(runbook, options);
  if ('error' in plan) throw plan.reason === 'no-such-step' ? usageError(plan.error, 'see `runbook list`') : new CliError(`${file.path}: ${plan.error} Nothing was run.`, 2);

  // Declared inputs a person can still type on a TTY (secrets masked); without one, none are asked.
  if (terminal.interactive && !flags['dry-run']) {
    const used = new Set(plan.steps.flatMap((step) => inputsUsedBy(runbook.inputs, step).map((input) => input.name)));
    for (const input of runbook.inputs) {
      if (!used.has(input.name) || given.values.has(input.name) || input.default !== undefined || !input.required) continue;
      const answer = await askDeclaredInput(terminal, input);
      if (answer === undefined) break;
      given.values.set(input.name, answer);
      if (input.secret && answer) given.secrets.push(answer);
    }
  }

  if (flags['dry-run']) {
    dryRun(runbook, plan, terminal, defaultTimeoutMs);
    // The values the run would check before anything runs, checked the same way (nothing asked).
    const problems = planProblems(runbook, plan.steps, Object.fromEntries(given.values));
    if (problems.length > 0) {
      terminal.err(`runbook: ${problems.map((problem) => problem.message).join(' ')} The run would stop before its first step.\n`);
      return 2;
    }
    return 0;
  }

  // With no TTY, what needs a person is known before anything runs: say so now, not half-way.
  if (!terminal.interactive) {
    if (!flags.yes && plan.confirmations.length > 0) {
      terminal.err(`runbook: ${plan.confirmations.map(({ step, reasons }) => `"${step.title}" needs confirmation (${reasons.join('; ')})`).join('; ')}: rerun with --yes (no terminal to ask in). Nothing was run.\n`);
      return 3;
    }
    if (!flags['skip-manual'] && plan.manual.length > 0 && plan.steps.length > 0) {
      const first = plan.manual[0];
      const before = plan.items.indexOf(first);
      if (plan.items.slice(before).some((item) => item.kind === 'code' && plan.steps.includes(item))) {
        terminal.err(`runbook: the manual step "${first.title}" needs a person before later steps can run: rerun with --skip-manual to leave manual steps for a person, or in a terminal. Nothing was run.\n`);
        return 3;
      }
    }
  }

  const secretNames = new Set(runbook.inputs.filter((input) => input.secret).map((input) => input.name));
  // Reporters print the inputs (jsonl's run-start among them): secrets are left out, not masked.
  const inputs = Object.fromEntries(Object.entries(inputValues(runbook, given.values)).filter(([name]) => !secretNames.has(name)));
  const context: ReportContext = { runbook, key: file.key, inputs, secretNames, progress: () => runner.progressOf() };
  const toFile = flags.report !== undefined;
  const reporters: Reporter[] = [];
  const main: Reporter | undefined =
    reporterName === 'jsonl' ? new JsonlReporter(toFile ? undefined : (line) => terminal.out(line)) : reporterName === 'junit' ? new JUnitReporter(context) : reporterName === 'markdown' ? new MarkdownReporter(context) : undefined;
  if (main) reporters.push(main);
  if (reporterName === 'pretty' || toFile) reporters.push(new PrettyReporter(terminal, context));
  runner.events.on((event) => {
    for (const reporter of reporters) reporter.event(event);
  });

  let interrupted = false;
  const interrupt = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    terminal.err('\nrunbook: stopping (Ctrl-C again to quit at once)…\n');
    runner.stopAll();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  let outcome: RunOutcome;
  try {
    outcome = await runner.runAll(runbook, { ...options, runId: givenRunId() });
    await runner.dispose();
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  const exitCode = interrupted ? 130 : exitCodeOf(outcome);
  const texts = reporters.map((reporter) => reporter.finish(outcome, exitCode));
  const report = main ? texts[0] : undefined;
  if (report !== undefined) {
    if (toFile) await writeFile(resolve(flags.report!), report);
    else terminal.out(report);
  }
  const explanation = explainOutcome(outcome, plan);
  if (explanation) terminal.err(`runbook: ${explanation}\n`);
  for (const message of historyErrors) terminal.err(`runbook: could not append to the history: ${message}\n`);
  return exitCode;
}

/** Asks for a declared input on a TTY until the engine's own check accepts it; undefined at end of input. */
async function askDeclaredInput(terminal: Terminal, input: InputSpec): Promise<string | undefined> {
  const prompt = `${input.name}${input.description ? ` (${input.description})` : ''}: `;
  for (;;) {
    const answer = await terminal.ask(prompt, { mask: input.secret });
    if (answer === undefined) return undefined;
    const problem = checkInputValue(input, answer);
    if (problem === undefined) return answer;
    terminal.err(`${input.name}: ${problem}\n`);
  }
}
