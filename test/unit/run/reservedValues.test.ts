// Values for variables that steer a program (BASH_ENV, NODE_OPTIONS, PYTHONPATH, LD_PRELOAD) never
// run hidden code: each is given a real hook that touches a marker file when it runs (checked first
// by starting the program directly with it), then given to a real step as a value passed in and as
// a declared input's default, outside a session and in one. The step is refused before it starts
// (src/core/runbook/stepValues.ts), with the reason, and no marker appears.

import { strict as assert } from 'node:assert';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunbook, type InputSpec, type Runbook } from '../../../src/core/runbook';
import { RunbookSession } from '../../../src/core/run/runbookSession';
import type { StepResult } from '../../../src/core/run/types';
import { assertPassed, describeResult, fence, makeTempDir, md, removeDir, runbookIn, runOnly } from './helpers';
import { assertHooksWork, cleanEnv, writeHooks, type Hooked } from './reservedHooks';

/** `runbook` with a declared input `name` whose default is `value`, as a model built outside the parser would have it. */
function withDeclaredDefault(runbook: Runbook, name: string, value: string): Runbook {
  const spec: InputSpec = { name, type: 'string', default: value, secret: false, required: false, line: 1 };
  return { ...runbook, inputs: [...runbook.inputs, spec] };
}

describe('runStep: values for reserved variables never run hidden code', function () {
  this.timeout(60_000);
  let dir: string;
  let hooks: Hooked[];
  before(() => {
    dir = makeTempDir();
    hooks = writeHooks(dir);
    assertHooksWork(hooks);
  });
  // Each test starts with no marker, so one that fails does not fail the next.
  beforeEach(() => {
    for (const hook of hooks) rmSync(hook.marker, { force: true });
  });
  after(() => removeDir(dir));

  it('has a working hook for every variable under test (LD_PRELOAD needs gcc)', function () {
    const names = hooks.map((hook) => hook.name);
    if (!names.includes('LD_PRELOAD')) this.skip();
    assert.deepEqual(names, ['BASH_ENV', 'NODE_OPTIONS', 'PYTHONPATH', 'LD_PRELOAD']);
  });

  function assertRefused(hook: Hooked, result: StepResult, started: boolean): void {
    assert.equal(result.status, 'failed', describeResult(result));
    assert.equal(result.notStarted, true, describeResult(result));
    assert.equal(started, false, 'the step was started');
    assert.equal(result.output, '');
    assert.match(result.message ?? '', new RegExp(`^${hook.name} cannot be set by a runbook value because `));
    assert.equal(existsSync(hook.marker), false, `${hook.name}: the hook ran`);
  }

  const ways: Array<{ how: string; setUp: (runbook: Runbook, hook: Hooked) => { runbook: Runbook; values: Record<string, string> } }> = [
    { how: 'a value passed in', setUp: (runbook, hook) => ({ runbook, values: { [hook.name]: hook.value } }) },
    { how: "a declared input's default", setUp: (runbook, hook) => ({ runbook: withDeclaredDefault(runbook, hook.name, hook.value), values: {} }) },
  ];

  for (const way of ways) {
    it(`refuses a step given ${way.how} for BASH_ENV, NODE_OPTIONS, PYTHONPATH or LD_PRELOAD, outside a session`, async () => {
      for (const hook of hooks) {
        const { runbook, values } = way.setUp(runbookIn(dir, fence(hook.info, hook.code)), hook);
        let started = false;
        const result = await runOnly(runbook, { values, baseEnv: cleanEnv(), onStart: () => (started = true) });
        assertRefused(hook, result, started);
      }
    });

    it(`refuses a step given ${way.how} for each of them in a session, and the next step runs without it`, async () => {
      for (const hook of hooks) {
        const session = new RunbookSession();
        try {
          const plain = runbookIn(dir, md(fence(`${hook.info} {name=hooked}`, hook.code), '', fence('bash {name=after}', 'echo "after ${BASH_ENV-unset} ${LD_PRELOAD-unset}"')));
          const { runbook, values } = way.setUp(plain, hook);
          let started = false;
          const [hooked, after] = runbook.steps;
          const result = await session.run({ runbook, step: hooked, values, baseEnv: cleanEnv(), onStart: () => (started = true) });
          assertRefused(hook, result, started);
          const next = await session.run({ runbook: plain, step: after, values: {}, baseEnv: cleanEnv() });
          assertPassed(next);
          assert.equal(next.output, 'after unset unset\n');
          assert.equal(existsSync(hook.marker), false, `${hook.name}: the hook ran in the next step`);
        } finally {
          await session.dispose();
        }
      }
    });
  }

  it('a runbook that declares one anyway (an error) never gives it to the step', async () => {
    for (const hook of hooks) {
      const text = md('---', 'inputs:', `  ${hook.name}: { default: ${JSON.stringify(hook.value)} }`, '---', '', fence(hook.info, hook.code));
      const runbook = parseRunbook(text, { path: join(dir, 'x.runbook.md') });
      const errors = runbook.diagnostics.filter((d) => d.severity === 'error');
      assert.equal(errors.length, 1, JSON.stringify(runbook.diagnostics));
      assert.match(errors[0].message, new RegExp(`^Input ${hook.name}: ${hook.name} cannot be an input because `));
      assert.deepEqual(runbook.inputs, []);
      const result = await runOnly(runbook, { baseEnv: cleanEnv() });
      assertPassed(result);
      assert.equal(result.output, 'started\n');
      assert.equal(existsSync(hook.marker), false, `${hook.name}: the hook ran`);
    }
  });
});
