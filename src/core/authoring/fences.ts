// Which fence opens on a line, as the model sees it: a step, an expected-output block, or none.
// Asking the model (not the line's text) keeps fences inside a ````markdown example, or in
// indented code, out of attribute completions and hovers.

import type { Runbook, Step } from '../runbook';

export type FenceKind = 'step' | 'expected';

export function fenceKindAt(runbook: Runbook, line: number): FenceKind | undefined {
  for (const step of runbook.steps) {
    if (step.startLine === line) return 'step';
    if (step.expected?.startLine === line) return 'expected';
  }
  // An expected-output block after no step is not in the model, but its attributes still count.
  return runbook.diagnostics.some((d) => d.code === 'orphan-expected' && d.line === line) ? 'expected' : undefined;
}

/**
 * The step whose code holds `line`. The code is the lines after the opening fence, as many as the
 * source has: an unclosed fence at the end of the file (a step being written) ends on its last line.
 */
export function stepAtCodeLine(runbook: Runbook, line: number): Step | undefined {
  return runbook.steps.find((step) => {
    const lines = step.source === '' ? 0 : step.source.split('\n').length;
    return line >= step.codeStartLine && line < step.codeStartLine + Math.max(lines, step.endLine - step.codeStartLine);
  });
}
