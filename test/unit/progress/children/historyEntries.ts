// The entries the concurrency test's writers append: large enough that an interleaved write would show.

import type { HistoryEntry } from '../../../../src/core/progress';

export function entryFor(writer: string, seq: number): HistoryEntry {
  return {
    runbook: `runbooks/${writer}.md`,
    runbookTitle: `Runbook of ${writer}`,
    step: `step-${seq % 5}`,
    stepTitle: `Step ${seq % 5}`,
    who: writer,
    at: new Date(1_700_000_000_000 + seq).toISOString(),
    durationMs: seq,
    result: 'passed',
    exitCode: 0,
    inputs: { SEQ: String(seq), WRITER: writer, PADDING: `${writer}:${seq}:`.padEnd(3000, writer[0]) },
  };
}
