// The command line's rows: a cold `runbook run` of a one-step `true` runbook against starting Node
// and bash themselves, `runbook check` of ../shared/corpus against markdown-it parsing the same
// files in one process, and discovery in a generated 10,000-file workspace.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverRunbooks } from '../src/core/discovery';
import { markdownFilesUnder } from '../test/support/corpus';
import { median } from './lib/stats';

const COLD_RUNS = 15;

function timed(command: string, args: string[], options: { cwd?: string } = {}): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: options.cwd, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Cold `runbook run` of a one-step `true` runbook, and `node -e 0` then `bash -c true`, alternating. */
export function coldRun(cli: string): { ours: number[]; baseline: number[] } {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-bench-cli-'));
  try {
    writeFileSync(join(dir, 'one.md'), '# One\n\n```bash {name=t}\ntrue\n```\n');
    const ours: number[] = [];
    const baseline: number[] = [];
    const history = join(dir, 'h.jsonl');
    for (let i = 0; i < COLD_RUNS + 2; i++) {
      const a = () => timed(process.execPath, [cli, 'run', 'one.md', '--history', history], { cwd: dir });
      const b = () => timed(process.execPath, ['-e', '0']) + timed('bash', ['-c', 'true']);
      const [x, y] = i % 2 === 0 ? [a(), b()] : [b(), a()].reverse();
      if (i < 2) continue; // warm-up: the file cache
      ours.push(x);
      baseline.push(y);
    }
    return { ours, baseline };
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
