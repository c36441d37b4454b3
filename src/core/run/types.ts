// What the engine is asked to run and what it reports back. Plain data.

import type { CodeResult } from './stepProcess';
import type { RunStatus } from './state';

export type { RunStatus, StepState } from './state';
export type { ExpectedCheck } from './expected';
export type { BackgroundProcess, BackgroundProcesses } from './stepProcess';

/** A step's result: what its code produced (the processes it left running are reported apart). */
export interface StepResult extends Omit<CodeResult, 'background' | 'status'> {
  stepId: string;
  status: RunStatus;
}

export type OutputStream = 'stdout' | 'stderr';
export type OutputListener = (text: string, stream: OutputStream) => void;
