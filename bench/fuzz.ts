// `npm run fuzz`: hostile and broken runbooks through everything that reads a runbook as it is
// typed (parseRunbook, lintRunbook, renderRunbook), in two parts.
//
// 1. Documents: ≥ 100,000 generated runbooks (fragments of real ones with YAML, attributes and
//    shell that once threw, hung or crashed, then mutated; YAML punctuation soup; random text).
//    Every exception is counted by stage and message, with the shortest document that raised it.
//    Goal: 0. The model must also be plain data (JSON.stringify of it must not throw).
// 2. Scaling: each pathological shape at doubling sizes, timed as the fastest of a few runs after
//    a warm-up, in CPU time of this process (user + system: a busy machine, which deschedules the
//    process, moves it far less than wall-clock time). The figure is the worst ratio between the
//    times of two consecutive sizes: 2 for linear cost, 4 for quadratic, and the growth per
//    doubling fitted over all sizes, which one noisy doubling moves less. Goal: ≤ 2.2. Times below
//    MIN_TIMED_MS are noise and are not compared. Beside it, markdown-it's own render of the same
//    texts over the same doubling: on a busy machine the cache and the garbage collector make all
//    code grow faster than linearly, and a ratio within 10 % of markdown-it's is not ours to fix.
//
// Not part of `npm test`: it takes minutes and its times depend on the machine. Options (after
// `npm run fuzz --`): --documents N (default 100000), --seed S, --only documents|scaling.
// Exits 1 when there was an exception or a ratio over the goal.

import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { lintRunbook } from '../src/core/authoring';
import { createMarkdownIt, parseRunbook, renderRunbook, type Runbook } from '../src/core/runbook';
import { markdown, mutatedMarkdown, SCALING_SHAPES, yamlSoup, type ScalingShape } from '../test/unit/runbook/generators';
import { textTable } from './lib/report';

const RATIO_GOAL = 2.2;
const MIN_TIMED_MS = 10;
/** How far above the goal (or markdown-it's own growth) a busy machine alone can move a figure. */
const NOISE = 1.1;
const BATCH = 1000;

const { values: options } = parseArgs({
  options: {
    documents: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '20240612' },
    only: { type: 'string' },
    runs: { type: 'string', default: '5' },
  },
});
const DOCUMENTS = Number(options.documents);
const SEED = Number(options.seed);
const RUNS = Number(options.runs);

type Stage = 'parse' | 'model' | 'lint' | 'render';

/** Milliseconds of CPU this process has used. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Each stage on one text, timed with `clock`; what the stage threw, if one did. */
function runStages(text: string, timings: Record<Stage, number>, clock: () => number): { stage: Stage; error: unknown } | undefined {
  let stage: Stage = 'parse';
  try {
    let started = clock();
    const runbook: Runbook = parseRunbook(text, { path: 'fuzz.runbook.md' });
    timings.parse = clock() - started;
    stage = 'model';
    JSON.stringify(runbook);
    stage = 'lint';
    started = clock();
    lintRunbook(runbook, text.split(/\r\n?|\n/));
    timings.lint = clock() - started;
    stage = 'render';
    started = clock();
    renderRunbook(text, runbook);
    timings.render = clock() - started;
    return undefined;
  } catch (error) {
    return { stage, error };
  }
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.split('\n')[0].slice(0, 100);
}

interface Failure {
  stage: Stage;
  message: string;
  count: number;
  example: string;
}

function fuzzDocuments(): { rows: string[][]; failures: Failure[]; documents: number; seconds: number } {
  // Weighted like the property tests, with more of what once broke the parser.
  const source = fc.oneof(
    { arbitrary: mutatedMarkdown, weight: 45 },
    { arbitrary: markdown, weight: 20 },
    { arbitrary: yamlSoup, weight: 15 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 300 }), weight: 10 },
    { arbitrary: fc.string({ unit: fc.constantFrom('`', '~', '-', '>', '#', '[', ']', ' ', '\n', '{', '}', '=', '$', '\\', '*', '"', "'", '<', '(', ':', 'a'), maxLength: 400 }), weight: 10 },
  );
  const failures = new Map<string, Failure>();
  const slowest: Record<Stage, { ms: number; length: number }> = {
    parse: { ms: 0, length: 0 },
    model: { ms: 0, length: 0 },
    lint: { ms: 0, length: 0 },
    render: { ms: 0, length: 0 },
  };
  const total: Record<Stage, number> = { parse: 0, model: 0, lint: 0, render: 0 };
  const started = performance.now();
  let done = 0;
  for (let batch = 0; done < DOCUMENTS; batch++) {
    const texts = fc.sample(source, { numRuns: Math.min(BATCH, DOCUMENTS - done), seed: SEED + batch });
    for (const text of texts) {
      const timings = { parse: 0, model: 0, lint: 0, render: 0 };
      const failed = runStages(text, timings, () => performance.now());
      for (const stage of ['parse', 'lint', 'render'] as const) {
        total[stage] += timings[stage];
        if (timings[stage] > slowest[stage].ms) slowest[stage] = { ms: timings[stage], length: text.length };
      }
      if (failed) {
        const message = describeError(failed.error);
        const key = `${failed.stage} ${message}`;
        const known = failures.get(key);
        if (!known) failures.set(key, { stage: failed.stage, message, count: 1, example: text });
        else {
          known.count++;
          if (text.length < known.example.length) known.example = text;
        }
      }
    }
    done += texts.length;
    if (batch % 10 === 9) process.stderr.write(`[fuzz] ${done.toLocaleString('en')} documents, ${[...failures.values()].reduce((n, f) => n + f.count, 0)} exceptions\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  const rows = (['parse', 'model', 'lint', 'render'] as const).map((stage) => {
    const count = [...failures.values()].filter((f) => f.stage === stage).reduce((n, f) => n + f.count, 0);
    const timed = stage !== 'model';
    return [
      stage === 'model' ? 'model is plain data' : stage,
      done.toLocaleString('en'),
      String(count),
      timed ? `${(total[stage] / done).toFixed(3)} ms` : '—',
      timed ? `${slowest[stage].ms.toFixed(1)} ms (${slowest[stage].length} chars)` : '—',
      count === 0 ? 'ok' : 'EXCEPTIONS',
    ];
  });
  return { rows, failures: [...failures.values()], documents: done, seconds };
}

interface SizeTimes {
  size: number;
  /** CPU ms of the fastest run: parse, lint and render together, and each. */
  total: number;
  parse: number;
  lint: number;
  render: number;
  /** CPU ms of markdown-it's own parse and render of the same text (fastest run). */
  markdownIt: number;
}

interface Doubling {
  from: number;
  to: number;
  ratio: number;
  /** How markdown-it's own time grew over the same doubling. */
  baseline: number;
}

interface ShapeResult {
  shape: ScalingShape;
  times: SizeTimes[];
  /** The single doubling over which our time grew most. */
  worst?: Doubling;
  /** Growth per doubling over the whole series (least squares on log time against log size), ours and markdown-it's. */
  growth?: { ours: number; baseline: number };
  error?: string;
}

function measureShape(shape: ScalingShape): ShapeResult {
  const texts = shape.sizes.map((size) => shape.text(size));
  const markdownIt = createMarkdownIt();
  const times: SizeTimes[] = shape.sizes.map((size) => ({ size, total: Infinity, parse: 0, lint: 0, render: 0, markdownIt: Infinity }));
  // Untimed warm-up at the smallest size, so the first figure is not the JIT's; then the sizes in
  // turn, run after run, so that whatever else the machine does weighs on all of them alike.
  for (let run = -2; run < RUNS; run++) {
    for (let i = 0; i < texts.length && (run >= 0 || i === 0); i++) {
      const timings = { parse: 0, model: 0, lint: 0, render: 0 };
      const failed = runStages(texts[i], timings, cpuMs);
      if (failed) return { shape, times: [], error: `${failed.stage} at ${shape.sizes[i].toLocaleString('en')} ${shape.unit}: ${describeError(failed.error)}` };
      const started = cpuMs();
      markdownIt.render(texts[i]);
      const baseline = cpuMs() - started;
      if (run < 0) continue;
      const total = timings.parse + timings.lint + timings.render;
      if (total < times[i].total) Object.assign(times[i], { total, parse: timings.parse, lint: timings.lint, render: timings.render });
      times[i].markdownIt = Math.min(times[i].markdownIt, baseline);
    }
  }
  let worst: Doubling | undefined;
  for (let i = 1; i < times.length; i++) {
    if (times[i - 1].total < MIN_TIMED_MS) continue;
    const scale = (times[i - 1].size / times[i].size) * 2;
    const ratio = (times[i].total / times[i - 1].total) * scale;
    const baseline = (times[i].markdownIt / times[i - 1].markdownIt) * scale;
    if (!worst || ratio > worst.ratio) worst = { from: times[i - 1].size, to: times[i].size, ratio, baseline };
  }
  const timed = times.filter((t) => t.total >= MIN_TIMED_MS);
  const growth = timed.length >= 2 ? { ours: perDoubling(timed.map((t) => [t.size, t.total])), baseline: perDoubling(timed.map((t) => [t.size, t.markdownIt])) } : undefined;
  return { shape, times, worst, growth };
}

/** 2 to the slope of log2(time) against log2(size): what each doubling of the size does to the time. */
function perDoubling(points: Array<[number, number]>): number {
  const xs = points.map(([size]) => Math.log2(size));
  const ys = points.map(([, ms]) => Math.log2(ms));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return 2 ** (num / den);
}

/**
 * Judged on the growth over the whole series, which one noisy doubling moves less: within the
 * goal; else within NOISE of the goal or of markdown-it's own growth on the same texts, whichever
 * is larger (on a busy machine the cache and the garbage collector make all code grow faster than
 * linearly, markdown-it included); else over. Quadratic cost grows 4× and is never within.
 */
function verdict({ growth, error }: ShapeResult): string {
  if (error) return 'THREW';
  if (!growth) return 'ok (fast)';
  if (growth.ours <= RATIO_GOAL) return 'ok';
  return growth.ours <= Math.max(RATIO_GOAL, growth.baseline) * NOISE ? 'ok (as markdown-it)' : 'OVER';
}

function scalingRows(results: ShapeResult[]): string[][] {
  return results.map((result) => {
    const { shape, times, worst, error } = result;
    const last = times[times.length - 1];
    return [
      shape.id,
      shape.area,
      shape.sizes.map((s) => s.toLocaleString('en')).join(' → ') + ` ${shape.unit}`,
      last ? `${last.total.toFixed(1)} (${last.parse.toFixed(0)} / ${last.lint.toFixed(0)} / ${last.render.toFixed(0)})` : '—',
      worst ? `${worst.ratio.toFixed(2)}× (${worst.from.toLocaleString('en')} → ${worst.to.toLocaleString('en')}; markdown-it ${worst.baseline.toFixed(2)}×)` : '—',
      result.growth ? `${result.growth.ours.toFixed(2)}× (markdown-it ${result.growth.baseline.toFixed(2)}×)` : '—',
      error ? `THREW: ${error}` : verdict(result),
    ];
  });
}

function main(): void {
  let failed = false;
  if (options.only === undefined || options.only === 'documents') {
    process.stderr.write(`[fuzz] ${DOCUMENTS.toLocaleString('en')} documents, seed ${SEED}\n`);
    const { rows, failures, documents, seconds } = fuzzDocuments();
    console.log(`\nDocuments: ${documents.toLocaleString('en')} in ${seconds.toFixed(0)} s (seed ${SEED}); goal: 0 exceptions\n`);
    console.log(textTable(['stage', 'documents', 'exceptions', 'mean', 'slowest'], rows.map((r) => r.slice(0, 5))));
    for (const failure of failures.sort((a, b) => b.count - a.count).slice(0, 10)) {
      console.log(`\n  ${failure.count} × ${failure.stage}: ${failure.message}\n  shortest: ${JSON.stringify(failure.example).slice(0, 300)}`);
    }
    if (failures.length > 0) failed = true;
  }
  if (options.only === undefined || options.only === 'scaling') {
    const results: ShapeResult[] = [];
    for (const shape of SCALING_SHAPES) {
      process.stderr.write(`[fuzz] scaling ${shape.id}\n`);
      results.push(measureShape(shape));
    }
    console.log(`\nScaling: CPU time, fastest of ${RUNS} runs per size; ratio = time(2n) / time(n), 2 is linear, 4 quadratic; goal ≤ ${RATIO_GOAL}×\n`);
    console.log(textTable(['shape', 'area', 'sizes', 'largest: CPU ms (parse / lint / render)', 'worst doubling', 'per doubling, all sizes', 'result'], scalingRows(results)));
    const worst = (pick: (r: ShapeResult) => number | undefined) => Math.max(...results.flatMap((r) => (pick(r) === undefined ? [] : [pick(r)!])));
    console.log(`\nWorst single doubling: ${worst((r) => r.worst?.ratio).toFixed(2)}×; worst growth per doubling over all sizes: ${worst((r) => r.growth?.ours).toFixed(2)}× (goal ≤ ${RATIO_GOAL}×)`);
    if (results.some((r) => verdict(r) === 'OVER' || verdict(r) === 'THREW')) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

main();
