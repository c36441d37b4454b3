// Where on its line a diagnostic points. The parser reports lines; the editor underlines the
// attribute, name or reference the problem is about, found again in the line's text.

import { attributeEntries } from '../runbook/attributes';
import type { RunbookDiagnostic } from '../runbook';

export interface ColumnRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** The range to underline for `diagnostic` in a document of `lines`. */
export function diagnosticRange(diagnostic: RunbookDiagnostic, lines: readonly string[]): ColumnRange {
  const text = lines[diagnostic.line] ?? '';
  const whole = (): ColumnRange => {
    const endText = lines[diagnostic.endLine] ?? text;
    const indent = text.length - text.trimStart().length;
    return { line: diagnostic.line, column: indent, endLine: diagnostic.endLine, endColumn: Math.max(endText.length, diagnostic.endLine === diagnostic.line ? indent + 1 : 0) };
  };
  if (diagnostic.column !== undefined) {
    return { line: diagnostic.line, column: diagnostic.column, endLine: diagnostic.endLine, endColumn: diagnostic.endColumn ?? (lines[diagnostic.endLine] ?? '').length };
  }
  const on = (column: number, endColumn: number): ColumnRange => ({ line: diagnostic.line, column, endLine: diagnostic.line, endColumn });
  const subject = diagnostic.subject;
  if (subject === undefined) return whole();
  switch (diagnostic.code) {
    case 'unknown-attribute':
    case 'bad-attribute-value':
    case 'bad-timeout':
    case 'duplicate-name':
    case 'confirm-without-environment': {
      const entry = attributeEntries(text).entries.find((candidate) => candidate.key === subject);
      if (!entry) return whole();
      if (diagnostic.code === 'unknown-attribute' || diagnostic.code === 'confirm-without-environment' || entry.valueStart === undefined) return on(entry.start, entry.end);
      return on(entry.valueStart, entry.valueEnd ?? entry.end);
    }
    default: {
      const found = new RegExp(`\\b${escapeRegExp(subject)}\\b`).exec(text);
      return found ? on(found.index, found.index + subject.length) : whole();
    }
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
