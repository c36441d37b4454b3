// A step nested far deeper than any runbook would be (`${a:-` 8,000 levels, closed again) goes
// through every part of a run: parsing, the value checks and implicit inputs (shell analysis),
// placeholders, the session's wrapper and bash itself. It ends as passed or failed with its reason,
// never with a stack overflow inside the engine.

import { strict as assert } from 'node:assert';
import { RunbookSession } from '../../../src/core/run/runbookSession';
import type { StepResult } from '../../../src/core/run/types';
import { describeResult, fence, makeTempDir, removeDir, runbookIn, runOnly } from './helpers';

const DEPTH = 8000;
const DEEP = `echo ${'${a:-'.repeat(DEPTH)}x${'}'.repeat(DEPTH)}`;

/** No variable `a`, so every level falls through to its default and bash prints `x`. */
function environment(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.a;
  return env;
}

function assertEndedCleanly(result: StepResult): void {
  assert.ok(result.status === 'passed' || result.status === 'failed', describeResult(result));
  assert.doesNotMatch(`${result.message ?? ''}\n${result.output}`, /call stack|RangeError|could not run/i, describeResult(result));
  // bash itself nests this deep: the step prints its innermost default.
  if (result.status === 'passed') assert.equal(result.output, 'x\n');
}

describe(`runStep: \${a:- nested ${DEPTH} deep`, function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = makeTempDir();
  });
  after(() => removeDir(dir));

  it('runs outside a session and ends cleanly', async () => {
    const result = await runOnly(runbookIn(dir, fence('bash', DEEP)), { baseEnv: environment() });
    assertEndedCleanly(result);
  });

  it('runs in a session, and the session still runs the next step', async () => {
    const runbook = runbookIn(dir, [fence('bash {name=deep}', DEEP), '', fence('bash {name=next}', 'echo next')].join('\n'));
    const session = new RunbookSession();
    try {
      const [deep, next] = runbook.steps;
      assertEndedCleanly(await session.run({ runbook, step: deep, values: {}, baseEnv: environment() }));
      const after = await session.run({ runbook, step: next, values: {}, baseEnv: environment() });
      assert.equal(after.status, 'passed', describeResult(after));
      assert.equal(after.output, 'next\n');
    } finally {
      await session.dispose();
    }
  });
});
