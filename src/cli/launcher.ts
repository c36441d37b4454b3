// The `runbook` command's entry point (dist/cli.js, the package's `bin`): it loads the command
// itself, dist/cli/main.js, through V8's code cache, so that a cold start does not compile the
// bundle again each time (≈ 50 ms of a `runbook run` on a slow machine). On Node ≥ 22.1 that is
// Node's own `module.enableCompileCache()`; on Node 20 the bundle is compiled with `vm.Script` and
// the cache V8 gives for it is written after the command finished, so the functions the command
// compiled on the way are in it too (a cache made right after compiling holds little more than the
// top level); the libraries of dist/cli/ that main.js requires go the same way. One cache per
// subcommand and file (a cache written by `runbook --help` holds almost nothing of what `runbook
// run` compiles, and would be used, not rewritten, by every run after it), named
// cli-<subcommand>-<file>-<content hash>-<node version>-<arch>.bin, the hash being the one the
// build wrote as the file's last line. The cache is an optimisation only: a missing, corrupt or
// foreign cache file, or a folder that cannot be written, gives the same run as no cache at all.
//
// Kept small (Node's fs, module, path and vm, and the subcommands' names): this file is compiled
// without a cache on every start.
//
//   RUNBOOKS_NO_COMPILE_CACHE=1            load the bundle as a plain `require`, no cache (any
//                                          value but empty or 0)
//   RUNBOOKS_COMPILE_CACHE_DIR=DIR         the cache folder (default: $XDG_CACHE_HOME, else
//                                          ~/.cache, + executable-runbooks/compile-cache)
//   RUNBOOKS_COMPILE_CACHE_DEBUG=1         say on stderr what the cache did (for tests and bench)

import { lstatSync, mkdirSync, type Stats, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import * as vm from 'node:vm';
import { COMMAND_NAMES } from './commandNames';

/** Node's CommonJS internals the launcher uses to load the bundle as Node would. */
interface ModuleInternals {
  _nodeModulePaths(from: string): string[];
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: unknown): string[] | null;
  _cache: Record<string, unknown>;
  _extensions: Record<string, unknown>;
  wrap(source: string): string;
  enableCompileCache?: (directory?: string) => unknown;
}

/** The folder of the command's files, and the file that is the command. */
const LIBRARIES = join(__dirname, 'cli');
const BUNDLE = join(LIBRARIES, 'main.js');
const CACHE_PREFIX = 'cli-';
/**
 * The last line scripts/cliBuild.mjs writes in each file: the hash of the rest of it. A cache is
 * named by it, as V8 itself checks no more than the length of the source it is given.
 */
const CONTENT_HASH = /\/\/# runbooks-content-hash=([0-9a-f]{16})\n$/;
const env = process.env;
const debug = env.RUNBOOKS_COMPILE_CACHE_DEBUG === '1' ? (text: string) => process.stderr.write(`runbook: compile cache: ${text}\n`) : undefined;

/** The per-user cache folder, or undefined when there is no home to put it in. */
function cacheFolder(): string | undefined {
  if (env.RUNBOOKS_COMPILE_CACHE_DIR) return env.RUNBOOKS_COMPILE_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : undefined);
  return base ? join(base, 'executable-runbooks', 'compile-cache') : undefined;
}

/** A module object for the bundle, made the main module so its `require.main === module` holds. */
function bundleModule(): Module {
  const internals = Module as unknown as ModuleInternals;
  const bundle = new Module(BUNDLE, module);
  bundle.filename = BUNDLE;
  bundle.paths = internals._nodeModulePaths(dirname(BUNDLE));
  internals._cache[BUNDLE] = bundle;
  process.mainModule = bundle;
  return bundle;
}

/** Loads the bundle the way Node loads any CommonJS file (no cache of ours). */
function requireBundle(): void {
  const bundle = bundleModule() as Module & { load(filename: string): void };
  bundle.load(BUNDLE);
}

/**
 * Makes `folder` and its missing parents. Not `mkdirSync(…, { recursive: true })`: Node 20's loops
 * for ever where mkdir says ENOENT under a parent that exists (a home in /proc, for one).
 */
function makeFolder(folder: string): void {
  const missing: string[] = [];
  for (let current = folder; ; current = dirname(current)) {
    try {
      mkdirSync(current, 0o700);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') break;
      if (code !== 'ENOENT' || dirname(current) === current) throw error;
      missing.push(current);
    }
  }
  // Created from the top down; one that cannot be made throws, which ends the attempt.
  for (const path of missing.reverse()) mkdirSync(path, 0o700);
}

/**
 * True when only this user can change what is in `folder`: a folder (not a link to one) owned by
 * this user that no group or other user may write to. V8 does not check a cache's contents, so a
 * cache someone else could plant (a HOME or XDG_CACHE_HOME under /tmp, a shared folder given as
 * RUNBOOKS_COMPILE_CACHE_DIR) would be their code run as ours: such a folder is not used.
 */
function onlyOurs(folder: string): boolean {
  const stats = statOf(folder);
  if (!stats?.isDirectory()) return false;
  if (process.platform === 'win32') return true;
  return stats.uid === process.getuid?.() && (stats.mode & 0o022) === 0;
}

/** The folder's own entry (a link is not followed), or undefined when there is none (or a file is where a folder of its path should be). */
function statOf(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** A run of a subcommand that compiles little of what it does (usage, its help, a dry run) does not write the cache its later runs would use. */
function isShortRun(code: number): boolean {
  return code === 2 || process.argv.slice(2).some((argument) => argument === '--help' || argument === '-h' || argument === '--version' || argument === '--dry-run');
}

/**
 * Writes `data` to `file` whole or not at all (temporary file, then rename), and removes the caches
 * of other contents of the same file (`kind`: `cli-<command>-<file>-`) for this Node.
 */
function writeCache(folder: string, file: string, kind: string, data: Buffer): void {
  makeFolder(folder);
  if (!onlyOurs(folder)) throw Object.assign(new Error(`${folder} can be written by others`), { code: 'EUNSAFE' });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    // wx: a file (or link) already there under this name is not written through.
    writeFileSync(temporary, data, { flag: 'wx', mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // It was never written.
    }
    throw error;
  }
  // Caches of other builds of the file for this Node can never be used again.
  const suffix = `-${process.version}-${process.arch}.bin`;
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(CACHE_PREFIX)) continue;
    try {
      const old = name.startsWith(kind) && name.endsWith(suffix) && join(folder, name) !== file;
      // A temporary file left by a process killed while it wrote (a live one writes for milliseconds).
      const abandoned = name.endsWith('.tmp') && Date.now() - (statSync(join(folder, name), { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 60_000;
      if (old || abandoned) unlinkSync(join(folder, name));
    } catch {
      // Another process removed it first.
    }
  }
}

type ModuleWrapper = (this: unknown, exports: unknown, require: unknown, module: Module, filename: string, dirname: string) => void;

/** A `require` for `owner`, as Node's loader makes one (the bundle's `require.main` is itself). */
function requireFor(owner: Module): NodeJS.Require {
  const internals = Module as unknown as ModuleInternals;
  return Object.assign((id: string) => owner.require(id), {
    resolve: Object.assign((request: string, options?: unknown) => internals._resolveFilename(request, owner, false, options), {
      paths: (request: string) => internals._resolveLookupPaths(request, owner),
    }),
    main: process.mainModule,
    cache: internals._cache,
    extensions: internals._extensions,
  }) as unknown as NodeJS.Require;
}

/**
 * Node 20: compiles main.js, and each library of dist/cli/ that it requires, with V8's cached data
 * from `folder`, and writes the cache of each file that had none it could use once the command
 * has finished.
 */
function runWithCodeCache(folder: string): void {
  const argument = process.argv[2];
  const command = (COMMAND_NAMES as readonly string[]).includes(argument) ? argument : 'other';
  const toWrite: Array<{ file: string; kind: string; script: vm.Script }> = [];
  const importModuleDynamically = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;

  /** Runs one file of dist/cli/ as `owner`'s code, through its cache. */
  const load = (owner: Module, filename: string) => {
    // The build writes these files in ASCII only (scripts/cliBuild.mjs): latin1 reads them as they are.
    const source = readFileSync(filename, 'latin1');
    const hash = CONTENT_HASH.exec(source.slice(-64))?.[1];
    const kind = `${CACHE_PREFIX}${command}-${filename.slice(LIBRARIES.length + 1, -'.js'.length)}-`;
    const file = hash ? join(folder, `${kind}${hash}-${process.version}-${process.arch}.bin`) : undefined;
    let cachedData: Buffer | undefined;
    try {
      if (file && trusted) cachedData = readFileSync(file);
    } catch {
      // No cache yet (or unreadable): compile from the source, as without one.
    }
    const script = new vm.Script((Module as unknown as ModuleInternals).wrap(source), {
      filename,
      cachedData,
      ...(importModuleDynamically ? { importModuleDynamically: importModuleDynamically as never } : {}),
    });
    const usable = cachedData !== undefined && !script.cachedDataRejected;
    debug?.(!file ? `no content hash in ${filename}` : usable ? `used ${file}` : cachedData ? `rejected ${file}` : `none at ${file}`);
    // Written after the command, so that what it compiled lazily is in the cache too.
    if (file && !usable) toWrite.push({ file, kind, script });
    (script.runInThisContext() as ModuleWrapper).call(owner.exports, owner.exports, requireFor(owner), owner, filename, dirname(filename));
  };

  // A folder not made yet holds no cache; one that others can write to is not read (nor written).
  const trusted = onlyOurs(folder);
  if (!trusted && statOf(folder)) debug?.(`not used, as others can write to ${folder}`);
  process.once('exit', (code) => {
    // `runbook --help` and `--version` are all the "other" cache is for: written by them.
    if (command !== 'other' && isShortRun(code)) return;
    for (const { file, kind, script } of toWrite) {
      try {
        writeCache(folder, file, kind, script.createCachedData());
        debug?.(`wrote ${file}`);
      } catch (error) {
        debug?.(`not written (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
        return;
      }
    }
  });

  // The libraries main.js requires (yaml, picomatch …) come through the cache too; any other file
  // (Node's own loader for everything outside dist/cli/, and dist/cli/lib/) as Node loads it.
  const extensions = (Module as unknown as { _extensions: Record<string, (module: Module, filename: string) => void> })._extensions;
  const plain = extensions['.js'];
  extensions['.js'] = function loadJs(module: Module, filename: string) {
    if (dirname(filename) === LIBRARIES && filename !== BUNDLE) load(module, filename);
    else plain.call(this, module, filename);
  };

  const bundle = bundleModule();
  load(bundle, BUNDLE);
  bundle.loaded = true;
}

function launch(): void {
  const optedOut = env.RUNBOOKS_NO_COMPILE_CACHE !== undefined && env.RUNBOOKS_NO_COMPILE_CACHE !== '' && env.RUNBOOKS_NO_COMPILE_CACHE !== '0';
  const folder = optedOut ? undefined : cacheFolder();
  // Source maps (--enable-source-maps) are registered by Node's own loader only.
  const sourceMaps = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true;
  if (folder === undefined || sourceMaps) {
    debug?.('off');
    requireBundle();
    return;
  }
  const enableCompileCache = (Module as unknown as ModuleInternals).enableCompileCache;
  if (enableCompileCache) {
    // Node ≥ 22.1 keeps its own cache, keyed by the file's content. The folder is made here first:
    // Node makes it with the same recursive mkdir that can loop for ever (makeFolder says where).
    try {
      makeFolder(join(folder, 'node'));
      if (!onlyOurs(folder) || !onlyOurs(join(folder, 'node'))) throw Object.assign(new Error('can be written by others'), { code: 'EUNSAFE' });
      enableCompileCache(join(folder, 'node'));
      debug?.('node');
    } catch (error) {
      // A cache that cannot be set up is no cache.
      debug?.(`not written (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    requireBundle();
    return;
  }
  runWithCodeCache(folder);
}

launch();
