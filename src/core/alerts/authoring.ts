// Editor help for `alerts:` and `automation:`: diagnostics on the lines they are about (the lint
// calls `lintAlerts`), and completions inside an `alerts:` entry (the entry's keys, the runbook's
// inputs, a template for each). The top-level keys and `automation`'s values come from the front
// matter schema like every other key.

import type * as Yaml from 'yaml';
import type { Runbook, RunbookDiagnostic } from '../runbook';
import type { Suggestion } from '../authoring/completions';
import { parentKey, siblingKeys, type YamlKeyLine } from '../authoring/frontMatterPlace';
import { ALERT_FIELD_TERMS } from '../authoring/vocabulary';
import { checkAlertRules, implicitInputNames, readRunbookAlerts } from './rules';
import type { AlertsProblem } from './types';

// Loaded on first use, like the parser does, to keep it out of the extension's activation.
let yamlModule: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlModule ??= require('yaml') as typeof Yaml);
}

/** Diagnostics for the runbook's `alerts:` and `automation:`, placed on the key or value they are about. */
export function lintAlerts(runbook: Runbook, lines: readonly string[]): RunbookDiagnostic[] {
  const front = runbook.frontMatter;
  if (!front || (front.alerts === undefined && front.automation === undefined)) return [];
  const alerts = readRunbookAlerts(front);
  const problems = [...alerts.problems, ...checkAlertRules(runbook, alerts)];
  if (problems.length === 0) return [];
  const locate = frontMatterLocator(runbook, lines);
  return problems.map((problem) => {
    const place = locate(problem);
    const diagnostic: RunbookDiagnostic = { severity: problem.severity, code: problem.code, message: problem.message, line: place.line, endLine: place.endLine, subject: problem.subject };
    if (place.column !== undefined) {
      diagnostic.column = place.column;
      diagnostic.endColumn = place.endColumn;
    }
    return diagnostic;
  });
}

interface Place {
  line: number;
  endLine: number;
  column?: number;
  endColumn?: number;
}

/**
 * Finds a key path's key or value in the front matter by parsing its YAML again with positions
 * (the model keeps the mapping, not where each nested key is), so flow mappings on one line are
 * placed as well as block ones. Falls back to the nearest key found on the way.
 */
function frontMatterLocator(runbook: Runbook, lines: readonly string[]): (problem: AlertsProblem) => Place {
  const range = runbook.frontMatterRange ?? { startLine: 0, endLine: 0 };
  const text = lines.slice(range.startLine + 1, range.endLine).join('\n');
  const { LineCounter, isMap, isScalar, parseDocument } = yaml();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const toPlace = (node: { range?: [number, number, number] | null } | null | undefined): Place | undefined => {
    if (!node?.range) return undefined;
    const start = counter.linePos(node.range[0]);
    const end = counter.linePos(node.range[1]);
    const line = range.startLine + start.line;
    const endLine = range.startLine + end.line;
    // A node spanning lines is underlined on its first line only.
    return endLine === line ? { line, endLine, column: start.col - 1, endColumn: end.col - 1 } : { line, endLine: line };
  };
  return (problem) => {
    const fallback: Place = { line: range.startLine + 1, endLine: range.startLine + 1 };
    let node: unknown = doc.contents;
    let found: Place | undefined;
    for (const [index, key] of problem.path.entries()) {
      if (!isMap(node)) break;
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      if (!pair) break;
      const last = index === problem.path.length - 1;
      found = (last && problem.at === 'value' ? toPlace(pair.value as never) : undefined) ?? toPlace(pair.key as never) ?? found;
      node = pair.value;
    }
    return found ?? fallback;
  };
}

/** What `completionsAt` returns for a place in the front matter. */
export interface AlertCompletions {
  suggestions: Suggestion[];
  from: number;
  keys?: boolean;
}

/** The keys above `line`, outermost first, found by indentation (works while the YAML is half typed). */
function keyChain(lines: readonly string[], line: number, indent: number, top: number): YamlKeyLine[] {
  const chain: YamlKeyLine[] = [];
  for (let parent = indent > 0 ? parentKey(lines, line, indent, top) : undefined; parent; parent = parent.indent > 0 ? parentKey(lines, parent.line, parent.indent, top) : undefined) {
    chain.unshift(parent);
  }
  return chain;
}

/** `"{{ labels.namespace }}"` for NAMESPACE: labels are lower case by convention. */
function labelTemplate(input: string): string {
  return `"{{ labels.${input.toLowerCase()} }}"`;
}

/**
 * Completions inside an `alerts:` entry of the front matter: the entry's keys (`inputs`, `match`),
 * the runbook's inputs under its `inputs:`, and a label template as an input's value. Undefined
 * elsewhere, so the other front matter completions apply.
 */
export function alertCompletions(runbook: Runbook, lines: readonly string[], line: number, before: string): AlertCompletions | undefined {
  const range = runbook.frontMatterRange;
  if (!range) return undefined;
  const indent = before.length - before.trimStart().length;
  if (indent === 0) return undefined;
  const chain = keyChain(lines, line, indent, range.startLine);
  if (chain[0]?.key !== 'alerts' || chain[0].indent !== 0) return undefined;
  const key = /^\s*([A-Za-z_][\w-]*)?$/.exec(before);
  const value = /^\s*([A-Za-z_][\w-]*)\s*:\s*("?[\w{} .]*)$/.exec(before);
  if (chain.length === 2 && key) {
    const present = siblingKeys(lines, chain[1].line, indent, range.endLine, line);
    const from = before.length - (key[1]?.length ?? 0);
    return {
      from,
      keys: true,
      suggestions: ALERT_FIELD_TERMS.filter((term) => !present.has(term.name)).map((term) => ({ label: term.name, kind: 'field', insertText: `${term.name}: `, documentation: term.description })),
    };
  }
  if (chain.length === 3 && chain[2].key === 'inputs') {
    const implicit = implicitInputNames(runbook);
    const names = [...runbook.inputs.filter((input) => !input.secret).map((input) => input.name), ...[...implicit].filter((name) => !runbook.inputs.some((i) => i.name === name))];
    if (value && names.includes(value[1])) {
      return { from: before.length - value[2].length, suggestions: [{ label: labelTemplate(value[1]), kind: 'value', insertText: labelTemplate(value[1]), detail: `${value[1]} from the alert's ${value[1].toLowerCase()} label` }] };
    }
    if (!key) return undefined;
    const present = siblingKeys(lines, chain[2].line, indent, range.endLine, line);
    return {
      from: before.length - (key[1]?.length ?? 0),
      keys: true,
      suggestions: names
        .filter((name) => !present.has(name))
        .map((name) => {
          const input = runbook.inputs.find((candidate) => candidate.name === name);
          return {
            label: name,
            kind: 'input',
            insertText: `${name}: ${labelTemplate(name)}`,
            detail: input ? `input${input.description ? `: ${input.description}` : ''}` : 'used by a step, not declared',
          };
        }),
    };
  }
  return undefined;
}
