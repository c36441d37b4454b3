// Where step code refers to a declared input, for semantic highlighting: what a TextMate grammar
// cannot know is which `$NAME`s are the runbook's inputs. Shell steps are read with the same
// lexer the engine uses (so single quotes, comments and quoted here-documents are left out);
// Python, Node and PowerShell steps by their environment accessors.

import { shellAnalysisOf, transcriptCommandLines, type Runbook, type Step } from '../runbook';

export interface InputReference {
  name: string;
  line: number;
  column: number;
  length: number;
}

const ACCESSORS: Record<Exclude<Step['family'], 'shell'>, RegExp> = {
  python: /\bos\.(?:environ\s*\[\s*|environ\.get\(\s*|getenv\(\s*)(["'])([A-Za-z_][A-Za-z0-9_]*)\1/g,
  node: /\bprocess\.env(?:\.([A-Za-z_$][\w$]*)|\[\s*(["'`])([A-Za-z_][A-Za-z0-9_]*)\2)/g,
  powershell: /\$env:([A-Za-z_][A-Za-z0-9_]*)/gi,
};

export function declaredInputReferences(runbook: Runbook, lines: readonly string[]): InputReference[] {
  const declared = new Set(runbook.inputs.map((input) => input.name));
  if (declared.size === 0) return [];
  const found: InputReference[] = [];
  for (const step of runbook.steps) {
    const sourceLines = step.source === '' ? [] : step.source.split('\n');
    const documentColumn = (sourceLine: number, column: number): number | undefined => {
      const text = lines[step.codeStartLine + sourceLine];
      const source = sourceLines[sourceLine];
      return text === undefined || source === undefined ? undefined : columnInLine(text, source, column);
    };
    const add = (name: string, sourceLine: number, column: number) => {
      const at = documentColumn(sourceLine, column);
      if (declared.has(name) && at !== undefined) found.push({ name, line: step.codeStartLine + sourceLine, column: at, length: name.length });
    };
    if (step.family === 'shell') {
      // The code the engine runs, line by line, and where each of its lines is in the block.
      const commandLines = transcriptCommandLines(step.source) ?? sourceLines.map((text, line) => ({ text, line, column: 0 }));
      const starts: number[] = [];
      let offset = 0;
      for (const command of commandLines) {
        starts.push(offset);
        offset += command.text.length + 1;
      }
      // The step's code is these lines joined, so its (shared) analysis has their offsets.
      const analysis = shellAnalysisOf(step);
      const place = (at: number) => {
        let index = starts.length - 1;
        while (index > 0 && starts[index] > at) index--;
        return { command: commandLines[index], column: at - starts[index] };
      };
      for (const expansion of analysis.expansions) {
        const { command, column } = place(expansion.start);
        add(expansion.name, command.line, command.column + column);
      }
      for (const placeholder of analysis.placeholders) {
        const { command, column } = place(placeholder.start);
        const at = documentColumn(command.line, command.column + column);
        if (declared.has(placeholder.variable) && at !== undefined) {
          found.push({ name: placeholder.variable, line: step.codeStartLine + command.line, column: at, length: placeholder.text.length });
        }
      }
    } else {
      const accessor = ACCESSORS[step.family];
      sourceLines.forEach((text, line) => {
        for (const match of text.matchAll(accessor)) {
          const name = match[match.length - 1] ?? match[1];
          add(name, line, match.index + match[0].lastIndexOf(name));
        }
      });
    }
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * The column in document line `text` of `column` in `source`, the same line as markdown-it gives
 * it: a fence in a list item or a quote has its indentation or `>` taken off, and a tab that
 * straddles the indentation is turned into the spaces left of it (tab stops of 4).
 */
function columnInLine(text: string, source: string, column: number): number | undefined {
  if (text.endsWith(source)) return text.length - source.length + column;
  for (let indent = 1; indent <= 16; indent++) {
    const stripped = stripIndent(text, indent);
    if (stripped && ' '.repeat(stripped.spaces) + text.slice(stripped.from) === source) {
      return column < stripped.spaces ? undefined : stripped.from + column - stripped.spaces;
    }
  }
  return undefined;
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
