// What the cursor is on, for hovers: an input reference in a step, a fence attribute, or a front
// matter key. The editor adds what only it knows (an input's current value).

import { attributeEntries } from '../runbook/attributes';
import { analyzeShell, implicitInputsByStep, type InputSpec, type Runbook } from '../runbook';
import { fenceKindAt, stepAtCodeLine } from './fences';
import { frontMatterPlace } from './frontMatterPlace';
import { EXPECTED_ATTRIBUTES, FRONT_MATTER_KEYS, INPUT_FIELD_TERMS, STEP_ATTRIBUTES, type Term } from './vocabulary';

export type HoverTarget =
  | { kind: 'input'; input: InputSpec; column: number; endColumn: number }
  | { kind: 'implicit-input'; name: string; label: string; column: number; endColumn: number }
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
  // `<pod-name>` is the input POD_NAME; `$NAME`, `${NAME}`, `os.environ["NAME"]` are NAME.
  const placeholder = [...text.matchAll(/<[A-Za-z][A-Za-z0-9_.-]*>/g)].find((m) => character >= m.index && character < m.index + m[0].length);
  const word = placeholder ? undefined : wordAt(text, character);
  let name: string | undefined;
  let column = 0;
  let endColumn = 0;
  if (placeholder && step.family === 'shell') {
    name = analyzeShell(placeholder[0]).placeholders[0]?.variable;
    column = placeholder.index;
    endColumn = column + placeholder[0].length;
  } else if (word) {
    ({ name, column, endColumn } = word);
  }
  if (!name) return undefined;
  const input = runbook.inputs.find((candidate) => candidate.name === name);
  if (input) return { kind: 'input', input, column, endColumn };
  if (step.family !== 'shell') return undefined;
  const implicit = implicitInputsByStep(runbook.steps, runbook.inputs.map((i) => i.name))
    .find((found) => found.step === step)
    ?.inputs.find((found) => found.name === name);
  return implicit ? { kind: 'implicit-input', name: implicit.name, label: implicit.label, column, endColumn } : undefined;
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
