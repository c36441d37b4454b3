import { strict as assert } from 'node:assert';
import { checkInputValue, INPUT_NAME_PATTERN, type InputSpec } from '../../../src/core/runbook';
import { assertNoDiagnostics, diagnosticsOf, md, onlyDiagnostic, parse } from './helpers';

/** A runbook whose front matter declares `inputLines` under `inputs:` (input keys start on line 3). */
function withInputs(...inputLines: string[]) {
  const text = md('---', 'title: Inputs', 'inputs:', ...inputLines, '---', '# Body', '```bash', 'echo "$NAMESPACE"', '```');
  const runbook = parse(text);
  // Whatever is wrong with the inputs, the rest of the runbook parses.
  assert.equal(runbook.title, 'Inputs');
  assert.equal(runbook.steps.length, 1);
  assert.equal(runbook.steps[0].startLine, inputLines.length + 5);
  return runbook;
}

describe('runbook inputs', () => {
  it('reads the documented example', () => {
    const runbook = withInputs(
      '  NAMESPACE: { description: Kubernetes namespace, default: payments, pattern: "^[a-z0-9-]+$" }',
      '  REPLICAS:  { type: number, default: 3, min: 1, max: 20 }',
      '  TARGET:    { choices: [staging, production] }',
      '  API_TOKEN: { secret: true, description: Token for the admin API }',
    );
    assertNoDiagnostics(runbook);
    assert.deepEqual(runbook.inputs, [
      {
        name: 'NAMESPACE',
        type: 'string',
        description: 'Kubernetes namespace',
        default: 'payments',
        pattern: '^[a-z0-9-]+$',
        min: undefined,
        max: undefined,
        choices: undefined,
        secret: false,
        required: false,
        line: 3,
      },
      { name: 'REPLICAS', type: 'number', description: undefined, default: '3', pattern: undefined, min: 1, max: 20, choices: undefined, secret: false, required: false, line: 4 },
      { name: 'TARGET', type: 'string', description: undefined, default: undefined, pattern: undefined, min: undefined, max: undefined, choices: ['staging', 'production'], secret: false, required: true, line: 5 },
      { name: 'API_TOKEN', type: 'string', description: 'Token for the admin API', default: undefined, pattern: undefined, min: undefined, max: undefined, choices: undefined, secret: true, required: true, line: 6 },
    ]);
  });

  it('reads the short forms `NAME:` and `NAME: default`', () => {
    const runbook = withInputs('  REGION:', '  ZONE: eu-west-1a', '  COUNT: 5');
    assertNoDiagnostics(runbook);
    assert.deepEqual(
      runbook.inputs.map((i) => [i.name, i.type, i.default, i.required, i.line]),
      [
        ['REGION', 'string', undefined, true, 3],
        ['ZONE', 'string', 'eu-west-1a', false, 4],
        ['COUNT', 'number', '5', false, 5],
      ],
    );
  });

  it('infers type number from a numeric default and honours required: false', () => {
    const runbook = withInputs('  N: { default: 2 }', '  OPT: { required: false }', '  FLAG: { type: boolean, default: true }');
    assertNoDiagnostics(runbook);
    assert.deepEqual(
      runbook.inputs.map((i) => [i.name, i.type, i.default, i.required]),
      [
        ['N', 'number', '2', false],
        ['OPT', 'string', undefined, false],
        ['FLAG', 'boolean', 'true', false],
      ],
    );
  });

  it('reads inputs written as a list', () => {
    const runbook = withInputs('  - NAMESPACE', '  - { name: REPLICAS, type: number, default: 2 }');
    assertNoDiagnostics(runbook);
    assert.deepEqual(
      runbook.inputs.map((i) => [i.name, i.type, i.default]),
      [
        ['NAMESPACE', 'string', undefined],
        ['REPLICAS', 'number', '2'],
      ],
    );
  });

  it('treats an empty `inputs:` as no inputs', () => {
    const runbook = withInputs();
    assertNoDiagnostics(runbook);
    assert.deepEqual(runbook.inputs, []);
  });

  describe('diagnostics (each at the input line, the other inputs kept)', () => {
    const cases: Array<[string, string, RegExp[]]> = [
      ['a bad pattern', '  BAD: { pattern: "([a-z" }', [/pattern/, /"\(\[a-z"/]],
      ['a default outside the choices', '  BAD: { default: qa, choices: [staging, production] }', [/"qa"/, /staging, production/]],
      ['a default above max', '  BAD: { type: number, default: 30, min: 1, max: 20 }', [/"30"/, /maximum 20/]],
      ['a default below min', '  BAD: { type: number, default: 0, min: 1 }', [/"0"/, /minimum 1/]],
      ['a default that is not a number', '  BAD: { type: number, default: many }', [/"many"/, /not a number/]],
      ['a default not matching the pattern', '  BAD: { default: Prod, pattern: "^[a-z]+$" }', [/"Prod"/, /\^\[a-z\]\+\$/]],
      ['min greater than max', '  BAD: { type: number, min: 10, max: 2 }', [/10/, /2/, /greater/]],
      ['min on a string input', '  BAD: { min: 1 }', [/min and max/]],
      ['a non-numeric max', '  BAD: { type: number, max: lots }', [/"lots"/]],
      ['an unknown type', '  BAD: { type: date }', [/"date"/]],
      ['empty choices', '  BAD: { choices: [] }', [/choices/]],
      ['a non-boolean secret', '  BAD: { secret: yes please }', [/secret/]],
      ['a list default', '  BAD: { default: [a, b] }', [/default/]],
      ['a definition that is a list', '  BAD: [a, b]', [/mapping/]],
    ];
    for (const [label, line, messages] of cases) {
      it(`reports ${label}`, () => {
        const runbook = withInputs('  GOOD: { default: ok }', line, '  ALSO_GOOD:');
        const diagnostic = onlyDiagnostic(runbook, 'invalid-input');
        assert.equal(diagnostic.severity, 'error');
        assert.equal(diagnostic.line, 4);
        assert.match(diagnostic.message, /^Input BAD: /);
        for (const message of messages) assert.match(diagnostic.message, message);
        assert.deepEqual(
          runbook.inputs.map((i) => i.name),
          ['GOOD', 'ALSO_GOOD'],
        );
      });
    }

    for (const name of ['1ST', 'my-input', 'has space', 'dollar$']) {
      it(`reports the bad input name "${name}"`, () => {
        const runbook = withInputs(`  "${name}": { default: x }`, '  OK: {}');
        const diagnostic = onlyDiagnostic(runbook, 'invalid-input');
        assert.equal(diagnostic.line, 3);
        assert.ok(diagnostic.message.includes(name), diagnostic.message);
        assert.match(diagnostic.message, /environment variable/);
        assert.deepEqual(
          runbook.inputs.map((i) => i.name),
          ['OK'],
        );
      });
    }

    it('warns about an unknown field, naming it, and keeps the input', () => {
      const runbook = withInputs('  NAMESPACE:', '  REGION: { descripton: typo, default: eu }');
      const diagnostic = onlyDiagnostic(runbook, 'unknown-input-field');
      assert.equal(diagnostic.severity, 'warning');
      assert.equal(diagnostic.line, 4);
      assert.match(diagnostic.message, /"descripton"/);
      assert.deepEqual(
        runbook.inputs.map((i) => [i.name, i.default]),
        [
          ['NAMESPACE', undefined],
          ['REGION', 'eu'],
        ],
      );
    });

    it('warns about a secret with a default but keeps it', () => {
      const runbook = withInputs('  TOKEN: { secret: true, default: hunter2 }');
      const diagnostic = onlyDiagnostic(runbook, 'invalid-input');
      assert.equal(diagnostic.severity, 'warning');
      assert.equal(runbook.inputs[0].name, 'TOKEN');
    });

    it('reports every problem of one input', () => {
      const runbook = withInputs('  BAD: { type: number, min: 5, max: 1, pattern: "(" , extra: 1 }');
      assert.equal(diagnosticsOf(runbook, 'invalid-input').length, 2);
      assert.equal(diagnosticsOf(runbook, 'unknown-input-field').length, 1);
      assert.deepEqual(runbook.inputs, []);
    });

    it('reports inputs that are not a mapping or list', () => {
      const runbook = parse(md('---', 'title: x', 'inputs: just text', '---', '```bash', 'ls', '```'));
      const diagnostic = onlyDiagnostic(runbook, 'invalid-input');
      assert.equal(diagnostic.line, 2);
      assert.equal(runbook.steps.length, 1);
    });

    it('points problems of list-form inputs at the inputs block, not the --- line', () => {
      const runbook = parse(md('---', 'title: x', 'inputs:', '  - { name: A, pattern: "(" }', '---', ''));
      const diagnostic = onlyDiagnostic(runbook, 'invalid-input');
      assert.ok(diagnostic.line >= 2 && diagnostic.line <= 3, `line ${diagnostic.line}`);
      assert.match(diagnostic.message, /Input A: /);
    });
  });

  describe('checkInputValue', () => {
    const spec = (extra: Partial<InputSpec>): InputSpec => ({ name: 'X', type: 'string', secret: false, required: true, line: 0, ...extra });

    it('requires a value for required inputs only', () => {
      assert.match(checkInputValue(spec({}), undefined) ?? '', /required/);
      assert.match(checkInputValue(spec({}), '') ?? '', /required/);
      assert.equal(checkInputValue(spec({ required: false }), ''), undefined);
    });

    it('checks numbers and bounds', () => {
      const n = spec({ type: 'number', min: 1, max: 3 });
      assert.equal(checkInputValue(n, '2'), undefined);
      assert.equal(checkInputValue(n, '1'), undefined);
      assert.equal(checkInputValue(n, '3'), undefined);
      assert.match(checkInputValue(n, '0') ?? '', /minimum 1/);
      assert.match(checkInputValue(n, '4') ?? '', /maximum 3/);
      assert.match(checkInputValue(n, 'x') ?? '', /"x" is not a number/);
      assert.match(checkInputValue(n, '  ') ?? '', /not a number/);
    });

    it('checks booleans, choices and patterns', () => {
      assert.equal(checkInputValue(spec({ type: 'boolean' }), 'false'), undefined);
      assert.match(checkInputValue(spec({ type: 'boolean' }), 'yes') ?? '', /true or false/);
      assert.equal(checkInputValue(spec({ choices: ['a', 'b'] }), 'b'), undefined);
      assert.match(checkInputValue(spec({ choices: ['a', 'b'] }), 'c') ?? '', /one of a, b/);
      assert.equal(checkInputValue(spec({ pattern: '^[a-z]+$' }), 'abc'), undefined);
      assert.match(checkInputValue(spec({ pattern: '^[a-z]+$' }), 'ABC') ?? '', /pattern/);
    });

    it('INPUT_NAME_PATTERN accepts environment variable names only', () => {
      for (const ok of ['A', '_x', 'NAMESPACE_2']) assert.ok(INPUT_NAME_PATTERN.test(ok), ok);
      for (const bad of ['', '2A', 'a-b', 'a b', 'é']) assert.ok(!INPUT_NAME_PATTERN.test(bad), bad);
    });
  });
});
