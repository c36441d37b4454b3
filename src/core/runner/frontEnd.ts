// What the orchestration asks of a front end: the only things that differ between the editor
// (dialogs, input boxes, SecretStorage) and the command line (flags, the environment, a TTY
// prompt, or an immediate "give --yes"). Every rule about when to ask lives in the runner.

import type { ImplicitInput, ManualStep, Runbook, Step } from '../runbook';

export interface ConfirmRequest {
  runbook: Runbook;
  step: Step;
  /** Why it asks: the step is marked confirm, the runbook is production, the code is dangerous. */
  reasons: string[];
}

export interface ValueRequest {
  runbook: Runbook;
  step: Step;
  input: ImplicitInput;
}

export interface ManualRequest {
  runbook: Runbook;
  step: ManualStep;
}

/** `done`: the person did it now; `skip`: leave it for a person and go on; `stop`: wait here. */
export type ManualAnswer = 'done' | 'skip' | 'stop';

export interface KnownValues {
  /** Values by variable name: declared inputs (secrets included) and implicit ones given earlier. */
  values: Record<string, string>;
  /** The secret values, to mask in output. */
  secrets: string[];
}

export interface RunFrontEnd {
  /** The values the front end holds for the runbook: stored or given on the command line. */
  knownValues(runbook: Runbook): Promise<KnownValues>;
  /** May the step run? */
  confirm(request: ConfirmRequest): Promise<boolean>;
  /**
   * Values for implicit inputs nothing provides, asked in order. Returns those given; a front end
   * that cannot ask (no TTY) returns none, and the runner then names every one missing.
   */
  askValues(requests: ValueRequest[]): Promise<Record<string, string>>;
  /** Keeps a value given for an implicit input for later steps of the session. */
  rememberValue?(name: string, value: string): void;
  /** Run all reached a manual step that is not done yet. */
  manualStep(request: ManualRequest): Promise<ManualAnswer>;
  /** The session was reset: forget remembered implicit values. */
  sessionReset?(): void;
}
