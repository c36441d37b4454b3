import { strict as assert } from 'node:assert';
import type { Step } from '../../../src/core/runbook';
import { assertNoDiagnostics, diagnosticsOf, md, onlyDiagnostic, parse } from './helpers';

/** The single step of a runbook made of one `bash` fence with `info` after the language. */
function stepWith(info: string): { step: Step; runbook: ReturnType<typeof parse> } {
  const runbook = parse(md('# H', `\`\`\`bash ${info}`, 'echo hi', '```', '```bash', 'echo next', '```'));
  assert.equal(runbook.steps.length, 2, 'attribute problems must not cost the step or the next one');
  return { step: runbook.steps[0], runbook };
}

describe('runbook step attributes', () => {
  it('defaults every attribute when there are none', () => {
    const { step, runbook } = stepWith('');
    assertNoDiagnostics(runbook);
    assert.deepEqual(step.attributes, {
      name: undefined,
      confirm: false,
      timeoutMs: undefined,
      cwd: undefined,
      interactive: false,
      skip: false,
      errexit: true,
      raw: {},
    });
  });

  it('reads the documented HTML-style example', () => {
    const { step, runbook } = stepWith('{name=drain-node confirm timeout=2m cwd=./k8s}');
    assertNoDiagnostics(runbook);
    assert.deepEqual(step.attributes, {
      name: 'drain-node',
      confirm: true,
      timeoutMs: 120_000,
      cwd: './k8s',
      interactive: false,
      skip: false,
      errexit: true,
      raw: { name: 'drain-node', confirm: true, timeout: '2m', cwd: './k8s' },
    });
    assert.equal(step.id, 'drain-node');
    assert.equal(step.title, 'drain-node');
  });

  it('reads quoted values and spaces around =', () => {
    const { step, runbook } = stepWith(`{ cwd = "./my dir"  name='up.v2'  timeout="90" }`);
    assertNoDiagnostics(runbook);
    assert.equal(step.attributes.cwd, './my dir');
    assert.equal(step.attributes.name, 'up.v2');
    assert.equal(step.attributes.timeoutMs, 90_000);
  });

  it('reads the documented JSON style', () => {
    const { step, runbook } = stepWith('{"name": "drain", "confirm": true, "timeout": 90, "cwd": "k8s", "interactive": true, "skip": true, "errexit": false}');
    assertNoDiagnostics(runbook);
    assert.deepEqual(step.attributes, {
      name: 'drain',
      confirm: true,
      timeoutMs: 90_000,
      cwd: 'k8s',
      interactive: true,
      skip: true,
      errexit: false,
      raw: { name: 'drain', confirm: true, timeout: '90', cwd: 'k8s', interactive: true, skip: true, errexit: false },
    });
  });

  for (const [info, key, value] of [
    ['{confirm}', 'confirm', true],
    ['{confirm=true}', 'confirm', true],
    ['{confirm=false}', 'confirm', false],
    ['{interactive}', 'interactive', true],
    ['{skip}', 'skip', true],
    ['{skip=false}', 'skip', false],
    ['{excludeFromRunAll}', 'skip', true],
    ['{excludeFromRunAll=true}', 'skip', true],
    ['{"excludeFromRunAll": true}', 'skip', true],
    ['{errexit=false}', 'errexit', false],
    ['{errexit=true}', 'errexit', true],
    ['{"errexit": false}', 'errexit', false],
  ] as const) {
    it(`reads ${info} as ${key}=${String(value)}`, () => {
      const { step, runbook } = stepWith(info);
      assertNoDiagnostics(runbook);
      assert.equal(step.attributes[key], value);
    });
  }

  for (const [written, ms] of [
    ['30', 30_000],
    ['90s', 90_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['500ms', 500],
  ] as const) {
    it(`reads timeout=${written}`, () => {
      assert.equal(stepWith(`{timeout=${written}}`).step.attributes.timeoutMs, ms);
    });
  }

  it('reports an unknown attribute as a warning naming it, and keeps the known ones', () => {
    const { step, runbook } = stepWith('{name=x retries=3 confirm}');
    const diagnostic = onlyDiagnostic(runbook, 'unknown-attribute');
    assert.equal(diagnostic.severity, 'warning');
    assert.equal(diagnostic.line, 1);
    assert.match(diagnostic.message, /"retries"/);
    assert.equal(step.attributes.name, 'x');
    assert.equal(step.attributes.confirm, true);
    assert.equal(step.attributes.raw.retries, '3');
  });

  it('reports unknown attributes in JSON style too', () => {
    const { runbook } = stepWith('{"name": "x", "owner": "me"}');
    assert.match(onlyDiagnostic(runbook, 'unknown-attribute').message, /"owner"/);
  });

  for (const info of ['{timeout=soon}', '{timeout=0}', '{timeout=-1}', '{"timeout": "2 weeks"}', '{timeout}']) {
    it(`reports a bad timeout in ${info}, naming the value`, () => {
      const { step, runbook } = stepWith(info);
      const diagnostic = onlyDiagnostic(runbook, 'bad-timeout');
      assert.equal(diagnostic.severity, 'error');
      assert.equal(diagnostic.line, 1);
      const written = /timeout[=":\s]*([^}"]*)/.exec(info)?.[1];
      if (written) assert.ok(diagnostic.message.includes(`"${written}"`), `${diagnostic.message} should name ${written}`);
      assert.equal(step.attributes.timeoutMs, undefined);
    });
  }

  // Node's timers fire at once past 2^31 - 1 ms: `timeout=600h` timed out after 126 ms.
  for (const info of ['{timeout=600h}', '{timeout=596h32m}', '{timeout=2147484}', '{"timeout": 1e10}', '{"timeout": "9999999h"}']) {
    it(`reports ${info} as longer than a timer can wait, and leaves the step without it`, () => {
      const { step, runbook } = stepWith(info);
      const diagnostic = onlyDiagnostic(runbook, 'bad-timeout');
      assert.equal(diagnostic.severity, 'error');
      assert.equal(diagnostic.subject, 'timeout');
      assert.match(diagnostic.message, /is longer than the longest timeout, 596h 31m/);
      assert.equal(step.attributes.timeoutMs, undefined);
    });
  }

  it('reads timeout=596h, just under the limit', () => {
    const { step, runbook } = stepWith('{timeout=596h}');
    assertNoDiagnostics(runbook);
    assert.equal(step.attributes.timeoutMs, 596 * 3_600_000);
  });

  for (const [info, key, value] of [
    ['{confirm=maybe}', 'confirm', 'maybe'],
    ['{skip=yes}', 'skip', 'yes'],
    ['{errexit=0}', 'errexit', '0'],
    ['{interactive="sometimes"}', 'interactive', 'sometimes'],
  ] as const) {
    it(`reports a non-boolean ${key} (${info}), naming the value`, () => {
      const { step, runbook } = stepWith(info);
      const diagnostic = onlyDiagnostic(runbook, 'bad-attribute-value');
      assert.equal(diagnostic.severity, 'error');
      assert.match(diagnostic.message, new RegExp(`"${key}"`));
      assert.match(diagnostic.message, new RegExp(`"${value}"`));
      assert.equal(step.attributes.errexit, true);
    });
  }

  it('reports a name or cwd without a value', () => {
    const { step, runbook } = stepWith('{name cwd}');
    const diagnostics = diagnosticsOf(runbook, 'bad-attribute-value');
    assert.equal(diagnostics.length, 2);
    assert.ok(diagnostics.some((d) => /"name"/.test(d.message)));
    assert.ok(diagnostics.some((d) => /"cwd"/.test(d.message)));
    assert.equal(step.attributes.name, undefined);
    assert.equal(step.attributes.cwd, undefined);
  });

  it('reports an invalid step name, naming it, and falls back to a hash id', () => {
    const { step, runbook } = stepWith('{name="drain node!"}');
    const diagnostic = onlyDiagnostic(runbook, 'bad-attribute-value');
    assert.match(diagnostic.message, /"drain node!"/);
    assert.equal(step.attributes.name, undefined);
    assert.match(step.id, /^h-[0-9a-f]{8}$/);
  });

  it('reports attributes missing their closing brace and ignores them', () => {
    const { step, runbook } = stepWith('{name=x confirm');
    const diagnostic = onlyDiagnostic(runbook, 'bad-attributes');
    assert.equal(diagnostic.severity, 'error');
    assert.match(diagnostic.message, /\{name=x confirm/);
    assert.equal(step.attributes.name, undefined);
    assert.equal(step.attributes.confirm, false);
  });

  it('reports invalid JSON attributes and ignores them', () => {
    const { step, runbook } = stepWith('{"name": "x", }');
    assert.equal(onlyDiagnostic(runbook, 'bad-attributes').line, 1);
    assert.equal(step.attributes.name, undefined);
  });

  it('reports JSON attribute values that are not scalars', () => {
    const { step, runbook } = stepWith('{"name": "x", "cwd": ["a"]}');
    assert.match(onlyDiagnostic(runbook, 'bad-attribute-value').message, /"cwd"/);
    assert.equal(step.attributes.name, 'x');
    assert.equal(step.attributes.cwd, undefined);
  });

  it('does not read attributes of non-runnable blocks', () => {
    assertNoDiagnostics(parse(md('```yaml {whatever=1 timeout=never}', 'a: b', '```')));
  });

  describe('duplicate names', () => {
    it('reports the second use of a name and calls it `<name>-2`', () => {
      const text = md('```bash {name=restart}', 'a', '```', '', '```bash {name=restart}', 'b', '```', '```bash {name=restart}', 'c', '```', '```bash', 'd', '```');
      const runbook = parse(text);
      const diagnostics = diagnosticsOf(runbook, 'duplicate-name');
      assert.deepEqual(
        diagnostics.map((d) => [d.line, d.severity]),
        [
          [4, 'error'],
          [7, 'error'],
        ],
      );
      assert.match(diagnostics[0].message, /"restart"/);
      assert.match(diagnostics[0].message, /line 1\b/);
      assert.match(diagnostics[0].message, /"restart-2"/);
      assert.match(diagnostics[1].message, /"restart-3"/);
      assert.deepEqual(
        runbook.steps.map((s) => s.id),
        ['restart', 'restart-2', 'restart-3', runbook.steps[3].id],
      );
      assert.equal(runbook.steps.length, 4);
    });

    it('leaves a later step literally named `<name>-2` its name, and offers the duplicate a name free in the whole file', () => {
      const runbook = parse(md('```bash {name=a}', '1', '```', '```bash {name=a}', '2', '```', '```bash {name=a-2}', '3', '```'));
      const ids = runbook.steps.map((s) => s.id);
      assert.deepEqual(ids, ['a', 'a-3', 'a-2']);
      const duplicate = onlyDiagnostic(runbook, 'duplicate-name');
      assert.equal(duplicate.replacement, 'a-3');
      assert.match(duplicate.message, /"a-3"/);
    });

    it('does not give a duplicate the id of a step named `<name>-2` earlier', () => {
      const runbook = parse(md('```bash {name=a-2}', '1', '```', '```bash {name=a}', '2', '```', '```bash {name=a}', '3', '```'));
      const ids = runbook.steps.map((s) => s.id);
      assert.deepEqual(ids.slice(0, 2), ['a-2', 'a']);
      assert.equal(new Set(ids).size, 3, `ids must be unique: ${ids.join(', ')}`);
      assert.match(onlyDiagnostic(runbook, 'duplicate-name').message, new RegExp(`"${ids[2]}"`));
    });
  });
});
