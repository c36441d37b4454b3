// Attributes in a fence's info string, after the language: HTML-attribute style
// `{name=drain confirm timeout=2m}` or JSON `{"name": "drain", "confirm": true}`.

import { parseDuration } from './duration';
import type { MatchMode, StepAttributes } from './types';

export type RawAttributes = Record<string, string | boolean>;

export interface AttributeProblem {
  code: 'bad-attributes' | 'unknown-attribute' | 'bad-attribute-value' | 'bad-timeout';
  message: string;
}

const STEP_KEYS = ['name', 'confirm', 'timeout', 'cwd', 'interactive', 'skip', 'excludeFromRunAll', 'errexit'];
const EXPECTED_KEYS = ['match'];
const MATCH_MODES: MatchMode[] = ['contains', 'exact', 'regex'];
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The `{…}` part of an info string, or undefined when there is none. */
export function attributeText(info: string): string | undefined {
  const open = info.indexOf('{');
  if (open < 0) return undefined;
  const close = info.lastIndexOf('}');
  return close > open ? info.slice(open, close + 1) : info.slice(open);
}

export function parseRawAttributes(info: string): { raw: RawAttributes; problems: AttributeProblem[] } {
  const text = attributeText(info);
  if (text === undefined) return { raw: {}, problems: [] };
  if (!text.endsWith('}')) {
    return { raw: {}, problems: [{ code: 'bad-attributes', message: `Attributes "${text}" are missing the closing "}"; they are ignored.` }] };
  }
  return /^\{\s*"/.test(text) ? parseJson(text) : parseHtmlStyle(text.slice(1, -1));
}

function parseJson(text: string): { raw: RawAttributes; problems: AttributeProblem[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { raw: {}, problems: [{ code: 'bad-attributes', message: `Attributes are not valid JSON (${(error as Error).message}); they are ignored.` }] };
  }
  const raw: RawAttributes = {};
  const problems: AttributeProblem[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'boolean' || typeof v === 'string') raw[key] = v;
    else if (typeof v === 'number') raw[key] = String(v);
    else problems.push({ code: 'bad-attribute-value', message: `Attribute "${key}" must be a string, number or boolean.` });
  }
  return { raw, problems };
}

function parseHtmlStyle(body: string): { raw: RawAttributes; problems: AttributeProblem[] } {
  const raw: RawAttributes = {};
  const problems: AttributeProblem[] = [];
  const token = /\s*([^\s=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?/y;
  let rest = body.trim();
  while (rest.length > 0) {
    token.lastIndex = 0;
    const match = token.exec(rest);
    if (!match || match[0].length === 0) {
      problems.push({ code: 'bad-attributes', message: `Cannot read attributes from "${rest}".` });
      break;
    }
    const [, key, doubleQuoted, singleQuoted, bare] = match;
    raw[key] = doubleQuoted ?? singleQuoted ?? bare ?? true;
    rest = rest.slice(match[0].length).trimStart();
  }
  return { raw, problems };
}

function readBoolean(raw: RawAttributes, key: string, fallback: boolean, problems: AttributeProblem[]): boolean {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  problems.push({ code: 'bad-attribute-value', message: `Attribute "${key}" must be true or false, not "${String(value)}".` });
  return fallback;
}

function readString(raw: RawAttributes, key: string, problems: AttributeProblem[]): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  problems.push({ code: 'bad-attribute-value', message: `Attribute "${key}" needs a value, as in ${key}=value.` });
  return undefined;
}

/** Attributes of a runnable fence, with a problem for every unknown key or bad value. */
export function parseStepAttributes(info: string): { attributes: StepAttributes; problems: AttributeProblem[] } {
  const { raw, problems } = parseRawAttributes(info);
  for (const key of Object.keys(raw)) {
    if (!STEP_KEYS.includes(key)) {
      problems.push({ code: 'unknown-attribute', message: `Unknown attribute "${key}" is ignored (known: ${STEP_KEYS.join(', ')}).` });
    }
  }
  const name = readString(raw, 'name', problems);
  if (name !== undefined && !NAME_PATTERN.test(name)) {
    problems.push({ code: 'bad-attribute-value', message: `Step name "${name}" may use only letters, digits, ".", "_" and "-", starting with a letter or digit.` });
  }
  let timeoutMs: number | undefined;
  if (raw.timeout !== undefined) {
    timeoutMs = parseDuration(raw.timeout === true ? '' : raw.timeout);
    if (timeoutMs === undefined) {
      problems.push({ code: 'bad-timeout', message: `Timeout "${String(raw.timeout)}" is not a duration: write seconds (90) or 90s, 10m, 1h.` });
    }
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
    if (!EXPECTED_KEYS.includes(key)) {
      problems.push({ code: 'unknown-attribute', message: `Unknown attribute "${key}" on expected output is ignored (known: match).` });
    }
  }
  const match = raw.match ?? 'contains';
  if (typeof match === 'string' && (MATCH_MODES as string[]).includes(match)) return { match: match as MatchMode, problems };
  problems.push({ code: 'bad-attribute-value', message: `match must be one of ${MATCH_MODES.join(', ')}, not "${String(match)}".` });
  return { match: 'contains', problems };
}
