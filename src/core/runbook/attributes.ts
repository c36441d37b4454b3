// Attributes in a fence's info string, after the language: HTML-attribute style
// `{name=drain confirm timeout=2m}` or JSON `{"name": "drain", "confirm": true}`.

import { durationProblem, parseDuration } from './duration';
import type { MatchMode, StepAttributes } from './types';

export type RawAttributes = Record<string, string | boolean>;

export interface AttributeProblem {
  code: 'bad-attributes' | 'unknown-attribute' | 'bad-attribute-value' | 'bad-timeout';
  message: string;
  /** The attribute the problem is about, when it is about one. */
  key?: string;
}

export const STEP_ATTRIBUTE_KEYS = ['name', 'confirm', 'timeout', 'cwd', 'interactive', 'skip', 'excludeFromRunAll', 'errexit'];
export const EXPECTED_ATTRIBUTE_KEYS = ['match'];
export const MATCH_MODES: MatchMode[] = ['contains', 'exact', 'regex'];
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The `{…}` part of an info string, or undefined when there is none. */
export function attributeText(info: string): string | undefined {
  const open = info.indexOf('{');
  if (open < 0) return undefined;
  const close = info.lastIndexOf('}');
  return close > open ? info.slice(open, close + 1) : info.slice(open);
}

/** One attribute as written, with where it sits in the info string (for editor quick fixes). */
export interface AttributeEntry {
  key: string;
  value: string | boolean;
  /** Offsets in the info string: the whole `key=value` (or JSON `"key": value`), the key, the value. */
  start: number;
  end: number;
  keyStart: number;
  keyEnd: number;
  valueStart?: number;
  valueEnd?: number;
}

export function parseRawAttributes(info: string): { raw: RawAttributes; problems: AttributeProblem[] } {
  const { entries, problems } = attributeEntries(info);
  const raw: RawAttributes = {};
  for (const entry of entries) raw[entry.key] = entry.value;
  return { raw, problems };
}

/** Every attribute of an info string, in order, with its offsets. */
export function attributeEntries(info: string): { entries: AttributeEntry[]; problems: AttributeProblem[] } {
  const text = attributeText(info);
  if (text === undefined) return { entries: [], problems: [] };
  if (!text.endsWith('}')) {
    return { entries: [], problems: [{ code: 'bad-attributes', message: `Attributes "${text}" are missing the closing "}"; they are ignored.` }] };
  }
  const open = info.indexOf('{');
  return /^\{\s*"/.test(text) ? jsonEntries(info, open, text) : htmlStyleEntries(info, open, open + text.length - 1);
}

function jsonEntries(info: string, open: number, text: string): { entries: AttributeEntry[]; problems: AttributeProblem[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { entries: [], problems: [{ code: 'bad-attributes', message: `Attributes are not valid JSON (${(error as Error).message}); they are ignored.` }] };
  }
  const entries: AttributeEntry[] = [];
  const problems: AttributeProblem[] = [];
  // Valid JSON of one object: each `"key": value` at the top level, found in order.
  const member = /"((?:[^"\\]|\\.)*)"\s*:\s*("(?:[^"\\]|\\.)*"|[^,}\s]+|[[{])/gy;
  let at = open + 1;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const found = findJsonMember(info, member, at, key);
    const entry = found ?? { start: open, end: open + text.length, keyStart: open, keyEnd: open + text.length };
    if (found) at = found.end;
    if (typeof v === 'boolean' || typeof v === 'string') entries.push({ key, value: v, ...entry });
    else if (typeof v === 'number') entries.push({ key, value: String(v), ...entry });
    else problems.push({ code: 'bad-attribute-value', key, message: `Attribute "${key}" must be a string, number or boolean.` });
  }
  return { entries, problems };
}

function findJsonMember(info: string, member: RegExp, from: number, key: string): Omit<AttributeEntry, 'key' | 'value'> | undefined {
  for (let at = info.indexOf('"', from); at >= 0; at = info.indexOf('"', at + 1)) {
    member.lastIndex = at;
    const match = member.exec(info);
    if (!match || JSON.parse(`"${match[1]}"`) !== key) continue;
    const valueEnd = at + match[0].length;
    return { start: at, end: valueEnd, keyStart: at, keyEnd: at + match[1].length + 2, valueStart: valueEnd - match[2].length, valueEnd };
  }
  return undefined;
}

function htmlStyleEntries(info: string, open: number, close: number): { entries: AttributeEntry[]; problems: AttributeProblem[] } {
  const entries: AttributeEntry[] = [];
  const problems: AttributeProblem[] = [];
  const inner = info.slice(0, close);
  const token = /([^\s=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?/y;
  let at = open + 1;
  for (;;) {
    while (at < close && /\s/.test(inner[at])) at++;
    if (at >= close) break;
    token.lastIndex = at;
    const match = token.exec(inner);
    if (!match) {
      problems.push({ code: 'bad-attributes', message: `Cannot read attributes from "${inner.slice(at).trim()}".` });
      break;
    }
    const [whole, key, doubleQuoted, singleQuoted, bare] = match;
    const end = at + whole.length;
    const value = doubleQuoted ?? singleQuoted ?? bare;
    const valueEnd = value === undefined ? undefined : bare !== undefined ? end : end - 1;
    entries.push({
      key,
      value: value ?? true,
      start: at,
      end,
      keyStart: at,
      keyEnd: at + key.length,
      valueStart: valueEnd === undefined ? undefined : valueEnd - (value as string).length,
      valueEnd,
    });
    at = end;
  }
  return { entries, problems };
}

function readBoolean(raw: RawAttributes, key: string, fallback: boolean, problems: AttributeProblem[]): boolean {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  problems.push({ code: 'bad-attribute-value', key, message: `Attribute "${key}" must be true or false, not "${String(value)}".` });
  return fallback;
}

function readString(raw: RawAttributes, key: string, problems: AttributeProblem[]): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  problems.push({ code: 'bad-attribute-value', key, message: `Attribute "${key}" needs a value, as in ${key}=value.` });
  return undefined;
}

/** Attributes of a runnable fence, with a problem for every unknown key or bad value. */
export function parseStepAttributes(info: string): { attributes: StepAttributes; problems: AttributeProblem[] } {
  const { raw, problems } = parseRawAttributes(info);
  for (const key of Object.keys(raw)) {
    if (!STEP_ATTRIBUTE_KEYS.includes(key)) {
      problems.push({ code: 'unknown-attribute', key, message: `Unknown attribute "${key}" is ignored (known: ${STEP_ATTRIBUTE_KEYS.join(', ')}).` });
    }
  }
  const name = readString(raw, 'name', problems);
  if (name !== undefined && !NAME_PATTERN.test(name)) {
    problems.push({ code: 'bad-attribute-value', key: 'name', message: `Step name "${name}" may use only letters, digits, ".", "_" and "-", starting with a letter or digit.` });
  }
  let timeoutMs: number | undefined;
  if (raw.timeout !== undefined) {
    const written = raw.timeout === true ? '' : raw.timeout;
    timeoutMs = parseDuration(written);
    if (timeoutMs === undefined) problems.push({ code: 'bad-timeout', key: 'timeout', message: durationProblem(written) ?? '' });
  }
  const skip = readBoolean(raw, 'skip', false, problems) || readBoolean(raw, 'excludeFromRunAll', false, problems);
  return {
    attributes: {
      name: name !== undefined && NAME_PATTERN.test(name) ? name : undefined,
      confirm: readBoolean(raw, 'confirm', false, problems),
      timeoutMs,
      cwd: readString(raw, 'cwd', problems),
      interactive: readBoolean(raw, 'interactive', false, problems),
      skip,
      errexit: readBoolean(raw, 'errexit', true, problems),
      raw,
    },
    problems,
  };
}

/** Attributes of an `output`/`expected` fence. */
export function parseExpectedAttributes(info: string): { match: MatchMode; problems: AttributeProblem[] } {
  const { raw, problems } = parseRawAttributes(info);
  for (const key of Object.keys(raw)) {
    if (!EXPECTED_ATTRIBUTE_KEYS.includes(key)) {
      problems.push({ code: 'unknown-attribute', key, message: `Unknown attribute "${key}" on expected output is ignored (known: match).` });
    }
  }
  const match = raw.match ?? 'contains';
  if (typeof match === 'string' && (MATCH_MODES as string[]).includes(match)) return { match: match as MatchMode, problems };
  problems.push({ code: 'bad-attribute-value', key: 'match', message: `match must be one of ${MATCH_MODES.join(', ')}, not "${String(match)}".` });
  return { match: 'contains', problems };
}
