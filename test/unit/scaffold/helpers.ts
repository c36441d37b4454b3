// Helpers for the generated-script tests: a scratch folder inside the project (so the scripts
// resolve tsx and Node's types from its node_modules), writing scripts, and running them.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseRunbook, type Runbook } from '../../../src/core/runbook';
import { generateScript, type ScaffoldOptions } from '../../../src/core/scaffold';

export const PROJECT = resolve(__dirname, '../../..');
export const TSX = join(PROJECT, 'node_modules/.bin/tsx');
export const TSC = join(PROJECT, 'node_modules/.bin/tsc');
export const GENERATED_AT = new Date('2025-01-02T03:04:05.000Z');

/** A fresh folder under test-results/ (git-ignored) with a package.json that makes scripts ES modules. */
export function makeScratch(): string {
  const dir = join(PROJECT, 'test-results', `scaffold-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return dir;
}

export function removeScratch(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export function readRunbook(file: string): Runbook {
  return parseRunbook(readFileSync(file, 'utf8'), { path: file });
}

/** Writes `text` as `<dir>/<folder>/<name>.runbook.md` and parses it. */
export function writeRunbook(dir: string, folder: string, name: string, text: string): Runbook {
  const file = join(dir, folder, `${name}.runbook.md`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return readRunbook(file);
}

/** Generates the script for `runbook` (all items unless chosen) into `<dir>/<name>.ts`; returns its path. */
export function writeScript(dir: string, name: string, runbook: Runbook, options: Partial<ScaffoldOptions> = {}): string {
  const script = join(dir, `${name}.ts`);
  const text = generateScript(runbook, {
    itemIds: runbook.items.map((item) => item.id),
    runbookPath: relative(PROJECT, runbook.path!),
    scriptPath: relative(PROJECT, script),
    runbookDirFromScript: relative(dir, dirname(runbook.path!)) || '.',
    generatedAt: GENERATED_AT,
    ...options,
  });
  writeFileSync(script, text);
  return script;
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<Ran> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? PROJECT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

/** Runs a generated script with tsx (stdin not a terminal). */
export function runScript(script: string, args: string[] = [], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<Ran> {
  return run(TSX, [script, ...args], options);
}

/** Runs `tasks` with at most `limit` at a time (this machine may have few cores). */
export async function limited<T>(tasks: Array<() => Promise<T>>, limit = 3): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Progress lines' timings vary: `✓ passed in 0.1s` → `✓ passed in <t>`. */
export function withoutTimings(text: string): string {
  return text.replace(/ in \d+(\.\d+)?s$/gm, ' in <t>');
}

export function describeRun(ran: Ran): string {
  return `exit ${ran.code}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`;
}

export function scriptName(file: string): string {
  return basename(file).replace(/\.runbook\.md$/, '');
}
