// The fast way through a large history log: a line exactly as the editor, the command line and
// generated scripts write it (`JSON.stringify` of a `HistoryEntry` in one of the two key orders
// they use, the optional keys left out) is checked whole by one regular expression, and its fields
// are read from the match without `JSON.parse`, which was most of the time of reading 100,000
// lines. Any other line (another writer's key order, an escape in a value read here, spaces, a
// line cut short) answers false, and the caller parses it.

import type { RunOrigin } from '../progress/types';

/** A JSON string's text with no escapes and no control characters: its text is its value. */
const PLAIN = '[^"\\\\\\x00-\\x1f]';
/** Any JSON string's text, escapes checked. */
const JSON_STRING = `"(?:${PLAIN}|\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4}))*"`;
const JSON_NUMBER = '-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?';

const RUNBOOK = `"runbook":"(${PLAIN}+)","runbookTitle":"(${PLAIN}*)",`;
const STEP = `"step":"(${PLAIN}+)","stepTitle":${JSON_STRING},(?:"kind":"(code|manual)",)?`;
const WHO = `"who":"(${PLAIN}*)",(?:"where":"(editor|cli|ci|alert)",)?(?:"runId":"(${PLAIN}*)",)?`;
const EXIT_CODE = `(?:,"exitCode":${JSON_NUMBER})?`;
const REST =
  `"at":"(${PLAIN}+)","durationMs":(${JSON_NUMBER}),"result":"(${PLAIN}+)"` +
  `${EXIT_CODE}(?:,"inputs":\\{(?:${JSON_STRING}:${JSON_STRING}(?:,${JSON_STRING}:${JSON_STRING})*)?\\})?${EXIT_CODE}\\}$`;

/**
 * A whole line, to the closing brace, in either order the writers use: generated scripts
 * (report/historyLine.ts: the step before the person) and the run orchestration behind the editor
 * and the `runbook` command (progress/history.ts: the person, then the step). One expression with
 * the two orders as alternatives, which part at the third key. What it takes is valid JSON whose
 * values read here are plain (no escapes), so each capture is what `JSON.parse` would give.
 * `stepTitle`, `exitCode` and `inputs` are checked, not read.
 */
export const WRITTEN_LINE = new RegExp(`^\\{${RUNBOOK}(?:${STEP}${WHO}|${WHO}${STEP})${REST}`);

/**
 * Where each field's capture is, for the step-first order (capture 3 is set) and the person-first
 * one: runbook, title, step, kind, who, where, run id, at, duration, result.
 */
const CAPTURES = [
  [1, 2, 3, 4, 5, 6, 7, 13, 14, 15],
  [1, 2, 11, 12, 8, 9, 10, 13, 14, 15],
] as const;

/**
 * The longest line the patterns are asked about. The writers' lines are a few hundred characters
 * (input values are cut at 500); past a few million characters of one string V8's backtracking
 * runs out of stack and throws, so a longer line (another tool's, a hand edit) goes to JSON.parse.
 */
export const LONGEST_PATTERN_LINE = 1 << 16;

/**
 * A copy of `value` that does not keep alive the text it was cut from: V8 keeps a capture or a
 * slice as a view of its whole parent (here a 4 MiB block of the file), so a value held for a
 * summary is copied once, when it is first kept.
 */
export function ownCopy(value: string): string {
  // Flattening a new concatenation makes a fresh string; the slice is of that, not of the block.
  return ` ${value}`.slice(1);
}

/** Days before each month of a non-leap year. */
const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** The number in `length` decimal digits at `at` of `text`, or -1 when one of them is not a digit. */
function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * `Date.parse(text)`, worked out from the digits for the one form every writer uses
 * (`2025-01-31T09:30:00.000Z`, `Date.prototype.toISOString`): the engine's general parser was a
 * third of reading a written line. Any other text, and the edges where the engine has rules of its
 * own (years 0–99, days past the 28th, hour 24), go to `Date.parse`.
 */
export function parseTime(text: string): number {
  if (
    text.length !== 24 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54 || text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a || text.charCodeAt(19) !== 0x2e || text.charCodeAt(23) !== 0x5a
  ) {
    return Date.parse(text);
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const ms = digits(text, 20, 3);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) {
    return Date.parse(text);
  }
  const leap = month > 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 1 : 0;
  const before = year - 1;
  // Days since 1970-01-01; 477 leap days fall before 1970.
  const days = 365 * (year - 1970) + Math.floor(before / 4) - Math.floor(before / 100) + Math.floor(before / 400) - 477 + DAYS_BEFORE_MONTH[month - 1] + leap + day - 1;
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms;
}

/** The fields of one line, filled in by `WrittenLineReader.read` (one object, reused). */
export interface WrittenFields {
  runbook: string;
  runbookTitle: string;
  step: string;
  kind: 'code' | 'manual' | undefined;
  who: string;
  where: RunOrigin | undefined;
  runId: string | undefined;
  /** Epoch ms; NaN when the text is not a time. */
  at: number;
  durationMs: number;
  result: string;
}

/** Reads lines WRITTEN_LINE takes; one instance per read, as it remembers the last line's values. */
export class WrittenLineReader {
  private runbook = '';
  private runbookTitle = '';
  private who = '';
  private result = '';
  private runId = '';

  /** `intern` gives one copy of each repeated value (step ids, titles, people) for lines that are kept. */
  constructor(private readonly intern: (value: string) => string) {}

  /**
   * Fills `into` when `text` is a line as the front ends write it: `read`, or `older` when it
   * started before `since` (then only `at` is filled); undefined for any other line.
   */
  read(text: string, into: WrittenFields, since = -Infinity): 'read' | 'older' | undefined {
    const match = text.length <= LONGEST_PATTERN_LINE ? WRITTEN_LINE.exec(text) : null;
    if (match === null) return undefined;
    const at = CAPTURES[match[3] === undefined ? 1 : 0];
    into.at = parseTime(match[at[7]]);
    // A line before the period is passed over with nothing else read.
    if (into.at < since) return 'older';
    // Consecutive lines mostly share these values: one comparison, and the copy kept is the first.
    if (match[at[0]] !== this.runbook) this.runbook = ownCopy(match[at[0]]);
    if (match[at[1]] !== this.runbookTitle) this.runbookTitle = this.intern(match[at[1]]);
    if (match[at[4]] !== this.who) this.who = this.intern(match[at[4]]);
    if (match[at[9]] !== this.result) this.result = this.intern(match[at[9]]);
    into.runbook = this.runbook;
    into.runbookTitle = this.runbookTitle;
    into.step = this.intern(match[at[2]]);
    into.kind = match[at[3]] as WrittenFields['kind'];
    into.who = this.who;
    into.where = match[at[5]] as WrittenFields['where'];
    const runId = match[at[6]];
    if (runId !== undefined && runId !== this.runId) this.runId = ownCopy(runId);
    into.runId = runId === undefined ? undefined : this.runId;
    into.durationMs = +match[at[8]];
    into.result = this.result;
    return 'read';
  }
}
