// The `runbook` launcher (dist/cli.js, src/cli/launcher.ts) as a real process with stdin closed:
// it writes V8's code cache for the command's bundle on the first run and uses it on the next; a
// corrupt or foreign cache file is rejected and replaced; a cache folder that cannot be written,
// no home at all, or the opt-out give the same passing run; exit codes and signals pass through.
// What the cache did is read from RUNBOOKS_COMPILE_CACHE_DEBUG's lines on stderr and from the
// files in the cache folder, never from timings.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { makeTempDir, removeDir } from '../run/helpers';
import { buildCli, CLI, runCli, runIntoClosedPipe, type CliResult } from './runCli';

/** Node ≥ 22.1 uses its own compile cache (module.enableCompileCache), not the vm.Script one. */
const NODE_CACHE = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const SUFFIX = `-${process.version}-${process.arch}.bin`;

/** The cache files of this Node in `folder`. */
function cacheFiles(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder).filter((name) => name.startsWith('cli-') && name.endsWith(SUFFIX)) : [];
}

/** The launcher's debug lines, without the folder's path. */
function cacheLog(result: CliResult): string[] {
  return result.stderr
    .split('\n')
    .filter((line) => line.startsWith('runbook: compile cache: '))
    .map((line) => line.slice('runbook: compile cache: '.length).replace(/ \/.*$/, '').replace(/ \(.*\)$/, ''));
}

/** The run's output with its durations (the only part that differs between two runs) blanked. */
function stable(text: string): string {
  return text.replace(/\b\d+(\.\d+)?\s?(ms|s)\b/g, '<t>');
}

describe('the runbook launcher and its code cache (the CLI, stdin closed)', function () {
  this.timeout(60_000);
  let dir: string;
  let cache: string;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}, watchdogMs = 15_000) =>
    runCli(args, { cwd: dir, watchdogMs, env: { RUNBOOKS_COMPILE_CACHE_DIR: cache, RUNBOOKS_COMPILE_CACHE_DEBUG: '1', ...env } });
  const runOne = (env: NodeJS.ProcessEnv = {}) => run(['run', 'one.md', '--history', join(dir, 'h.jsonl')], env);

  before(() => buildCli());
  beforeEach(() => {
    dir = makeTempDir('runbook-cli-launcher-');
    cache = join(dir, 'cache');
    writeFileSync(join(dir, 'one.md'), '# One\n\n```bash {name=hello}\necho "hello from one"\n```\n');
  });
  afterEach(() => removeDir(dir));

  it('never reads or writes a cache in a folder others can write to (a cache there could be their code)', async function () {
    if (NODE_CACHE || process.platform === 'win32') this.skip();
    // A cache that works, made by a run of ours, then the folder opened to everyone.
    assert.equal((await runOne()).code, 0);
    const [file] = cacheFiles(cache);
    assert.ok(file);
    chmodSync(cache, 0o777);
    const open = await runOne();
    assert.equal(open.code, 0, open.stderr);
    assert.deepEqual(cacheLog(open), ['not used, as others can write to', 'none at', 'not written'], 'neither read nor written');
    chmodSync(cache, 0o700);
    assert.deepEqual(cacheLog(await runOne()), ['used'], 'the same cache, in a folder that is ours again, is used');
  });

  it('a short first run (a dry run, usage, --help) leaves the cache for the first real run to write', async () => {
    const dry = await run(['run', 'one.md', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    const usage = await run(['run', 'one.md', '--no-such-flag']);
    assert.equal(usage.code, 2);
    if (NODE_CACHE) return;
    assert.deepEqual(cacheFiles(cache), [], 'nothing written by a dry run or a usage error');
    assert.deepEqual(cacheLog(await runOne()), ['none at', 'wrote']);
    assert.equal(cacheFiles(cache).length, 1);
  });

  it('writes the cache after the first run, uses it on the second, and the output is the same as without it', async function () {
    const first = await runOne();
    assert.equal(first.code, 0, first.stderr);
    if (NODE_CACHE) {
      assert.deepEqual(cacheLog(first), ['node']);
      assert.ok(existsSync(join(cache, 'node')), "Node's own cache folder");
      this.skip();
    }
    assert.deepEqual(cacheLog(first), ['none at', 'wrote']);
    const files = cacheFiles(cache);
    assert.equal(files.length, 1, `one cache file: ${readdirSync(cache).join(', ')}`);
    assert.match(files[0], /^cli-run-main-[0-9a-f]{16}-v/, 'named by the subcommand, the file and the content hash the file ends with');
    const written = readFileSync(join(cache, files[0]));

    const second = await runOne();
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(cacheLog(second), ['used'], 'the cache is read and not written again');
    assert.ok(readFileSync(join(cache, files[0])).equals(written), 'the file is untouched');
    assert.deepEqual(readdirSync(cache), files, 'no temporary file left');

    const plain = await runOne({ RUNBOOKS_NO_COMPILE_CACHE: '1' });
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual(cacheLog(plain), ['off']);
    assert.match(second.stdout, /hello from one/);
    assert.equal(stable(second.stdout), stable(plain.stdout));
    assert.equal(stable(first.stdout), stable(plain.stdout));
  });

  it("keeps one cache per subcommand: what --help compiled does not stand in for a run's cache", async function () {
    if (NODE_CACHE) this.skip();
    const help = await run(['--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.deepEqual(cacheLog(help), ['none at', 'wrote']);
    const first = await runOne();
    assert.deepEqual(cacheLog(first), ['none at', 'wrote'], 'the run writes a cache of its own');
    const listed = await run(['list', dir]);
    // main.js and discovery's picomatch.
    assert.deepEqual(cacheLog(listed), ['none at', 'none at', 'wrote', 'wrote']);
    const names = cacheFiles(cache).map((name) => name.replace(/^cli-/, '').replace(/-[0-9a-f]{16}-v.*$/, '')).filter((name) => name.endsWith('-main')).sort();
    assert.deepEqual(names, ['list-main', 'other-main', 'run-main']);
    assert.deepEqual(cacheLog(await runOne()), ['used']);
    assert.deepEqual(cacheLog(await run(['--version'])), ['used'], '--version and --help share the cache of "other"');
  });

  it('a corrupt or foreign cache file is rejected and replaced, and the run still passes', async function () {
    if (NODE_CACHE) this.skip();
    await runOne();
    const [name] = cacheFiles(cache);
    const file = join(cache, name);
    const foreign = new Script('globalThis.somethingElse = 1;', { filename: 'other.js' });
    foreign.runInThisContext();
    for (const [what, bytes] of [
      ['corrupt', Buffer.from('not a V8 code cache at all, just text '.repeat(50))],
      ['truncated', readFileSync(file).subarray(0, 200)],
      ['foreign', foreign.createCachedData()],
    ] as const) {
      writeFileSync(file, bytes);
      const result = await runOne();
      assert.equal(result.code, 0, `${what}: ${result.stderr}`);
      assert.match(result.stdout, /hello from one/, what);
      assert.deepEqual(cacheLog(result), ['rejected', 'wrote'], what);
      assert.ok(!readFileSync(file).equals(bytes), `${what}: replaced`);
      const next = await runOne();
      assert.deepEqual(cacheLog(next), ['used'], `${what}: the replacement is used`);
    }
  });

  it("removes caches of other builds for this Node and abandoned temporary files, and leaves other Nodes' caches", async function () {
    if (NODE_CACHE) this.skip();
    mkdirSync(cache, { recursive: true });
    const oldBuild = `cli-run-main-0123456789abcdef${SUFFIX}`;
    const otherCommand = `cli-list-main-0123456789abcdef${SUFFIX}`;
    const otherNode = 'cli-run-main-0123456789abcdef-v0.0.1-x64.bin';
    const abandoned = `cli-run-main-0123456789abcdef${SUFFIX}.4242.tmp`;
    const writing = `cli-run-main-0123456789abcdef${SUFFIX}.4343.tmp`;
    writeFileSync(join(cache, oldBuild), 'old');
    writeFileSync(join(cache, otherCommand), 'list');
    writeFileSync(join(cache, otherNode), 'other');
    writeFileSync(join(cache, abandoned), 'half');
    utimesSync(join(cache, abandoned), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    writeFileSync(join(cache, writing), 'being written right now');
    const result = await runOne();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(existsSync(join(cache, oldBuild)), false, 'the old build’s cache is gone');
    assert.equal(existsSync(join(cache, otherNode)), true, 'another Node version’s cache stays');
    assert.equal(existsSync(join(cache, otherCommand)), true, 'another subcommand’s cache stays until that subcommand writes its own');
    assert.equal(existsSync(join(cache, abandoned)), false, 'a temporary file an hour old is gone');
    assert.equal(existsSync(join(cache, writing)), true, 'a fresh temporary file (another process writing) stays');
    assert.equal(cacheFiles(cache).length, 2);
  });

  it('a cache folder that cannot be written, a home that cannot hold one, or no home give the same passing run', async () => {
    const reference = await runOne({ RUNBOOKS_NO_COMPILE_CACHE: '1' });
    assert.equal(reference.code, 0, reference.stderr);
    writeFileSync(join(dir, 'a-file'), 'not a folder');
    const cases: Array<[string, NodeJS.ProcessEnv]> = [
      // mkdir fails with ENOTDIR, even for root.
      ['folder under a file', { RUNBOOKS_COMPILE_CACHE_DIR: join(dir, 'a-file', 'cache') }],
      // /proc refuses new folders, even for root: a read-only home.
      ['read-only home', { RUNBOOKS_COMPILE_CACHE_DIR: '', XDG_CACHE_HOME: '', HOME: '/proc/self' }],
      ['no home', { RUNBOOKS_COMPILE_CACHE_DIR: '', XDG_CACHE_HOME: '', HOME: '' }],
    ];
    for (const [what, env] of cases) {
      const result = await runOne(env);
      assert.equal(result.code, 0, `${what}: ${result.stderr}`);
      assert.equal(stable(result.stdout), stable(reference.stdout), what);
      const log = cacheLog(result);
      if (what === 'no home') assert.deepEqual(log, ['off'], what);
      else if (NODE_CACHE) assert.deepEqual(log, ['not written'], what);
      else assert.deepEqual(log, ['none at', 'not written'], what);
      // Nothing but the debug lines on stderr: the failure to write is not the user's problem.
      assert.equal(result.stderr.split('\n').filter((line) => line && !line.startsWith('runbook: compile cache: ')).length, 0, `${what}: ${result.stderr}`);
    }
  });

  it('a file without the content hash its build writes gets no cache (V8 would take one made for any text of its length)', async function () {
    if (NODE_CACHE) this.skip();
    const copy = join(dir, 'dist');
    cpSync(join(CLI, '..'), copy, { recursive: true, filter: (source) => !source.includes('compile-cache') });
    const main = join(copy, 'cli', 'main.js');
    const text = readFileSync(main, 'latin1');
    assert.match(text, /\n\/\/# runbooks-content-hash=[0-9a-f]{16}\n$/, 'the build ends the file with its hash');
    writeFileSync(main, text.replace(/\/\/# runbooks-content-hash=[0-9a-f]{16}\n$/, ''), 'latin1');
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveRun) => {
      const child = spawn(process.execPath, [join(copy, 'cli.js'), 'run', 'one.md', '--history', join(dir, 'h.jsonl')], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1', RUNBOOKS_COMPILE_CACHE_DIR: cache, RUNBOOKS_COMPILE_CACHE_DEBUG: '1' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolveRun({ code, stdout, stderr }));
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /hello from one/);
    assert.match(result.stderr, /compile cache: no content hash in .*main\.js/);
    assert.deepEqual(cacheFiles(cache), [], 'nothing written');
  });

  it('the opt-out loads the bundle with no cache and writes nothing', async () => {
    const result = await runOne({ RUNBOOKS_NO_COMPILE_CACHE: '1' });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(cacheLog(result), ['off']);
    assert.equal(existsSync(cache), false);
  });

  it('passes exit codes through, cached or not: 0, 1 for a failed step, 2 for bad usage, 130 for SIGINT and SIGTERM', async () => {
    writeFileSync(join(dir, 'fail.md'), '# Fail\n\n```bash {name=boom}\necho about to fail\nexit 7\n```\n');
    writeFileSync(join(dir, 'slow.md'), '# Slow\n\n```bash {name=wait}\necho "started $$"\nsleep 30\n```\n');
    for (const env of [{}, {}, { RUNBOOKS_NO_COMPILE_CACHE: '1' }]) {
      assert.equal((await run(['--version'], env)).code, 0);
      assert.equal((await run([], env)).code, 2, 'no command is a usage error');
      const unknown = await run(['frobnicate'], env);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /unknown command "frobnicate"/);
      const failed = await run(['run', 'fail.md', '--history', join(dir, 'h.jsonl')], env);
      assert.equal(failed.code, 1, failed.stdout + failed.stderr);
      assert.match(failed.stdout, /about to fail/);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const stopped = await runCli(['run', 'slow.md', '--history', join(dir, 'h.jsonl')], {
          cwd: dir,
          watchdogMs: 20_000,
          env: { RUNBOOKS_COMPILE_CACHE_DIR: cache, ...env },
          started: (child) => {
            let sent = false;
            child.stdout?.on('data', (chunk: Buffer) => {
              if (!sent && /started \d+/.test(String(chunk))) {
                sent = true;
                child.kill(signal);
              }
            });
          },
        });
        assert.equal(stopped.hung, false, `${signal}: the watchdog had to kill it`);
        assert.equal(stopped.code, 130, `${signal}: ${stopped.stdout}${stopped.stderr}`);
      }
    }
  });

  it('output into a pipe that closed is dropped quietly through the launcher too: no EPIPE stack trace', async () => {
    await runOne();
    for (const args of [['list', dir], ['run', 'one.md', '--dry-run']]) {
      const { code, stderr } = await runIntoClosedPipe(args, { cwd: dir, env: { RUNBOOKS_COMPILE_CACHE_DIR: cache } });
      assert.equal(code, 0, `${args[0]}: ${stderr}`);
      assert.doesNotMatch(stderr, /EPIPE|at .*\.js:\d+/, args[0]);
    }
  });

  it('the bundle still runs on its own (`require.main === module`), and the libraries it loads lazily are found and cached', async () => {
    const direct = await new Promise<{ code: number | null; stdout: string }>((resolveRun) => {
      const child = spawn(process.execPath, [join(CLI, '..', 'cli', 'main.js'), '--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.on('close', (code) => resolveRun({ code, stdout }));
    });
    assert.equal(direct.code, 0);
    assert.match(direct.stdout, /^\d+\.\d+\.\d+\n$/);
    // Front matter (yaml) and discovery's globs (picomatch) come from their own files beside main.js.
    mkdirSync(join(dir, 'runbooks'));
    writeFileSync(join(dir, 'runbooks', 'inputs.md'), '---\ninputs:\n  NAME: { default: web }\n---\n# Inputs\n\n```bash {name=greet}\necho "hi $NAME"\n```\n');
    const listed = await run(['list', dir]);
    assert.equal(listed.code, 0, listed.stderr);
    const { runbooks } = JSON.parse(listed.stdout) as { runbooks: Array<{ path: string; inputs: Array<{ name: string }> }> };
    assert.deepEqual(runbooks.map((r) => [r.path, r.inputs.map((i) => i.name)]), [['runbooks/inputs.md', ['NAME']]]);
    const ran = await run(['run', join(dir, 'runbooks', 'inputs.md'), '--history', join(dir, 'h.jsonl')]);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /hi web/);
    if (NODE_CACHE) return;
    // The front matter's yaml library got a cache of its own, used by the next run with front matter.
    assert.deepEqual(cacheLog(ran), ['none at', 'none at', 'wrote', 'wrote'], ran.stderr);
    assert.ok(cacheFiles(cache).some((name) => name.startsWith('cli-run-yaml-')), cacheFiles(cache).join(', '));
    const again = await run(['run', join(dir, 'runbooks', 'inputs.md'), '--history', join(dir, 'h.jsonl')]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /hi web/);
    assert.deepEqual(cacheLog(again), ['used', 'used']);
  });
});
