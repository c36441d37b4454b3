// The generator works from an esbuild bundle as it does from source: bundled with the build's own
// plugin (scripts/scaffoldRuntimePlugin.mjs) into a scratch folder, it writes the same script text,
// and the bundle itself holds none of the embedded modules' text (they load from lib/ on first use).

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { generateScript } from '../../../src/core/scaffold';
import { GENERATED_AT, PROJECT, makeScratch, readRunbook, removeScratch } from './helpers';

type Generate = typeof generateScript;

describe('scaffold: the generator in a bundle', function () {
  this.timeout(60_000);
  let dir: string;
  after(() => removeScratch(dir));

  it('writes the same scripts as from source, reading the runtime from lib/scaffold-runtime.js', async () => {
    dir = makeScratch();
    const { scaffoldRuntimeSources } = (await import(join(PROJECT, 'scripts/scaffoldRuntimePlugin.mjs'))) as { scaffoldRuntimeSources: (outdir: string) => esbuild.Plugin };
    const outfile = join(dir, 'generator.cjs');
    await esbuild.build({
      entryPoints: [join(PROJECT, 'src/core/scaffold/index.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['markdown-it', 'yaml'],
      logLevel: 'silent',
      plugins: [scaffoldRuntimeSources(dir)],
    });
    const bundled = readFileSync(outfile, 'utf8');
    assert.ok(!bundled.includes('Self-contained (only `node:` imports)'), 'the embedded modules are not in the bundle');
    const lib = readFileSync(join(dir, 'lib', 'scaffold-runtime.js'), 'utf8');
    assert.ok(lib.includes('scaffold/scriptRuntime.ts'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fromBundle = (require(outfile) as { generateScript: Generate }).generateScript;
    for (const name of ['basic', 'run', 'session']) {
      const runbook = readRunbook(join(PROJECT, `test/fixtures/workspace/${name}.runbook.md`));
      const options = { itemIds: runbook.items.map((item) => item.id), runbookPath: `${name}.runbook.md`, scriptPath: `scripts/${name}.ts`, runbookDirFromScript: '..', generatedAt: GENERATED_AT };
      assert.equal(fromBundle(runbook, options), generateScript(runbook, options), name);
    }
  });
});
