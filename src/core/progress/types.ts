// Progress of runbook runs: plain data, stored as JSON apart from the runbook file, which is never
// modified by any of this.

/** What a step shows. `pending`: never ran; `stale`: its code changed since it last ran. */
export type StepState = 'pending' | 'running' | 'passed' | 'failed' | 'timed-out' | 'cancelled' | 'skipped' | 'stale';

/** The states a record can hold; `pending` and `stale` are derived, never stored. */
export type RecordedState = Exclude<StepState, 'pending' | 'stale'>;

export interface StepRecord {
  state: RecordedState;
  exitCode?: number;
  /** The signal that ended the step, when one did. */
  signal?: string;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs?: number;
  /** The last lines of the output, secrets already masked. */
  outputTail?: string;
  /** True when `outputTail` is not the whole output. */
  outputTruncated?: boolean;
  message?: string;
  /** `codeHash(step)` of the code that ran; a step whose hash differs now is stale. */
  codeHash: string;
}

export interface ManualRecord {
  checked: boolean;
  /** Skipped on purpose (checked is false then). */
  skipped?: boolean;
  /** Epoch milliseconds of the check or skip. */
  at: number;
}

export interface RunbookProgress {
  /** Keyed by step id. */
  steps: Record<string, StepRecord>;
  /** Keyed by manual step id. */
  manual: Record<string, ManualRecord>;
  /** Epoch milliseconds of the latest activity: a step's start or end, a check or a skip. */
  lastRunAt?: number;
}

export const PROGRESS_FORMAT = 'executable-runbooks.progress';
export const PROGRESS_VERSION = 1;

export interface ProgressFile {
  format: typeof PROGRESS_FORMAT;
  version: typeof PROGRESS_VERSION;
  /** Keyed by a runbook key the caller chooses (e.g. the workspace-relative path). */
  runbooks: Record<string, RunbookProgress>;
}

/** One line of the history log: one execution of one step. */
export interface HistoryEntry {
  /** The runbook key (e.g. workspace-relative path). */
  runbook: string;
  runbookTitle: string;
  step: string;
  stepTitle: string;
  who: string;
  /** ISO time the step started. */
  at: string;
  durationMs: number;
  /** The run status: passed, failed, timed-out, cancelled. */
  result: string;
  exitCode?: number;
  /** Non-secret input values only. */
  inputs: Record<string, string>;
}
