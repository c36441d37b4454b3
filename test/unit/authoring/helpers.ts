// Helpers for the authoring tests: a runbook and its lines, and applying text edits.

import { parseRunbook, type Runbook } from '../../../src/core/runbook';
import type { TextEdit } from '../../../src/core/authoring';

export function md(...lines: string[]): string {
  return lines.join('\n');
}

export function load(text: string): { runbook: Runbook; lines: string[] } {
  return { runbook: parseRunbook(text, { path: '/tmp/test.runbook.md' }), lines: text.split(/\r\n?|\n/) };
}

/** Applies non-overlapping edits the way an editor does. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + column;
  const sorted = [...edits].sort((a, b) => offset(b.line, b.column) - offset(a.line, a.column));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.line, edit.column)) + edit.newText + result.slice(offset(edit.endLine, edit.endColumn));
  return result;
}

/** Where `marker` (e.g. `|`) is in `text`, and the text without it. */
export function cursor(textWithMarker: string, marker = '|'): { text: string; line: number; character: number } {
  const at = textWithMarker.indexOf(marker);
  const before = textWithMarker.slice(0, at).split('\n');
  return { text: textWithMarker.slice(0, at) + textWithMarker.slice(at + marker.length), line: before.length - 1, character: before[before.length - 1].length };
}
