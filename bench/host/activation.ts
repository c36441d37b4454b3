// Loaded by VS Code as `extensionTestsPath` (bundled to out/bench/activation.js by bench/run.ts):
// measures one activation of the extension inside the real extension host. Nothing has activated
// it yet: the window opens an empty folder and no Markdown file.

import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import Module from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import * as vscode from 'vscode';

const EXTENSION_ID = 'executable-runbooks.executable-runbooks';
/** Lets the host finish its own start-up work, so it does not land inside the measurement. */
const SETTLE_MS = 1500;

function report(result: Record<string, unknown>): void {
  console.log(`[runbooks-bench] ${JSON.stringify(result)}`);
}

async function timeActivation(extension: vscode.Extension<unknown>): Promise<number> {
  const start = performance.now();
  await extension.activate();
  return performance.now() - start;
}

export async function run(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`Extension ${EXTENSION_ID} is not loaded in the host.`);
  if (extension.isActive) {
    report({ error: 'the extension was already active before the measurement' });
    return;
  }
  // With RUNBOOKS_BENCH_BREAKDOWN=1 (`npm run bench -- --activation-breakdown`) the bundle is first
  // compiled on its own (a copy, so V8's compilation cache does not serve the require below),
  // then required, and only then activated: compile, module initialisation and activate() apart.
  const breakdown = process.env.RUNBOOKS_BENCH_BREAKDOWN === '1' ? loadApart(extension) : undefined;
  // With RUNBOOKS_BENCH_PROFILE set to a folder (`npm run bench -- --profile-activation`), the
  // activation is also recorded as a CPU profile there; the profiler slows it down a little.
  const folder = process.env.RUNBOOKS_BENCH_PROFILE;
  const profile = folder ? join(folder, `activation-${process.pid}.cpuprofile`) : undefined;
  const session = profile ? await startProfiling() : undefined;
  const activateMs = await timeActivation(extension);
  if (session && profile) writeFileSync(profile, JSON.stringify(await stopProfiling(session)));
  report({
    // In breakdown mode the module was loaded before activate(): the total is the two together.
    activationMs: breakdown ? breakdown.requireMs + activateMs : activateMs,
    vscode: vscode.version,
    profiled: Boolean(session),
    ...(breakdown && { breakdown: { ...breakdown, activateMs } }),
  });
}

function loadApart(extension: vscode.Extension<unknown>): { compileMs: number; requireMs: number } {
  const main = join(extension.extensionPath, String(extension.packageJSON.main));
  const load = Module.createRequire(main);
  const source = readFileSync(load.resolve(main), 'utf8');
  let start = performance.now();
  new Script(`${Module.wrap(source)}\n// bench copy`, { filename: 'bench-copy.js' });
  const compileMs = performance.now() - start;
  start = performance.now();
  load(main);
  const requireMs = performance.now() - start;
  return { compileMs, requireMs };
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
}

async function startProfiling(): Promise<Session> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
  await post(session, 'Profiler.start');
  return session;
}

async function stopProfiling(session: Session): Promise<unknown> {
  const { profile } = await post<{ profile: unknown }>(session, 'Profiler.stop');
  session.disconnect();
  return profile;
}
