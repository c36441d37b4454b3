// The one-box target: the alert starts `runbook run` as a real process on this machine, headless,
// with the filled inputs as `--input NAME=value` arguments (argv, never code text), manual steps
// left for a person (`--skip-manual`), JSONL events to a log file per run, and the history log. Only
// an `automation: auto` runbook gets `--yes`; `approve` never reaches here, since nothing on one box
// could hold the run for an approval. The bridge's own secrets are taken out of the run's environment.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuditRecord, DispatchResult } from './audit';
import type { LocalTarget } from './config';
import type { Dispatcher, DispatchRequest } from './dispatch';

export interface LocalRunOptions {
  target: LocalTarget;
  /** The runbook command as argv (`node dist/cli.js`). */
  command: string[];
  /** Repository root: runbook paths are relative to it, and runs start in it. */
  root: string;
  /** Environment variables the runs must not inherit (the bridge's tokens and secrets). */
  withheld: string[];
  /** Told when a run ends, for the audit log. */
  onRunEnd: (record: Extract<AuditRecord, { kind: 'run-end' }>) => void;
}

/** How long close() lets a run stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5000;

export class LocalRunDispatcher implements Dispatcher {
  readonly target = 'local' as const;
  private readonly running = new Map<ChildProcess, Promise<void>>();

  constructor(private readonly options: LocalRunOptions) {}

  /** The argv of the run: what a person would type, values as separate arguments. */
  static runArguments(request: DispatchRequest, history: string): string[] {
    const args = ['run', request.decision.runbook];
    for (const [name, value] of Object.entries(request.decision.inputs)) args.push('--input', `${name}=${value}`);
    args.push('--skip-manual', '--reporter', 'jsonl', '--history', history);
    if (request.decision.automation === 'auto') args.push('--yes');
    return args;
  }

  async dispatch(request: DispatchRequest): Promise<DispatchResult> {
    const started = performance.now();
    const { target, command, root } = this.options;
    const id = request.decision.correlationId;
    const logBase = join(target.logs, id.replace(/[^\w.-]/g, '_'));
    const env: NodeJS.ProcessEnv = { ...process.env, RUNBOOK_WHERE: 'alert', RUNBOOK_RUN_ID: id };
    for (const name of this.options.withheld) delete env[name];
    let stdout, stderr;
    try {
      await mkdir(target.logs, { recursive: true });
      stdout = await open(`${logBase}.jsonl`, 'a', 0o600);
      stderr = await open(`${logBase}.log`, 'a', 0o600);
    } catch (error) {
      await stdout?.close();
      return { ok: false, id, error: `cannot open the run's log in ${target.logs}: ${(error as Error).message}`, durationMs: performance.now() - started };
    }
    const args = [...command.slice(1), ...LocalRunDispatcher.runArguments(request, target.history)];
    const child = spawn(command[0], args, { cwd: root, env, stdio: ['ignore', stdout.fd, stderr.fd], detached: true });
    const spawned = await new Promise<string | undefined>((settle) => {
      child.once('spawn', () => settle(undefined));
      child.once('error', (error) => settle(error.message));
    });
    await Promise.all([stdout.close(), stderr.close()]);
    if (spawned !== undefined) return { ok: false, id, error: `cannot start ${command[0]}: ${spawned}`, durationMs: performance.now() - started };
    const exited = new Promise<void>((settle) => {
      child.once('exit', (exitCode, signal) => {
        this.running.delete(child);
        this.options.onRunEnd({
          kind: 'run-end',
          time: new Date().toISOString(),
          correlationId: id,
          runbook: request.decision.runbook,
          exitCode,
          signal,
          durationMs: Math.round(performance.now() - started),
          log: `${logBase}.jsonl`,
        });
        settle();
      });
    });
    this.running.set(child, exited);
    return { ok: true, id, engineId: String(child.pid), url: resolve(`${logBase}.jsonl`), durationMs: performance.now() - started };
  }

  /** Runs still going. */
  get active(): number {
    return this.running.size;
  }

  /** Resolves once every run started so far has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  /**
   * Asks every run to stop (SIGTERM to the CLI, which stops its step and reports the run
   * cancelled), then kills the process group of any run still going after a grace period.
   */
  async close(): Promise<void> {
    for (const child of this.running.keys()) child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const child of this.running.keys()) {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }, STOP_GRACE_MS);
    await this.idle();
    clearTimeout(timer);
  }
}
