// `--reporter junit`: one test case per step of the run, made by the builder shared with the
// generated scripts (src/core/report/junit.ts: `stepCase`), so a CI job's report reads the same
// whichever front end ran the runbook. Steps the run never reached are skipped, never passed.

import { junitXml, stepCase, type JUnitCase, type StepOutcome } from '../../core/report/junit';
import type { RunEvent, RunOutcome } from '../../core/runner';
import type { StepResult } from '../../core/run';
import type { ReportContext, Reporter } from './types';

/** A code step's test case from its result. */
export function caseOf(step: { id: string; title: string }, classname: string, result: StepResult): JUnitCase {
  return stepCase({ id: step.id, title: step.title, kind: 'code', state: result.status, durationMs: result.durationMs, message: result.message, diff: result.expected?.diff, output: result.output }, classname);
}

export class JUnitReporter implements Reporter {
  private readonly recorded = new Map<string, JUnitCase>();
  private planned: string[] = [];
  private started = new Date();

  constructor(private readonly context: ReportContext) {}

  private step(id: string): { id: string; title: string; kind: 'code' | 'manual' } {
    const item = this.context.runbook.items.find((candidate) => candidate.id === id);
    return { id, title: item?.title ?? id, kind: item?.kind === 'manual' ? 'manual' : 'code' };
  }

  private record(id: string, outcome: Omit<StepOutcome, 'id' | 'title' | 'kind'>): void {
    this.recorded.set(id, stepCase({ ...this.step(id), ...outcome }, this.context.key));
  }

  event(event: RunEvent): void {
    switch (event.type) {
      case 'run-start':
        this.planned = event.items;
        this.started = new Date(event.at);
        break;
      case 'step-end':
        this.recorded.set(event.stepId, caseOf(this.step(event.stepId), this.context.key, event.result));
        break;
      case 'step-skipped':
        this.record(event.stepId, { state: 'skipped', message: event.reason === 'skip-attribute' ? 'marked skip' : 'skipped by hand' });
        break;
      case 'manual-step':
        if (event.result === 'skipped') this.record(event.stepId, { state: 'skipped' });
        else if (event.result === 'checked') this.record(event.stepId, { state: 'checked' });
        break;
      default:
        break;
    }
  }

  /** The run's test cases: one per planned item, those never reached skipped. */
  cases(outcome: RunOutcome): JUnitCase[] {
    return this.planned.map((id): JUnitCase => {
      const found = this.recorded.get(id);
      if (found) return found;
      const message = id === outcome.stepId && outcome.status === 'blocked' ? outcome.message : undefined;
      return stepCase({ ...this.step(id), state: 'not-run', message }, this.context.key);
    });
  }

  finish(outcome: RunOutcome): string {
    const cases = this.cases(outcome);
    return junitXml([{ name: this.context.runbook.title, timestamp: this.started.toISOString(), properties: { runbook: this.context.key, result: outcome.status }, cases }]);
  }
}
