// The event stream of runs: what the orchestration reports as it goes. The preview, the Steps
// view, the CLI's reporters (pretty, JSONL, JUnit, Markdown) and the history are all consumers of
// this one stream, so they never disagree about what happened.

import type { OutputStream, StepResult } from '../run/types';
import type { RunOutcome } from './outcome';

/** Which runbook a run belongs to. */
export interface RunbookRef {
  /** The key progress and history use: the path relative to the workspace folder or repository root. */
  key: string;
  title: string;
  /** Absolute path of the file, when there is one. */
  path?: string;
}

export type RunEvent =
  /** A Run (one step) or Run all started; `items` are the ids it plans to go through, in order. */
  | { type: 'run-start'; runId: string; at: number; runbook: RunbookRef; mode: 'step' | 'all'; items: string[] }
  /** A step was confirmed and has its values: it waits for the steps queued before it. */
  | { type: 'step-queued'; runId: string; stepId: string; at: number }
  | { type: 'step-start'; runId: string; stepId: string; title: string; at: number }
  | { type: 'output'; runId: string; stepId: string; text: string; stream: OutputStream }
  | { type: 'step-end'; runId: string; stepId: string; title: string; result: StepResult }
  /** Run all passed over a code step: marked `skip`, or skipped by hand in the progress. */
  | { type: 'step-skipped'; runId: string; stepId: string; title: string; reason: 'skip-attribute' | 'skipped-by-hand' }
  /** A manual step was checked off or skipped (in a run, or by hand when `runId` is absent). */
  | { type: 'manual-step'; runId?: string; stepId: string; title: string; result: 'checked' | 'unchecked' | 'skipped' }
  /** The processes steps left running in the background changed (a step left some, they ended or were stopped). */
  | { type: 'background'; processes: Array<{ pid: number; command: string; stepId: string; startedAt: number }> }
  /** A background process wrote to the session's background log. */
  | { type: 'background-output'; stepId: string; text: string }
  /** Records changed outside a run (reset, reconcile, skip): views redraw these items. */
  | { type: 'progress'; stepIds: string[] | 'all' }
  | { type: 'run-end'; runId: string; at: number; outcome: RunOutcome };

export type RunListener = (event: RunEvent) => void;

/**
 * A synchronous event source. A listener that throws is reported to `onListenerError` and does
 * not stop the others (a broken view must not stop a run from being recorded).
 */
export class EventHub<T> {
  private readonly listeners = new Set<(event: T) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  /** Adds a listener; the returned function removes it. */
  on(listener: (event: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
