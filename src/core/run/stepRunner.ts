// Runs one step in a real process: its interpreter, working directory, inputs as environment
// variables, a timeout, Stop, streamed output with secrets masked, and a result that says honestly
// what happened.

import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  analyzeShell,
  checkInputValue,
  implicitInputs,
  inputsUsedBy,
  replacePlaceholders,
  type ImplicitInput,
  type Runbook,
  type Step,
} from '../runbook';
import { checkExpected } from './expected';
import { OutputBuffer } from './outputBuffer';
import { killTree } from './processTree';
import { MASK, SecretMasker } from './secretMasker';
import type { ShellSession } from './shellSession';
import type { OutputListener, StepResult } from './types';

export const DEFAULT_TIMEOUT_MS = 15 * 60_000;
/** After the step's process exits, how long to wait for output still in its pipes. */
const DRAIN_MS = 200;

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
}

export function runbookFolder(runbook: Runbook): string {
  return runbook.path ? dirname(runbook.path) : process.cwd();
}

/** Where a step runs: its own `cwd`, else where the session's last step ended, else the runbook's `cwd`, else its folder. */
export function stepDirectory(runbook: Runbook, step: Step, session?: ShellSession): { dir: string; from: string } {
  const folder = runbookFolder(runbook);
  const base = runbook.meta.cwd ? resolve(folder, runbook.meta.cwd) : folder;
  if (step.attributes.cwd) return { dir: resolve(base, step.attributes.cwd), from: `cwd=${step.attributes.cwd} on line ${step.startLine + 1}` };
  if (session?.cwd) return { dir: session.cwd, from: 'the directory an earlier step changed to' };
  if (runbook.meta.cwd) return { dir: base, from: `cwd: ${runbook.meta.cwd} in the front matter` };
  return { dir: base, from: "the runbook's folder" };
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

async function findExecutable(command: string, path: string | undefined): Promise<string | undefined> {
  const candidates = command.includes('/') ? [command] : (path ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function interpreterCommand(step: Step, override?: string): { command: string; args: string[]; extension: string } {
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
  const { runbook, step, session } = options;
  const startedAt = Date.now();
  const masker = new SecretMasker(options.secrets ?? []);
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
  for (const spec of inputsUsedBy(runbook.inputs, step)) {
    const value = options.values[spec.name] ?? spec.default;
    const problem = checkInputValue(spec, value);
    if (problem) {
      // Mask a secret's value in the message; a missing (empty) value has nothing to mask.
      const shown = spec.secret && value ? problem.replaceAll(value, MASK) : problem;
      return notStarted(`Input ${spec.name}: ${shown} Set it in the runbook's inputs before running "${step.title}".`);
    }
  }
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

  const { dir, from } = stepDirectory(runbook, step, session);
  try {
    if (!(await stat(dir)).isDirectory()) return notStarted(`Working directory ${dir} (from ${from}) is not a directory.`);
  } catch {
    return notStarted(`Working directory ${dir} (from ${from}) does not exist. Create it or fix the cwd.`);
  }

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(baseEnv)) if (value !== undefined) env[key] = value;
  for (const spec of runbook.inputs) {
    const value = options.values[spec.name] ?? spec.default;
    if (value !== undefined) env[spec.name] = value;
  }
  for (const [key, value] of Object.entries(options.values)) env[key] = value;
  // Shells reset PWD themselves; other interpreters would otherwise see the editor's directory.
  env.PWD = dir;
  // A mark in the environment that every process the step starts inherits, so Stop and timeouts
  // can find even those that left the process tree.
  const marker = `RUNBOOK_STEP_RUN=${process.pid}-${randomUUID()}`;
  env.RUNBOOK_STEP_RUN = marker.slice('RUNBOOK_STEP_RUN='.length);

  const interpreter = interpreterCommand(step, options.interpreter);
  if (!isAbsolute(interpreter.command) && !(await findExecutable(interpreter.command, env.PATH))) {
    return notStarted(
      `${interpreter.command} is not installed or not on PATH, so this ${step.language} step cannot run. Install it, or map "${step.language}" to another interpreter in the runbooks.interpreters setting.`,
    );
  }
  if (isAbsolute(interpreter.command) && !(await findExecutable(interpreter.command, undefined))) {
    return notStarted(`Interpreter ${interpreter.command} does not exist or is not executable.`);
  }

  const files = session && step.family === 'shell' ? await session.stateFiles() : undefined;
  const scriptPath = `${files?.env ?? join(await scratchDir(session), `step-${process.pid}-${Date.now()}`)}${interpreter.extension}`;
  const script = files ? session!.wrap(code, files, step.attributes.errexit) : step.family === 'shell' ? wrapWithoutSession(code, step.attributes.errexit) : code;
  await writeFile(scriptPath, script, { mode: 0o600 });

  const buffer = new OutputBuffer(options.outputLimit);
  const timeoutMs = stepTimeout(runbook, step, options.defaultTimeoutMs);
  let ending: 'timed-out' | 'cancelled' | undefined;
  let killing: Promise<void> | undefined;
  // execa is ESM-only; a dynamic import loads it from CommonJS too (tests, the bundled extension).
  const { execa } = await import('execa');
  options.onStart?.(Date.now());
  const subprocess = execa(interpreter.command, [...interpreter.args, scriptPath], {
    cwd: dir,
    env,
    extendEnv: false,
    detached: true,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    encoding: 'buffer',
    cleanup: false,
  });

  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const onChunk = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    if (!masker.active) {
      buffer.append(chunk);
      if (options.onOutput) options.onOutput(decoders[stream].write(chunk), stream);
      return;
    }
    const text = masker.push(decoders[stream].write(chunk));
    buffer.append(Buffer.from(text));
    options.onOutput?.(text, stream);
  };
  subprocess.stdout?.on('data', onChunk('stdout'));
  subprocess.stderr?.on('data', onChunk('stderr'));

  const pid = subprocess.pid;
  const stop = (why: 'timed-out' | 'cancelled') => {
    if (ending || pid === undefined) return;
    ending = why;
    killing = killTree(pid, undefined, marker);
  };
  const timer = setTimeout(() => stop('timed-out'), timeoutMs);
  const onAbort = () => stop('cancelled');
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) onAbort();

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolveExit) => {
    subprocess.once('error', (error) => resolveExit({ code: null, signal: null, error }));
    subprocess.once('exit', (exitCode, exitSignal) => resolveExit({ code: exitCode, signal: exitSignal }));
  });
  const durationMs = Date.now() - startedAt;
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  // The step's own process can end before a descendant that ignores SIGTERM: the result (and the
  // next queued step) waits until the SIGKILL that follows has reached it.
  if (killing) await killing;
  // Output still in the pipes arrives shortly; a background child holding them open must not
  // keep the step "running", so stop reading after a short drain.
  await Promise.race([subprocess.catch(() => undefined), new Promise((r) => setTimeout(r, DRAIN_MS))]);
  subprocess.stdout?.destroy();
  subprocess.stderr?.destroy();
  void subprocess.catch(() => undefined);
  const tail = masker.flush() + decoders.stdout.end() + decoders.stderr.end();
  if (tail) {
    buffer.append(Buffer.from(tail));
    options.onOutput?.(tail, 'stdout');
  }
  if (files) await session!.absorb(files, env, dir);
  await rm(scriptPath, { force: true });

  const base = {
    stepId: step.id,
    startedAt,
    durationMs,
    output: buffer.text(),
    droppedBytes: buffer.dropped,
    totalBytes: buffer.total,
    exitCode: exit.code ?? undefined,
    signal: exit.signal ?? undefined,
  };
  if (exit.error) return { ...base, status: 'failed', notStarted: true, message: `Could not start ${interpreter.command}: ${exit.error.message}` };
  if (ending === 'timed-out') return { ...base, status: 'timed-out', message: `Timed out after ${Math.round(timeoutMs / 1000)}s; the step and everything it started were stopped.` };
  if (ending === 'cancelled') return { ...base, status: 'cancelled', message: 'Stopped; the step and everything it started were stopped.' };
  if (exit.code !== 0) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return { ...base, status: 'failed', message: `The step ${how}.` };
  }
  if (step.expected) {
    const expected = checkExpected(base.output, step.expected, buffer.dropped > 0);
    return { ...base, status: expected.ok ? 'passed' : 'failed', expected, message: expected.ok ? undefined : expected.message };
  }
  return { ...base, status: 'passed' };
}

/** errexit and pipefail for a shell step that runs outside a session. */
function wrapWithoutSession(code: string, errexit: boolean): string {
  return errexit ? `set -e\n(set -o pipefail) 2>/dev/null && set -o pipefail\n${code}\n` : `${code}\n`;
}

/** Where a step's code file goes: the session's folder, or one folder per process for steps run without a session. */
let fallbackScratch: Promise<string> | undefined;
async function scratchDir(session: ShellSession | undefined): Promise<string> {
  if (session) return dirname((await session.stateFiles()).env);
  fallbackScratch ??= mkdtemp(join(tmpdir(), 'runbook-steps-'));
  return fallbackScratch;
}
