// The history log: one JSON line per step execution, appended, never rewritten. Later features read
// it to show which runbooks are run most. Each entry is written with one append (O_APPEND), so
// writers in several processes never interleave inside a line; a line torn by a crash is skipped
// when reading.

import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import type { Runbook, Step } from '../runbook/types';
import { SecretMasker } from '../run/secretMasker';
import type { StepResult } from '../run/types';
import type { HistoryEntry } from './types';

/** Input values longer than this are cut in the log, which keeps each line one small write. */
const MAX_INPUT_CHARS = 500;

export class HistoryLog {
  constructor(readonly file: string) {}

  async append(entry: HistoryEntry): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    // A line torn by a crash has no newline; start on a fresh line so this entry stays readable.
    const separator = (await this.endsMidLine()) ? '\n' : '';
    await appendFile(this.file, `${separator}${JSON.stringify(entry)}\n`, { encoding: 'utf8', mode: 0o600 });
  }

  /** Every entry that parses, oldest first; torn or foreign lines are skipped. */
  async read(): Promise<HistoryEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: HistoryEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const entry: unknown = JSON.parse(line);
        if (isHistoryEntry(entry)) entries.push(entry);
      } catch {
        // A torn line (a crash mid-append) or something that is not ours.
      }
    }
    return entries;
  }

  private async endsMidLine(): Promise<boolean> {
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch {
      return false;
    }
    try {
      const { size } = await handle.stat();
      if (size === 0) return false;
      const buffer = Buffer.alloc(1);
      await handle.read(buffer, 0, 1, size - 1);
      return buffer[0] !== 0x0a;
    } finally {
      await handle.close();
    }
  }
}

function isHistoryEntry(value: unknown): value is HistoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.runbook === 'string' &&
    typeof e.step === 'string' &&
    typeof e.at === 'string' &&
    typeof e.result === 'string' &&
    typeof e.durationMs === 'number' &&
    typeof e.inputs === 'object' &&
    e.inputs !== null
  );
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

/**
 * The history entry for one execution. Secret inputs are left out, and any secret value that shows
 * up inside another input's value is masked.
 */
export function historyEntry(args: {
  runbookKey: string;
  runbook: Runbook;
  step: Step;
  result: StepResult;
  inputs: Record<string, string>;
  secretNames: Set<string>;
  who?: string;
}): HistoryEntry {
  const { runbookKey, runbook, step, result, inputs, secretNames } = args;
  const secret = (name: string): boolean =>
    secretNames.has(name) || runbook.inputs.some((input) => input.name === name && input.secret);
  const masker = new SecretMasker(Object.entries(inputs).filter(([name]) => secret(name)).map(([, value]) => value));
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(inputs)) {
    if (secret(name) || name === '__proto__') continue;
    const masked = masker.mask(String(value));
    shown[name] = masked.length > MAX_INPUT_CHARS ? `${masked.slice(0, MAX_INPUT_CHARS - 1)}…` : masked;
  }
  const entry: HistoryEntry = {
    runbook: runbookKey,
    runbookTitle: runbook.title,
    step: step.id,
    stepTitle: step.title,
    who: args.who ?? currentUser(),
    at: new Date(result.startedAt).toISOString(),
    durationMs: result.durationMs,
    result: result.status,
    inputs: shown,
  };
  if (result.exitCode !== undefined) entry.exitCode = result.exitCode;
  return entry;
}
