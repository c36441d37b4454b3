// Which fence opens on a line, as the model sees it: a step, an expected-output block, or none.
// Asking the model (not the line's text) keeps fences inside a ````markdown example, or in
// indented code, out of attribute completions and hovers.

import type { Runbook } from '../runbook';

export type FenceKind = 'step' | 'expected';

export function fenceKindAt(runbook: Runbook, line: number): FenceKind | undefined {
  for (const step of runbook.steps) {
    if (step.startLine === line) return 'step';
    if (step.expected?.startLine === line) return 'expected';
  }
  // An expected-output block after no step is not in the model, but its attributes still count.
  return runbook.diagnostics.some((d) => d.code === 'orphan-expected' && d.line === line) ? 'expected' : undefined;
}
