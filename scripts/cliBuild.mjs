// The `runbook` command's bundles, for scripts/build.mjs and the tests that run the command as it
// ships:
//   <dist>/cli.js        the launcher (src/cli/launcher.ts, the package's `bin`): loads the files
//                        of cli/ through V8's code cache, named by the content hash each ends with
//   <dist>/cli/main.js   the command itself (src/cli/main.ts), with what `runbook run` needs
//   <dist>/cli/<lib>.js  libraries only some runs and commands need, `require`d on first use
//   <dist>/cli/lib/scaffold-runtime.js   the texts generated scripts embed (scaffoldRuntimePlugin)
// One esbuild build (main.js) whose end builds the libraries, ends each file with its content hash
// and builds the launcher, in watch mode too.
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { scaffoldRuntimeSources } from './scaffoldRuntimePlugin.mjs';

/**
 * Libraries a one-step run with no front matter never loads (yaml for front matter and inputs
 * files, picomatch for discovery's globs, prom-client for the bridge's metrics, log-update for the
 * live display on a terminal), each bundled into <dist>/cli/<name>.js: a run reads, and on its
 * first start compiles, only what it needs. Each is cached by the launcher like main.js once used.
 */
export const CLI_LAZY_LIBRARIES = {
  yaml: "module.exports = require('yaml');",
  picomatch: "module.exports = require('picomatch');",
  'prom-client': "module.exports = require('prom-client');",
  'log-update': "module.exports = require('log-update');",
};

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

/**
 * Leaves each of `libraries` (name → its one-line entry) out of a bundle, `require`d instead from
 * its own file, `folder` + `<name>.js` relative to the bundle: the extension's dist/lib/ and the
 * command's dist/cli/ (scripts/build.mjs uses it too).
 */
export function lazyLibraryPlugin(libraries, folder = './') {
  const names = Object.keys(libraries).map((name) => name.replace(/[-/]/g, '\\$&')).join('|');
  return {
    name: 'lazy-libraries',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({ path: `${folder}${args.path}.js`, external: true }));
    },
  };
}

/**
 * vm.Script (the launcher on Node 20) has no module loader for a real `import()` before Node
 * 20.12: the files must have none left (esbuild turns those of our own modules into plain calls).
 */
function noExternalDynamicImport(metafile) {
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.kind === 'dynamic-import' && imported.external) throw new Error(`${file}: import('${imported.path}') stays in a file of dist/cli/; the launcher cannot load it (use require)`);
    }
  }
}

/**
 * Rewrites what esbuild leaves outside ASCII (characters in regular expression literals) as
 * `\uXXXX` escapes, which mean the same there and in strings: the launcher then reads each file
 * as latin1, a one-byte string made ≈ 3× faster than by decoding UTF-8.
 */
function asciiOnly(file, text) {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  // eslint-disable-next-line no-control-regex
  return text.replace(/[^\x00-\x7f]/g, (char, offset) => {
    if (text[offset - 1] === '\\') throw new Error(`${file}: an escaped non-ASCII character at ${offset} cannot be rewritten as \\uXXXX`);
    return `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/**
 * Ends the file with the hash of its content (`//# runbooks-content-hash=…`), which names its code
 * cache: V8 accepts a cache for any source of the same length, so the launcher must know which
 * content a cache was made from. Written into the file itself, a launcher and a file built apart
 * (a rebuild under a running command, a watch build) can never pair a cache with the wrong text.
 */
function withContentHash(file) {
  const text = asciiOnly(file, readFileSync(file, 'utf8'));
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  // Whole or not at all: a command started meanwhile reads the old file or the new one.
  writeFileSync(`${file}.tmp`, `${text.endsWith('\n') ? text : `${text}\n`}//# runbooks-content-hash=${hash}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Each file's first line: the launcher's function wrapper goes there, and no column moves. */
const FIRST_LINE = '// Part of the `runbook` command, loaded by ../cli.js (src/cli/launcher.ts).';

/** After each build of main.js: the libraries, each file's content hash, then the launcher. */
function librariesAndLauncher(dist, common) {
  return {
    name: 'cli-libraries-and-launcher',
    setup(build) {
      build.onEnd(async (result) => {
        if (result.errors.length > 0) return;
        if (result.metafile) noExternalDynamicImport(result.metafile);
        const libraries = await Promise.all(
          Object.entries(CLI_LAZY_LIBRARIES).map(([name, contents]) =>
            esbuild.build({
              ...common,
              stdin: { contents, resolveDir: ROOT, loader: 'js', sourcefile: `cli-lib-${name}.js` },
              outfile: join(dist, 'cli', `${name}.js`),
              banner: { js: FIRST_LINE },
              metafile: true,
            }),
          ),
        );
        for (const library of libraries) noExternalDynamicImport(library.metafile);
        for (const name of ['main', ...Object.keys(CLI_LAZY_LIBRARIES)]) withContentHash(join(dist, 'cli', `${name}.js`));
        await esbuild.build({
          ...common,
          entryPoints: [join(ROOT, 'src/cli/launcher.ts')],
          outfile: join(dist, 'cli.js'),
          banner: { js: '#!/usr/bin/env node' },
        });
        chmodSync(join(dist, 'cli.js'), 0o755);
      });
    },
  };
}

/** What every Node bundle of the project is built with (the extension's too, scripts/build.mjs). */
export function nodeBuildOptions({ production = false } = {}) {
  return { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: !production, minify: production, logLevel: 'warning' };
}

/** The esbuild build of the command, into `dist` (a folder laid out like dist/). */
export function cliBuildOptions(dist, { production = false } = {}) {
  const common = nodeBuildOptions({ production });
  return [
    {
      ...common,
      entryPoints: [join(ROOT, 'src/cli/main.ts')],
      outfile: join(dist, 'cli', 'main.js'),
      metafile: true,
      banner: { js: FIRST_LINE },
      plugins: [lazyLibraryPlugin(CLI_LAZY_LIBRARIES), scaffoldRuntimeSources(join(dist, 'cli')), librariesAndLauncher(dist, common)],
    },
  ];
}

/** Builds the command into `dist` once. */
export async function buildCli(dist, options = {}) {
  await Promise.all(cliBuildOptions(dist, options).map((build) => esbuild.build(build)));
}
