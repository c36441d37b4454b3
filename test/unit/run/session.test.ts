// Sessions: exports and `cd` carry over between the shell steps of one runbook, reset clears
// them, inputs win over them, and steps run one at a time in the order they were asked for.

import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunbookSession } from '../../../src/core/run/runbookSession';
import type { StepResult } from '../../../src/core/run/types';
import type { Runbook } from '../../../src/core/runbook';
import { assertPassed, describeResult, fence, makeTempDir, md, removeDir, runbookIn, stepNamed } from './helpers';

describe('RunbookSession: shell session carry-over and ordering', () => {
  let dir: string;
  let session: RunbookSession;
  beforeEach(() => {
    dir = makeTempDir();
    session = new RunbookSession();
  });
  afterEach(async () => {
    await session.dispose();
    removeDir(dir);
  });

  const env = () => ({ PATH: process.env.PATH, HOME: process.env.HOME });
  function run(runbook: Runbook, name: string, values: Record<string, string> = {}): Promise<StepResult> {
    return session.run({ runbook, step: stepNamed(runbook, name), values, baseEnv: env() });
  }
  async function runPassing(runbook: Runbook, name: string, values: Record<string, string> = {}): Promise<StepResult> {
    const result = await run(runbook, name, values);
    assertPassed(result);
    return result;
  }

  it('carries exported variables and the directory to the next shell step', async () => {
    mkdirSync(join(dir, 'work dir'));
    const runbook = runbookIn(
      dir,
      md(fence('bash {name=one}', 'export FOO=bar', "cd 'work dir'", 'LOCAL_ONLY=1'), '', fence('bash {name=two}', 'echo "FOO=$FOO local=${LOCAL_ONLY:-unset}"', 'pwd')),
    );
    await runPassing(runbook, 'one');
    const two = await runPassing(runbook, 'two');
    assert.equal(two.output, `FOO=bar local=unset\n${join(dir, 'work dir')}\n`);
    assert.equal(session.shellSession.variables.get('FOO'), 'bar');
    assert.equal(session.shellSession.cwd, join(dir, 'work dir'));
  });

  it('does not ask for a variable an earlier step exported', async () => {
    const runbook = runbookIn(dir, md(fence('bash {name=one}', 'export CLUSTER_XYZ=east'), '', fence('bash {name=two}', 'echo "$CLUSTER_XYZ"')));
    const early = await run(runbook, 'two');
    assert.equal(early.notStarted, true, 'without the export the variable is an implicit input');
    assert.match(early.message ?? '', /\$CLUSTER_XYZ/);
    await runPassing(runbook, 'one');
    assert.equal((await runPassing(runbook, 'two')).output, 'east\n');
  });

  it('keeps values with newlines, spaces and `=` intact', async () => {
    const runbook = runbookIn(dir, md(fence('bash {name=one}', `export MULTI=$'line 1\\nline=2\\n'`), '', fence('bash {name=two}', 'printf "[%s]" "$MULTI"')));
    await runPassing(runbook, 'one');
    assert.equal((await runPassing(runbook, 'two')).output, '[line 1\nline=2\n]');
  });

  it('gives python and node steps the exported variables and the directory', async () => {
    mkdirSync(join(dir, 'sub'));
    const runbook = runbookIn(
      dir,
      md(
        fence('bash {name=one}', 'export FOO=bar', 'cd sub'),
        '',
        fence('python {name=py}', 'import os', 'print(os.environ.get("FOO"), os.getcwd())'),
        '',
        fence('node {name=js}', 'console.log(process.env.FOO, process.cwd())'),
      ),
    );
    await runPassing(runbook, 'one');
    assert.equal((await runPassing(runbook, 'py')).output, `bar ${join(dir, 'sub')}\n`);
    assert.equal((await runPassing(runbook, 'js')).output, `bar ${join(dir, 'sub')}\n`);
  });

  it('carries `unset` over, also of a variable from the base environment', async () => {
    const runbook = runbookIn(
      dir,
      md(
        fence('bash {name=set}', 'export FOO=bar'),
        '',
        fence('bash {name=unset}', 'unset FOO BASE_VAR_XYZ'),
        '',
        fence('bash {name=show}', 'echo "FOO=${FOO-none} BASE=${BASE_VAR_XYZ-none}"'),
      ),
    );
    const withBase = (name: string) => session.run({ runbook, step: stepNamed(runbook, name), values: {}, baseEnv: { ...env(), BASE_VAR_XYZ: 'base' } });
    assertPassed(await withBase('set'));
    assert.equal((await withBase('show')).output, 'FOO=bar BASE=base\n');
    assertPassed(await withBase('unset'));
    assert.equal((await withBase('show')).output, 'FOO=none BASE=none\n');
    assert.equal(session.shellSession.has('FOO'), false);
  });

  it('reset() clears exported variables and the directory', async () => {
    mkdirSync(join(dir, 'sub'));
    const runbook = runbookIn(dir, md(fence('bash {name=one}', 'export FOO=bar', 'cd sub'), '', fence('bash {name=two}', 'echo "FOO=${FOO-none}"', 'pwd')));
    await runPassing(runbook, 'one');
    session.reset();
    const two = await runPassing(runbook, 'two');
    assert.equal(two.output, `FOO=none\n${dir}\n`);
  });

  it('lets inputs win over session values', async () => {
    const runbook = runbookIn(
      dir,
      md('---', 'inputs:', '  NAMESPACE: { default: payments }', '---', '', fence('bash {name=one}', 'export NAMESPACE=from-session FOO=session'), '', fence('bash {name=two}', 'echo "$NAMESPACE $FOO"')),
    );
    await runPassing(runbook, 'one');
    assert.equal((await runPassing(runbook, 'two')).output, 'payments session\n');
    assert.equal((await runPassing(runbook, 'two', { NAMESPACE: 'given', FOO: 'value' })).output, 'given value\n');
  });

  it('saves the session when a step fails, and keeps its exit code', async () => {
    const runbook = runbookIn(dir, md(fence('bash {name=one}', 'export FOO=bar', 'exit 3'), '', fence('bash {name=two}', 'echo "$FOO"')));
    const one = await run(runbook, 'one');
    assert.equal(one.status, 'failed', describeResult(one));
    assert.equal(one.exitCode, 3);
    assert.equal((await runPassing(runbook, 'two')).output, 'bar\n');
  });

  it('keeps errexit and pipefail in a session, and {errexit=false} turns them off', async () => {
    const runbook = runbookIn(
      dir,
      md(fence('bash {name=strict}', 'false | true', 'echo x'), '', fence('bash {name=lax errexit=false}', 'false', 'false | true', 'echo "x $?"')),
    );
    const strict = await run(runbook, 'strict');
    assert.equal(strict.status, 'failed');
    assert.equal(strict.output, '');
    assert.equal((await runPassing(runbook, 'lax')).output, 'x 0\n');
  });

  it('does not leak its own machinery into the session or the output', async () => {
    const runbook = runbookIn(dir, md(fence('bash {name=one}', 'echo hi'), '', fence('bash {name=two}', 'env | grep -c __runbook_ || true', 'trap -p EXIT | wc -l')));
    assert.equal((await runPassing(runbook, 'one')).output, 'hi\n');
    const two = await runPassing(runbook, 'two');
    assert.match(two.output, /^0\n/);
    assert.deepEqual([...session.shellSession.variables.keys()].filter((k) => k.startsWith('__runbook')), []);
  });

  it("does not carry a step's own {cwd} over to the steps after it", async () => {
    mkdirSync(join(dir, 'k8s'));
    const runbook = runbookIn(dir, md(fence('bash {name=one cwd=k8s}', 'pwd'), '', fence('bash {name=two}', 'pwd')));
    assert.equal((await runPassing(runbook, 'one')).output, `${join(dir, 'k8s')}\n`);
    assert.equal((await runPassing(runbook, 'two')).output, `${dir}\n`);
  });

  it('carries the directory a step with {cwd} changed into', async () => {
    mkdirSync(join(dir, 'k8s', 'overlays'), { recursive: true });
    const runbook = runbookIn(dir, md(fence('bash {name=one cwd=k8s}', 'cd overlays'), '', fence('bash {name=two}', 'pwd'), '', fence('bash {name=three cwd=.}', 'pwd')));
    await runPassing(runbook, 'one');
    assert.equal((await runPassing(runbook, 'two')).output, `${join(dir, 'k8s', 'overlays')}\n`);
    assert.equal((await runPassing(runbook, 'three')).output, `${dir}\n`, 'a step’s own cwd wins over the session');
    assert.equal((await runPassing(runbook, 'two')).output, `${join(dir, 'k8s', 'overlays')}\n`);
  });

  it('runs steps one at a time, in the order they were queued', async () => {
    const log = join(dir, 'log');
    const runbook = runbookIn(
      dir,
      md(
        fence('bash {name=slow}', `echo "slow start $(date +%s%N)" >> '${log}'`, 'sleep 0.4', `echo "slow end $(date +%s%N)" >> '${log}'`),
        '',
        fence('python {name=fast}', 'import time', `open(${JSON.stringify(log)}, "a").write(f"fast start {time.time_ns()}\\n")`),
        '',
        fence('bash {name=last}', `echo "last start $(date +%s%N)" >> '${log}'`),
      ),
    );
    const results = await Promise.all([run(runbook, 'slow'), run(runbook, 'fast'), run(runbook, 'last')]);
    for (const result of results) assertPassed(result);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((line) => line.split(' '));
    assert.deepEqual(lines.map(([name, what]) => `${name} ${what}`), ['slow start', 'slow end', 'fast start', 'last start']);
    const times = lines.map(([, , ns]) => BigInt(ns));
    for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1], `line ${i} is earlier than the line before`);
    assert.ok(times[2] - times[0] >= 400_000_000n, 'the second step started before the first one finished');
    assert.ok(results[1].startedAt >= results[0].startedAt + results[0].durationMs);
  });

  it('runs the next step after one that could not start', async () => {
    const runbook = runbookIn(dir, md(fence('bash {name=bad cwd=nope}', 'echo no'), '', fence('bash {name=good}', 'echo yes')));
    const [bad, good] = await Promise.all([run(runbook, 'bad'), run(runbook, 'good')]);
    assert.equal(bad.notStarted, true);
    assert.equal(good.output, 'yes\n');
  });
});
