// What the engine is asked to run and what it reports back. Plain data.

export type RunStatus = 'passed' | 'failed' | 'timed-out' | 'cancelled';

export interface ExpectedCheck {
  ok: boolean;
  /** A unified-style difference between expected and actual output, when they differ. */
  diff?: string;
  message: string;
}

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
}

export type OutputStream = 'stdout' | 'stderr';
export type OutputListener = (text: string, stream: OutputStream) => void;
