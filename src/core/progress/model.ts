// The progress model: pure transitions over `RunbookProgress`. Every function returns a new object
// and leaves its input alone, so a view can keep the old state and compare.

import { createHash } from 'node:crypto';
import type { ManualStep, Runbook, RunbookItem, Step } from '../runbook/types';
import type { StepResult } from '../run/types';
import type { ManualRecord, RunbookProgress, StepRecord, StepState } from './types';

export const INTERRUPTED_MESSAGE = 'interrupted (the window was reloaded or closed)';

const hashes = new WeakMap<Step, string>();

/**
 * A short sha256 (16 hex digits) of what the step runs: its language and its code, with trailing
 * spaces and blank lines ignored as step identity ignores them. A step whose hash changed since it
 * ran is stale.
 */
export function codeHash(step: Step): string {
  let hash = hashes.get(step);
  if (hash === undefined) {
    const code = step.code.replace(/[ \t]+$/gm, '').replace(/\s+$/, '');
    hash = createHash('sha256').update(`${step.language}\n${code}`).digest('hex').slice(0, 16);
    hashes.set(step, hash);
  }
  return hash;
}

/** The last `maxLines` lines of `output`, at most `maxChars` characters, and whether that cut anything. */
export function tailOf(output: string, maxLines = 20, maxChars = 4000): { tail: string; truncated: boolean } {
  let text = output.endsWith('\r\n') ? output.slice(0, -2) : output.endsWith('\n') ? output.slice(0, -1) : output;
  let truncated = false;
  const lines = text.split('\n');
  if (lines.length > maxLines) {
    text = lines.slice(lines.length - Math.max(0, maxLines)).join('\n');
    truncated = true;
  }
  if (text.length > maxChars) {
    text = text.slice(text.length - Math.max(0, maxChars));
    // Never start with the second half of a surrogate pair.
    const first = text.charCodeAt(0);
    if (first >= 0xdc00 && first <= 0xdfff) text = text.slice(1);
    truncated = true;
  }
  return { tail: text, truncated };
}

/** The last `maxLines` lines of `output`, at most `maxChars` characters (a final newline is not a line). */
export function outputTail(output: string, maxLines = 20, maxChars = 4000): string {
  return tailOf(output, maxLines, maxChars).tail;
}

export function emptyProgress(): RunbookProgress {
  return { steps: {}, manual: {} };
}

/** Whether the progress holds nothing worth storing. */
export function isEmptyProgress(p: RunbookProgress): boolean {
  return Object.keys(p.steps).length === 0 && Object.keys(p.manual).length === 0 && p.lastRunAt === undefined;
}

/** Sets an own property even for a key like `__proto__`. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function later(a: number | undefined, b: number): number {
  return a === undefined || b > a ? b : a;
}

function withStep(p: RunbookProgress, id: string, record: StepRecord, at: number): RunbookProgress {
  return { ...p, steps: { ...p.steps, [id]: record }, manual: { ...p.manual }, lastRunAt: later(p.lastRunAt, at) };
}

function withManual(p: RunbookProgress, id: string, record: ManualRecord | undefined): RunbookProgress {
  const manual = { ...p.manual };
  if (record) setOwn(manual, id, record);
  else delete manual[id];
  const next = { ...p, steps: { ...p.steps }, manual };
  if (record) next.lastRunAt = later(p.lastRunAt, record.at);
  return next;
}

/** Leaves out keys whose value is undefined, so stored records stay small and compare simply. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The step started at `at`: it shows running until its result arrives. */
export function recordStart(p: RunbookProgress, step: Step, at: number): RunbookProgress {
  return withStep(p, step.id, { state: 'running', startedAt: at, codeHash: codeHash(step) }, at);
}

/** A stored difference is for reading, not for diffing again: its first lines are enough. */
const MAX_DIFF_LINES = 200;
const MAX_DIFF_CHARS = 8000;

function cutDiff(diff: string): string {
  const lines = diff.split('\n');
  let cut = lines.length > MAX_DIFF_LINES ? `${lines.slice(0, MAX_DIFF_LINES).join('\n')}\n…` : diff;
  if (cut.length > MAX_DIFF_CHARS) cut = `${cut.slice(0, MAX_DIFF_CHARS)}\n…`;
  return cut;
}

/** The step's result (from the engine; its output is already masked) replaces whatever was there. */
export function recordResult(p: RunbookProgress, step: Step, result: StepResult): RunbookProgress {
  const { tail, truncated } = tailOf(result.output ?? '');
  const expectedMessage = result.expected && !result.expected.ok ? result.expected.message : undefined;
  const record: StepRecord = compact({
    state: result.status,
    exitCode: result.exitCode,
    signal: result.signal,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    outputTail: tail === '' ? undefined : tail,
    outputTruncated: truncated || result.droppedBytes > 0 ? true : undefined,
    message: result.message ?? expectedMessage,
    diff: result.expected?.diff ? cutDiff(result.expected.diff) : undefined,
    droppedBytes: result.droppedBytes > 0 ? result.droppedBytes : undefined,
    codeHash: codeHash(step),
  });
  return withStep(p, step.id, record, result.startedAt + Math.max(0, result.durationMs || 0));
}

/**
 * The user skipped the item. A code step becomes `skipped`; a manual step is recorded unchecked
 * with `skipped: true`. Both count as done for `summarize` and `nextItem`.
 */
export function recordSkip(p: RunbookProgress, step: RunbookItem, at: number): RunbookProgress {
  if (step.kind === 'manual') return withManual(p, step.id, { checked: false, skipped: true, at });
  return withStep(p, step.id, { state: 'skipped', startedAt: at, codeHash: codeHash(step) }, at);
}

/** A manual step checked (recorded with its time) or unchecked (its record is removed: pending again). */
export function recordManual(p: RunbookProgress, step: ManualStep, checked: boolean, at: number): RunbookProgress {
  return withManual(p, step.id, checked ? { checked: true, at } : undefined);
}

/** Forgets the item's record (code or manual step): it shows pending. Returns `p` when there is none. */
export function resetStep(p: RunbookProgress, itemId: string): RunbookProgress {
  const inSteps = Object.hasOwn(p.steps, itemId);
  const inManual = Object.hasOwn(p.manual, itemId);
  if (!inSteps && !inManual) return p;
  const steps = { ...p.steps };
  const manual = { ...p.manual };
  delete steps[itemId];
  delete manual[itemId];
  return { ...p, steps, manual };
}

export interface ReconcileOptions {
  /**
   * Ids of the steps running in this process right now. When given, a record still `running` whose
   * step is not among them (left by a window that was reloaded or closed mid-run) becomes
   * `cancelled` with INTERRUPTED_MESSAGE. When left out, running records are kept as they are.
   * Pass an empty list after a reload.
   */
  activeStepIds?: Iterable<string>;
}

/**
 * Fits stored progress to the runbook as it is now: records of steps and manual steps that no longer
 * exist are dropped (an unnamed step whose code changed has a new id, so its old record goes; a named
 * one keeps its id and shows stale), and interrupted runs are closed (see ReconcileOptions).
 * Returns `p` itself when nothing changed, so a caller can skip saving.
 */
export function reconcile(p: RunbookProgress, runbook: Runbook, options: ReconcileOptions = {}): RunbookProgress {
  const stepIds = new Set(runbook.steps.map((s) => s.id));
  const manualIds = new Set(runbook.manualSteps.map((s) => s.id));
  const active = options.activeStepIds === undefined ? undefined : new Set(options.activeStepIds);
  let changed = false;

  const steps: Record<string, StepRecord> = {};
  for (const [id, record] of Object.entries(p.steps)) {
    if (!stepIds.has(id)) {
      changed = true;
    } else if (record.state === 'running' && active && !active.has(id)) {
      setOwn(steps, id, { state: 'cancelled', startedAt: record.startedAt, message: INTERRUPTED_MESSAGE, codeHash: record.codeHash });
      changed = true;
    } else {
      setOwn(steps, id, record);
    }
  }
  const manual: Record<string, ManualRecord> = {};
  for (const [id, record] of Object.entries(p.manual)) {
    if (manualIds.has(id)) setOwn(manual, id, record);
    else changed = true;
  }
  return changed ? { ...p, steps, manual } : p;
}

/** What the step shows: `pending` with no record, `stale` when its code changed since it ran (a running step shows running). */
export function stepState(p: RunbookProgress, step: Step): StepState {
  const record = Object.hasOwn(p.steps, step.id) ? p.steps[step.id] : undefined;
  if (!record) return 'pending';
  if (record.state === 'running') return 'running';
  return record.codeHash === codeHash(step) ? record.state : 'stale';
}

export type ManualState = 'pending' | 'checked' | 'skipped';

export function manualState(p: RunbookProgress, step: ManualStep): ManualState {
  const record = Object.hasOwn(p.manual, step.id) ? p.manual[step.id] : undefined;
  if (record?.checked) return 'checked';
  return record?.skipped ? 'skipped' : 'pending';
}

export function manualChecked(p: RunbookProgress, step: ManualStep): boolean {
  return manualState(p, step) === 'checked';
}

/** Whether an item counts as done: a code step passed or skipped (and not stale), a manual step checked or skipped. */
export function itemDone(p: RunbookProgress, item: RunbookItem): boolean {
  if (item.kind === 'manual') return manualState(p, item) !== 'pending';
  const state = stepState(p, item);
  return state === 'passed' || state === 'skipped';
}

/** A `skip` step (never part of Run all) that has no record yet is optional: it counts nowhere. */
function optionalUntouched(p: RunbookProgress, item: RunbookItem): boolean {
  return item.kind === 'code' && item.attributes.skip && !Object.hasOwn(p.steps, item.id);
}

export interface ProgressSummary {
  /** Code steps passed or skipped plus manual steps checked or skipped. */
  done: number;
  /** Code steps plus manual steps (a `skip` step counts only once it has a record). */
  total: number;
  /** Code steps failed or timed out. */
  failed: number;
  /** Code steps whose code changed since they ran. */
  stale: number;
  /** Title of the first running step, if any. */
  running?: string;
  lastRunAt?: number;
}

export function summarize(p: RunbookProgress, runbook: Runbook): ProgressSummary {
  const summary: ProgressSummary = { done: 0, total: 0, failed: 0, stale: 0 };
  for (const item of runbook.items) {
    if (optionalUntouched(p, item)) continue;
    summary.total++;
    if (itemDone(p, item)) summary.done++;
    if (item.kind !== 'code') continue;
    const state = stepState(p, item);
    if (state === 'failed' || state === 'timed-out') summary.failed++;
    else if (state === 'stale') summary.stale++;
    else if (state === 'running' && summary.running === undefined) summary.running = item.title;
  }
  if (p.lastRunAt !== undefined) summary.lastRunAt = p.lastRunAt;
  return summary;
}

/**
 * Where "Continue" resumes: the first item in document order that is not done. Steps marked `skip`
 * (never part of Run all) are passed over.
 */
export function nextItem(p: RunbookProgress, runbook: Runbook): RunbookItem | undefined {
  return runbook.items.find((item) => !(item.kind === 'code' && item.attributes.skip) && !itemDone(p, item));
}
