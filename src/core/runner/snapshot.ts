// What every view shows of a step: live while it is queued or running, else its record. One
// function, so the preview, the Steps view, CodeLens, the status bar and the CLI agree.

import { stepState } from '../progress/model';
import type { RunbookProgress } from '../progress/types';
import type { Step } from '../runbook';
import type { StepState } from '../run/state';

export interface StepSnapshot {
  status: StepState;
  exitCode?: number;
  signal?: string;
  durationMs?: number;
  /** Epoch ms when the step started, for a running timer. */
  startedAt?: number;
  message?: string;
  /** Difference between expected and actual output, when that check failed. */
  diff?: string;
  /** Bytes of output that were not kept. */
  droppedBytes?: number;
}

export const STALE_MESSAGE = 'The code changed since this step last ran.';

/** The snapshot of a step from its record (no live run). */
export function recordedSnapshot(progress: RunbookProgress, step: Step): StepSnapshot {
  const state = stepState(progress, step);
  const record = Object.hasOwn(progress.steps, step.id) ? progress.steps[step.id] : undefined;
  if (!record || state === 'pending') return { status: 'pending' };
  // A record still "running" with no live run behind it was interrupted (a reload); reconcile
  // rewrites it, and until then it must not offer Stop.
  const status: StepState = state === 'running' ? 'cancelled' : state;
  const snapshot: StepSnapshot = { status, startedAt: record.startedAt };
  if (record.exitCode !== undefined) snapshot.exitCode = record.exitCode;
  if (record.signal !== undefined) snapshot.signal = record.signal;
  if (record.durationMs !== undefined) snapshot.durationMs = record.durationMs;
  if (state === 'stale') snapshot.message = STALE_MESSAGE;
  else {
    if (record.message !== undefined) snapshot.message = record.message;
    if (record.diff !== undefined) snapshot.diff = record.diff;
  }
  if (record.droppedBytes !== undefined) snapshot.droppedBytes = record.droppedBytes;
  return snapshot;
}
