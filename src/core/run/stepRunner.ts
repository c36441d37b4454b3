// Runs one step of a runbook: the checks that belong to the runbook model (inputs, implicit inputs,
// placeholders, where it runs, which interpreter), then the shared executor (stepProcess.ts, also
// embedded in generated scripts) that starts it in a real process with a timeout, Stop, streamed
// output with secrets masked, and a result that says honestly what happened. It never throws:
// whatever fails before or during the run ends the step as failed with the reason.

import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  analyzeShell,
  implicitInputs,
  replacePlaceholders,
  stepValueProblems,
  type ImplicitInput,
  type Runbook,
  type Step,
} from '../runbook';
import { SecretMasker } from './secretMasker';
import { removedDirectoryWarning } from './shellState';
import type { ShellSession } from './shellSession';
import { executeCode, type BackgroundProcesses } from './stepProcess';
import type { OutputListener, StepResult } from './types';

export const DEFAULT_TIMEOUT_MS = 15 * 60_000;

export interface RunStepOptions {
  runbook: Runbook;
  step: Step;
  /** Values by variable name: declared inputs and implicit ones (placeholders, unset variables). */
  values: Record<string, string>;
  /** Values to mask in output (the secret inputs' values). */
  secrets?: string[];
  /** Command for the step's language, overriding the runbook's (e.g. from a setting). */
  interpreter?: string;
  /** Used when neither the step nor the runbook sets a timeout. */
  defaultTimeoutMs?: number;
  /** The environment steps start from; defaults to this process's. */
  baseEnv?: Record<string, string | undefined>;
  session?: ShellSession;
  outputLimit?: number;
  onOutput?: OutputListener;
  /** Aborting stops the step and everything it started. */
  signal?: AbortSignal;
  /** Called when the process is about to start (after the checks that can refuse it). */
  onStart?: (startedAt: number) => void;
  /**
   * Takes the processes a step that ended by itself left running (a server started with `&`):
   * their output is still read and goes where the taker says. Without a taker they keep running,
   * their output is dropped, and nothing here can stop them later.
   */
  onBackground?: (processes: BackgroundProcesses) => void;
  /** Start the step in a process container (cgroup) where the system offers one; default true. */
  processContainer?: boolean;
}

export function runbookFolder(runbook: Runbook): string {
  return runbook.path ? dirname(runbook.path) : process.cwd();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where a step runs: its own `cwd`, else where the session's last step ended, else the runbook's
 * `cwd`, else its folder. When the session's directory was removed since, the step runs where it
 * would without it, and `warning` says so.
 */
export function stepDirectory(runbook: Runbook, step: Step, session?: ShellSession): { dir: string; from: string; warning?: string } {
  const folder = runbookFolder(runbook);
  const base = runbook.meta.cwd ? resolve(folder, runbook.meta.cwd) : folder;
  const fallback = runbook.meta.cwd ? { dir: base, from: `cwd: ${runbook.meta.cwd} in the front matter` } : { dir: base, from: "the runbook's folder" };
  if (step.attributes.cwd) return { dir: resolve(base, step.attributes.cwd), from: `cwd=${step.attributes.cwd} on line ${step.startLine + 1}` };
  if (session?.cwd) {
    if (existsSync(session.cwd) && isDirectory(session.cwd)) return { dir: session.cwd, from: 'the directory an earlier step changed to' };
    return { ...fallback, warning: removedDirectoryWarning(session.cwd, fallback.dir) };
  }
  return fallback;
}

export function stepTimeout(runbook: Runbook, step: Step, fallback = DEFAULT_TIMEOUT_MS): number {
  return step.attributes.timeoutMs ?? runbook.meta.timeoutMs ?? fallback;
}

/** Implicit inputs of a step given the environment it would run in. */
export function stepImplicitInputs(runbook: Runbook, step: Step, env: Record<string, string | undefined>, session?: ShellSession): ImplicitInput[] {
  if (step.family !== 'shell') return [];
  return implicitInputs(analyzeShell(step.code), {
    declared: runbook.inputs.map((input) => input.name),
    available: (name) => env[name] !== undefined || (session?.has(name) ?? false),
  });
}

/** The interpreter, its arguments and the code file's extension for a step (engine and generator). */
export function interpreterCommand(step: Step, override?: string): { command: string; args: string[]; extension: string } {
  const words = (override ?? step.interpreter).trim().split(/\s+/);
  const [command, ...args] = words;
  switch (step.family) {
    case 'python':
      return { command, args: [...args, '-u'], extension: '.py' };
    case 'node':
      return { command, args, extension: '.cjs' };
    case 'powershell':
      return { command, args: [...args, '-NoProfile', '-NonInteractive', '-File'], extension: '.ps1' };
    default:
      return { command, args, extension: '.sh' };
  }
}


export async function runStep(options: RunStepOptions): Promise<StepResult> {
  const startedAt = Date.now();
  const masker = new SecretMasker(options.secrets ?? []);
  try {
    return await prepareAndRun(options, startedAt, masker);
  } catch (error) {
    // Nothing before or during a run may leave a step "running" or reject: report it as failed.
    const message = `The step could not run: ${error instanceof Error ? error.message : String(error)}`;
    return { stepId: options.step.id, status: 'failed', startedAt, durationMs: Date.now() - startedAt, output: '', droppedBytes: 0, totalBytes: 0, message: masker.mask(message), notStarted: true };
  }
}

async function prepareAndRun(options: RunStepOptions, startedAt: number, masker: SecretMasker): Promise<StepResult> {
  const { runbook, step, session } = options;
  const notStarted = (message: string): StepResult => ({
    stepId: step.id,
    status: 'failed',
    startedAt,
    durationMs: 0,
    output: '',
    droppedBytes: 0,
    totalBytes: 0,
    message: masker.mask(message),
    notStarted: true,
  });

  if (options.signal?.aborted) return { ...notStarted('Stopped before it started.'), status: 'cancelled' };
  // Inputs first: a step that needs a missing or invalid value must not start.
  // The one check of every value (src/core/runbook/stepValues.ts): rules, reserved names, NUL and
  // size, whole numbers where the shell does arithmetic. Secret values never appear in it.
  const problems = stepValueProblems(runbook, step, options.values);
  if (problems.length > 0) return notStarted(`${problems.map((problem) => problem.message).join(' ')} Fix it before running "${step.title}".`);
  const baseEnv = session ? session.environment(options.baseEnv ?? process.env) : { ...(options.baseEnv ?? process.env) };
  let code = step.code;
  if (step.family === 'shell') {
    const analysis = analyzeShell(step.code);
    const missing = stepImplicitInputs(runbook, step, baseEnv, session).filter((input) => options.values[input.name] === undefined);
    if (missing.length > 0) {
      return notStarted(`"${step.title}" needs a value for ${missing.map((m) => m.label).join(', ')} before it can run.`);
    }
    code = replacePlaceholders(step.code, analysis.placeholders);
  }

  const { dir, from, warning } = stepDirectory(runbook, step, session);
  // A removed directory is forgotten, so it does not refuse every later step until Reset Session.
  if (warning && session) session.cwd = undefined;

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(baseEnv)) if (value !== undefined) env[key] = value;
  for (const spec of runbook.inputs) {
    const value = options.values[spec.name] ?? spec.default;
    if (value !== undefined) env[spec.name] = value;
  }
  for (const [key, value] of Object.entries(options.values)) env[key] = value;

  const interpreter = interpreterCommand(step, options.interpreter);
  const inSession = session !== undefined && step.family === 'shell';
  const files = inSession ? await session.stateFiles() : undefined;
  const result = await executeCode({
    command: interpreter.command,
    args: interpreter.args,
    extension: interpreter.extension,
    code,
    shell: step.family === 'shell',
    errexit: step.attributes.errexit,
    cwd: dir,
    cwdFrom: from,
    env,
    timeoutMs: stepTimeout(runbook, step, options.defaultTimeoutMs),
    scratchDir: session ? await session.folder() : join(tmpdir(), `runbook-steps-${process.pid}`),
    session: files && session ? { state: session, files } : undefined,
    secrets: options.secrets,
    outputLimit: options.outputLimit,
    expected: step.expected,
    signal: options.signal,
    container: options.processContainer,
    language: step.language,
    interpreterHint: `Install it, or map "${step.language}" to another interpreter in the runbooks.interpreters setting.`,
    onOutput: options.onOutput,
    onStart: options.onStart,
  });
  const { background, ...rest } = result;
  const stepResult: StepResult = { stepId: step.id, ...rest, startedAt };
  if (warning) {
    stepResult.warnings = [warning, ...(stepResult.warnings ?? [])];
    stepResult.message = [stepResult.message, warning].filter(Boolean).join(' ');
  }
  if (background) {
    if (options.onBackground) options.onBackground(background);
    else background.onOutput(() => undefined);
  }
  return stepResult;
}
