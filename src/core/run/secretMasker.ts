// Replaces secret values with •••• in output, whole or streamed. A secret is found in what a reader
// sees: terminal escape sequences inside a printed secret (`grep --color` painting part of it) do
// not hide it, and a value with spaces around it is also masked as printed without them. A secret
// split across chunks is still caught: the last (longest secret − 1) visible characters, and an
// escape sequence not finished yet, wait for the next chunk before they are shown. Streamed or
// whole, the same text is masked the same way.
//
// Not masked: secrets shorter than MIN_SECRET_LENGTH (refused where they are entered), and a secret
// printed in another form: encoded (base64, URL- or hex-encoded, JSON-escaped), split across lines
// or otherwise cut up, with characters in between other than escape sequences (backspaces, `\r`
// redraws), or interleaved with more than MAX_HELD characters of escape sequences.

import { MIN_SECRET_LENGTH } from '../runbook/inputValue';

export const MASK = '••••';

/** An escape sequence longer than this is not one: its characters are shown as they are. */
const MAX_ESCAPE = 256;
/** Output held back waiting for the rest of a secret: at most this many characters beyond the secret itself. */
const MAX_HELD = 4096;

const ESC = 0x1b;

/** The characters of a text a terminal shows, and where each run of them is in the text. */
interface Visible {
  text: string;
  /**
   * Runs of visible characters, in order: run r starts at visible index runs[2r] and at index
   * runs[2r + 1] of the text, and lasts until the next run. Undefined when the text has no escape
   * sequence: visible character i is the text's character i.
   */
  runs?: number[];
  /** Where an escape sequence that the text ends in the middle of starts (the text's length when none). */
  pendingFrom: number;
}

interface Match {
  start: number;
  end: number;
}

export class SecretMasker {
  private readonly secrets: string[];
  private readonly holdBack: number;
  private carry = '';

  constructor(secrets: Iterable<string>) {
    // Each value, and the value without the spaces around it; the longest decides how much output
    // waits for the next chunk. Shorter values would mask ordinary text everywhere.
    const forms = new Set<string>();
    for (const secret of secrets) {
      forms.add(secret);
      forms.add(secret.trim());
    }
    this.secrets = [...forms].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
    this.holdBack = this.secrets.length ? this.secrets[0].length - 1 : 0;
  }

  get active(): boolean {
    return this.secrets.length > 0;
  }

  /** Masks a complete text. */
  mask(text: string): string {
    if (!this.active) return text;
    const visible = visibleText(text, true);
    const matches = this.matches(visible.text);
    return matches.length === 0 ? text : render(text, visible, matches, matches.length, text.length);
  }

  /** Masks the next piece of a stream; returns what can be shown now. */
  push(chunk: string): string {
    if (!this.active) return chunk;
    const text = this.carry + chunk;
    const visible = visibleText(text, false);
    const matches = this.matches(visible.text);
    const count = visible.text.length;
    // Hold back what could be the start of a secret that the next chunk completes: the last
    // holdBack visible characters, and a masked stretch reaching into them, which a secret that
    // starts there could still lengthen.
    let cut = Math.max(0, count - this.holdBack);
    let shown = 0;
    while (shown < matches.length && matches[shown].end <= cut) shown++;
    if (shown < matches.length && matches[shown].start < cut) cut = matches[shown].start;
    let end = cut < count ? offsetOf(visible, cut) : visible.pendingFrom;
    if (text.length - end > this.holdBack + MAX_HELD) {
      // Escape sequences without end, or a masked stretch without end: show them rather than
      // hold output back for ever.
      shown = matches.length;
      end = visible.pendingFrom;
    }
    this.carry = text.slice(end);
    return render(text, visible, matches, shown, end);
  }

  /** Whatever was held back, at the end of the stream. */
  flush(): string {
    const rest = this.mask(this.carry);
    this.carry = '';
    return rest;
  }

  /**
   * The stretches of `visible` to mask, in order: every occurrence of every secret, overlapping
   * ones merged, so that no part of a secret shows where two overlap (`abcd` and `dxy` in `abcdxy`).
   */
  private matches(visible: string): Match[] {
    const found: Match[] = [];
    for (const secret of this.secrets) {
      for (let at = visible.indexOf(secret); at >= 0; at = visible.indexOf(secret, at + 1)) found.push({ start: at, end: at + secret.length });
    }
    if (found.length < 2) return found;
    found.sort((a, b) => a.start - b.start);
    const merged: Match[] = [found[0]];
    for (let i = 1; i < found.length; i++) {
      const last = merged[merged.length - 1];
      if (found[i].start < last.end) last.end = Math.max(last.end, found[i].end);
      else merged.push(found[i]);
    }
    return merged;
  }
}

/** The run that visible character `index` is in (binary search). */
function runOf(runs: number[], index: number): number {
  let low = 0;
  let high = runs.length / 2 - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (runs[2 * middle] <= index) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Index in the text of visible character `index`. */
function offsetOf(visible: Visible, index: number): number {
  const { runs } = visible;
  if (!runs) return index;
  const run = runOf(runs, index);
  return runs[2 * run + 1] + index - runs[2 * run];
}

/**
 * `text[0, end)` with the first `count` matches replaced by the mask. Escape sequences inside a
 * match are kept, after the mask, so colours are switched on and off as the program meant.
 */
function render(text: string, visible: Visible, matches: Match[], count: number, end: number): string {
  const { runs } = visible;
  let out = '';
  let from = 0;
  for (let m = 0; m < count; m++) {
    const { start, end: stop } = matches[m];
    out += text.slice(from, offsetOf(visible, start)) + MASK;
    if (runs) {
      // The escape sequences between the runs the match spans.
      for (let run = runOf(runs, start); 2 * run + 2 < runs.length && runs[2 * run + 2] < stop; run++) {
        const runEnd = runs[2 * run + 1] + runs[2 * run + 2] - runs[2 * run];
        out += text.slice(runEnd, runs[2 * run + 3]);
      }
    }
    from = offsetOf(visible, stop - 1) + 1;
  }
  return out + text.slice(from, end);
}

/**
 * The characters of `text` a terminal shows, without escape sequences. `whole`: the text is
 * complete, so an unfinished escape sequence at its end is shown as text rather than held.
 */
function visibleText(text: string, whole: boolean): Visible {
  let escape = text.indexOf('\x1b');
  if (escape < 0) return { text, pendingFrom: text.length };
  const runs: number[] = [];
  const pieces: string[] = [];
  let shown = 0;
  let pendingFrom = text.length;
  let from = 0;
  const addRun = (to: number) => {
    if (to <= from) return;
    runs.push(shown, from);
    pieces.push(text.slice(from, to));
    shown += to - from;
  };
  while (escape >= 0) {
    const length = escapeLength(text, escape);
    if (length === 'unfinished' && !whole) {
      pendingFrom = escape;
      break;
    }
    if (typeof length === 'number' && length > 0) {
      addRun(escape);
      from = escape + length;
      escape = text.indexOf('\x1b', from);
    } else {
      // Not an escape sequence after all: the ESC is shown like any character, in the current run.
      escape = text.indexOf('\x1b', escape + 1);
    }
  }
  addRun(pendingFrom);
  if (runs.length === 0) runs.push(0, 0);
  return { text: pieces.join(''), runs, pendingFrom };
}

/**
 * Length of the escape sequence at `at` (text[at] is ESC): CSI (`ESC [ … final`, colours and
 * cursor moves), OSC (`ESC ] … BEL` or `ESC ] … ESC \`, titles and links), DCS/SOS/PM/APC
 * (`ESC P … ESC \`) and two-character escapes. 0 when it is not one; 'unfinished' when the text
 * ends before it does.
 */
function escapeLength(text: string, at: number): number | 'unfinished' {
  const limit = Math.min(text.length, at + MAX_ESCAPE);
  // Running into the end of the text within the length limit means the rest may come next.
  const cutShort = limit === text.length ? 'unfinished' : 0;
  if (at + 1 >= text.length) return 'unfinished';
  const kind = text.charCodeAt(at + 1);
  let i = at + 2;
  if (kind === 0x5b /* [ */) {
    while (i < limit && inRange(text.charCodeAt(i), 0x30, 0x3f)) i++;
    while (i < limit && inRange(text.charCodeAt(i), 0x20, 0x2f)) i++;
    if (i >= limit) return cutShort;
    return inRange(text.charCodeAt(i), 0x40, 0x7e) ? i + 1 - at : 0;
  }
  if (kind === 0x5d /* ] */ || kind === 0x50 /* P */ || kind === 0x58 /* X */ || kind === 0x5e /* ^ */ || kind === 0x5f /* _ */) {
    for (; i < limit; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x07 && kind === 0x5d) return i + 1 - at;
      if (c === ESC) {
        if (i + 1 >= text.length) return 'unfinished';
        return text.charCodeAt(i + 1) === 0x5c /* \ */ ? i + 2 - at : 0;
      }
    }
    return cutShort;
  }
  i = at + 1;
  while (i < limit && inRange(text.charCodeAt(i), 0x20, 0x2f)) i++;
  if (i >= limit) return cutShort;
  return inRange(text.charCodeAt(i), 0x30, 0x7e) ? i + 1 - at : 0;
}

function inRange(c: number, low: number, high: number): boolean {
  return c >= low && c <= high;
}
