// `--reporter jsonl`: one JSON object per line, one per event, as it happens (schema in the README).
// Output is already masked by the engine; step-end carries the result without repeating output.

import type { RunEvent, RunOutcome } from '../../core/runner';
import type { StepResult } from '../../core/run';
import type { Reporter } from './types';

/** A result as a line carries it: the output went out already as `output` events. */
function withoutOutput(result: StepResult): Omit<StepResult, 'output'> {
  const copy: Partial<StepResult> = { ...result };
  delete copy.output;
  return copy as Omit<StepResult, 'output'>;
}

export function eventLine(event: RunEvent, exitCode?: number): string {
  switch (event.type) {
    case 'step-end':
      return JSON.stringify({ ...event, result: withoutOutput(event.result) });
    case 'run-end':
      return JSON.stringify({ ...event, exitCode, outcome: { ...event.outcome, results: event.outcome.results.map(withoutOutput) } });
    default:
      return JSON.stringify(event);
  }
}

export class JsonlReporter implements Reporter {
  private lines: string[] = [];

  /** `write` streams each line (stdout); without it lines are kept for the report file. */
  constructor(private readonly write?: (line: string) => void) {}

  event(event: RunEvent): void {
    if (event.type === 'run-end') return; // written by finish, with the exit code
    const line = `${eventLine(event)}\n`;
    if (this.write) this.write(line);
    else this.lines.push(line);
  }

  finish(outcome: RunOutcome, exitCode: number): string | undefined {
    const end = `${eventLine({ type: 'run-end', runId: outcome.runId, at: Date.now(), outcome }, exitCode)}\n`;
    if (this.write) {
      this.write(end);
      return undefined;
    }
    return [...this.lines, end].join('');
  }
}
