// Runs the `runbook` command as CI runs it: the real bundles (built once per test run by
// scripts/cliBuild.mjs, as scripts/build.mjs builds dist/: the launcher cli.js, the command in
// cli/main.js and its lazily loaded libraries), a real process, stdin closed, and a watchdog that
// kills it if it waits on anything. The launcher's code cache goes to a folder of the test build.

import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const OUT = join(ROOT, 'out', 'cli-test');
export const CLI = join(OUT, 'cli.js');

/** Where the launcher keeps its code cache for the tests' runs (not the user's own cache). */
export const TEST_COMPILE_CACHE = join(OUT, 'compile-cache');

let built: Promise<void> | undefined;

/** Builds the command into out/cli-test/ once (cli.js, cli/main.js, cli/<library>.js). */
export function buildCli(): Promise<void> {
  built ??= (async () => {
    const { buildCli: build } = (await import(join(ROOT, 'scripts', 'cliBuild.mjs'))) as { buildCli: (dist: string, options?: { production?: boolean }) => Promise<void> };
    await build(OUT);
  })();
  return built;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the watchdog had to kill it: it waited on something. */
  hung: boolean;
  ms: number;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command after this long and report it hung (default 2 s: nothing should wait). */
  watchdogMs?: number;
  /** Called with the child once it started (to send it a signal). */
  started?: (child: import('node:child_process').ChildProcess) => void;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const start = Date.now();
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', CI: '', GITHUB_ACTIONS: '', RUNBOOKS_COMPILE_CACHE_DIR: TEST_COMPILE_CACHE, ...options.env },
      // stdin closed, as in CI.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const watchdog = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, options.watchdogMs ?? 2000);
    options.started?.(child);
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      resolveRun({ code, signal, stdout, stderr, hung, ms: Date.now() - start });
    });
  });
}

/**
 * Runs the command with its output going to a reader that left before anything was written
 * (`runbook list | head`): every write meets EPIPE. The exit code and what it said on stderr.
 */
export function runIntoClosedPipe(args: string[], options: Pick<CliOptions, 'cwd' | 'env'> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', RUNBOOKS_COMPILE_CACHE_DIR: TEST_COMPILE_CACHE, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolveRun({ code, stderr }));
  });
}
