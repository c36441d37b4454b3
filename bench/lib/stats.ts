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
  /**
   * Collect the heap before each timed call (needs `node --expose-gc`), so neither side pays for
   * the garbage the other left: for cases that each make and drop 100,000 objects.
   */
  settle?: boolean;
}

/** A full collection, when the process was started with `--expose-gc`. */
function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Milliseconds one call of `fn` takes (awaited when it returns a promise). */
export async function time(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Alternates `ours` and `baseline`, `warmup` untimed pairs first, then `runs` timed pairs. */
export async function pair(ours: () => unknown, baseline: () => unknown, { warmup, runs, settle = false }: PairOptions): Promise<Paired> {
  const timed = async (fn: () => unknown) => {
    if (settle) collect();
    return time(fn);
  };
  for (let i = 0; i < warmup; i++) {
    await ours();
    await baseline();
  }
  const result: Paired = { ours: [], baseline: [] };
  for (let i = 0; i < runs; i++) {
    // Which goes first alternates too, so neither always runs right after the other's garbage.
    if (i % 2 === 0) {
      result.ours.push(await timed(ours));
      result.baseline.push(await timed(baseline));
    } else {
      result.baseline.push(await timed(baseline));
      result.ours.push(await timed(ours));
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
