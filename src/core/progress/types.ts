// Progress of runbook runs: plain data, stored as JSON apart from the runbook file, which is never
// modified by any of this.

import type { StepState } from '../run/state';

export type { StepState } from '../run/state';

/** The states a record can hold; `pending` and `stale` are derived, and `queued` lives only while a run waits. */
export type RecordedState = Exclude<StepState, 'pending' | 'stale' | 'queued'>;

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
  /** Difference between expected and actual output, when the expected-output check failed (cut to a few KiB). */
  diff?: string;
  /** Bytes of output the engine did not keep (it keeps the newest). */
  droppedBytes?: number;
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

/** Where a step ran: the editor, the `runbook` command, a CI workflow, or a run an alert started. */
export type RunOrigin = 'editor' | 'cli' | 'ci' | 'alert';

/**
 * One line of the history log (`history.jsonl`): one execution of one step, or one manual step
 * checked off or skipped. Every front end writes this one format (the editor, the `runbook`
 * command, generated scripts in CI, the alert bridge) and insights read it. Fields added after the
 * first version are optional so older lines still read: no `where` means `editor`, no `kind` means
 * `code`, no `runId` means the line belongs to no recorded run (insights group such lines into
 * sittings).
 */
export interface HistoryEntry {
  /** The runbook's path relative to the workspace folder or repository root, `/`-separated. */
  runbook: string;
  runbookTitle: string;
  step: string;
  stepTitle: string;
  /** A code step's execution, or a manual step checked off or skipped. */
  kind?: 'code' | 'manual';
  who: string;
  where?: RunOrigin;
  /** One Run all / Continue / single Run in the editor, one CLI or script invocation, one workflow run, one bridge dispatch. */
  runId?: string;
  /** ISO time the step started (for a manual step: when it was checked off or skipped). */
  at: string;
  /** How long the step ran; for a manual step, how long it waited for the person (0 when unknown). */
  durationMs: number;
  /** Code steps: passed, failed, timed-out, cancelled, skipped. Manual steps: checked, skipped. */
  result: string;
  exitCode?: number;
  /** Non-secret input values only. */
  inputs: Record<string, string>;
}
