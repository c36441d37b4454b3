// One history line per step of a headless run, in the history format every front end writes
// (`HistoryEntry` in src/core/progress/types.ts; a unit test checks the two agree): who ran it,
// where (`ci` when the CI variable is set, else `cli`), one run id per invocation (the starter's,
// when it gives one: the alert bridge's, a CI workflow's correlation id), non-secret
// inputs only (secret values masked inside the others, long values cut). Each line is one append
// (O_APPEND), so several writers never interleave inside a line, and a line torn by a crash is
// closed first so the new one stays readable.
// Self-contained (only `node:` imports and the embedded masker): generated scripts embed this file.

import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { SecretMasker } from '../run/secretMasker';

export interface HistoryLine {
  runbook: string;
  runbookTitle: string;
  step: string;
  stepTitle: string;
  kind: 'code' | 'manual';
  who: string;
  where: 'editor' | 'cli' | 'ci' | 'alert';
  runId: string;
  /** ISO time the step started. */
  at: string;
  durationMs: number;
  /** Code steps: passed, failed, timed-out, cancelled, skipped. Manual steps: checked, skipped. */
  result: string;
  exitCode?: number;
  inputs: Record<string, string>;
}

/** Input values longer than this are cut in the log, which keeps each line one small write. */
export const MAX_HISTORY_INPUT_CHARS = 500;

/** Where a headless run is: `ci` when the CI variable says so (every CI engine sets it), else `cli`. */
export function headlessOrigin(env: Record<string, string | undefined> = process.env): 'ci' | 'cli' {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false' ? 'ci' : 'cli';
}

/** The longest run id a starter may give; anything longer is not an id, and the run makes its own. */
export const MAX_GIVEN_RUN_ID_CHARS = 200;

/**
 * The run id the program that started the run gives, if any: RUNBOOK_RUN_ID (the alert bridge's
 * local runs), else RUNBOOK_CORRELATION_ID (an exported CI workflow's correlation id, e.g. an
 * incident number), trimmed; none when empty or longer than MAX_GIVEN_RUN_ID_CHARS.
 */
export function givenRunId(env: Record<string, string | undefined> = process.env): string | undefined {
  for (const name of ['RUNBOOK_RUN_ID', 'RUNBOOK_CORRELATION_ID']) {
    const id = env[name]?.trim();
    if (id) return id.length <= MAX_GIVEN_RUN_ID_CHARS ? id : undefined;
  }
  return undefined;
}

/** The user's login name: the OS account, else $USER / $USERNAME, else `unknown`. */
export function currentUser(): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // No passwd entry (some containers).
  }
  return process.env.USER || process.env.USERNAME || 'unknown';
}

/** The inputs a history line may show: secrets left out, secret values masked inside the rest, long values cut. */
export function historyInputs(values: Record<string, string>, secretNames: Set<string>): Record<string, string> {
  const masker = new SecretMasker(Object.entries(values).filter(([name]) => secretNames.has(name)).map(([, value]) => value));
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (secretNames.has(name) || name === '__proto__') continue;
    const masked = masker.mask(String(value));
    shown[name] = masked.length > MAX_HISTORY_INPUT_CHARS ? `${masked.slice(0, MAX_HISTORY_INPUT_CHARS - 1)}…` : masked;
  }
  return shown;
}

function endsMidLine(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const { size } = fstatSync(fd);
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Appends one line to the history file (made, with its folder, if missing): `HistoryLine` here,
 * the core's `HistoryEntry` from the run orchestration (progress/history.ts), one format.
 */
export function appendHistoryLine(file: string, line: HistoryLine | object): void {
  mkdirSync(dirname(file), { recursive: true });
  const separator = endsMidLine(file) ? '\n' : '';
  appendFileSync(file, `${separator}${JSON.stringify(line)}\n`, { encoding: 'utf8', mode: 0o600 });
}
