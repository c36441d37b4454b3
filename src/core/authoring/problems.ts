// Every problem of a runbook, as the editor's Problems panel and `runbook check` both show them:
// the parser's diagnostics and the lint's, in line order.

import type { Runbook, RunbookDiagnostic } from '../runbook';
import { lintRunbook, type LintOptions } from './lint';

export function runbookProblems(runbook: Runbook, lines: readonly string[], options: LintOptions = {}): RunbookDiagnostic[] {
  return [...runbook.diagnostics, ...lintRunbook(runbook, lines, options)].sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
}
