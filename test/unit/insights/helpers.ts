// Shared helpers for the insights tests: real temporary folders, a copy of the fixture repository
// (test/fixtures/insights), history lines in the shared format, and the fixed "now" the fixtures
// are dated against.

import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { HistoryEntry } from '../../../src/core/progress/types';
import { periodEnding, type InsightsPeriod } from '../../../src/core/insights';

export const FIXTURES = resolve(__dirname, '../../fixtures/insights');

/** The fixtures' history and issues are dated relative to this. */
export const NOW = Date.parse('2025-06-01T00:00:00.000Z');

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function makeTempDir(prefix = 'runbook-insights-test-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** A fresh copy of the fixture repository (runbooks, a script, a workflow) in `dir`. */
export function copyFixtureRepo(dir: string): string {
  const root = join(dir, 'repo');
  cpSync(join(FIXTURES, 'repo'), root, { recursive: true });
  return root;
}

export function writeFile(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** A history line; `at` may be given as epoch ms. */
export function entry(overrides: Partial<Omit<HistoryEntry, 'at'>> & { at?: string | number } = {}): HistoryEntry {
  const { at, ...rest } = overrides;
  return {
    runbook: 'runbooks/a.md',
    runbookTitle: 'Runbook A',
    step: 'step-1',
    stepTitle: 'Step one',
    kind: 'code',
    who: 'alice',
    where: 'editor',
    at: new Date(typeof at === 'number' ? at : at === undefined ? NOW - DAY : Date.parse(at)).toISOString(),
    durationMs: 1000,
    result: 'passed',
    inputs: {},
    ...rest,
  };
}

export function jsonl(entries: readonly object[]): string {
  return entries.map((e) => `${JSON.stringify(e)}\n`).join('');
}

export function period(label: string, now = NOW): InsightsPeriod {
  const result = periodEnding(label, now);
  if ('error' in result) throw new Error(result.error);
  return result;
}

/** A minimal runbook file with `steps` shell steps and the given title. */
export function runbookText(title: string, steps = 1): string {
  const body = Array.from({ length: steps }, (_, i) => [`Step ${i + 1} of ${title}.`, '', '```bash', `echo ${i + 1}`, '```', ''].join('\n'));
  return [`# ${title}`, '', ...body].join('\n');
}
