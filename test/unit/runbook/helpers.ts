// Small helpers shared by the runbook parser tests.

import { strict as assert } from 'node:assert';
import { parseRunbook, type ParseOptions, type Runbook, type RunbookDiagnostic } from '../../../src/core/runbook';

/** Joins lines with `\n`, so a test can say exactly which 0-based line holds what. */
export function md(...lines: string[]): string {
  return lines.join('\n');
}

/** The document's lines as an editor counts them (any of CRLF, CR, LF ends a line). */
export function textLines(text: string): string[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return source.split(/\r\n?|\n/);
}

export function parse(text: string, options?: ParseOptions): Runbook {
  return parseRunbook(text, options);
}

export function diagnosticsOf(runbook: Runbook, code: RunbookDiagnostic['code']): RunbookDiagnostic[] {
  return runbook.diagnostics.filter((d) => d.code === code);
}

/** The one diagnostic with `code`; fails when there is none or more than one. */
export function onlyDiagnostic(runbook: Runbook, code: RunbookDiagnostic['code']): RunbookDiagnostic {
  const found = diagnosticsOf(runbook, code);
  assert.equal(found.length, 1, `expected one "${code}" diagnostic, got ${JSON.stringify(runbook.diagnostics)}`);
  return found[0];
}

export function assertNoDiagnostics(runbook: Runbook): void {
  assert.deepEqual(runbook.diagnostics, [], `unexpected diagnostics: ${JSON.stringify(runbook.diagnostics)}`);
}

/** Asserts that a step's range starts and ends on fence lines of the text (``` or ~~~, after any `>`/indent). */
export function assertFenceLines(text: string, range: { startLine: number; endLine: number }, closed = true): void {
  const lines = textLines(text);
  const fence = /^[\s>]*(?:[-*+]|\d+[.)])?[\s>]*(```|~~~)/;
  assert.match(lines[range.startLine] ?? '', fence, `line ${range.startLine} should open a fence`);
  if (closed) assert.match(lines[range.endLine] ?? '', /^[\s>]*(```|~~~)\s*$/, `line ${range.endLine} should close a fence`);
}
