// Where things are in the document. The parser reports lines; the editor underlines the attribute,
// name or reference a problem is about, found again in the line's text. A step's code is not its
// lines as written (a transcript runs only its `$ ` lines, a fence in a list item or a quote loses
// its indentation), so offsets the shell analysis reports are mapped back here, once for everyone.

import { attributeEntries } from '../runbook/attributes';
import { transcriptCommandLines, type RunbookDiagnostic, type Step } from '../runbook';

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

/** A place in the document: 0-based line and column. */
export interface DocumentPosition {
  line: number;
  column: number;
}

/**
 * Maps offsets in `step.code` (as the shell analysis reports them) to document positions; undefined
 * for an offset whose column cannot be found (the indentation a tab straddles).
 */
export function codeLocator(step: Step, lines: readonly string[]): (offset: number) => DocumentPosition | undefined {
  const sourceLines = step.source === '' ? [] : step.source.split('\n');
  // The code the engine runs, line by line, and where each of its lines is in the block.
  const commandLines = (step.family === 'shell' && transcriptCommandLines(step.source)) || sourceLines.map((text, line) => ({ text, line, column: 0 }));
  const starts: number[] = [];
  let offset = 0;
  for (const command of commandLines) {
    starts.push(offset);
    offset += command.text.length + 1;
  }
  const columns = sourceColumns(step, lines, sourceLines);
  return (at) => {
    if (starts.length === 0) return undefined;
    // The last command line starting at or before `at` (binary search: a step can be long).
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= at) low = middle;
      else high = middle - 1;
    }
    const command = commandLines[low];
    return columns(command.line, command.column + at - starts[low]);
  };
}

/** Maps a column on a line of the step's source (its fence content, as written) to the document. */
export function sourceLocator(step: Step, lines: readonly string[]): (sourceLine: number, column: number) => DocumentPosition | undefined {
  return sourceColumns(step, lines, step.source === '' ? [] : step.source.split('\n'));
}

/** Maps (source line, column) to document positions, working out each line's indentation once. */
function sourceColumns(step: Step, lines: readonly string[], sourceLines: readonly string[]): (sourceLine: number, column: number) => DocumentPosition | undefined {
  const mappers = new Map<number, (column: number) => number | undefined>();
  return (sourceLine, column) => {
    let mapper = mappers.get(sourceLine);
    if (!mapper) {
      const text = lines[step.codeStartLine + sourceLine];
      const source = sourceLines[sourceLine];
      mapper = text === undefined || source === undefined ? () => undefined : lineColumns(text, source);
      mappers.set(sourceLine, mapper);
    }
    const at = mapper(column);
    return at === undefined ? undefined : { line: step.codeStartLine + sourceLine, column: at };
  };
}

/**
 * Maps columns in `source` to columns in document line `text`, the same line as markdown-it gives
 * it: a fence in a list item or a quote has its indentation or `>` taken off, and a tab that
 * straddles the indentation is turned into the spaces left of it (tab stops of 4).
 */
function lineColumns(text: string, source: string): (column: number) => number | undefined {
  if (text.endsWith(source)) {
    const base = text.length - source.length;
    return (column) => base + column;
  }
  for (let indent = 1; indent <= 16; indent++) {
    const stripped = stripIndent(text, indent);
    if (stripped && ' '.repeat(stripped.spaces) + text.slice(stripped.from) === source) {
      return (column) => (column < stripped.spaces ? undefined : stripped.from + column - stripped.spaces);
    }
  }
  return () => undefined;
}

/** `text` without its first `columns` columns of indentation: where the rest starts, and the spaces left of a split tab. */
function stripIndent(text: string, columns: number): { from: number; spaces: number } | undefined {
  let column = 0;
  for (let at = 0; at < text.length; at++) {
    if (column === columns) return { from: at, spaces: 0 };
    if (text[at] === ' ') column++;
    else if (text[at] === '\t') {
      const width = 4 - (column % 4);
      if (column + width > columns) return { from: at + 1, spaces: column + width - columns };
      column += width;
    } else return undefined;
  }
  return column === columns ? { from: text.length, spaces: 0 } : undefined;
}
