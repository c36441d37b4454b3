import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  checkInputValue,
  environmentValueProblem,
  INPUT_NAME_PATTERN,
  MAX_INPUT_VALUE_BYTES,
  MIN_SECRET_LENGTH,
  secretValueProblem,
  type InputSpec,
} from '../../../src/core/runbook';
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

    it('refuses a NUL character anywhere in a value, whatever the type', () => {
      for (const value of ['\0', 'a\0b', 'abc\0']) {
        for (const type of ['string', 'number', 'boolean'] as const) {
          assert.match(checkInputValue(spec({ type }), value) ?? '', /contains a NUL character \(\\0\), which no environment variable can hold/);
        }
      }
      assert.match(environmentValueProblem('x\0') ?? '', /NUL/);
    });

    it(`accepts values up to ${MAX_INPUT_VALUE_BYTES} UTF-8 bytes and refuses longer ones`, () => {
      assert.equal(checkInputValue(spec({}), 'x'.repeat(MAX_INPUT_VALUE_BYTES)), undefined);
      assert.match(checkInputValue(spec({}), 'x'.repeat(MAX_INPUT_VALUE_BYTES + 1)) ?? '', /too long \(more than 64 KiB\).*environment variables/);
      // Bytes, not characters: é is two bytes in UTF-8, 😀 (a surrogate pair) four.
      assert.equal(checkInputValue(spec({}), 'é'.repeat(MAX_INPUT_VALUE_BYTES / 2)), undefined);
      assert.match(checkInputValue(spec({}), 'é'.repeat(MAX_INPUT_VALUE_BYTES / 2 + 1)) ?? '', /too long/);
      assert.equal(checkInputValue(spec({}), '😀'.repeat(MAX_INPUT_VALUE_BYTES / 4)), undefined);
      assert.match(checkInputValue(spec({}), `${'😀'.repeat(MAX_INPUT_VALUE_BYTES / 4)}x`) ?? '', /too long/);
      assert.equal(checkInputValue(spec({}), '€'.repeat(Math.floor(MAX_INPUT_VALUE_BYTES / 3))), undefined);
      assert.match(checkInputValue(spec({}), '€'.repeat(Math.floor(MAX_INPUT_VALUE_BYTES / 3) + 1)) ?? '', /too long/);
      // The message does not repeat the value.
      assert.ok((checkInputValue(spec({ type: 'number' }), '1'.repeat(200_000)) ?? '').length < 300);
    });

    it(`refuses secrets shorter than ${MIN_SECRET_LENGTH} characters, not counting spaces around them`, () => {
      const secret = spec({ secret: true });
      for (const short of ['a', 'ab', ' ab ', '\tx\n']) {
        assert.match(checkInputValue(secret, short) ?? '', /a secret must be at least 3 characters long .* could not be masked/, JSON.stringify(short));
        assert.match(secretValueProblem(short) ?? '', /at least 3 characters/);
      }
      for (const fine of ['abc', ' abc ', 'a b']) assert.equal(checkInputValue(secret, fine), undefined, JSON.stringify(fine));
      assert.equal(checkInputValue(spec({}), 'ab'), undefined, 'only secrets need a maskable length');
      assert.equal(secretValueProblem(''), undefined, 'an empty value is "not set", which `required` decides');
      assert.match(checkInputValue(secret, '') ?? '', /required/);
    });

    it('has no imports, so that generated scripts can embed its file as it is', () => {
      const text = readFileSync(path.resolve(__dirname, '../../../src/core/runbook/inputValue.ts'), 'utf8');
      assert.doesNotMatch(text, /^\s*import\b|\brequire\(/m);
    });
  });

  describe('reserved names', () => {
    // Defaults for these ran code outside the visible step (4 of 4), or broke how it is found.
    for (const name of ['BASH_ENV', 'NODE_OPTIONS', 'PYTHONPATH', 'LD_PRELOAD', 'PATH', 'IFS', 'PS4', 'ENV', 'SHELLOPTS', 'PERL5OPT', 'JAVA_TOOL_OPTIONS', 'HOME', 'GIT_SSH_COMMAND', 'RUNBOOK_STEP_RUN', '__proto__', 'constructor']) {
      it(`refuses an input named ${name}, saying why, and does not declare it`, () => {
        const runbook = withInputs(`  ${name}: { default: ./payload, description: x }`, '  NAMESPACE: { default: payments }');
        const diagnostic = onlyDiagnostic(runbook, 'invalid-input');
        assert.equal(diagnostic.severity, 'error');
        assert.equal(diagnostic.line, 3);
        assert.equal(diagnostic.subject, name);
        assert.match(diagnostic.message, new RegExp(`^Input ${name}: ${name} cannot be an input because .{20,}\\. Give the input another name\\.$`));
        assert.deepEqual(runbook.inputs.map((input) => input.name), ['NAMESPACE']);
      });
    }

    it('refuses reserved names in the list form too', () => {
      const runbook = parse(md('---', 'inputs: [LD_LIBRARY_PATH, { name: PYTHONSTARTUP }, OK]', '---', ''));
      assert.deepEqual(diagnosticsOf(runbook, 'invalid-input').map((d) => d.subject), ['LD_LIBRARY_PATH', 'PYTHONSTARTUP']);
      assert.deepEqual(runbook.inputs.map((input) => input.name), ['OK']);
    });

    it('accepts names that only look like reserved ones', () => {
      const runbook = withInputs('  NAMESPACE: a', '  TMPDIR: /scratch', '  NODE_ENV: production', '  GIT_BRANCH: main', '  MY_PATH: /x', '  path: lower');
      assertNoDiagnostics(runbook);
      assert.equal(runbook.inputs.length, 6);
    });
  });
});