// `npm run bench` (after the production build): every row of the performance budget table in
// DESIGN.md, each as the median of several runs after a warm-up with its baseline measured in the
// same run. Prints one table, writes bench/results.json, and exits non-zero naming every row over
// its budget. See bench/README.md.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { measureActivation } from './activation';
import { STREAM_BYTES } from './process';
import { BRIDGE_POSTS, percentile, type BridgeLoad } from './bridge';
import type { ColdRun } from './cli';
import { HISTORY_LINES, ISSUES } from './insights';
import { measurePreviewBytes } from './previewBytes';
import { figure, formatTable, judge, type Row } from './lib/report';
import { median } from './lib/stats';

const root = resolve(__dirname, '..');
const outDir = join(root, 'out/bench');
const casesJs = join(outDir, 'cases.js');
const activationJs = join(outDir, 'activation.js');
const insightsJs = join(outDir, 'insights.js');
const previewBytesJs = join(outDir, 'preview-bytes.js');
const KiB = 1024;
const MiB = 1024 * 1024;
const STREAM_RUNS = 5;
const ACTIVATION_SAMPLES = 5;

// Options (after `npm run bench --`):
//   --only <group>[,<group>…]   run only some groups: markdown, step, stream, activation, preview, cli, bridge, insights
//   --profile-activation        also write a CPU profile of each activation to out/bench/profiles/
//   --activation-breakdown      also report compile, module initialisation and activate() apart
const argv = process.argv.slice(2);
const onlyIndex = argv.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((argv[onlyIndex + 1] ?? '').split(',')) : undefined;
const profileDir = argv.includes('--profile-activation') ? join(outDir, 'profiles') : undefined;
const breakdown = argv.includes('--activation-breakdown');
const GROUPS = ['markdown', 'step', 'stream', 'activation', 'preview', 'cli', 'bridge', 'insights'];
for (const group of only ?? []) if (!GROUPS.includes(group)) throw new Error(`Unknown group "${group}": use ${GROUPS.join(', ')}.`);
const wanted = (group: string) => !only || only.has(group);

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** The cases and the host suite, bundled like the production build (minified, Node 20). */
async function bundle(): Promise<void> {
  const common: esbuild.BuildOptions = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, logLevel: 'warning' };
  await Promise.all([
    esbuild.build({ ...common, entryPoints: [join(root, 'bench/cases.ts')], outfile: casesJs }),
    esbuild.build({ ...common, entryPoints: [join(root, 'bench/host/activation.ts')], outfile: activationJs, external: ['vscode'] }),
    esbuild.build({ ...common, entryPoints: [join(root, 'bench/host/previewBytes.ts')], outfile: previewBytesJs, external: ['vscode'] }),
    esbuild.build({ ...common, entryPoints: [join(root, 'bench/insightsCase.ts')], outfile: insightsJs }),
  ]);
}

/** Runs one bench case in a fresh Node process and returns what it reported. */
function runCase<T>(args: string[], nodeArgs: string[] = [], script = casesJs): Promise<T> {
  return new Promise((resolveCase, reject) => {
    execFile(process.execPath, [...nodeArgs, script, ...args], { cwd: root, maxBuffer: 16 * MiB }, (error, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (error || !line) {
        reject(new Error(`bench case "${args.join(' ')}" failed: ${stderr.trim() || error?.message || 'no result'}`));
        return;
      }
      resolveCase(JSON.parse(line.slice('BENCH_RESULT '.length)) as T);
    });
  });
}

async function markdownRows(): Promise<Row[]> {
  log('parse and render: generated 1 MiB runbook, ../shared/corpus, 2,000-step refresh');
  return runCase<Row[]>(['markdown', root]);
}

async function trivialStepRow(): Promise<Row> {
  log('start a trivial step');
  const result = await runCase<{ ours: number[]; baseline: number[] }>(['trivial-step']);
  return judge({
    id: 'trivial-step',
    what: 'start a trivial step (`true`) to exit',
    unit: 'ms',
    ours: median(result.ours),
    baseline: median(result.baseline),
    baselineLabel: 'raw spawn',
    kind: 'diff',
    budget: 5,
    note: "runStep's whole call (checks, script file, spawn, exit, clean-up) against spawn('bash', ['-c', 'true']) until 'exit'",
    samples: result,
  });
}

async function streamRows(): Promise<Row[]> {
  log(`stream 100 MiB of output (${STREAM_RUNS} fresh processes each)`);
  const ours: { ms: number; growthKiB: number }[] = [];
  const raw: { ms: number; growthKiB: number }[] = [];
  for (let i = 0; i < STREAM_RUNS; i++) {
    raw.push(await runCase(['stream', 'raw', String(STREAM_BYTES)], ['--expose-gc']));
    ours.push(await runCase(['stream', 'ours', String(STREAM_BYTES)], ['--expose-gc']));
  }
  const oursGrowth = ours.map((r) => r.growthKiB / KiB);
  const rawGrowth = raw.map((r) => r.growthKiB / KiB);
  return [
    judge({
      id: 'stream-time',
      what: 'stream 100 MiB of step output',
      unit: 'ms',
      ours: median(ours.map((r) => r.ms)),
      baseline: median(raw.map((r) => r.ms)),
      baselineLabel: 'raw spawn pipe',
      kind: 'ratio',
      budget: 1.25,
      note: 'runStep with an output listener counting bytes, against the same command read to the end through spawn; one fresh process per run',
      samples: { ours: ours.map((r) => r.ms), baseline: raw.map((r) => r.ms) },
    }),
    judge({
      id: 'stream-memory',
      what: 'stream 100 MiB: peak RSS growth',
      unit: 'MiB',
      ours: Math.max(...oursGrowth),
      baseline: Math.max(...rawGrowth),
      baselineLabel: 'raw spawn pipe',
      kind: 'max',
      budget: 32,
      note: 'largest rise of the peak RSS (VmHWM, reset just before the stream) over the RSS before it, across the runs',
      samples: { ours: oursGrowth, baseline: rawGrowth },
    }),
  ];
}

async function bridgeRows(): Promise<Row[]> {
  log(`alert bridge: ${BRIDGE_POSTS} webhook posts on loopback`);
  const load = await runCase<BridgeLoad>(['bridge']);
  const lost = load.posts - load.answered + (load.alerts - load.audited);
  const row = judge({
    id: 'bridge-p99',
    what: `bridge: ${BRIDGE_POSTS} webhook posts, p99 answer`,
    unit: 'ms',
    ours: percentile(load.ours, 99),
    baseline: percentile(load.baseline, 99),
    baselineLabel: 'bare node:http 200',
    kind: 'max',
    budget: 20,
    note:
      `${lost} lost (${load.answered} of ${load.posts} posts answered 200, ${load.audited} of ${load.alerts} alerts audited); ` +
      `median ${median(load.ours).toFixed(2)} ms; bridge CPU ${load.cpuMsPerPost.toFixed(2)} ms a post; ${load.dispatched} dispatched (${load.dispatchRequests} requests to the fake GitHub), ` +
      `the posts that dispatched (state fsync first): median ${median(load.dispatching).toFixed(1)} ms, p99 ${percentile(load.dispatching, 99).toFixed(1)} ms; 8 posts in flight, client in its own process after 100 warm-up posts`,
    samples: { ours: load.ours, baseline: load.baseline },
  });
  // A lost post fails the row whatever the latency.
  return [lost > 0 ? { ...row, status: 'over', note: `LOST POSTS: ${row.note}` } : row];
}

async function previewRows(): Promise<Row[]> {
  log('preview messages for an edit while 50 steps hold 1 MiB of output each (real VS Code host)');
  try {
    const bytes = await measurePreviewBytes(root, previewBytesJs);
    return [
      judge({
        id: 'preview-bytes',
        what: 'preview update while 50 steps hold 1 MiB each: bytes sent',
        unit: 'KiB',
        ours: bytes.withOutput / KiB,
        baseline: bytes.withoutOutput / KiB,
        baselineLabel: 'the same edit, no output held',
        kind: 'ratio',
        budget: 1.1,
        note: `an edit of the runbook with ${(bytes.held / MiB).toFixed(1)} MiB of output held (${(bytes.streamed / MiB).toFixed(1)} MiB streamed once while the steps ran) against the same edit with none: the update must not grow with the output held`,
      }),
    ];
  } catch (error) {
    return [judge({ id: 'preview-bytes', what: 'preview update while 50 steps hold 1 MiB each: bytes sent', unit: 'KiB', baselineLabel: '—', kind: 'ratio', budget: 1.1, note: `could not be measured: ${error instanceof Error ? error.message : String(error)}` })];
  }
}

async function cliRows(): Promise<Row[]> {
  const cli = join(root, 'dist/cli.js');
  log('cold `runbook run` of a one-step runbook; `runbook check` of the corpus; discovery of 10,000 files');
  const cold = await runCase<ColdRun>(['cold-run', cli]);
  const corpus = await runCase<{ ours: number[]; baseline: number[]; files: number } | null>(['check-corpus', cli, resolve(root, '../shared/corpus'), require.resolve('markdown-it', { paths: [root] })]);
  const found = await runCase<{ ours: number[]; files: number; runbooks: number; found: number }>(['discovery']);
  return [
    judge({
      id: 'cli-cold-run',
      what: '`runbook run` of a one-step `true` runbook, cold (code cache warm)',
      unit: 'ms',
      ours: median(cold.ours),
      baseline: median(cold.baseline),
      baselineLabel: '`node -e 0` + `bash -c true`',
      kind: 'diff',
      budget: 40,
      note: `a fresh \`node dist/cli.js run\` process each time (history written), against starting Node and bash themselves; launcher: ${cold.cache}; the very first run (empty cache folder, compiles and writes the cache): ${median(cold.firstRun).toFixed(0)} ms against ${median(cold.firstBaseline).toFixed(0)} ms, +${(median(cold.firstRun) - median(cold.firstBaseline)).toFixed(0)} ms`,
      samples: cold,
    }),
    judge({
      id: 'cli-check-corpus',
      what: '`runbook check` of ../shared/corpus',
      unit: 'ms',
      ours: corpus ? median(corpus.ours) : undefined,
      baseline: corpus ? median(corpus.baseline) : undefined,
      baselineLabel: 'node reading and md.parse()-ing them',
      kind: 'ratio',
      budget: 1.5,
      note: corpus ? `${corpus.files} files, parse and lint as the editor does; both are whole processes (Node start included)` : 'skipped: no ../shared/corpus',
      samples: corpus ?? undefined,
    }),
    judge({
      id: 'discovery',
      what: 'discover runbooks in a 10,000-file workspace',
      unit: 'ms',
      ours: median(found.ours),
      baselineLabel: '—',
      kind: 'max',
      budget: 500,
      note: `${found.files} files (${found.runbooks} runbooks; ${found.found} found), front matter and first heading read without a Markdown parse; file cache warm`,
      samples: { ours: found.ours },
    }),
  ];
}

async function insightsRows(): Promise<Row[]> {
  log(`insights over ${HISTORY_LINES.toLocaleString('en')} history lines and ${ISSUES.toLocaleString('en')} issues (bench/insights.ts)`);
  return runCase<Row[]>([], [], insightsJs);
}

/** The libraries loaded on first use (dist/lib/), which activation does not read. */
function lazyLibrariesNote(): string | undefined {
  const dir = join(root, 'dist/lib');
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir).filter((file) => file.endsWith('.js'));
  const sizes = files.map((file) => `${file} ${(statSync(join(dir, file)).size / KiB).toFixed(0)} KiB`);
  return `loaded on first use, not at activation: ${sizes.join(', ')}`;
}

async function activationRows(): Promise<Row[]> {
  const bundlePath = join(root, 'dist/extension.js');
  const size = existsSync(bundlePath) ? statSync(bundlePath).size / KiB : undefined;
  const sizeRow = judge({
    id: 'bundle-size',
    what: 'bundle read at activation (dist/extension.js)',
    unit: 'KiB',
    ours: size,
    baselineLabel: '—',
    kind: 'max',
    budget: 200,
    note: size === undefined ? 'skipped: no dist/extension.js (run the production build first)' : lazyLibrariesNote(),
  });
  log(`activation in the real VS Code host (${ACTIVATION_SAMPLES} fresh extension hosts)`);
  let activation: Row;
  try {
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const env: Record<string, string> = {};
    if (profileDir) env.RUNBOOKS_BENCH_PROFILE = profileDir;
    if (breakdown) env.RUNBOOKS_BENCH_BREAKDOWN = '1';
    const { times, vscode, breakdowns } = await measureActivation(root, activationJs, ACTIVATION_SAMPLES, env);
    for (const b of breakdowns) log(`activation breakdown: ${Object.entries(b).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')} (ms)`);
    const parts = breakdowns.length
      ? ['compileMs', 'requireMs', 'activateMs'].map((key) => `${key.replace('Ms', '')} ${median(breakdowns.map((b) => b[key])).toFixed(1)} ms`).join(', ')
      : undefined;
    if (profileDir) log(`activation profiles in ${profileDir} (the profiler's overhead is in these figures)`);
    activation = judge({
      id: 'activation',
      what: 'activate the extension in the host',
      unit: 'ms',
      ours: median(times),
      baselineLabel: '—',
      kind: 'max',
      budget: 20,
      note:
        `await getExtension(…).activate() in code-server ${vscode ? `(VS Code ${vscode}) ` : ''}with nothing activated yet, one fresh extension host per run: ` +
        'loading dist/extension.js and running activate()' +
        (parts ? `; breakdown (medians; require = compile + module initialisation): ${parts}` : '') +
        (profileDir ? '; measured under the CPU profiler' : ''),
      samples: { ours: times },
    });
  } catch (error) {
    activation = judge({
      id: 'activation',
      what: 'activate the extension in the host',
      unit: 'ms',
      baselineLabel: '—',
      kind: 'max',
      budget: 20,
      note: `could not be measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    });
  }
  return [activation, sizeRow];
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

async function main(): Promise<number> {
  const started = Date.now();
  await bundle();
  const rows = [
    ...(wanted('markdown') ? await markdownRows() : []),
    ...(wanted('step') ? [await trivialStepRow()] : []),
    ...(wanted('stream') ? await streamRows() : []),
    ...(wanted('activation') ? await activationRows() : []),
    ...(wanted('preview') ? await previewRows() : []),
    ...(wanted('cli') ? await cliRows() : []),
    ...(wanted('bridge') ? await bridgeRows() : []),
    ...(wanted('insights') ? await insightsRows() : []),
  ];
  const info = machine();
  console.log(`\nExecutable Runbooks benchmarks — ${info.cpu}, ${info.cores} cores, Node ${info.node}, ${info.date}\n`);
  console.log(formatTable(rows));
  writeFileSync(
    join(root, 'bench/results.json'),
    `${JSON.stringify({ machine: info, only: only ? [...only] : undefined, durationS: Math.round((Date.now() - started) / 1000), rows: rows.map((row) => ({ ...row, figure: figure(row) })) }, null, 2)}\n`,
  );
  log(`wrote bench/results.json in ${Math.round((Date.now() - started) / 1000)} s`);
  // A row that could not be measured is not a pass: it fails the run too, except the corpus rows,
  // which are skipped on purpose where ../shared/corpus is absent.
  const over = rows.filter((row) => row.status === 'over');
  const unmeasured = rows.filter((row) => row.status === 'skipped' && !row.id.endsWith('-corpus'));
  for (const row of over) console.error(`OVER BUDGET: ${row.what}`);
  for (const row of unmeasured) console.error(`NOT MEASURED: ${row.what} (${row.note})`);
  return over.length + unmeasured.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
