// Runs one step's code in a real process, the same way in the engine and in generated scripts:
// the code file, the environment checked before anything starts (a NUL byte or a variable over the
// kernel's per-variable limit would make the spawn fail), the process started in a container of its
// own where the system has one, streamed output with secrets masked, a timeout and Stop that end the
// whole tree, a spawn failure reported at once as a step that did not start (never a wait for an
// exit that cannot come), the shell session saved and read back, the expected-output check, and the
// processes a step that ended by itself left running in the background, handed to the caller with
// their output still read (so they never die of SIGPIPE) until the caller stops them.
// Self-contained (only `node:` imports and the other embedded modules): the script generator
// embeds this file in every script.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { checkExpected, type ExpectedCheck, type ExpectedSpec } from './expected';
import { OutputBuffer } from './outputBuffer';
import { commandLine, containedCommand, containerEntryLine, containerMembers, createContainer, isAlive, removeContainer, stopTree, treeMembers, type ProcessTree } from './processTree';
import { SecretMasker } from './secretMasker';
import { absorbSessionFiles, plainShellCode, sessionShellCode, type SessionState, type StateFiles } from './shellState';

export type CodeStatus = 'passed' | 'failed' | 'timed-out' | 'cancelled';
export type CodeStream = 'stdout' | 'stderr';

/** One run of a step's code, fully resolved: what runs, where, with which environment. */
export interface CodeRun {
  /** The interpreter and its arguments; the code file comes last. */
  command: string;
  args: string[];
  extension: string;
  /** The code as it runs (placeholders already replaced by variable references). */
  code: string;
  /** A shell-family step: errexit/pipefail apply, and the session wrapper when `session` is given. */
  shell: boolean;
  errexit: boolean;
  cwd: string;
  /** Where `cwd` came from, for the message when it does not exist. */
  cwdFrom?: string;
  /** The complete environment (session applied, inputs in). */
  env: Record<string, string>;
  timeoutMs: number;
  /** Folder for the code file (made if missing). */
  scratchDir: string;
  /** A shell step in a session: the state it carries over and the files its wrapper writes. */
  session?: { state: SessionState; files: StateFiles };
  /** Values to mask in output. */
  secrets?: string[];
  outputLimit?: number;
  expected?: ExpectedSpec;
  /** Aborting stops the step and everything it started. */
  signal?: AbortSignal;
  /** Use this process's terminal directly (generated scripts only): output is not captured. */
  interactive?: boolean;
  /** Put the step into a container of its own where the system offers one (default true). */
  container?: boolean;
  /** The step's language as written (`bash`, `python`), for messages. */
  language?: string;
  /** Appended to the message when the interpreter is missing: what the person can do. */
  interpreterHint?: string;
  onOutput?: (text: string, stream: CodeStream) => void;
  /** Called when the process is about to start (after every check that can refuse it). */
  onStart?: (startedAt: number) => void;
}

/** A live process a step left running after it ended. */
export interface BackgroundProcess {
  pid: number;
  command: string;
}

/** What a step that ended by itself left running: still read, listed, and stopped on request. */
export interface BackgroundProcesses {
  readonly tree: ProcessTree;
  /** The processes that still run (the container is removed once none does). */
  members(): BackgroundProcess[];
  /** Where their output goes from now on (secrets masked); before any listener it is dropped. */
  onOutput(listener: (text: string, stream: CodeStream) => void): void;
  /** Stops them all (SIGTERM, then SIGKILL after `graceMs`) and stops reading their output. */
  stop(graceMs?: number): Promise<void>;
}

/** What one run of code produced; a step's result (run/types.ts StepResult) is this with its id. */
export interface CodeResult {
  status: CodeStatus;
  /** Undefined when the code never started or was killed by a signal. */
  exitCode?: number;
  signal?: string;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs: number;
  /** The newest output (stdout and stderr interleaved, secrets masked). */
  output: string;
  /** Bytes of output not kept in `output`. */
  droppedBytes: number;
  totalBytes: number;
  /** Why the code failed without running, or how it ended, for a person to read. */
  message?: string;
  /** True when the code could not start (missing interpreter, cwd, input). */
  notStarted?: boolean;
  expected?: ExpectedCheck;
  /**
   * Things a person should know that did not fail the step, also appended to `message`: its
   * exports and directory were not carried over (its own `trap … EXIT`, `exec`, a kill), or the
   * directory an earlier step changed to no longer exists.
   */
  warnings?: string[];
  /** Processes the step left running, when it ended by itself and some still run. */
  background?: BackgroundProcesses;
}

/** After the step's process exits, how long to wait for output still in its pipes. */
const DRAIN_MS = 200;
/** Linux's MAX_ARG_STRLEN: the most one `NAME=value` (with its NUL) may take in a new process. */
const MAX_VARIABLE_BYTES = 128 * 1024;
/** setTimeout's largest delay; longer timeouts are waited out in pieces. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}

/** Why this environment cannot be given to a new process, naming the variable (never its value). */
export function environmentProblem(env: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(env)) {
    if (name.includes('\0') || value.includes('\0')) return `The environment variable ${name.replaceAll('\0', '\\0')} holds a NUL byte, which no program can receive: remove it from the value.`;
    const bytes = Buffer.byteLength(name) + Buffer.byteLength(value) + 2;
    if (process.platform === 'linux' && bytes > MAX_VARIABLE_BYTES) {
      return `The value of ${name} is ${kib(bytes)}; the system passes at most ${kib(MAX_VARIABLE_BYTES)} per environment variable. Put a large value in a file and pass its path instead.`;
    }
  }
  return undefined;
}

/** The interpreter's path when it can run: `command` itself if it holds a `/`, else found on `path`. */
export async function findExecutable(command: string, path: string | undefined): Promise<string | undefined> {
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

/** Calls `fire` after `ms`, also beyond setTimeout's 24.8-day limit; returns the cancel. */
function after(ms: number, fire: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (left: number) => {
    timer = setTimeout(() => (left > MAX_TIMER_MS ? arm(left - MAX_TIMER_MS) : fire()), Math.min(left, MAX_TIMER_MS));
  };
  if (Number.isFinite(ms) && ms >= 0) arm(ms);
  return () => clearTimeout(timer);
}

function wholeSeconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}

/** Runs the code; never throws and never waits for an exit that cannot come. */
export async function executeCode(run: CodeRun): Promise<CodeResult> {
  const startedAt = Date.now();
  const masker = new SecretMasker(run.secrets ?? []);
  try {
    return await execute(run, startedAt, masker);
  } catch (error) {
    return notStarted(startedAt, masker.mask(`The step could not run: ${error instanceof Error ? error.message : String(error)}`));
  }
}

function notStarted(startedAt: number, message: string, status: CodeStatus = 'failed'): CodeResult {
  return { status, startedAt, durationMs: 0, output: '', droppedBytes: 0, totalBytes: 0, message, notStarted: true };
}

async function execute(run: CodeRun, startedAt: number, masker: SecretMasker): Promise<CodeResult> {
  const refuse = (message: string) => notStarted(startedAt, masker.mask(message));
  if (run.signal?.aborted) return notStarted(startedAt, 'Stopped before it started.', 'cancelled');
  const from = run.cwdFrom ? ` (from ${run.cwdFrom})` : '';
  try {
    if (!(await stat(run.cwd)).isDirectory()) return refuse(`Working directory ${run.cwd}${from} is not a directory.`);
  } catch {
    return refuse(`Working directory ${run.cwd}${from} does not exist. Create it or fix the cwd.`);
  }
  if (!(await findExecutable(run.command, run.env.PATH))) {
    return refuse(
      run.command.includes('/')
        ? `Interpreter ${run.command} does not exist or is not executable.`
        : `${run.command} is not installed or not on PATH, so this ${run.language ? `${run.language} ` : ''}step cannot run.${run.interpreterHint ? ` ${run.interpreterHint}` : ''}`,
    );
  }
  // A mark in the environment that every process the step starts inherits, so Stop and timeouts
  // can find even those that left the process tree where there is no container.
  const env: Record<string, string> = { ...run.env, PWD: run.cwd, RUNBOOK_STEP_RUN: `${process.pid}-${randomUUID()}` };
  const problem = environmentProblem(env);
  if (problem) return refuse(problem);

  const file = run.session ? `${run.session.files.env}${run.extension}` : join(run.scratchDir, `step-${process.pid}-${randomUUID()}${run.extension}`);
  const container = run.container !== false && process.platform === 'linux' && !run.interactive ? createContainer() : undefined;
  const shellCode = run.shell ? (run.session ? sessionShellCode(run.code, run.session.files, run.errexit) : plainShellCode(run.code, run.errexit)) : run.code;
  // A shell step moves itself into its container on its first line, before it can fork; other
  // interpreters are started through a POSIX shell that moves itself in and then becomes them.
  const text = container && run.shell ? `${containerEntryLine(container)}\n${shellCode}` : shellCode;
  try {
    await mkdir(run.scratchDir, { recursive: true, mode: 0o700 });
    await writeFile(file, text, { mode: 0o600 });
  } catch (error) {
    if (container) removeContainer(container);
    return refuse(`Could not write the step's code to ${file}: ${(error as Error).message}`);
  }
  if (run.signal?.aborted) {
    if (container) removeContainer(container);
    await rm(file, { force: true });
    return notStarted(startedAt, 'Stopped before it started.', 'cancelled');
  }

  const started = container && !run.shell ? containedCommand(container, run.command, [...run.args, file]) : { command: run.command, args: [...run.args, file] };
  run.onStart?.(Date.now());
  // Node's own spawn: what runs here needs no more (the tree, the timeout, Stop and the output are
  // handled below), and a library on top cost a cold `runbook run` a fifth of its time.
  const cannotStart = async (failure: NodeJS.ErrnoException) => {
    if (container) removeContainer(container);
    await rm(file, { force: true });
    const reason = failure.code ? `${failure.code}: ${failure.message}` : failure.message;
    return refuse(`Could not start ${run.command}: ${reason.replace(/\s+/g, ' ').trim()}`);
  };
  let subprocess: ChildProcess;
  try {
    subprocess = spawn(started.command, started.args, {
      cwd: run.cwd,
      env,
      detached: !run.interactive,
      stdio: run.interactive ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (error) {
    // Some failures (E2BIG: the environment and arguments too large together) are thrown at once.
    return cannotStart(error as NodeJS.ErrnoException);
  }
  const pid = subprocess.pid;
  // Others (ENOENT, EACCES …) leave no process and come as an error event; no exit ever will.
  if (pid === undefined) return cannotStart(await new Promise<NodeJS.ErrnoException>((resolveFailure) => subprocess.once('error', resolveFailure)));
  const tree: ProcessTree = { pid, marker: `RUNBOOK_STEP_RUN=${env.RUNBOOK_STEP_RUN}`, container };

  const buffer = new OutputBuffer(run.outputLimit);
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  let late: ((text: string, stream: CodeStream) => void) | undefined;
  let inStep = true;
  const onChunk = (stream: CodeStream) => (chunk: Buffer) => {
    const text = masker.active ? masker.push(decoders[stream].write(chunk)) : decoders[stream].write(chunk);
    if (!inStep) {
      if (text) late?.(text, stream);
      return;
    }
    buffer.append(masker.active ? Buffer.from(text) : chunk);
    if (text) run.onOutput?.(text, stream);
  };
  const streams = [subprocess.stdout, subprocess.stderr].filter((stream) => stream !== null);
  const open = new Set(streams);
  const drained = new Promise<void>((resolveDrained) => {
    if (open.size === 0) resolveDrained();
    for (const stream of streams) {
      // A read error on a pipe ends it like its close (which follows); the exit decides the result.
      stream.on('error', () => undefined);
      stream.once('close', () => {
        open.delete(stream);
        if (open.size === 0) resolveDrained();
      });
    }
  });
  subprocess.stdout?.on('data', onChunk('stdout'));
  subprocess.stderr?.on('data', onChunk('stderr'));

  let ending: 'timed-out' | 'cancelled' | undefined;
  let killing: Promise<void> | undefined;
  const stop = (why: 'timed-out' | 'cancelled') => {
    if (ending) return;
    ending = why;
    killing = stopTree(tree);
  };
  const cancelTimer = after(run.timeoutMs, () => stop('timed-out'));
  const onAbort = () => stop('cancelled');
  run.signal?.addEventListener('abort', onAbort);
  if (run.signal?.aborted) onAbort();

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolveExit) => {
    subprocess.once('error', (error) => resolveExit({ code: null, signal: null, error }));
    subprocess.once('exit', (exitCode, exitSignal) => resolveExit({ code: exitCode, signal: exitSignal }));
  });
  const durationMs = Date.now() - startedAt;
  cancelTimer();
  run.signal?.removeEventListener('abort', onAbort);
  // The step's own process can end before a descendant that ignores SIGTERM: the result (and the
  // next queued step) waits until the SIGKILL that follows has reached it.
  if (killing) await killing;
  // Output still in the pipes arrives shortly; a background process holding them open must not
  // keep the step "running", so stop waiting after a short drain.
  let drainTimer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([drained, new Promise((r) => (drainTimer = setTimeout(r, DRAIN_MS)))]);
  clearTimeout(drainTimer);
  inStep = false;

  const leftover = ending ? [] : container ? containerMembers(container).filter(isAlive) : treeMembers(tree).filter((p) => p !== pid);
  let background: BackgroundProcesses | undefined;
  if (open.size > 0 || leftover.length > 0) {
    background = backgroundOf(tree, [...open], drained, decoders, masker, (listener) => (late = listener));
  } else if (container) {
    removeContainer(container);
  }
  const tail = masker.flush() + decoders.stdout.end() + decoders.stderr.end();
  if (tail) {
    buffer.append(Buffer.from(tail));
    run.onOutput?.(tail, 'stdout');
  }
  const warnings = run.session ? absorbSessionFiles(run.session.state, run.session.files, env, run.cwd, { code: run.code, signal: exit.signal ?? undefined }) : [];
  await rm(file, { force: true });

  const base: CodeResult = {
    status: 'passed',
    startedAt,
    durationMs,
    output: buffer.text(),
    droppedBytes: buffer.dropped,
    totalBytes: buffer.total,
    exitCode: exit.code ?? undefined,
    signal: exit.signal ?? undefined,
  };
  if (warnings.length > 0) base.warnings = warnings;
  if (background) base.background = background;
  const withWarnings = (message: string | undefined): string | undefined => (warnings.length ? [message, ...warnings].filter(Boolean).join(' ') : message);
  if (exit.error) return { ...base, status: 'failed', notStarted: true, message: masker.mask(`Could not start ${run.command}: ${exit.error.message}`) };
  if (ending) {
    const left = treeMembers(tree);
    const what = container ? 'the step and everything it started were stopped' : 'the step and every process it started that could be found were stopped';
    const rest = left.length ? ` ${left.length} process${left.length === 1 ? '' : 'es'} could not be stopped: ${left.slice(0, 10).join(', ')}.` : '';
    if (ending === 'timed-out') return { ...base, status: 'timed-out', message: `Timed out after ${wholeSeconds(run.timeoutMs)}; ${what}.${rest}` };
    return { ...base, status: 'cancelled', message: `Stopped; ${what}.${rest}` };
  }
  if (exit.code !== 0) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return { ...base, status: 'failed', message: withWarnings(`The step ${how}.`) };
  }
  if (run.expected) {
    const expected = checkExpected(base.output, run.expected, buffer.dropped > 0);
    return { ...base, status: expected.ok ? 'passed' : 'failed', expected, message: withWarnings(expected.ok ? undefined : expected.message) };
  }
  const message = withWarnings(undefined);
  return message ? { ...base, message } : base;
}

/** The processes (and open pipes) a step left behind when it ended by itself. */
function backgroundOf(
  tree: ProcessTree,
  pipes: Readable[],
  drained: Promise<void>,
  decoders: Record<CodeStream, StringDecoder>,
  masker: SecretMasker,
  listen: (listener: (text: string, stream: CodeStream) => void) => void,
): BackgroundProcesses {
  // The pipes no longer keep this process alive: a script may exit while they are still open.
  for (const pipe of pipes) (pipe as unknown as { unref?: () => void }).unref?.();
  let stopped = false;
  let listener: ((text: string, stream: CodeStream) => void) | undefined;
  void drained.then(() => {
    const rest = masker.flush() + decoders.stdout.end() + decoders.stderr.end();
    if (rest) listener?.(rest, 'stdout');
  });
  const members = (): BackgroundProcess[] => {
    const pids = tree.container ? containerMembers(tree.container).filter(isAlive) : treeMembers(tree);
    if (pids.length === 0 && tree.container) removeContainer(tree.container);
    return pids.map((pid) => ({ pid, command: commandLine(pid) }));
  };
  return {
    tree,
    members,
    onOutput(next) {
      listener = next;
      listen(next);
    },
    async stop(graceMs = 2000) {
      if (stopped) return;
      stopped = true;
      await stopTree(tree, graceMs);
      await Promise.race([drained, new Promise((r) => setTimeout(r, DRAIN_MS))]);
      for (const pipe of pipes) pipe.destroy();
    },
  };
}
