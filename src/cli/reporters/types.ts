// What every reporter of the `runbook` command is: a consumer of the run's event stream (the same
// stream the editor's views read) that ends with text for stdout or a report file.

import type { RunEvent, RunOutcome } from '../../core/runner';
import type { Runbook } from '../../core/runbook';
import type { RunbookProgress } from '../../core/progress';

export interface ReportContext {
  runbook: Runbook;
  /** The runbook's path relative to the repository root. */
  key: string;
  /** Non-secret input values the run used (declared inputs, defaults included). */
  inputs: Record<string, string>;
  secretNames: Set<string>;
  /** The run's records (the command's in-memory progress), read when the report is written. */
  progress: () => RunbookProgress;
}

export interface Reporter {
  event(event: RunEvent): void;
  /** The run ended: the report's text, when this reporter writes one at the end. */
  finish(outcome: RunOutcome, exitCode: number): string | undefined;
}

export const REPORTERS = ['pretty', 'jsonl', 'junit', 'markdown'] as const;
export type ReporterName = (typeof REPORTERS)[number];
