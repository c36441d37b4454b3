// Input definitions from the front matter's `inputs:` mapping (or a list of `{ name: … }` items).

import { checkInputValue, INPUT_NAME_PATTERN } from './inputValue';
import { isRecord, scalarText } from './plainData';
import { reservedVariableReason } from './reservedNames';
import type { InputSpec, InputType, RunbookDiagnostic } from './types';

export const INPUT_FIELDS = ['description', 'default', 'type', 'pattern', 'min', 'max', 'choices', 'secret', 'required', 'name'];
const INPUT_TYPES: InputType[] = ['string', 'number', 'boolean'];
export { INPUT_NAME_PATTERN } from './inputValue';

type Problem = (message: string, code?: 'invalid-input' | 'unknown-input-field', severity?: 'error' | 'warning') => void;

export function readInputs(
  value: unknown,
  lineOf: (name: string) => number,
): { inputs: InputSpec[]; diagnostics: RunbookDiagnostic[] } {
  const inputs: InputSpec[] = [];
  const diagnostics: RunbookDiagnostic[] = [];
  const entries = inputEntries(value);
  if (entries === undefined) {
    const line = lineOf('');
    diagnostics.push({ severity: 'error', code: 'invalid-input', message: 'inputs must be a mapping of input names to definitions.', line, endLine: line });
    return { inputs, diagnostics };
  }
  for (const [name, definition] of entries) {
    const line = lineOf(name);
    const problem: Problem = (message, code = 'invalid-input', severity = 'error') =>
      diagnostics.push({ severity, code, message: `Input ${name}: ${message}`, line, endLine: line, subject: name });
    if (!INPUT_NAME_PATTERN.test(name)) {
      problem('the name must be usable as an environment variable (letters, digits and _, not starting with a digit).');
      continue;
    }
    // Not declared at all: a default (or a value asked for later) would reach the step's environment.
    const reserved = reservedVariableReason(name);
    if (reserved) {
      problem(`${name} cannot be an input because ${reserved}. Give the input another name.`);
      continue;
    }
    const spec = readInput(name, definition, line, problem);
    if (spec) inputs.push(spec);
  }
  return { inputs, diagnostics };
}

function inputEntries(value: unknown): Array<[string, unknown]> | undefined {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) {
    const entries: Array<[string, unknown]> = [];
    for (const item of value) {
      if (typeof item === 'string') entries.push([item, null]);
      else if (isRecord(item) && typeof item.name === 'string') entries.push([item.name, item]);
      else return undefined;
    }
    return entries;
  }
  return isRecord(value) ? Object.entries(value) : undefined;
}

function readInput(name: string, definition: unknown, line: number, problem: Problem): InputSpec | undefined {
  // `NAME:` alone declares a required string; `NAME: value` declares one with that default.
  if (definition === null || definition === undefined) {
    return { name, type: 'string', secret: false, required: true, line };
  }
  if (!isRecord(definition)) {
    const text = scalarText(definition);
    if (text === undefined) {
      problem('write a default value or a mapping such as { description: …, default: … }.');
      return undefined;
    }
    return { name, type: typeof definition === 'number' ? 'number' : 'string', default: text, secret: false, required: false, line };
  }
  let valid = true;
  const fail = (message: string) => {
    problem(message);
    valid = false;
  };
  for (const key of Object.keys(definition)) {
    if (!INPUT_FIELDS.includes(key)) {
      problem(`unknown field "${key}" is ignored (known: ${INPUT_FIELDS.filter((f) => f !== 'name').join(', ')}).`, 'unknown-input-field', 'warning');
    }
  }
  const type = (definition.type ?? (typeof definition.default === 'number' ? 'number' : 'string')) as InputType;
  if (!INPUT_TYPES.includes(type)) fail(`type must be one of ${INPUT_TYPES.join(', ')}, not "${String(definition.type)}".`);

  const description = definition.description === undefined ? undefined : scalarText(definition.description);
  if (definition.description !== undefined && description === undefined) fail('description must be text.');

  let choices: string[] | undefined;
  if (definition.choices !== undefined) {
    if (Array.isArray(definition.choices) && definition.choices.length > 0 && definition.choices.every((c) => scalarText(c) !== undefined)) {
      choices = definition.choices.map((c) => scalarText(c) as string);
    } else {
      fail('choices must be a non-empty list of values, such as [staging, production].');
    }
  }

  let pattern: string | undefined;
  let regex: RegExp | undefined;
  if (definition.pattern !== undefined) {
    pattern = scalarText(definition.pattern);
    try {
      regex = new RegExp(pattern ?? '', 'u');
    } catch (error) {
      fail(`pattern "${String(definition.pattern)}" is not a valid regular expression (${(error as Error).message}).`);
      pattern = undefined;
    }
  }

  const min = readNumber(definition, 'min', fail);
  const max = readNumber(definition, 'max', fail);
  if (min !== undefined && max !== undefined && min > max) fail(`min (${min}) is greater than max (${max}).`);
  if ((min !== undefined || max !== undefined) && type !== 'number') fail('min and max apply only to inputs of type number.');

  const secret = readFlag(definition, 'secret', false, fail);
  const defaultText = definition.default === undefined || definition.default === null ? undefined : scalarText(definition.default);
  if (definition.default !== undefined && definition.default !== null && defaultText === undefined) fail('default must be a single value.');
  const required = readFlag(definition, 'required', defaultText === undefined, fail);

  if (defaultText !== undefined) {
    const reason = checkInputValue({ name, type, pattern, min, max, choices, secret, required }, defaultText, regex);
    if (reason) fail(`the default ${quoted(defaultText)} is invalid: ${reason}`);
    if (secret) problem('a secret input should not have a default written in the runbook.', 'invalid-input', 'warning');
  }
  if (!valid) return undefined;
  return { name, type, description, default: defaultText, pattern, min, max, choices, secret, required, line };
}

function readNumber(definition: Record<string, unknown>, key: 'min' | 'max', fail: (m: string) => void): number | undefined {
  const value = definition[key];
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  fail(`${key} must be a number, not "${String(value)}".`);
  return undefined;
}

function readFlag(definition: Record<string, unknown>, key: string, fallback: boolean, fail: (m: string) => void): boolean {
  const value = definition[key];
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  fail(`${key} must be true or false.`);
  return fallback;
}

/** A value as a message shows it: quoted, control characters escaped, a long one cut short. */
function quoted(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 79)}…` : value;
  // eslint-disable-next-line no-control-regex
  return `"${shown.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\0' ? '\\0' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;
}
