// Bundles the extension, the `runbook` command, the preview's webview script and the integration
// suite with esbuild.
//   node scripts/build.mjs               development build with source maps
//   node scripts/build.mjs --production  minified, for packaging and benchmarks
//   node scripts/build.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { cliBuildOptions, lazyLibraryPlugin, nodeBuildOptions } from './cliBuild.mjs';
import { scaffoldRuntimeSources } from './scaffoldRuntimePlugin.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * Every `import * as vscode` would otherwise get its own copy of the API object in the bundle, made
 * at load time; one shared module re-exporting it makes a single copy (see bench/README.md).
 */
const singleVscodeNamespace = {
  name: 'single-vscode-namespace',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-shared' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-shared' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-shared' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/**
 * Libraries the extension loads on first use (markdown-it and yaml for the first parse, picomatch
 * for discovery rules) go to files of their own under dist/lib/, so activation reads only what it needs
 * (the extension's own code); each is bundled once and `require`d from there when first needed.
 */
const LAZY_LIBRARIES = {
  'markdown-it': "module.exports = require('markdown-it');",
  yaml: "module.exports = require('yaml');",
  picomatch: "module.exports = require('picomatch');",
};

/**
 * Our own modules that only some commands need (the insights panel and core, Export as CI
 * Workflow, Extract Steps to Script, the run report) go the same way: the source imports them with `await import()`
 * where they are first needed, and each becomes dist/lib/<name>.js, built on its own.
 */
const LAZY_MODULES = {
  'src/core/insights/index.ts': 'insights-core',
  'src/features/insights/insightsPanel.ts': 'insights-panel',
  'src/features/export/exportCommand.ts': 'export-command',
  'src/features/extract/extractCommand.ts': 'extract-command',
  'src/core/progress/report.ts': 'run-report',
};

function lazyModules(inLib) {
  return {
    name: 'lazy-modules',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const base = relative(process.cwd(), resolve(args.resolveDir, args.path)).split(sep).join('/');
        const name = LAZY_MODULES[`${base}.ts`] ?? LAZY_MODULES[`${base}/index.ts`];
        return name ? { path: inLib ? `./${name}.js` : `./lib/${name}.js`, external: true } : undefined;
      });
    },
  };
}

const common = { ...nodeBuildOptions({ production }), external: ['vscode'] };

/** @type {esbuild.BuildOptions[]} */
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', metafile: true, charset: 'utf8', plugins: [singleVscodeNamespace, lazyLibraryPlugin(LAZY_LIBRARIES, './lib/'), lazyModules(false), scaffoldRuntimeSources('dist')] },
  ...Object.entries(LAZY_MODULES).map(([entry, name]) => ({
    ...common,
    entryPoints: [entry],
    outfile: `dist/lib/${name}.js`,
    charset: 'utf8',
    plugins: [singleVscodeNamespace, lazyLibraryPlugin(LAZY_LIBRARIES), lazyModules(true), scaffoldRuntimeSources('dist', './scaffold-runtime.js')],
  })),
  ...Object.entries(LAZY_LIBRARIES).map(([name, contents]) => ({
    ...common,
    stdin: { contents, resolveDir: '.', loader: 'js', sourcefile: `lib-${name}.js` },
    outfile: `dist/lib/${name}.js`,
    charset: 'utf8',
  })),
  // The `runbook` command: the launcher dist/cli.js and the command in dist/cli/ (scripts/cliBuild.mjs).
  ...cliBuildOptions('dist', { production }),
  // The preview's script runs in the webview: a browser bundle with no Node or VS Code API.
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022', external: [] },
  // The insights panel's script (with Chart.js): a browser bundle of its own.
  { ...common, entryPoints: ['src/webview/insights/main.ts'], outfile: 'dist/insights.js', platform: 'browser', format: 'iife', target: 'es2022', external: [] },
];

// The integration suite runs inside the extension host; mocha stays external and is loaded
// from node_modules, the tests are bundled from TypeScript.
if (!production) {
  const tests = readdirSync('test/integration').filter((f) => f.endsWith('.ts')).map((f) => join('test/integration', f));
  builds.push({ ...common, entryPoints: tests, outdir: 'out/test/integration', external: ['vscode', 'mocha'] });
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('watching for changes…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
