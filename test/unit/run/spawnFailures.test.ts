// Nothing hangs: a value no process can receive (a NUL byte, a variable over the kernel's 128 KiB
// limit, an environment too large for the system), a code file that cannot be written, a session
// folder removed underneath: each ends the step at once as failed and not started, with the reason,
// and the steps queued after it still run.

import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { RunbookSession } from '../../../src/core/run/runbookSession';
import { runStep } from '../../../src/core/run/stepRunner';
import type { StepResult } from '../../../src/core/run/types';
import { assertPassed, describeResult, fence, makeTempDir, md, removeDir, runbookIn, runOnly, stepNamed } from './helpers';

describe('runStep: failures before the process exists never hang', function () {
  // Before the fix these waited forever for an exit event; a bounded timeout makes that a failure.
  this.timeout(10_000);
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  function assertRefused(result: StepResult, message: RegExp): void {
    assert.equal(result.status, 'failed', describeResult(result));
    assert.equal(result.notStarted, true, describeResult(result));
    assert.match(result.message ?? '', message);
    assert.equal(result.output, '');
  }

  it('refuses a value with a NUL byte, naming the variable, and runs the next queued step', async () => {
    const runbook = runbookIn(dir, md(fence('bash {name=one}', 'echo one'), '', fence('bash {name=two}', 'echo two')));
    const session = new RunbookSession();
    try {
      const one = session.run({ runbook, step: stepNamed(runbook, 'one'), values: { EXTRA_NUL: 'a\0b' } });
      const two = session.run({ runbook, step: stepNamed(runbook, 'two'), values: {} });
      // The one value check (stepValueProblems) refuses it before anything is spawned.
      assertRefused(await one, /EXTRA_NUL: the value contains a NUL character/);
      assert.equal((await two).output, 'two\n');
    } finally {
      await session.dispose();
    }
  });

  it('refuses a variable over the value limit with its name and the limit, never its value', async () => {
    const big = 'v'.repeat(200 * 1024);
    const result = await runOnly(runbookIn(dir, fence('bash', 'echo never')), { values: { HUGE_VALUE: big }, secrets: [] });
    assertRefused(result, /HUGE_VALUE: the value is too long \(more than 64 KiB\)/);
    assert.ok(!result.message!.includes('vvvv'));
  });

  it('fails at once when the environment as a whole is too large for the system (E2BIG from the spawn)', async () => {
    // 40 variables of 100 KiB each: every one is under the per-variable limit, together over ARG_MAX.
    const baseEnv: Record<string, string> = { PATH: process.env.PATH ?? '' };
    for (let i = 0; i < 40; i++) baseEnv[`BIG_${i}`] = 'x'.repeat(100 * 1024);
    const runbook = runbookIn(dir, md(fence('bash {name=one}', 'echo never'), '', fence('bash {name=two}', 'echo two')));
    const session = new RunbookSession();
    try {
      const one = session.run({ runbook, step: stepNamed(runbook, 'one'), values: {}, baseEnv });
      const two = session.run({ runbook, step: stepNamed(runbook, 'two'), values: {} });
      assertRefused(await one, /^Could not start bash: E2BIG/);
      assert.equal((await two).output, 'two\n');
    } finally {
      await session.dispose();
    }
  });

  it('says so when a step exported more than a program can receive, and the next step still runs', async () => {
    const runbook = runbookIn(dir, md(fence('bash {name=big}', 'export BIG="$(head -c 200000 /dev/zero | tr \'\\0\' x)"', 'export SMALL=1'), '', fence('bash {name=after}', 'echo "after ${BIG:-no-big}"')));
    const session = new RunbookSession();
    try {
      const big = await session.run({ runbook, step: stepNamed(runbook, 'big'), values: {} });
      assertPassed(big);
      assert.match(big.warnings?.join(' ') ?? '', /exported variables were not carried over.*too large/);
      assert.match(big.message ?? '', /not carried over/);
      const after = await session.run({ runbook, step: stepNamed(runbook, 'after'), values: {} });
      assertPassed(after);
      assert.equal(after.output, 'after no-big\n');
    } finally {
      await session.dispose();
    }
  });

  it('fails with the reason when the code file cannot be written', async () => {
    const saved = process.env.TMPDIR;
    // A temporary folder under a file: every write there fails with ENOTDIR, even for root.
    process.env.TMPDIR = '/dev/null/runbook';
    try {
      const result = await runOnly(runbookIn(dir, fence('python', 'print(1)')));
      assertRefused(result, /^Could not write the step's code to \/dev\/null\/runbook\/.*ENOTDIR/);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('makes a new session folder when something removed it, and runs the step', async () => {
    const runbook = runbookIn(dir, md(fence('bash {name=one}', 'export KEPT=yes'), '', fence('bash {name=two}', 'echo "kept=$KEPT"')));
    const session = new RunbookSession();
    try {
      assertPassed(await session.run({ runbook, step: stepNamed(runbook, 'one'), values: {} }));
      rmSync(await session.shellSession.folder(), { recursive: true, force: true });
      const two = await session.run({ runbook, step: stepNamed(runbook, 'two'), values: {} });
      assertPassed(two);
      assert.equal(two.output, 'kept=yes\n');
    } finally {
      await session.dispose();
    }
  });

  it('never rejects, whatever it is given', async () => {
    const runbook = runbookIn(dir, fence('bash', 'echo hi'));
    const broken = { ...runbook.steps[0], attributes: undefined as never };
    const result = await runStep({ runbook, step: broken, values: {} });
    assert.equal(result.status, 'failed');
    assert.equal(result.notStarted, true);
    assert.match(result.message ?? '', /could not run/);
  });

  it('caps a timeout beyond setTimeout\'s limit instead of firing at once', async () => {
    const result = await runOnly(runbookIn(dir, fence('bash', 'sleep 0.3', 'echo slept')), { defaultTimeoutMs: 600 * 3_600_000 });
    assertPassed(result);
    assert.equal(result.output, 'slept\n');
  });
});
