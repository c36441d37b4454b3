// Timing helpers: every figure is a median of several runs taken after a warm-up, and a figure
// with a baseline is measured pairwise (ours, baseline, ours, baseline …) in the same process, so
// both see the same CPU frequency, cache and GC state.

import { performance } from 'node:perf_hooks';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface Paired {
  ours: number[];
  baseline: number[];
}

export interface PairOptions {
  warmup: number;
  runs: number;
}

/** Milliseconds one call of `fn` takes (awaited when it returns a promise). */
export async function time(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Alternates `ours` and `baseline`, `warmup` untimed pairs first, then `runs` timed pairs. */
export async function pair(ours: () => unknown, baseline: () => unknown, { warmup, runs }: PairOptions): Promise<Paired> {
  for (let i = 0; i < warmup; i++) {
    await ours();
    await baseline();
  }
  const result: Paired = { ours: [], baseline: [] };
  for (let i = 0; i < runs; i++) {
    // Which goes first alternates too, so neither always runs right after the other's garbage.
    if (i % 2 === 0) {
      result.ours.push(await time(ours));
      result.baseline.push(await time(baseline));
    } else {
      result.baseline.push(await time(baseline));
      result.ours.push(await time(ours));
    }
  }
  return result;
}

/** Runs `fn` `warmup` times untimed, then `runs` timed times. */
export async function repeat(fn: () => unknown, { warmup, runs }: PairOptions): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await time(fn));
  return times;
}
