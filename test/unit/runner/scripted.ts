// A front end for runner tests that answers as scripted and records what it was asked, the way the
// editor's dialogs or the CLI's flags would answer.

import type { ConfirmRequest, KnownValues, ManualAnswer, ManualRequest, RunFrontEnd, ValueRequest } from '../../../src/core/runner';
import { MemoryProgress, RunbookRunner, type RunEvent, type RunnerOptions } from '../../../src/core/runner';
import type { HistoryEntry } from '../../../src/core/progress';

export interface Script {
  /** Answer to confirmations; a promise lets a test hold the "dialog" open. */
  confirm?: boolean | (() => Promise<boolean>);
  values?: Record<string, string>;
  /** Values the front end gives when asked for implicit inputs. */
  answers?: Record<string, string>;
  manual?: ManualAnswer;
  secrets?: string[];
}

export class ScriptedFrontEnd implements RunFrontEnd {
  readonly asked = { confirm: [] as string[], values: [] as string[], manual: [] as string[] };
  readonly remembered: Record<string, string> = {};

  constructor(public script: Script = {}) {}

  async knownValues(): Promise<KnownValues> {
    return { values: { ...this.script.values, ...this.remembered }, secrets: this.script.secrets ?? [] };
  }

  async confirm(request: ConfirmRequest): Promise<boolean> {
    this.asked.confirm.push(request.step.id);
    const answer = this.script.confirm ?? true;
    return typeof answer === 'function' ? answer() : answer;
  }

  async askValues(requests: ValueRequest[]): Promise<Record<string, string>> {
    const given: Record<string, string> = {};
    for (const { input } of requests) {
      this.asked.values.push(input.label);
      const value = this.script.answers?.[input.name];
      if (value !== undefined) given[input.name] = value;
    }
    return given;
  }

  rememberValue(name: string, value: string): void {
    this.remembered[name] = value;
  }

  async manualStep(request: ManualRequest): Promise<ManualAnswer> {
    this.asked.manual.push(request.step.id);
    return this.script.manual ?? 'stop';
  }

  sessionReset(): void {
    for (const key of Object.keys(this.remembered)) delete this.remembered[key];
  }
}

/** A runner with in-memory progress, a history kept in an array, and every event recorded. */
export function scriptedRunner(script: Script = {}, options: Partial<RunnerOptions> = {}) {
  const frontEnd = new ScriptedFrontEnd(script);
  const history: HistoryEntry[] = [];
  const events: RunEvent[] = [];
  const errors: unknown[] = [];
  const progress = new MemoryProgress();
  const runner = new RunbookRunner({
    key: 'runbooks/x.runbook.md',
    frontEnd,
    progress,
    history: { append: (entry) => history.push(entry), flush: async () => undefined },
    settings: () => ({ interpreters: {}, defaultTimeoutMs: 60_000 }),
    where: 'cli',
    who: 'tester',
    onError: (error) => errors.push(error),
    ...options,
  });
  runner.events.on((event) => events.push(event));
  return { runner, frontEnd, history, events, errors, progress };
}

/** The event types in order, with the step id where there is one: `step-start:a`. */
export function eventTrail(events: RunEvent[]): string[] {
  return events.filter((event) => event.type !== 'output').map((event) => ('stepId' in event && event.stepId ? `${event.type}:${event.stepId}` : event.type));
}
