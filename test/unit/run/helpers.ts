// Shared helpers for the execution engine tests: temporary folders, runbooks written as lines,
// and a look at the real process table.

import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunbook, type Runbook, type Step } from '../../../src/core/runbook';
import { runStep, type RunStepOptions } from '../../../src/core/run/stepRunner';
import type { StepResult } from '../../../src/core/run/types';

/** A fresh temporary folder (real path, so it compares equal to what `pwd` prints). */
export function makeTempDir(prefix = 'runbook-run-test-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** A unique token for marking files and processes of one test. */
export function uniqueToken(): string {
  return `${process.pid}${randomBytes(4).toString('hex')}`;
}

/** Only digits, for `sleep 30.<digits>` markers. */
export function uniqueDigits(): string {
  return `${process.pid}${Math.floor(Math.random() * 1e9)}`;
}

export function md(...lines: string[]): string {
  return lines.join('\n');
}

/** A fenced block: fence('bash {name=a}', 'echo hi'). */
export function fence(info: string, ...code: string[]): string {
  return ['```' + info, ...code, '```'].join('\n');
}

/** Parses `text` as `x.runbook.md` in `dir` and asserts it has no errors. */
export function runbookIn(dir: string, text: string): Runbook {
  const runbook = parseRunbook(text, { path: join(dir, 'x.runbook.md') });
  const errors = runbook.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, [], `the test runbook has errors: ${JSON.stringify(errors)}`);
  return runbook;
}

export function stepNamed(runbook: Runbook, name: string): Step {
  const step = runbook.steps.find((s) => s.id === name);
  assert.ok(step, `no step named ${name} in ${runbook.steps.map((s) => s.id).join(', ')}`);
  return step;
}

/** Runs the runbook's only step (or the named one) outside a session. */
export function runOnly(
  runbook: Runbook,
  options: Partial<Omit<RunStepOptions, 'runbook' | 'step'>> & { name?: string } = {},
): Promise<StepResult> {
  const { name, ...rest } = options;
  const step = name ? stepNamed(runbook, name) : runbook.steps[0];
  assert.ok(step, 'the runbook has no step');
  return runStep({ runbook, step, values: {}, ...rest });
}

/** Short description of a result for assertion messages. */
export function describeResult(result: StepResult): string {
  return JSON.stringify({ ...result, output: result.output.slice(-2000) });
}

export function assertPassed(result: StepResult): void {
  assert.equal(result.status, 'passed', `expected the step to pass: ${describeResult(result)}`);
}

/** Whether /proc/<pid>/stat says the process is a zombie (ended, only waiting to be reaped). */
function isZombie(pid: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true; // gone while we looked
  }
}

/** Pids of live (non-zombie) processes whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    if (cmdline.includes(marker) && !isZombie(entry)) found.push(Number(entry));
  }
  return found;
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Kills whatever a failing test left behind, so one failure does not leak sleeping processes. */
export function killLeftovers(marker: string): void {
  for (const pid of processesWith(marker)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
