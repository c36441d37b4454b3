// YAML front matter between `---` lines at the very top of the file.

import type * as Yaml from 'yaml';
import type { LineRange, RunbookDiagnostic } from './types';

export interface FrontMatter {
  data?: Record<string, unknown>;
  range: LineRange;
  /** Line of each top-level key and of each key one level down (for inputs), by dotted path. */
  keyLines: Map<string, number>;
  diagnostics: RunbookDiagnostic[];
}

// Loaded on first use, like markdown-it, to keep it out of activation time.
let yamlModule: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlModule ??= require('yaml') as typeof Yaml);
}

const FRONT_MATTER = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * Finds and parses the front matter at the top of `text` (BOM already removed). Returns undefined
 * when the document does not open with `---`; `length` is how many characters it spans.
 */
export function readFrontMatter(text: string): (FrontMatter & { length: number }) | undefined {
  if (!/^---[ \t]*(\r?\n|$)/.test(text)) return undefined;
  const found = FRONT_MATTER.exec(text);
  if (!found) {
    // Not front matter after all (a leading thematic break); say so in case it was meant to be.
    return {
      length: 0,
      range: { startLine: 0, endLine: 0 },
      keyLines: new Map(),
      diagnostics: [
        {
          severity: 'warning',
          code: 'front-matter-unclosed',
          message: 'The file starts with "---" but no closing "---" follows, so it has no front matter.',
          line: 0,
          endLine: 0,
        },
      ],
    };
  }
  // Line breaks as markdown-it counts them (CRLF, CR, LF), so YAML's lines are the document's and
  // its messages read the same whatever the file's line endings.
  const yamlText = (found[1] ?? '').replace(/\r\n?/g, '\n');
  const close = yamlText === '' ? 1 : yamlText.split('\n').length + 1;
  const length = found[0].length;
  const range = { startLine: 0, endLine: close };
  const { isMap, LineCounter, parseDocument } = yaml();
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const diagnostics: RunbookDiagnostic[] = [];
  // The YAML starts on document line 1 and linePos counts from 1, so its line is the document's 0-based line.
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : counter.linePos(offset).line);
  for (const error of [...doc.errors, ...doc.warnings]) {
    const line = lineOf(error.pos?.[0]);
    diagnostics.push({
      severity: doc.errors.includes(error as never) ? 'error' : 'warning',
      code: 'yaml',
      message: `Front matter YAML: ${firstLine(error.message)}`,
      line: Math.min(line, close),
      endLine: Math.min(line, close),
    });
  }
  const keyLines = new Map<string, number>();
  if (doc.errors.length > 0) return { length, range, keyLines, diagnostics };
  if (doc.contents === null) return { length, data: {}, range, keyLines, diagnostics };
  if (!isMap(doc.contents)) {
    diagnostics.push({
      severity: 'error',
      code: 'front-matter-shape',
      message: 'Front matter must be a mapping of keys (title:, inputs: …); it is ignored.',
      line: 1,
      endLine: Math.max(1, close - 1),
    });
    return { length, range, keyLines, diagnostics };
  }
  for (const pair of doc.contents.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    const keyRange = (pair.key as { range?: [number, number, number] })?.range;
    keyLines.set(key, lineOf(keyRange?.[0]));
    if (isMap(pair.value)) {
      for (const inner of pair.value.items) {
        const innerKey = String((inner.key as { value?: unknown })?.value ?? inner.key);
        const innerRange = (inner.key as { range?: [number, number, number] })?.range;
        keyLines.set(`${key}.${innerKey}`, lineOf(innerRange?.[0]));
      }
    }
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  return { length, data, range, keyLines, diagnostics };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
