// YAML front matter between `---` lines at the very top of the file. Read defensively, because an
// editor reparses it on every keystroke: its size and nesting are bounded while it is tokenized,
// before the YAML library composes anything (2,000 nested `[` once aborted the whole process),
// duplicate keys are found here in one pass (the library's own check is quadratic), and aliases
// are checked before they are resolved. Whatever the text, this returns diagnostics, never throws.

import type * as Yaml from 'yaml';
import type { LineRange, RunbookDiagnostic } from './types';

export interface FrontMatter {
  data?: Record<string, unknown>;
  range: LineRange;
  /** Line of each top-level key and of each key one level down (for inputs), by dotted path. */
  keyLines: Map<string, number>;
  diagnostics: RunbookDiagnostic[];
}

/** The longest front matter read, in characters (a typical one is under 2,000). */
export const MAX_FRONT_MATTER_CHARS = 1_048_576;
/** How deep collections may nest in front matter (a typical one nests 3 deep). */
export const MAX_FRONT_MATTER_DEPTH = 64;
/** How many aliases (`*name`) front matter may use. */
export const MAX_FRONT_MATTER_ALIASES = 100;
/** How many copies of anchored values the aliases may make when they are resolved. */
const MAX_ALIAS_COPIES = 1000;

// Loaded on first use, like markdown-it, to keep it out of activation time.
let yamlModule: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlModule ??= require('yaml') as typeof Yaml);
}

const FRONT_MATTER = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * How many characters the front matter at the top of `text` spans (BOM already removed), without
 * reading its YAML: 0 when there is none, or when the opening `---` is never closed.
 */
export function frontMatterLength(text: string): number {
  if (!/^---[ \t]*(\r?\n|$)/.test(text)) return 0;
  return FRONT_MATTER.exec(text)?.[0].length ?? 0;
}

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
  const range = { startLine: 0, endLine: close };
  try {
    return { length: found[0].length, range, ...readYaml(yamlText, close) };
  } catch (error) {
    // Nothing above is expected to throw; if the YAML library does after all, the runbook still parses.
    const message = `Front matter could not be read (${firstLine(error instanceof Error ? error.message : String(error))}); it is ignored.`;
    return { length: found[0].length, range, keyLines: new Map(), diagnostics: [{ severity: 'error', code: 'yaml', message, line: 0, endLine: 0 }] };
  }
}

type YamlResult = Pick<FrontMatter, 'data' | 'keyLines' | 'diagnostics'>;

/** The YAML between the fences (lines counted from the document's line 1) as data and diagnostics. */
function readYaml(yamlText: string, close: number): YamlResult {
  const { Composer, isMap, isScalar, Lexer, LineCounter, Parser } = yaml();
  const diagnostics: RunbookDiagnostic[] = [];
  const keyLines = new Map<string, number>();
  const counter = new LineCounter();
  // The YAML starts on document line 1 and linePos counts from 1, so its line is the document's 0-based line.
  const lineOf = (offset: number | undefined) => Math.min(offset === undefined ? 1 : counter.linePos(offset).line, close);
  const ignored = (message: string, offset: number): YamlResult => {
    const { line, col } = counter.linePos(offset);
    const at = Math.min(line, close);
    return { keyLines, diagnostics: [{ severity: 'error', code: 'front-matter-limit', message, line: at, endLine: at, column: col - 1 }] };
  };

  if (yamlText.length > MAX_FRONT_MATTER_CHARS) {
    let line = 1;
    for (let at = yamlText.indexOf('\n'); at >= 0 && at < MAX_FRONT_MATTER_CHARS; at = yamlText.indexOf('\n', at + 1)) line++;
    const message = `Front matter is ${kib(yamlText.length)} long, more than the ${kib(MAX_FRONT_MATTER_CHARS)} it may be (reached on this line); it is ignored.`;
    return { keyLines, diagnostics: [{ severity: 'error', code: 'front-matter-limit', message, line, endLine: line }] };
  }

  // Tokenize and build the syntax tree one token at a time, as the library's parseDocument does,
  // so nesting and aliases are counted before anything is composed.
  const parser = new Parser(counter.addNewLine);
  counter.addNewLine(0);
  const tokens: Yaml.CST.Token[] = [];
  let aliases = 0;
  let scalarNext = false;
  for (const lexeme of new Lexer().lex(yamlText)) {
    const offset = parser.offset;
    // The lexer marks a plain or block scalar with \x1f before its text, which may start with `*`.
    if (!scalarNext && lexeme.startsWith('*') && ++aliases > MAX_FRONT_MATTER_ALIASES) {
      return ignored(`Front matter uses more than ${MAX_FRONT_MATTER_ALIASES} YAML aliases (this ${lexeme} is number ${aliases}); it is ignored.`, offset);
    }
    scalarNext = lexeme === '\x1f';
    for (const token of parser.next(lexeme)) tokens.push(token);
    // The parser's stack holds the document, each collection open at this point (they have
    // items), and maybe a scalar on top.
    const top = parser.stack[parser.stack.length - 1];
    if (parser.stack.length - (top && !('items' in top) ? 2 : 1) > MAX_FRONT_MATTER_DEPTH) {
      return ignored(`Front matter nests more than ${MAX_FRONT_MATTER_DEPTH} levels deep (here); it is ignored.`, offset);
    }
  }
  for (const token of parser.end()) tokens.push(token);

  const composer = new Composer({ uniqueKeys: false, logLevel: 'error' });
  const documents = [...composer.compose(tokens, true, yamlText.length)];
  const doc = documents[0];
  for (const [severity, found] of [['error', doc.errors], ['warning', doc.warnings]] as const) {
    for (const error of found) {
      const line = lineOf(error.pos?.[0]);
      diagnostics.push({ severity, code: 'yaml', message: `Front matter YAML: ${firstLine(error.message)}`, line, endLine: line });
    }
  }
  if (documents.length > 1) {
    const line = lineOf(documents[1].range[0]);
    diagnostics.push({
      severity: 'error',
      code: 'yaml',
      message: 'Front matter YAML: a second YAML document starts here; the front matter ends at a line of only "---".',
      line,
      endLine: line,
    });
  }
  const { problems, firstAlias } = checkNodes(doc.contents, lineOf);
  // One at a time: a spread of 200,000 duplicate keys' problems would overflow the stack.
  for (const problem of problems) diagnostics.push(problem);

  if (diagnostics.some((d) => d.severity === 'error')) return { keyLines, diagnostics };
  if (doc.contents === null) return { data: {}, keyLines, diagnostics };
  if (!isMap(doc.contents)) {
    diagnostics.push({
      severity: 'error',
      code: 'front-matter-shape',
      message: 'Front matter must be a mapping of keys (title:, inputs: …); it is ignored.',
      line: 1,
      endLine: Math.max(1, close - 1),
    });
    return { keyLines, diagnostics };
  }
  // Keys as toJS names them: a scalar's value as text, null as ''. Collection keys have no useful line.
  const keyName = (key: unknown) => (isScalar(key) ? (key.value === null ? '' : String(key.value)) : undefined);
  for (const pair of doc.contents.items) {
    const key = keyName(pair.key);
    if (key === undefined) continue;
    keyLines.set(key, lineOf((pair.key as Yaml.Scalar).range?.[0]));
    if (isMap(pair.value)) {
      for (const inner of pair.value.items) {
        const innerKey = keyName(inner.key);
        if (innerKey !== undefined) keyLines.set(`${key}.${innerKey}`, lineOf((inner.key as Yaml.Scalar).range?.[0]));
      }
    }
  }
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_COPIES }) as Record<string, unknown>, keyLines, diagnostics };
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/^Excessive alias count/.test(error.message)) throw error;
    const line = lineOf(firstAlias);
    const message = `Front matter YAML: its aliases expand to more than ${MAX_ALIAS_COPIES} copies of what they refer to; it is ignored.`;
    return { keyLines, diagnostics: [...diagnostics, { severity: 'error', code: 'yaml', message, line, endLine: line }] };
  }
}

/**
 * What the YAML library would only find while converting, or finds in quadratic time: duplicate
 * keys in a mapping (the same diagnostic as the library's `uniqueKeys`), aliases with no anchor
 * before them, and aliases inside the value they refer to (which would make the data circular, so
 * it could not cross to a webview as JSON). One pass in document order, with an explicit stack.
 */
function checkNodes(root: unknown, lineOf: (offset: number | undefined) => number): { problems: RunbookDiagnostic[]; firstAlias?: number } {
  const { isAlias, isCollection, isMap, isNode, isPair, isScalar } = yaml();
  const problems: RunbookDiagnostic[] = [];
  const report = (message: string, offset: number | undefined) => {
    const line = lineOf(offset);
    problems.push({ severity: 'error', code: 'yaml', message: `Front matter YAML: ${message}`, line, endLine: line });
  };
  /** The last node given each anchor so far, as the library resolves an alias. */
  const anchors = new Map<string, unknown>();
  /** Collections whose items are being visited: an alias to one of these is inside what it names. */
  const open = new Set<unknown>();
  let firstAlias: number | undefined;
  const stack: Array<{ node: unknown; leave?: true }> = [{ node: root }];
  while (stack.length > 0) {
    const { node, leave } = stack.pop()!;
    if (leave) {
      open.delete(node);
      continue;
    }
    if (isAlias(node)) {
      const offset = node.range?.[0];
      firstAlias ??= offset;
      const target = anchors.get(node.source);
      if (target === undefined) report(`the alias *${node.source} has no anchor &${node.source} before it.`, offset);
      else if (open.has(target)) report(`the alias *${node.source} is inside the value anchored &${node.source}, which would make that value endless.`, offset);
      continue;
    }
    if (!isNode(node)) continue;
    if (node.anchor) anchors.set(node.anchor, node);
    if (!isCollection(node)) continue;
    open.add(node);
    stack.push({ node, leave: true });
    const children: unknown[] = [];
    if (isMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          if (keys.has(pair.key.value)) report('Map keys must be unique', pair.key.range?.[0]);
          else keys.add(pair.key.value);
        }
        children.push(pair.key, pair.value);
      }
    } else {
      for (const item of node.items) {
        if (isPair(item)) children.push(item.key, item.value);
        else children.push(item);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i] });
  }
  return { problems, firstAlias };
}

function kib(chars: number): string {
  return chars >= 1_048_576 ? `${(chars / 1_048_576).toFixed(1)} MiB` : `${Math.ceil(chars / 1024)} KiB`;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
