// Rows for the execution engine: starting a trivial step, and streaming a lot of output, each
// against the same command run through a raw child_process.spawn.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStep } from '../src/core/run';
import { parseRunbook, type Runbook } from '../src/core/runbook';
import { pair, type Paired } from './lib/stats';

export const STREAM_BYTES = 100 * 1024 * 1024;

function runbookOf(code: string): Runbook {
  // The runbook "lives" in the temporary folder, which is where its steps run.
  return parseRunbook(`# Bench\n\n\`\`\`bash\n${code}\n\`\`\`\n`, { path: join(tmpdir(), 'bench.runbook.md') });
}

/** Runs `code` as a step; resolves with the bytes its output listener saw. */
async function viaRunStep(runbook: Runbook, counted = { bytes: 0 }): Promise<number> {
  const result = await runStep({
    runbook,
    step: runbook.steps[0],
    values: {},
    // The preview's controller appends every piece of output it is given; counting is the cheapest stand-in.
    onOutput: (text) => {
      counted.bytes += Buffer.byteLength(text);
    },
  });
  if (result.status !== 'passed') throw new Error(`The bench step did not pass: ${result.message ?? result.status}`);
  return counted.bytes;
}

/** Runs `code` with bash through a raw spawn; resolves on 'exit' or, when reading, once stdout has ended. */
function viaSpawn(code: string, read: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', code], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    child.on('error', reject);
    if (!read) {
      child.on('exit', () => resolve(0));
      return;
    }
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    child.stderr.resume();
    // 'close': the process has exited and its pipes are read to the end.
    child.on('close', () => resolve(bytes));
  });
}

/** Start to exit of a step that runs `true`: runStep's whole call against spawn(…) until 'exit'. */
export async function trivialStep(): Promise<Paired> {
  const runbook = runbookOf('true');
  return pair(() => viaRunStep(runbook), () => viaSpawn('true', false), { warmup: 5, runs: 31 });
}

export function streamCommand(bytes: number): string {
  return `head -c ${bytes} /dev/zero | tr '\\0' 'a'`;
}

/** The kernel's peak RSS of this process (Linux), or undefined elsewhere. */
function peakKiB(): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Resets the kernel's peak RSS to the current RSS (Linux ≥ 4.0); false where that is not possible. */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function rssKiB(): number {
  return process.memoryUsage().rss / 1024;
}

/**
 * One stream measurement, meant for a fresh process: a small warm-up, then the peak RSS is reset
 * (Linux: writing 5 to /proc/self/clear_refs) and the full stream runs. Returns the time and how far
 * the peak RSS rose above the RSS just before the stream. Where the kernel's peak cannot be reset
 * or read, the RSS is sampled every 20 ms instead.
 */
export async function streamOnce(kind: 'ours' | 'raw', bytes: number): Promise<{ ms: number; bytes: number; growthKiB: number }> {
  const command = streamCommand(bytes);
  const warm = streamCommand(4 * 1024 * 1024);
  const runbook = runbookOf(command);
  const run = kind === 'ours' ? () => viaRunStep(runbook) : () => viaSpawn(command, true);
  const warmRun = kind === 'ours' ? () => viaRunStep(runbookOf(warm)) : () => viaSpawn(warm, true);
  await warmRun();
  await warmRun();
  (globalThis as { gc?: () => void }).gc?.();
  const kernelPeak = resetPeak() && peakKiB() !== undefined;
  const before = rssKiB();
  let sampled = before;
  const sampler = kernelPeak ? undefined : setInterval(() => (sampled = Math.max(sampled, rssKiB())), 20);
  const start = performance.now();
  const seen = await run();
  const ms = performance.now() - start;
  clearInterval(sampler);
  const peak = kernelPeak ? (peakKiB() ?? before) : Math.max(sampled, rssKiB());
  const growthKiB = Math.max(0, peak - before);
  if (seen !== bytes) throw new Error(`The ${kind} stream saw ${seen} bytes, not ${bytes}.`);
  return { ms, bytes: seen, growthKiB };
}
