// Shared helpers for the progress tests: temporary folders, a sample runbook, engine results, and
// child Node processes that run TypeScript through tsx (for crash and concurrency tests).

import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseRunbook } from '../../../src/core/runbook';
import type { ManualStep, Runbook, Step } from '../../../src/core/runbook/types';
import type { StepResult } from '../../../src/core/run/types';

export function makeTempDir(prefix = 'runbook-progress-test-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export function md(...lines: string[]): string {
  return lines.join('\n');
}

export function fence(info: string, ...code: string[]): string {
  return ['```' + info, ...code, '```'].join('\n');
}

/** Parses the text and asserts it has no errors. */
export function parse(text: string, path = '/work/runbooks/restart.md'): Runbook {
  const runbook = parseRunbook(text, { path });
  const errors = runbook.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, [], `the test runbook has errors: ${JSON.stringify(errors)}`);
  return runbook;
}

/** A runbook with named and unnamed steps, manual steps, a `skip` step, two sections and a secret input. */
export function sampleText(options: { checkCode?: string; drainCode?: string } = {}): string {
  return md(
    '---',
    'title: Restart the payments API',
    'environment: production',
    'inputs:',
    '  NAMESPACE: { default: payments }',
    '  API_TOKEN: { secret: true }',
    '---',
    '# Restart',
    '',
    '## Prepare',
    '',
    'Check the cluster.',
    '',
    fence('bash {name=check}', options.checkCode ?? 'kubectl get pods -n "$NAMESPACE"'),
    '',
    '- [ ] Page the on-call',
    '',
    'Drain the node.',
    '',
    fence('bash', options.drainCode ?? 'kubectl drain node-1'),
    '',
    '## Verify',
    '',
    'Roll back if needed.',
    '',
    fence('bash {name=rollback skip}', 'kubectl rollout undo deploy/api'),
    '',
    'Call the health endpoint.',
    '',
    fence('bash {name=health}', 'curl -H "Authorization: $API_TOKEN" https://api/health'),
    '',
    '- [ ] Tell the channel',
  );
}

export function sample(options: { checkCode?: string; drainCode?: string } = {}): Runbook {
  return parse(sampleText(options));
}

export function step(runbook: Runbook, id: string): Step {
  const found = runbook.steps.find((s) => s.id === id);
  assert.ok(found, `no step ${id} in ${runbook.steps.map((s) => s.id).join(', ')}`);
  return found;
}

/** The unnamed step of the sample (the drain). */
export function drainStep(runbook: Runbook): Step {
  const found = runbook.steps.find((s) => s.code.includes('drain'));
  assert.ok(found);
  return found;
}

export function manual(runbook: Runbook, title: string): ManualStep {
  const found = runbook.manualSteps.find((s) => s.title === title);
  assert.ok(found, `no manual step "${title}"`);
  return found;
}

export function result(stepId: string, overrides: Partial<StepResult> = {}): StepResult {
  return {
    stepId,
    status: 'passed',
    exitCode: 0,
    startedAt: 1_700_000_000_000,
    durationMs: 1500,
    output: 'ok\n',
    droppedBytes: 0,
    totalBytes: 3,
    ...overrides,
  };
}

const TSX = pathToFileURL(require.resolve('tsx')).href;

/** Starts `node --import tsx <script> ...args` for a TypeScript script in ./children. */
export function spawnChild(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, join(__dirname, 'children', script), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Resolves with the child's stdout once it contains `text`; rejects if the child ends first. */
export function waitForOutput(child: ChildProcess, text: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => finish(new Error(`timed out waiting for "${text}"; stderr: ${stderr}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      stdout += chunk.toString();
      if (stdout.includes(text)) finish();
    };
    const onErr = (chunk: Buffer): void => {
      stderr += chunk.toString();
    };
    const onExit = (code: number | null): void => finish(new Error(`the child ended (${code}) before "${text}"; stderr: ${stderr}`));
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

/** Resolves with the exit code (or signal) once the child has ended and was reaped. */
export function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode, stderr });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
