// One runbook's runs: steps go one at a time in the order asked, shell steps share a session, and
// Stop reaches whichever step is running. Processes a step left running when it ended by itself (a
// server started with `&`, as in a terminal) belong to the session: their output keeps being read
// into the session's background log (so they never die of SIGPIPE), they are listed, and they are
// stopped on request, on Reset Session and when the session is disposed.

import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ShellSession } from './shellSession';
import type { BackgroundProcess, BackgroundProcesses } from './stepProcess';
import { runStep, type RunStepOptions } from './stepRunner';
import type { StepResult } from './types';

export type SessionRunOptions = Omit<RunStepOptions, 'session' | 'signal'>;

/** A process a step of this session left running. */
export interface SessionBackgroundProcess extends BackgroundProcess {
  stepId: string;
  /** When the step that started it began (epoch milliseconds). */
  startedAt: number;
}

export interface RunbookSessionOptions {
  /** The list of background processes changed: a step left some, or they were stopped. */
  onBackgroundChange?: (processes: SessionBackgroundProcess[]) => void;
  /** A background process wrote `text` (secrets masked as in its step's output). */
  onBackgroundOutput?: (text: string, stepId: string) => void;
}

/** The background log stops growing here; a line says that later output was dropped. */
const BACKGROUND_LOG_LIMIT = 8 * 1024 * 1024;

export class RunbookSession {
  private readonly shell = new ShellSession();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly running = new Map<string, AbortController>();
  private readonly leftovers: Array<{ stepId: string; startedAt: number; processes: BackgroundProcesses }> = [];
  private log: { path: string; stream: WriteStream; bytes: number } | undefined;

  constructor(private readonly options: RunbookSessionOptions = {}) {}

  /** Queues a step; resolves with its result once it and every step queued before it have run. */
  run(options: SessionRunOptions): Promise<StepResult> {
    const controller = new AbortController();
    this.running.set(options.step.id, controller);
    const result = this.queue.then(() =>
      runStep({
        ...options,
        session: this.shell,
        signal: controller.signal,
        onBackground: (processes) => {
          this.adopt(options.step.id, processes, Date.now());
          options.onBackground?.(processes);
        },
      }),
    );
    this.queue = result.catch(() => undefined);
    return result.finally(() => {
      if (this.running.get(options.step.id) === controller) this.running.delete(options.step.id);
    });
  }

  /** Stops the step (running or queued); a queued step then ends as cancelled without starting. */
  stop(stepId: string): boolean {
    const controller = this.running.get(stepId);
    controller?.abort();
    return controller !== undefined;
  }

  stopAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  isQueuedOrRunning(stepId: string): boolean {
    return this.running.has(stepId);
  }

  get shellSession(): ShellSession {
    return this.shell;
  }

  /** The processes steps of this session left running that still run ("2 background processes"). */
  background(): SessionBackgroundProcess[] {
    const list: SessionBackgroundProcess[] = [];
    for (let i = this.leftovers.length - 1; i >= 0; i--) {
      const { stepId, startedAt, processes } = this.leftovers[i];
      const members = processes.members();
      if (members.length === 0) this.leftovers.splice(i, 1);
      list.unshift(...members.map((member) => ({ ...member, stepId, startedAt })));
    }
    return list;
  }

  /** The file the background processes' output goes to, once a step left any. */
  get backgroundLogPath(): string | undefined {
    return this.log?.path;
  }

  /** What the background processes wrote so far (secrets masked), empty when none did. */
  async readBackgroundLog(): Promise<string> {
    if (!this.log) return '';
    const { path, stream } = this.log;
    // An empty write's callback runs once everything written before it reached the file.
    await new Promise<void>((resolveFlush) => stream.write('', () => resolveFlush()));
    return readFile(path, 'utf8').catch(() => '');
  }

  /** Stops every background process (SIGTERM, then SIGKILL); resolves with how many there were. */
  async stopBackground(): Promise<number> {
    const count = this.background().length;
    const leftovers = this.leftovers.splice(0);
    await Promise.all(leftovers.map(({ processes }) => processes.stop()));
    if (leftovers.length > 0) this.options.onBackgroundChange?.(this.background());
    return count;
  }

  /**
   * Clears exported variables and the directory and stops the background processes; steps then
   * start fresh. Steps queued after the reset wait until the background processes are gone.
   */
  reset(): Promise<void> {
    this.shell.reset();
    const stopping = this.stopBackground().then(() => undefined);
    this.queue = this.queue.then(() => stopping);
    return stopping;
  }

  async dispose(): Promise<void> {
    this.stopAll();
    await this.queue;
    await this.stopBackground();
    if (this.log) await new Promise<void>((resolveClose) => this.log!.stream.end(() => resolveClose()));
    this.log = undefined;
    await this.shell.dispose();
  }

  private adopt(stepId: string, processes: BackgroundProcesses, startedAt: number): void {
    this.leftovers.push({ stepId, startedAt, processes });
    const pids = processes.members().map((member) => member.pid);
    this.writeLog(`── step ${stepId} left ${pids.length} background process${pids.length === 1 ? '' : 'es'} running${pids.length ? ` (pid ${pids.join(', ')})` : ''}; their output follows ──\n`);
    processes.onOutput((text) => {
      this.writeLog(text);
      this.options.onBackgroundOutput?.(text, stepId);
    });
    this.options.onBackgroundChange?.(this.background());
  }

  private writeLog(text: string): void {
    // A session folder removed meanwhile (a /tmp cleaner, a person) is made again by the next step:
    // the log follows it, so the one the preview opens is one that exists.
    if (this.log && this.shell.folderPath && dirname(this.log.path) !== this.shell.folderPath) {
      this.log.stream.end();
      this.log = undefined;
    }
    if (!this.log) {
      // The session folder exists: the step that left the processes had its code file in it.
      const path = join(this.shell.folderPath ?? '.', 'background.log');
      this.log = { path, stream: createWriteStream(path, { flags: 'a', mode: 0o600 }), bytes: 0 };
      this.log.stream.on('error', () => undefined);
    }
    if (this.log.bytes >= BACKGROUND_LOG_LIMIT) return;
    const bytes = Buffer.byteLength(text);
    this.log.bytes += bytes;
    this.log.stream.write(this.log.bytes >= BACKGROUND_LOG_LIMIT ? `${text}\n── background log full (${BACKGROUND_LOG_LIMIT / 1024 / 1024} MiB); later output is dropped ──\n` : text);
  }
}
