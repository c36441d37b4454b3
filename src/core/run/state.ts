// The one vocabulary of a step's state, shared by the engine (how a run ended), the progress
// records (what is stored), the run orchestration (what is live) and every view. No translation
// tables: each of those uses a subset of this one type.

/**
 * `pending`: never ran (or its record was reset). `queued`: asked to run, waiting for the step
 * before it. `stale`: its code changed since it last ran. The rest say how the last run ended.
 */
export type StepState = 'pending' | 'queued' | 'running' | 'passed' | 'failed' | 'timed-out' | 'cancelled' | 'skipped' | 'stale';

/** How a step's execution ended. */
export type RunStatus = Extract<StepState, 'passed' | 'failed' | 'timed-out' | 'cancelled'>;

/** Whether a step in this state is queued or running now. */
export function isActiveState(state: StepState): state is 'queued' | 'running' {
  return state === 'queued' || state === 'running';
}
