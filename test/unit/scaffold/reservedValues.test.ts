// Generated scripts never give a reserved variable (BASH_ENV, NODE_OPTIONS, PYTHONPATH, LD_PRELOAD)
// a value: a runbook that declares them as inputs with real hooks as defaults (an error the parser
// reports and drops) becomes a script without them, which runs its bash, node and python steps with
// none of the hooks, refuses them as options, and passes a placeholder named after one
// (<LD_PRELOAD>) under another name. Each hook is first shown to run when given directly.

import { strict as assert } from 'node:assert';
import { existsSync, rmSync } from 'node:fs';
import { assertHooksWork, cleanEnv, writeHooks, type Hooked } from '../run/reservedHooks';
import { describeRun, makeScratch, removeScratch, runScript, writeRunbook, writeScript, type Ran } from './helpers';
import { scriptInputs, selectedItems } from '../../../src/core/scaffold/generate';
import { parseRunbook } from '../../../src/core/runbook';

const fence = (info: string, ...code: string[]) => ['```' + info, ...code, '```'].join('\n');
const lines = (...text: string[]) => text.join('\n');

describe('generated scripts: values for reserved variables never run hidden code', function () {
  this.timeout(120_000);
  let dir: string;
  let hooks: Hooked[];
  let script: string;
  before(() => {
    dir = makeScratch();
    hooks = writeHooks(dir);
    assertHooksWork(hooks);
    const runbook = writeRunbook(
      dir,
      'reserved',
      'reserved',
      lines(
        '---',
        'inputs:',
        ...hooks.map((hook) => `  ${hook.name}: { default: ${JSON.stringify(hook.value)} }`),
        '  GREETING: { default: hello }',
        '---',
        '',
        fence('bash {name=shell}', 'echo "bash $GREETING BASH_ENV=${BASH_ENV-unset} LD_PRELOAD=${LD_PRELOAD-unset}"', 'echo "placeholder" <LD_PRELOAD>'),
        '',
        fence('node {name=node}', 'console.log(`node NODE_OPTIONS=${process.env.NODE_OPTIONS ?? "unset"}`)'),
        '',
        fence('python {name=python}', 'import os', 'print("python PYTHONPATH=" + os.environ.get("PYTHONPATH", "unset"))'),
        '',
      ),
    );
    const errors = runbook.diagnostics.filter((d) => d.severity === 'error').map((d) => d.subject);
    assert.deepEqual(errors, hooks.map((hook) => hook.name), 'the parser refuses each reserved input');
    assert.deepEqual(runbook.inputs.map((input) => input.name), ['GREETING']);
    script = writeScript(dir, 'reserved', runbook);
  });
  beforeEach(() => {
    for (const hook of hooks) rmSync(hook.marker, { force: true });
  });
  after(() => removeScratch(dir));

  const assertNoHookRan = () => {
    for (const hook of hooks) assert.equal(existsSync(hook.marker), false, `${hook.name}: the hook ran`);
  };
  const library = () => hooks.find((hook) => hook.name === 'LD_PRELOAD')?.value ?? '/nonexistent/preload.so';

  it('runs every step without the reserved variables, and a placeholder named LD_PRELOAD is passed under another name', async () => {
    const ran: Ran = await runScript(script, ['--placeholder-ld-preload', library()], { env: cleanEnv() });
    assert.equal(ran.code, 0, describeRun(ran));
    assert.match(ran.stdout, /^bash hello BASH_ENV=unset LD_PRELOAD=unset$/m);
    assert.match(ran.stdout, new RegExp(`^placeholder ${library().replaceAll('.', '\\.')}$`, 'm'));
    assert.match(ran.stdout, /^python PYTHONPATH=unset$/m);
    // tsx may start the script with NODE_OPTIONS of its own: the step must only not have the hook.
    const node = /^node NODE_OPTIONS=(.*)$/m.exec(ran.stdout);
    assert.ok(node, describeRun(ran));
    assert.ok(!node[1].includes('node-hook'), `the node step got the hook: ${node[1]}`);
    assertNoHookRan();
  });

  for (const option of ['--bash-env', '--node-options', '--pythonpath', '--ld-preload']) {
    it(`refuses ${option} as an unknown option and runs nothing`, async () => {
      const ran = await runScript(script, [option, library(), '--placeholder-ld-preload', 'x'], { env: cleanEnv() });
      assert.equal(ran.code, 2, describeRun(ran));
      assert.equal(ran.stderr, `error: unknown option ${option} (see --help)\n`);
      assert.equal(ran.stdout, '');
      assertNoHookRan();
    });
  }
});

describe('scriptInputs: reserved names never become options', () => {
  it('leaves out a reserved input even on a runbook object the parser did not make', () => {
    const runbook = parseRunbook(['---', 'inputs:', '  NAMESPACE: { default: web }', '---', '# R', '', '```bash {name=s}', 'echo "$NAMESPACE"', '```', ''].join('\n'));
    const base = runbook.inputs[0];
    const hostile = { ...runbook, inputs: [...runbook.inputs, { ...base, name: 'NODE_OPTIONS', default: '--require /tmp/evil.js' }] };
    const names = scriptInputs(hostile, selectedItems(hostile, hostile.items.map((item) => item.id))).map((input) => input.name);
    assert.deepEqual(names, ['NAMESPACE']);
  });
});
