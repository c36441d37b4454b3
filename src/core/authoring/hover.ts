// What the cursor is on, for hovers: an input reference in a step, a fence attribute, or a front
// matter key. The editor adds what only it knows (an input's current value).

import { attributeEntries } from '../runbook/attributes';
import { implicitInputsByStep, shellAnalysisOf, type InputSpec, type Runbook, type Step } from '../runbook';
import { fenceKindAt, stepAtCodeLine } from './fences';
import { frontMatterPlace } from './frontMatterPlace';
import { codeLocator } from './locate';
import { EXPECTED_ATTRIBUTES, FRONT_MATTER_KEYS, INPUT_FIELD_TERMS, STEP_ATTRIBUTES, type Term } from './vocabulary';

export type HoverTarget =
  /** `arithmetic`: the step evaluates the value as arithmetic, so only whole numbers are accepted. */
  | { kind: 'input'; input: InputSpec; column: number; endColumn: number; arithmetic?: true }
  | { kind: 'implicit-input'; name: string; label: string; column: number; endColumn: number; arithmetic?: true }
  | { kind: 'term'; term: Term; column: number; endColumn: number };

export function hoverAt(runbook: Runbook, lines: readonly string[], line: number, character: number): HoverTarget | undefined {
  const text = lines[line] ?? '';
  const range = runbook.frontMatterRange;
  if (range && line > range.startLine && line < range.endLine) return frontMatterKeyAt(lines, line, range.startLine, character);
  const fence = fenceKindAt(runbook, line);
  if (fence) {
    const terms = fence === 'expected' ? EXPECTED_ATTRIBUTES : STEP_ATTRIBUTES;
    const entry = attributeEntries(text).entries.find((candidate) => character >= candidate.keyStart && character < candidate.keyEnd);
    const term = entry && terms.find((candidate) => candidate.name === entry.key);
    return entry && term ? { kind: 'term', term, column: entry.keyStart, endColumn: entry.keyEnd } : undefined;
  }
  const step = stepAtCodeLine(runbook, line);
  if (!step) return undefined;
  // In a shell step, what the engine's analysis found there: `<pod-name>` is POD_NAME, `$NAME` and
  // `${NAME}` are NAME (not in single quotes or comments); elsewhere a name in `os.environ["NAME"]` ….
  const found = step.family === 'shell' ? shellReferenceAt(step, lines, line, character) : wordAt(text, character);
  if (!found) return undefined;
  const { name, column, endColumn } = found;
  const arithmetic = step.family === 'shell' && shellAnalysisOf(step).arithmetic.some((use) => use.name === name) ? ({ arithmetic: true } as const) : {};
  const input = runbook.inputs.find((candidate) => candidate.name === name);
  if (input) return { kind: 'input', input, column, endColumn, ...arithmetic };
  if (step.family !== 'shell') return undefined;
  const implicit = implicitInputsByStep(runbook.steps, runbook.inputs.map((i) => i.name))
    .find((candidate) => candidate.step === step)
    ?.inputs.find((candidate) => candidate.name === name);
  return implicit ? { kind: 'implicit-input', name: implicit.name, label: implicit.label, column, endColumn, ...arithmetic } : undefined;
}

interface Located {
  name: string;
  line: number;
  column: number;
  endColumn: number;
  placeholder: boolean;
}

// The analysis' references of a step at their document places, worked out once per parsed step.
const locatedReferences = new WeakMap<Step, Located[]>();

function shellReferenceAt(step: Step, lines: readonly string[], line: number, character: number): { name: string; column: number; endColumn: number } | undefined {
  let located = locatedReferences.get(step);
  if (!located) {
    located = [];
    const analysis = shellAnalysisOf(step);
    const locate = codeLocator(step, lines);
    const add = (name: string, start: number, end: number, placeholder: boolean) => {
      const at = locate(start);
      if (at) located!.push({ name, line: at.line, column: at.column, endColumn: at.column + end - start, placeholder });
    };
    for (const placeholder of analysis.placeholders) add(placeholder.variable, placeholder.start, placeholder.end, true);
    for (const expansion of analysis.expansions) add(expansion.name, expansion.start, expansion.end, false);
    locatedReferences.set(step, located);
  }
  // A placeholder covers its brackets; a name is found with the cursor just after it too.
  const hit = located.find((r) => r.line === line && character >= r.column && (r.placeholder ? character < r.endColumn : character <= r.endColumn));
  return hit && { name: hit.name, column: hit.column, endColumn: hit.endColumn };
}

function wordAt(text: string, character: number): { name: string; column: number; endColumn: number } | undefined {
  for (const match of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    if (character >= match.index && character <= match.index + match[0].length) return { name: match[0], column: match.index, endColumn: match.index + match[0].length };
  }
  return undefined;
}

function frontMatterKeyAt(lines: readonly string[], line: number, top: number, character: number): HoverTarget | undefined {
  const text = lines[line] ?? '';
  const key = /^(\s*)(?:-\s+)?([A-Za-z_][\w-]*)\s*:/.exec(text);
  const place = frontMatterPlace(lines, line, key?.[1].length ?? 0, top);
  // Only keys whose meaning is known: top-level ones and the fields of an input.
  if (key && (key[1].length === 0 || place.inInputDefinition)) {
    const column = key[0].indexOf(key[2], key[1].length);
    if (character >= column && character <= column + key[2].length) {
      const terms = key[1].length === 0 ? FRONT_MATTER_KEYS : INPUT_FIELD_TERMS;
      const term = terms.find((candidate) => candidate.name === key[2]);
      if (term) return { kind: 'term', term, column, endColumn: column + key[2].length };
    }
  }
  // Fields inside an input's flow mapping: `NAME: { description: …, secret: true }`.
  if (!place.inInputs) return undefined;
  for (const field of text.matchAll(/[{,]\s*([A-Za-z]+)\s*:/g)) {
    const column = field.index + field[0].indexOf(field[1]);
    if (character >= column && character <= column + field[1].length) {
      const term = INPUT_FIELD_TERMS.find((candidate) => candidate.name === field[1]);
      if (term) return { kind: 'term', term, column, endColumn: column + field[1].length };
    }
  }
  return undefined;
}
