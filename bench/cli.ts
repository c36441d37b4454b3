// The command line's rows: a cold `runbook run` of a one-step `true` runbook against starting Node
// and bash themselves (with the launcher's code cache warm, and apart the very first run with an
// empty cache folder), `runbook check` of ../shared/corpus against markdown-it parsing the same
// files in one process, and discovery in a generated 10,000-file workspace.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverRunbooks } from '../src/core/discovery';
import { markdownFilesUnder } from '../test/support/corpus';
import { median } from './lib/stats';

const COLD_RUNS = 15;
/** First runs (each with a cache folder of its own, empty): the figure a fresh install sees once. */
const FIRST_RUNS = 7;

function timed(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: options.cwd, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1', ...options.env } });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export interface ColdRun {
  /** With the launcher's code cache warm (the warm-up runs wrote it). */
  ours: number[];
  baseline: number[];
  /** What the launcher said it did on a run after the timed ones: `used …` when the cache was warm. */
  cache: string;
  /** The very first run: an empty cache folder each time, so it compiles and then writes the cache. */
  firstRun: number[];
  firstBaseline: number[];
}

/**
 * Cold `runbook run` of a one-step `true` runbook, and `node -e 0` then `bash -c true`, alternating.
 * The launcher's cache goes to a folder of this bench (RUNBOOKS_COMPILE_CACHE_DIR), never the user's.
 */
export function coldRun(cli: string): ColdRun {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-bench-cli-'));
  try {
    writeFileSync(join(dir, 'one.md'), '# One\n\n```bash {name=t}\ntrue\n```\n');
    const history = join(dir, 'h.jsonl');
    const cacheDir = join(dir, 'compile-cache');
    const runOnce = (cache: string) => timed(process.execPath, [cli, 'run', 'one.md', '--history', history], { cwd: dir, env: { RUNBOOKS_COMPILE_CACHE_DIR: cache } });
    const base = () => timed(process.execPath, ['-e', '0']) + timed('bash', ['-c', 'true']);
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < COLD_RUNS + 2; i++) {
      const [x, y] = i % 2 === 0 ? [runOnce(cacheDir), base()] : [base(), runOnce(cacheDir)].reverse();
      if (i < 2) continue; // warm-up: the file cache, and the first run writes the code cache
      ours.push(x);
      baseline.push(y);
    }
    const check = spawnSync(process.execPath, [cli, 'run', 'one.md', '--history', history], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', RUNBOOKS_COMPILE_CACHE_DIR: cacheDir, RUNBOOKS_COMPILE_CACHE_DEBUG: '1' } });
    const cache = /runbook: compile cache: (.*)/.exec(check.stderr)?.[1]?.replace(cacheDir, '<bench cache>') ?? 'not reported (no launcher?)';
    const firstRun: number[] = [];
    const firstBaseline: number[] = [];
    for (let i = 0; i < FIRST_RUNS; i++) {
      const fresh = join(dir, `first-${i}`);
      const [x, y] = i % 2 === 0 ? [runOnce(fresh), base()] : [base(), runOnce(fresh)].reverse();
      firstRun.push(x);
      firstBaseline.push(y);
    }
    return { ours, baseline, cache, firstRun, firstBaseline };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `runbook check <corpus>` and a Node process that reads and md.parse()s the same files. */
export function checkCorpus(cli: string, corpus: string, markdownIt: string): { ours: number[]; baseline: number[]; files: number } | undefined {
  if (!existsSync(corpus)) return undefined;
  const files = markdownFilesUnder(corpus);
  const parse = `const fs=require('fs');const md=require(${JSON.stringify(markdownIt)})();for(const f of ${JSON.stringify(files)})md.parse(fs.readFileSync(f,'utf8'),{});`;
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < 7; i++) {
    ours.push(timed(process.execPath, [cli, 'check', corpus, '--include', '**/*.md']));
    baseline.push(timed(process.execPath, ['-e', parse]));
  }
  return { ours: ours.slice(1), baseline: baseline.slice(1), files: files.length };
}

/** A workspace of 10,000 files: sources, JSON, plain Markdown and some runbooks, in nested folders. */
export function generateWorkspace(): { dir: string; files: number; runbooks: number } {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-bench-discover-'));
  let files = 0;
  let runbooks = 0;
  for (let a = 0; a < 20; a++) {
    for (let b = 0; b < 10; b++) {
      const folder = join(dir, `pkg${a}`, b % 3 === 0 ? 'runbooks' : `mod${b}`);
      mkdirSync(folder, { recursive: true });
      for (let c = 0; c < 50; c++) {
        const n = files++;
        if (c < 35) writeFileSync(join(folder, `file${n}.ts`), `export const x${n} = ${n};\n`.repeat(20));
        else if (c < 42) writeFileSync(join(folder, `data${n}.json`), JSON.stringify({ n, items: Array.from({ length: 20 }, (_, i) => i) }));
        else if (c < 47 || folder.endsWith('runbooks') === false) writeFileSync(join(folder, `notes${n}.md`), `# Notes ${n}\n\n${'Some prose about the module. '.repeat(40)}\n\n\`\`\`bash\necho example\n\`\`\`\n`);
        else {
          runbooks++;
          writeFileSync(join(folder, `restart${n}.md`), `---\ntitle: Restart ${n}\ninputs:\n  NS: { default: web }\n---\n\n# Restart ${n}\n\n${'Steps follow. '.repeat(30)}\n\n\`\`\`bash {name=go}\necho "$NS"\n\`\`\`\n`);
        }
      }
    }
  }
  return { dir, files, runbooks };
}

/** Discovery over the generated workspace (file cache warm), several times. */
export async function discovery(): Promise<{ ours: number[]; files: number; runbooks: number; found: number }> {
  const workspace = generateWorkspace();
  try {
    const ours: number[] = [];
    let found = 0;
    for (let i = 0; i < 7; i++) {
      const start = process.hrtime.bigint();
      found = (await discoverRunbooks([workspace.dir])).length;
      if (i > 0) ours.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return { ours, files: workspace.files, runbooks: workspace.runbooks, found };
  } finally {
    rmSync(workspace.dir, { recursive: true, force: true });
  }
}

export { execFileSync, median };
