// Sessions under steps that fight them: a step's own `trap … EXIT`, `exec`, a step that kills
// itself (carry-over lost, and said so), a directory removed after a step cd'ed into it (later
// steps fall back to the runbook's folder with a warning instead of being refused until Reset
// Session), and a step that unsets PATH or turns on tracing (the wrapper does not depend on them).

import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RunbookSession } from '../../../src/core/run/runbookSession';
import type { StepResult } from '../../../src/core/run/types';
import type { Runbook } from '../../../src/core/runbook';
import { assertPassed, describeResult, fence, makeTempDir, md, removeDir, runbookIn, stepNamed } from './helpers';

describe('RunbookSession: steps that break carry-over, and directories that disappear', () => {
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

  const run = (runbook: Runbook, name: string): Promise<StepResult> =>
    session.run({ runbook, step: stepNamed(runbook, name), values: {}, baseEnv: { PATH: process.env.PATH, HOME: process.env.HOME } });

  const SHOW = fence('bash {name=show}', 'echo "A=${A:-unset}"');

  it('says so when a step sets its own EXIT trap', async () => {
    const runbook = runbookIn(dir, md(fence('bash {name=trapper}', 'export A=1', "trap 'echo bye' EXIT"), '', SHOW));
    const trapper = await run(runbook, 'trapper');
    assertPassed(trapper);
    assert.equal(trapper.output, 'bye\n');
    assert.equal(trapper.warnings?.length, 1, describeResult(trapper));
    assert.match(trapper.warnings![0], /not carried over .*its own `trap … EXIT`/);
    assert.match(trapper.message ?? '', /not carried over/);
    assert.equal((await run(runbook, 'show')).output, 'A=unset\n');
  });

  it('says so when a step runs exec', async () => {
    const runbook = runbookIn(dir, md(fence('bash {name=execer}', 'export A=1', 'exec bash -c "echo replaced"'), '', SHOW));
    const execer = await run(runbook, 'execer');
    assertPassed(execer);
    assert.equal(execer.output, 'replaced\n');
    assert.match(execer.warnings?.[0] ?? '', /runs `exec`/);
  });

  it('says so when a step kills itself', async () => {
    const runbook = runbookIn(dir, md(fence('bash {name=suicide}', 'export A=1', 'kill -KILL $$'), '', SHOW));
    const result = await run(runbook, 'suicide');
    assert.equal(result.status, 'failed');
    assert.match(result.warnings?.[0] ?? '', /killed by SIGKILL/);
    assert.match(result.message ?? '', /^The step was killed by SIGKILL\. Its exported variables/);
  });

  it('has no warning for a step that redirects with exec, or sets another trap', async () => {
    const runbook = runbookIn(dir, md(fence('bash {name=fine}', 'exec 3>/dev/null', "trap 'true' INT", 'export A=1'), '', SHOW));
    const fine = await run(runbook, 'fine');
    assertPassed(fine);
    assert.equal(fine.warnings, undefined);
    assert.equal((await run(runbook, 'show')).output, 'A=1\n');
  });

  it('falls back to the runbook folder, with a warning, when the directory a step cd’ed into was removed', async () => {
    mkdirSync(join(dir, 'sub'));
    const runbook = runbookIn(dir, md(fence('bash {name=go}', 'cd sub'), '', fence('bash {name=where}', 'pwd')));
    assertPassed(await run(runbook, 'go'));
    rmSync(join(dir, 'sub'), { recursive: true });
    const where = await run(runbook, 'where');
    assertPassed(where);
    assert.equal(where.output, `${dir}\n`);
    assert.match(where.warnings?.[0] ?? '', new RegExp(`${join(dir, 'sub')}, no longer exists; this step runs in ${dir}`));
    const again = await run(runbook, 'where');
    assert.equal(again.warnings, undefined, 'the session forgot the removed directory');
  });

  it('does not carry over a directory the step removed itself', async () => {
    mkdirSync(join(dir, 'gone'));
    const runbook = runbookIn(dir, md(fence('bash {name=remove}', 'cd gone', 'rm -rf "$PWD"'), '', fence('bash {name=where}', 'pwd')));
    const remove = await run(runbook, 'remove');
    assertPassed(remove);
    assert.match(remove.warnings?.[0] ?? '', /ended in .*gone, which no longer exists/);
    const where = await run(runbook, 'where');
    assertPassed(where);
    assert.equal(where.output, `${dir}\n`);
  });

  it('passes a step that unsets PATH, and one that turns on tracing and nounset, without noise', async () => {
    const runbook = runbookIn(
      dir,
      md(fence('bash {name=nopath}', 'export A=1', 'unset PATH', 'echo still-fine'), '', fence('bash {name=traced}', 'set -eux', 'B=2', 'echo traced'), '', fence('sh {name=posix}', 'unset PATH', 'echo posix')),
    );
    const nopath = await run(runbook, 'nopath');
    assertPassed(nopath);
    assert.equal(nopath.exitCode, 0);
    assert.equal(nopath.output, 'still-fine\n');
    assert.equal(session.shellSession.variables.get('A'), '1');
    session.reset();
    const traced = await run(runbook, 'traced');
    assertPassed(traced);
    assert.equal(traced.output, '+ B=2\n+ echo traced\ntraced\n', 'no trace of the session wrapper');
    session.reset();
    assertPassed(await run(runbook, 'posix'));
  });

  it('saves the session of a step that ran in a directory whose name has a quote', async () => {
    mkdirSync(join(dir, "it's here"));
    const runbook = runbookIn(dir, md(fence('bash {name=go}', `cd "it's here"`, 'export Q=1'), '', fence('bash {name=where}', 'pwd', 'echo "Q=$Q"')));
    assertPassed(await run(runbook, 'go'));
    assert.equal((await run(runbook, 'where')).output, `${join(dir, "it's here")}\nQ=1\n`);
  });
});
