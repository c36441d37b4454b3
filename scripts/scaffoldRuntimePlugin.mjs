// The script generator embeds the engine's own modules (src/core/scaffold/runtimeModules.json) as
// text. A bundle has no sources to read, so this esbuild plugin writes their texts to
// <outdir>/lib/scaffold-runtime.js on every build and replaces src/core/scaffold/runtimeSources.ts
// with a module that loads that file the first time a script is generated (runtimeSources.ts says
// why). Every bundle that can generate scripts (dist/extension.js, dist/cli.js) uses it with its
// own output folder; test/unit/scaffold/bundle.test.ts bundles with it and compares the scripts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Writes the embedded modules' texts as a CommonJS module at `file`. */
export function writeRuntimeSources(file) {
  const modules = JSON.parse(readFileSync(join(ROOT, 'src/core/scaffold/runtimeModules.json'), 'utf8'));
  const texts = Object.fromEntries(modules.map((module) => [module, readFileSync(join(ROOT, 'src/core', module), 'utf8')]));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `// Written by scripts/scaffoldRuntimePlugin.mjs from src/core: the modules generated scripts embed.\nmodule.exports = ${JSON.stringify(texts)};\n`);
}

/**
 * The plugin, for a bundle that writes the texts to <outdir>/lib/ and finds them at `requirePath`
 * relative to itself (a bundle in <outdir>/lib/ passes './scaffold-runtime.js').
 */
export function scaffoldRuntimeSources(outdir, requirePath = './lib/scaffold-runtime.js') {
  return {
    name: 'scaffold-runtime-sources',
    setup(build) {
      build.onStart(() => writeRuntimeSources(join(outdir, 'lib', 'scaffold-runtime.js')));
      build.onResolve({ filter: /^\.\/(lib\/)?scaffold-runtime\.js$/ }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /[\\/]src[\\/]core[\\/]scaffold[\\/]runtimeSources\.ts$/ }, (args) => ({
        resolveDir: dirname(args.path),
        loader: 'ts',
        contents: [
          "import modules from './runtimeModules.json';",
          'export const RUNTIME_MODULES: readonly string[] = modules;',
          '/** The text of one embedded module, from the file the build wrote beside the bundle. */',
          'export function runtimeSource(module: string): string {',
          `  const texts = require(${JSON.stringify(requirePath)}) as Record<string, string>;`,
          '  return texts[module];',
          '}',
        ].join('\n'),
      }));
    },
  };
}
