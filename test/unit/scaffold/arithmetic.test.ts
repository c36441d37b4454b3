// Generated scripts apply the engine's arithmetic rule: a value a step evaluates as shell
// arithmetic must be a whole number, or bash would run the commands hidden in it.

import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeRun, makeScratch, removeScratch, runScript, writeRunbook, writeScript } from './helpers';

describe('generated scripts: values used in arithmetic', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = makeScratch();
  });
  afterEach(() => removeScratch(dir));

  it('refuses a value that is not a whole number, and never runs what it hides', async () => {
    const marker = join(dir, 'pwned');
    const runbook = writeRunbook(dir, 'runbooks', 'count', ['# Count', '', '```bash {name=count}', 'echo "next: $(( <n> + 1 ))"', '```', ''].join('\n'));
    const script = writeScript(dir, 'count', runbook);
    const hostile = await runScript(script, ['--n', `a[$(touch ${marker})]`]);
    assert.equal(hostile.code, 2, describeRun(hostile));
    assert.match(hostile.stderr, /whole number/);
    assert.equal(existsSync(marker), false);
    const fine = await runScript(script, ['--n', '41']);
    assert.equal(fine.code, 0, describeRun(fine));
    assert.match(fine.stdout, /next: 42/);
  });
});
