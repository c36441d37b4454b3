// Reads history logs (`history.jsonl`, the one format every front end writes) for insights: several
// files at once (the workspace's, the CLI's, folders a team collects CI artifacts in), read in large
// blocks. Lines as the front ends write them take the fast way (writtenLine.ts); any other line is
// parsed and checked. A line collected twice (the same file copied into a shared folder) counts
// once. A bad line (cut short by a crash, another format, a file that is not JSONL at all) is
// reported with its file and line number, and every other line still counts.

import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunOrigin } from '../progress/types';
import type { HistoryLine, InputProblem } from './types';
import { LONGEST_PATTERN_LINE, WrittenLineReader, ownCopy, parseTime, type WrittenFields } from './writtenLine';

const ORIGINS: ReadonlySet<string> = new Set<RunOrigin>(['editor', 'cli', 'ci', 'alert']);

/** Past this many bad lines in one file, the rest are counted in one message instead of one each. */
const PROBLEMS_PER_FILE = 20;

export interface HistoryRead {
  lines: HistoryLine[];
  problems: InputProblem[];
  /** Lines that repeated one already read (in the same file or another), not counted again. */
  duplicates: number;
}

/** `./runbooks\x.md` → `runbooks/x.md`: history paths are repository-relative and `/`-separated. */
export function normalizeRunbookPath(path: string): string {
  return path.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/{2,}/g, '/');
}

/** Why `value` is not a history line: only asked once a line failed the quick check. */
function whyNotHistoryLine(e: Record<string, unknown>): string {
  const missing: string[] = ['runbook', 'step', 'at', 'result'].filter((key) => typeof e[key] !== 'string' || e[key] === '');
  if (typeof e.durationMs !== 'number') missing.push('durationMs');
  if (missing.length > 0) return `not a history line (no ${missing.map((key) => `"${key}"`).join(', ')})`;
  if (Number.isNaN(Date.parse(e.at as string))) return `"at" is not a time: ${JSON.stringify(e.at)}`;
  const durationMs = e.durationMs as number;
  if (!Number.isFinite(durationMs) || durationMs < 0) return `"durationMs" is not a duration: ${durationMs}`;
  if (e.where !== undefined && (typeof e.where !== 'string' || !ORIGINS.has(e.where))) {
    return `"where" is ${JSON.stringify(e.where)}, not one of ${[...ORIGINS].join(', ')}`;
  }
  if (e.kind !== undefined && e.kind !== 'code' && e.kind !== 'manual') return `"kind" is ${JSON.stringify(e.kind)}, not code or manual`;
  return `"runId" is not a string`;
}

/**
 * Reads checked lines; one instance per read, so the normalized path of each distinct runbook
 * path is worked out once rather than once a line (100,000 lines name a few hundred runbooks).
 */
class LineReader {
  private readonly paths = new Map<string, string>();
  private lastRunbook = '';
  private lastPath = '';
  /** One copy of each repeated value (titles, people, step ids), so lines held for a summary stay small. */
  private readonly values = new Map<string, string>();

  private readonly written = new WrittenLineReader((value) => this.intern(value));
  private readonly fields: WrittenFields = { runbook: '', runbookTitle: '', step: '', kind: undefined, who: '', where: undefined, runId: undefined, at: NaN, durationMs: 0, result: '' };

  private intern(value: string): string {
    const known = this.values.get(value);
    if (known !== undefined) return known;
    const kept = ownCopy(value);
    this.values.set(kept, kept);
    return kept;
  }

  /** The line, or why `value` is not one. */
  read(value: unknown): HistoryLine | string {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a history line (not a JSON object)';
    const e = value as Record<string, unknown>;
    const { runbook, step, at, result, durationMs, where, kind, runId, who } = e;
    const time = typeof at === 'string' ? parseTime(at) : NaN;
    if (
      typeof runbook !== 'string' ||
      runbook === '' ||
      typeof step !== 'string' ||
      step === '' ||
      typeof result !== 'string' ||
      result === '' ||
      Number.isNaN(time) ||
      typeof durationMs !== 'number' ||
      !(durationMs >= 0 && durationMs < Infinity) ||
      (where !== undefined && !(typeof where === 'string' && ORIGINS.has(where))) ||
      (kind !== undefined && kind !== 'code' && kind !== 'manual') ||
      (runId !== undefined && typeof runId !== 'string')
    ) {
      return whyNotHistoryLine(e);
    }
    const title = typeof e.runbookTitle === 'string' ? this.intern(e.runbookTitle) : '';
    const person = typeof who === 'string' ? this.intern(who) : '';
    return this.line(runbook, title, this.intern(step), kind as HistoryLine['kind'] | undefined, person, where as RunOrigin | undefined, runId as string | undefined, time, durationMs, this.intern(result));
  }

  /**
   * The line, when `text` is a whole line as the front ends write it and its time and duration
   * check (`older` when it started before `since`); otherwise undefined, and the caller parses it.
   */
  readWritten(text: string, since: number): HistoryLine | 'older' | undefined {
    const fields = this.fields;
    const read = this.written.read(text, fields, since);
    if (read === 'older') return read;
    if (read === undefined || Number.isNaN(fields.at) || !(fields.durationMs >= 0 && fields.durationMs < Infinity)) return undefined;
    return this.line(fields.runbook, fields.runbookTitle, fields.step, fields.kind, fields.who, fields.where, fields.runId, fields.at, fields.durationMs, fields.result);
  }

  /** The line from checked values, however they were read; the strings are interned already. */
  private line(
    runbook: string,
    runbookTitle: string,
    step: string,
    kind: HistoryLine['kind'] | undefined,
    who: string,
    where: RunOrigin | undefined,
    runId: string | undefined,
    at: number,
    durationMs: number,
    result: string,
  ): HistoryLine {
    if (runbook !== this.lastRunbook) {
      this.lastRunbook = runbook;
      let path = this.paths.get(runbook);
      if (path === undefined) {
        path = normalizeRunbookPath(runbook);
        this.paths.set(runbook, path);
      }
      this.lastPath = path;
    }
    const person = who.trim();
    const line: HistoryLine = {
      runbook: this.lastPath,
      runbookTitle,
      step,
      // Lines written before `kind`, `where` and `runId` existed are editor code steps of no recorded run.
      kind: kind ?? 'code',
      who: person === '' ? 'unknown' : person === who ? who : this.intern(person),
      where: where ?? 'editor',
      at,
      durationMs,
      result,
    };
    if (runId !== undefined && runId !== '') line.runId = runId;
    return line;
  }
}

function sameExecution(a: HistoryLine, b: HistoryLine): boolean {
  return (
    a.at === b.at &&
    a.runbook === b.runbook &&
    a.step === b.step &&
    a.who === b.who &&
    a.runId === b.runId &&
    a.where === b.where &&
    a.kind === b.kind &&
    a.result === b.result &&
    a.durationMs === b.durationMs
  );
}

/**
 * The executions read so far: the same line collected twice (whatever the file, key order or line
 * ends) is the same execution; lines that share a start time are compared field by field. An
 * open-addressing table of line numbers by start time, in a typed array: a `Map` keyed by the
 * time was a sixth of reading 100,000 lines, and this keeps no extra object per line.
 */
class Executions {
  readonly lines: HistoryLine[] = [];
  /** Index + 1 into `lines` of the line in each slot; 0 for an empty slot. */
  private slots = new Int32Array(1 << 12);
  private mask = this.slots.length - 1;
  /** 32 − log2(slots): Fibonacci hashing keeps the product's top bits. */
  private shift = 32 - 12;

  /** Adds the line; false when the same execution was already there. */
  add(line: HistoryLine): boolean {
    let slot = this.slotOf(line.at);
    for (let index = this.slots[slot]; index !== 0; index = this.slots[slot]) {
      const other = this.lines[index - 1];
      if (other.at === line.at && sameExecution(other, line)) return false;
      slot = (slot + 1) & this.mask;
    }
    this.lines.push(line);
    this.slots[slot] = this.lines.length;
    // Kept at most half full, so a look-up passes few slots.
    if (this.lines.length * 2 > this.slots.length) this.grow();
    return true;
  }

  private slotOf(at: number): number {
    // The time's low and high 32 bits, mixed (Fibonacci hashing).
    return Math.imul((at | 0) ^ ((at / 4294967296) | 0), 0x9e3779b1) >>> this.shift;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    this.shift--;
    for (let index = 0; index < this.lines.length; index++) {
      let slot = this.slotOf(this.lines[index].at);
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = index + 1;
    }
  }
}

/**
 * The top-level `"at"` of a line whose keys before it all hold scalars (strings, numbers, booleans,
 * null). One regular expression, which the engine compiles to native code, instead of a scan in
 * JavaScript of each line's start. Only asked of lines the fast way (writtenLine.ts) did not take.
 */
const LEADING_AT = /^\{(?:"(?:[^"\\]|\\.)*":(?:"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null),)*"at":"([^"\\]{1,40})"/;

/**
 * True when the line's own `"at"` (the top-level key, not one inside `inputs` or a string) is a
 * time before `since`: such a line cannot count, so it is not parsed (a `--since 90d` over a year
 * of history parses a quarter of it). Anything unexpected answers false and the line is parsed.
 */
function startsBefore(text: string, since: number): boolean {
  // A line cut short is parsed, so it is reported whatever its time.
  if (since === -Infinity || text.length > LONGEST_PATTERN_LINE || text.charCodeAt(text.length - 1) !== 0x7d) return false;
  const match = LEADING_AT.exec(text);
  return match !== null && parseTime(match[1]) < since;
}

/** Size of each read of a history file. */
const READ_BYTES = 4 << 20;

/**
 * Calls `onLine` with each line of a file (without its `\r\n`/`\n`) and whether the file ended
 * without a newline after it. Reads large blocks and decodes each up to its last newline, so a
 * multi-byte character is never split, and finds lines with the engine's own search.
 */
async function eachLine(file: string, onLine: (text: string, number: number, last: boolean) => void): Promise<void> {
  const handle = await open(file, 'r');
  try {
    let buffer = Buffer.allocUnsafe(READ_BYTES);
    let kept = 0;
    let number = 0;
    const emit = (text: string, last: boolean) => {
      // A byte-order mark (an editor that saved the file) is not part of the first line.
      const line = number === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      onLine(line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line, ++number, last);
    };
    for (;;) {
      if (kept === buffer.length) {
        // One line longer than a block: grow the block rather than cut the line.
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger, 0, 0, kept);
        buffer = larger;
      }
      const { bytesRead } = await handle.read(buffer, kept, buffer.length - kept, null);
      const filled = kept + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) emit(buffer.toString('utf8', 0, filled), true);
        return;
      }
      const end = buffer.lastIndexOf(0x0a, filled - 1);
      if (end < 0) {
        kept = filled;
        continue;
      }
      const text = buffer.toString('utf8', 0, end);
      for (let start = 0; ; ) {
        const newline = text.indexOf('\n', start);
        if (newline < 0) {
          emit(text.slice(start), false);
          break;
        }
        emit(text.slice(start, newline), false);
        start = newline + 1;
      }
      kept = filled - end - 1;
      buffer.copy(buffer, 0, end + 1, filled);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Reads history files, oldest line first within each file. A file that cannot be read is one
 * problem; in a file that reads, each bad line is one (up to a limit per file), and a file with no
 * history line at all is reported as not a history file. With `since` (epoch ms), lines that
 * started before it are passed over unparsed: give the start of the longest period you will ask
 * `summarizeInsights` for.
 */
export async function readHistoryFiles(files: readonly string[], options: { since?: number } = {}): Promise<HistoryRead> {
  const since = options.since ?? -Infinity;
  const problems: InputProblem[] = [];
  const executions = new Executions();
  const reader = new LineReader();
  let duplicates = 0;
  for (const file of files) {
    const bad: InputProblem[] = [];
    let good = 0;
    let older = 0;
    try {
      await eachLine(file, (text, number, last) => {
        if (text === '' || (text.charCodeAt(0) <= 32 && text.trim() === '')) return;
        const written = reader.readWritten(text, since);
        if (written === 'older') {
          older++;
          return;
        }
        if (written !== undefined) {
          good++;
          if (!executions.add(written)) duplicates++;
          return;
        }
        if (startsBefore(text, since)) {
          older++;
          return;
        }
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          bad.push({ file, line: number, message: last ? 'not JSON: the last line is cut short (a write that did not finish?)' : 'not JSON' });
          return;
        }
        const line = reader.read(value);
        if (typeof line === 'string') {
          bad.push({ file, line: number, message: line });
          return;
        }
        // Before the period too, only found so once parsed (its keys in another order).
        if (line.at < since) {
          older++;
          return;
        }
        good++;
        if (!executions.add(line)) duplicates++;
      });
    } catch (error) {
      problems.push({ file, message: readError(error) });
      continue;
    }
    if (good + older === 0 && bad.length > 1) {
      problems.push({ file, line: bad[0].line, message: `not a history file (JSON lines): none of its ${bad.length} lines is a history line; line ${bad[0].line}: ${bad[0].message}` });
      continue;
    }
    problems.push(...bad.slice(0, PROBLEMS_PER_FILE));
    if (bad.length > PROBLEMS_PER_FILE) {
      problems.push({ file, message: `${bad.length - PROBLEMS_PER_FILE} more bad lines not listed (${bad.length} in all, ${good} good)` });
    }
  }
  return { lines: executions.lines, problems, duplicates };
}

function readError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder, not a history file';
  if (code === 'EACCES') return 'cannot be read (permission denied)';
  return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The history files in a folder named by `runbooks.historyFolders` (or given to the CLI): every
 * `*.jsonl` file in it and its sub-folders, sorted. A folder that does not exist gives a problem.
 */
export async function findHistoryFiles(folder: string): Promise<{ files: string[]; problems: InputProblem[] }> {
  try {
    if (!(await stat(folder)).isDirectory()) return { files: [folder], problems: [] };
    const names = await readdir(folder, { recursive: true, withFileTypes: true });
    const files = names
      .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
    return { files, problems: [] };
  } catch (error) {
    return { files: [], problems: [{ file: folder, message: readError(error) }] };
  }
}
