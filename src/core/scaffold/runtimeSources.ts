// The source texts of the modules every generated script embeds (runtimeModules.json, paths from
// src/core), for the generator. From source (the unit tests run TypeScript through tsx) they are
// read from the files beside this one. In an esbuild bundle (dist/extension.js, dist/cli.js) there
// are no sources to read, so the build's plugin (scripts/scaffoldRuntimePlugin.mjs) replaces this
// module with one that loads the same texts from dist/lib/scaffold-runtime.js, which the build
// writes from the same files: the texts stay out of the bundle read at activation (they load on the
// first Extract Steps to Script), ship through the package's existing dist/lib/*.js allow-list, and
// cannot differ from the tested sources. test/unit/scaffold/bundle.test.ts bundles the generator
// that way and checks it writes the same scripts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import modules from './runtimeModules.json';

/** The embedded modules in the order a script holds them, as paths from src/core. */
export const RUNTIME_MODULES: readonly string[] = modules;

/** The text of one embedded module, as the file holds it. */
export function runtimeSource(module: string): string {
  return readFileSync(join(__dirname, '..', module), 'utf8');
}
