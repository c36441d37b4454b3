// One runbook's runs: steps go one at a time in the order asked, shell steps share a session, and
// Stop reaches whichever step is running.

import { ShellSession } from './shellSession';
import { runStep, type RunStepOptions } from './stepRunner';
import type { StepResult } from './types';

export type SessionRunOptions = Omit<RunStepOptions, 'session' | 'signal'>;

export class RunbookSession {
  private readonly shell = new ShellSession();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly running = new Map<string, AbortController>();

  /** Queues a step; resolves with its result once it and every step queued before it have run. */
  run(options: SessionRunOptions): Promise<StepResult> {
    const controller = new AbortController();
    this.running.set(options.step.id, controller);
    const result = this.queue.then(() => runStep({ ...options, session: this.shell, signal: controller.signal }));
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

  /** Clears exported variables and the directory; steps then start fresh. */
  reset(): void {
    this.shell.reset();
  }

  async dispose(): Promise<void> {
    this.stopAll();
    await this.queue;
    await this.shell.dispose();
  }
}
