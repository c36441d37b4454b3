// What the engine is asked to run and what it reports back. Plain data.

import type { ExpectedCheck } from './expected';
import type { RunStatus } from './state';

export type { RunStatus, StepState } from './state';
export type { ExpectedCheck } from './expected';
export type { BackgroundProcess, BackgroundProcesses } from './stepProcess';

export interface StepResult {
  stepId: string;
  status: RunStatus;
  /** Undefined when the step never started or was killed by a signal. */
  exitCode?: number;
  signal?: string;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs: number;
  /** The newest output (stdout and stderr interleaved, secrets masked). */
  output: string;
  /** Bytes of output not kept in `output`. */
  droppedBytes: number;
  totalBytes: number;
  /** Why the step failed without running, or how it ended, for a person to read. */
  message?: string;
  /** True when the step could not start (missing interpreter, cwd, input). */
  notStarted?: boolean;
  expected?: ExpectedCheck;
  /**
   * Things a person should know that did not fail the step, also appended to `message`: its
   * exports and directory were not carried over (its own `trap … EXIT`, `exec`, a kill), or the
   * directory an earlier step changed to no longer exists.
   */
  warnings?: string[];
}

export type OutputStream = 'stdout' | 'stderr';
export type OutputListener = (text: string, stream: OutputStream) => void;
