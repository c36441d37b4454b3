// The history log: one JSON line per step execution, appended, never rewritten. Later features read
// it to show which runbooks are run most. Each entry is written with one append (O_APPEND), so
// writers in several processes never interleave inside a line; a line torn by a crash is skipped
// when reading.

import { readFile } from 'node:fs/promises';
import type { ManualStep, Runbook, Step } from '../runbook/types';
import type { StepResult } from '../run/types';
import { appendHistoryLine, currentUser, historyInputs } from '../report/historyLine';
import type { HistoryEntry, RunOrigin } from './types';

export { currentUser };

export class HistoryLog {
  constructor(readonly file: string) {}

  /**
   * One append of one line; a line torn by a crash is closed first so this one stays readable.
   * The generated scripts' appender (report/historyLine.ts), so both write alike; one small
   * synchronous write, as a script does.
   */
  async append(entry: HistoryEntry): Promise<void> {
    appendHistoryLine(this.file, entry);
  }

  /** Every entry that parses, oldest first; torn or foreign lines are skipped. */
  async read(): Promise<HistoryEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: HistoryEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const entry: unknown = JSON.parse(line);
        if (isHistoryEntry(entry)) entries.push(entry);
      } catch {
        // A torn line (a crash mid-append) or something that is not ours.
      }
    }
    return entries;
  }
}

function isHistoryEntry(value: unknown): value is HistoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.runbook === 'string' &&
    typeof e.step === 'string' &&
    typeof e.at === 'string' &&
    typeof e.result === 'string' &&
    typeof e.durationMs === 'number' &&
    typeof e.inputs === 'object' &&
    e.inputs !== null
  );
}

/** Where and as part of which run an execution happened: what every history line says of its run. */
export interface HistoryContext {
  runbookKey: string;
  runbook: Runbook;
  who?: string;
  where: RunOrigin;
  runId?: string;
}

/** Non-secret inputs as the log keeps them: secrets left out, secret values inside others masked, long values cut. */
export function loggedInputs(runbook: Runbook, inputs: Record<string, string>, secretNames: Set<string>): Record<string, string> {
  const secret = new Set([...secretNames, ...runbook.inputs.filter((input) => input.secret).map((input) => input.name)]);
  return historyInputs(inputs, secret);
}

function contextFields(context: HistoryContext): Pick<HistoryEntry, 'runbook' | 'runbookTitle' | 'who' | 'where' | 'runId'> {
  const fields: Pick<HistoryEntry, 'runbook' | 'runbookTitle' | 'who' | 'where' | 'runId'> = {
    runbook: context.runbookKey,
    runbookTitle: context.runbook.title,
    who: context.who ?? currentUser(),
    where: context.where,
  };
  if (context.runId) fields.runId = context.runId;
  return fields;
}

/**
 * The history entry for one execution of a code step. Secret inputs are left out, and any secret
 * value that shows up inside another input's value is masked.
 */
export function historyEntry(args: HistoryContext & { step: Step; result: StepResult; inputs: Record<string, string>; secretNames: Set<string> }): HistoryEntry {
  const { runbook, step, result, inputs, secretNames } = args;
  const entry: HistoryEntry = {
    ...contextFields(args),
    step: step.id,
    stepTitle: step.title,
    kind: 'code',
    at: new Date(result.startedAt).toISOString(),
    durationMs: result.durationMs,
    result: result.status,
    inputs: loggedInputs(runbook, inputs, secretNames),
  };
  if (result.exitCode !== undefined) entry.exitCode = result.exitCode;
  return entry;
}

/** The history entry for a manual step checked off or skipped; `waitedMs` is how long it waited for the person, when known. */
export function manualHistoryEntry(args: HistoryContext & { step: ManualStep; result: 'checked' | 'skipped'; at: number; waitedMs?: number }): HistoryEntry {
  return {
    ...contextFields(args),
    step: args.step.id,
    stepTitle: args.step.title,
    kind: 'manual',
    at: new Date(args.at).toISOString(),
    durationMs: Math.max(0, Math.round(args.waitedMs ?? 0)),
    result: args.result,
    inputs: {},
  };
}
