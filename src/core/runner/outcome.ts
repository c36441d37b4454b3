// How a run ended, in words a front end can act on: each reason says what is needed to go on, so
// the editor can show a message and the CLI can print one and exit with the matching code.

import type { ImplicitInput } from '../runbook';
import type { RunStatus, StepResult } from '../run/types';

export type BlockReason =
  /** The step (or Run all) is already queued or running: the request was ignored. */
  | 'busy'
  | 'no-such-step'
  | 'not-confirmed'
  /** An implicit input (placeholder, unset variable) got no value. */
  | 'missing-input'
  /** A value fails its input's rules, or must not be set at all. */
  | 'invalid-input'
  /** Run all reached a manual step that is not done; it waits for a person. */
  | 'manual-step'
  /** Run all stops before an interactive step: a person runs it in a terminal. */
  | 'interactive-step'
  /** The runbook changed while Run all ran; it stops rather than guess. */
  | 'document-changed'
  /** The front end failed while asking (a dialog, a store); the message says how. */
  | 'front-end-error'
  /** The runbook's front matter has errors, so its inputs, environment or confirmations may be misread. */
  | 'invalid-runbook';

export interface ValueProblem {
  name: string;
  message: string;
  /** The step that uses the value, when one does. */
  stepId?: string;
}

export interface RunOutcome {
  runId: string;
  /** `passed`: everything planned passed (or was done already). */
  status: RunStatus | 'blocked';
  reason?: BlockReason;
  /** The item the run ended at: the failing step, or where it was blocked. */
  stepId?: string;
  stepTitle?: string;
  /** For `missing-input`: every implicit input that got no value. */
  missing?: Array<ImplicitInput & { stepId: string }>;
  /** For `invalid-input`: what is wrong with which value. */
  problems?: ValueProblem[];
  /** For `not-confirmed`: why the step asks. */
  confirmReasons?: string[];
  /** Results of the code steps that ran, in order. */
  results: StepResult[];
  /** Manual steps skipped in this run (left for a person). */
  manualSkipped: string[];
  /** One sentence for a log. Front ends phrase their own messages from the fields above. */
  message: string;
}

/**
 * The command-line exit code of an outcome (documented in the README): 0 all passed, 1 a step
 * failed, 2 bad usage or invalid input, 3 confirmation or a person needed, 124 timeout, 130
 * interrupted.
 */
export function exitCodeOf(outcome: Pick<RunOutcome, 'status' | 'reason'>): number {
  switch (outcome.status) {
    case 'passed':
      return 0;
    case 'failed':
      return 1;
    case 'timed-out':
      return 124;
    case 'cancelled':
      return 130;
    case 'blocked':
      switch (outcome.reason) {
        case 'missing-input':
        case 'invalid-input':
        case 'no-such-step':
        case 'invalid-runbook':
          return 2;
        case 'not-confirmed':
        case 'manual-step':
        case 'interactive-step':
          return 3;
        default:
          return 1;
      }
  }
}
