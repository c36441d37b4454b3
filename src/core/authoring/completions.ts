// What to offer where the cursor is: front matter keys, input fields and their values; attribute
// names and values inside a fence's `{…}`; declared inputs after `$` in a shell step.

import { attributeEntries } from '../runbook/attributes';
import { implicitInputsByStep, type Runbook } from '../runbook';
import { fenceKindAt, stepAtCodeLine, type FenceKind } from './fences';
import { frontMatterPlace, siblingKeys } from './frontMatterPlace';
import { EXPECTED_ATTRIBUTES, FRONT_MATTER_KEYS, INPUT_FIELD_TERMS, STEP_ATTRIBUTES, type Term } from './vocabulary';
import { alertCompletions } from '../alerts/authoring';

export type SuggestionKind = 'key' | 'field' | 'attribute' | 'value' | 'input';

export interface Suggestion {
  label: string;
  kind: SuggestionKind;
  insertText: string;
  /** What the typed text is matched against, when not the label (`"timeout"` in the JSON form). */
  filterText?: string;
  /** Whether to offer the values right after it is inserted (`timeout=` → `30s`, `2m` …). */
  offersValues?: boolean;
  detail?: string;
  documentation?: string;
}

export interface Completions {
  suggestions: Suggestion[];
  /** The column the typed word starts at: suggestions are inserted from there to `insertTo`… */
  from: number;
  /** …the cursor, or past the quote the editor closed by itself after a typed `"`… */
  insertTo: number;
  /** …or, when replacing, to the end of the word under the cursor. */
  to: number;
}

export interface CompletionOptions {
  /**
   * False for a Markdown file that is not a runbook (yet): only the front matter keys that make it
   * one (`inputs`, `runbook`) are offered, and nothing else.
   */
  isRunbook?: boolean;
}

/** Keys that make any Markdown file a runbook. */
const RUNBOOK_KEYS = new Set(['inputs', 'runbook']);

export function completionsAt(
  runbook: Runbook,
  lines: readonly string[],
  line: number,
  character: number,
  options: CompletionOptions = {},
): Completions | undefined {
  const found = suggestionsAt(runbook, lines, line, character);
  if (!found) return undefined;
  if (options.isRunbook === false) {
    if (!found.topLevelKeys) return undefined;
    found.suggestions = found.suggestions.filter((suggestion) => RUNBOOK_KEYS.has(suggestion.label));
  }
  const rest = (lines[line] ?? '').slice(character);
  const insertTo = found.insertTo ?? character;
  // Replacing a key replaces its separator too (`=`, `: `, `": `), as the suggestion brings its own.
  const word = found.keys ? /^[\w-]*(?:"?\s*[:=] ?)?/ : /^[\w-]*/;
  return { ...found, insertTo, to: Math.max(insertTo, character + (word.exec(rest)?.[0].length ?? 0)) };
}

interface Found {
  suggestions: Suggestion[];
  from: number;
  insertTo?: number;
  /** The suggestions are keys, which bring their separator. */
  keys?: boolean;
  /** They are the front matter's top-level keys. */
  topLevelKeys?: boolean;
}

function suggestionsAt(runbook: Runbook, lines: readonly string[], line: number, character: number): Found | undefined {
  const text = lines[line] ?? '';
  const before = text.slice(0, character);
  const range = runbook.frontMatterRange;
  if (range && line > range.startLine && line < range.endLine) return frontMatterCompletions(runbook, lines, line, before);
  const fence = fenceKindAt(runbook, line);
  if (fence) return attributeCompletions(fence, text, character);
  const step = stepAtCodeLine(runbook, line);
  if (step?.family === 'shell') {
    const typed = /\$\{?([A-Za-z0-9_]*)$/.exec(before);
    if (!typed) return undefined;
    return {
      from: character - typed[1].length,
      suggestions: runbook.inputs.map((input) => ({
        label: input.name,
        kind: 'input',
        insertText: input.name,
        detail: `input${input.secret ? ' (secret)' : ''}${input.description ? `: ${input.description}` : ''}`,
      })),
    };
  }
  return undefined;
}

function attributeCompletions(fence: FenceKind, text: string, character: number): Found | undefined {
  const terms = fence === 'expected' ? EXPECTED_ATTRIBUTES : STEP_ATTRIBUTES;
  const open = text.indexOf('{');
  if (open < 0 || character <= open) return undefined;
  const close = text.indexOf('}', open);
  if (close >= 0 && character > close) return undefined;
  const typed = text.slice(open + 1, character);
  const present = new Set(attributeEntries(close >= 0 ? text : `${text}}`).entries.map((entry) => entry.key));
  const json = /^\s*"/.test(typed);
  const value = json ? /"([A-Za-z]+)"\s*:\s*("?)([^\s",]*)$/.exec(typed) : /(?:^|\s)([^\s=]+)=(["']?)([^\s"']*)$/.exec(typed);
  if (value) {
    const term = terms.find((candidate) => candidate.name === value[1]);
    if (!term) return undefined;
    const quote = json && value[2] === '' && !['true', 'false'].includes(term.values[0]) ? '"' : '';
    return {
      from: character - value[3].length,
      suggestions: term.values.map((v) => ({ label: v, kind: 'value', insertText: `${quote}${v}${quote}`, detail: `${term.name}=${v}` })),
    };
  }
  const key = json ? /(?:^|[{,])\s*("?)([A-Za-z]*)$/.exec(typed) : /(?:^|\s)([A-Za-z]*)$/.exec(typed);
  if (!key) return undefined;
  const word = json ? key[2] : key[1];
  const from = character - word.length - (json ? key[1].length : 0);
  // `"` typed after `{` or `,` is usually closed by the editor at once: `"timeout": ` replaces both
  // (a quote that opens the next key, `"|"name": …`, is left alone).
  const closedQuote = json && key[1] === '"' && text[character] === '"' && /^(?:[\s,}]|$)/.test(text.slice(character + 1));
  return {
    from,
    keys: true,
    insertTo: closedQuote ? character + 1 : character,
    suggestions: terms
      // `excludeFromRunAll` is read for other tools' runbooks; new text gets `skip`.
      .filter((term) => (!present.has(term.name) || term.name === word) && term.name !== 'excludeFromRunAll')
      .map((term): Suggestion => {
        const flag = term.values.length === 2 && term.values[0] === 'true';
        // A flag is written bare to turn it on; `errexit` is on by default, so it is only ever turned off.
        const insertText = json ? `"${term.name}": ` : term.name === 'errexit' ? 'errexit=false' : flag ? term.name : `${term.name}=`;
        return {
          label: term.name,
          kind: 'attribute',
          insertText,
          filterText: json ? `"${term.name}"` : undefined,
          offersValues: term.values.length > 0 && /[=:] ?$/.test(insertText),
          documentation: term.description,
        };
      }),
  };
}

function frontMatterCompletions(runbook: Runbook, lines: readonly string[], line: number, before: string): Found | undefined {
  const top = runbook.frontMatterRange?.startLine ?? 0;
  const close = runbook.frontMatterRange?.endLine ?? lines.length;
  const indent = before.length - before.trimStart().length;
  const { parent, inInputs, inInputDefinition } = frontMatterPlace(lines, line, indent, top);

  // `  NAME: { description: …, ty|` (or `- { name: NAME, ty|`) — an input's flow mapping on one line.
  const flow = /^\s*(?:-\s*|[A-Za-z_]\w*\s*:\s*)\{([^}]*)$/.exec(before);
  if (flow && inInputs) {
    const segment = flow[1].split(',').pop() ?? '';
    const fieldValue = /^\s*([A-Za-z]+)\s*:\s*([\w.-]*)$/.exec(segment);
    if (fieldValue) return valueCompletions(INPUT_FIELD_TERMS, fieldValue[1], before.length - fieldValue[2].length);
    const field = /^\s*([A-Za-z]*)$/.exec(segment);
    if (!field) return undefined;
    const present = new Set([...flow[1].matchAll(/([A-Za-z]+)\s*:/g)].map((m) => m[1]));
    return keyCompletions(INPUT_FIELD_TERMS, present, before.length - field[1].length, 'field');
  }

  const alerts = alertCompletions(runbook, lines, line, before);
  if (alerts) return alerts;

  const value = /^(\s*)(?:-\s+)?([A-Za-z_][\w-]*)\s*:\s*([\w.-]*)$/.exec(before);
  if (value) {
    const terms = indent === 0 ? FRONT_MATTER_KEYS : inInputDefinition ? INPUT_FIELD_TERMS : undefined;
    return terms && valueCompletions(terms, value[2], before.length - value[3].length);
  }

  const key = /^\s*([A-Za-z_][\w-]*)?$/.exec(before);
  if (!key) return undefined;
  const from = before.length - (key[1]?.length ?? 0);
  if (indent === 0) return { ...keyCompletions(FRONT_MATTER_KEYS, siblingKeys(lines, top, 0, close, line), from, 'key'), topLevelKeys: true };
  if (inInputDefinition && parent) return keyCompletions(INPUT_FIELD_TERMS, siblingKeys(lines, parent.line, indent, close, line), from, 'field');
  if (inInputs) {
    // An input's name: offer the variables steps use that no input declares yet.
    const declared = runbook.inputs.map((input) => input.name);
    const names = new Map<string, string>();
    for (const { step, inputs } of implicitInputsByStep(runbook.steps, declared)) {
      for (const input of inputs) if (!names.has(input.name)) names.set(input.name, `${input.label} in "${step.title}"`);
    }
    return {
      from,
      suggestions: [...names].map(([name, where]) => ({ label: name, kind: 'input', insertText: `${name}: `, detail: `used by ${where}, not declared` })),
    };
  }
  return undefined;
}

function keyCompletions(terms: readonly Term[], present: Set<string>, from: number, kind: SuggestionKind): Found {
  return {
    from,
    keys: true,
    suggestions: terms
      .filter((term) => !present.has(term.name))
      .map((term) => ({ label: term.name, kind, insertText: `${term.name}: `, offersValues: term.values.length > 0, documentation: term.description })),
  };
}

function valueCompletions(terms: readonly Term[], key: string, from: number): Found | undefined {
  const term = terms.find((candidate) => candidate.name === key);
  if (!term || term.values.length === 0) return undefined;
  return { from, suggestions: term.values.map((v) => ({ label: v, kind: 'value', insertText: v, detail: `${key}: ${v}` })) };
}
