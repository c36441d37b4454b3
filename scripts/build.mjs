// Bundles the extension, the preview's webview script and the integration suite with esbuild.
//   node scripts/build.mjs               development build with source maps
//   node scripts/build.mjs --production  minified, for packaging and benchmarks
//   node scripts/build.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

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
 * Libraries the extension loads on first use (markdown-it and yaml for the first parse, execa for
 * the first run) go to files of their own under dist/lib/, so activation reads only what it needs
 * (the extension's own code); each is bundled once and `require`d from there when first needed.
 */
const LAZY_LIBRARIES = {
  'markdown-it': "module.exports = require('markdown-it');",
  yaml: "module.exports = require('yaml');",
  execa: "export * from 'execa';",
};

const lazyLibraries = {
  name: 'lazy-libraries',
  setup(build) {
    const names = Object.keys(LAZY_LIBRARIES).join('|');
    build.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({ path: `./lib/${args.path}.js`, external: true }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', metafile: true, charset: 'utf8', plugins: [singleVscodeNamespace, lazyLibraries] },
  ...Object.entries(LAZY_LIBRARIES).map(([name, contents]) => ({
    ...common,
    stdin: { contents, resolveDir: '.', loader: 'js', sourcefile: `lib-${name}.js` },
    outfile: `dist/lib/${name}.js`,
    charset: 'utf8',
  })),
  // The preview's script runs in the webview: a browser bundle with no Node or VS Code API.
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022', external: [] },
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
