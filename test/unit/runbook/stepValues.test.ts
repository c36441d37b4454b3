// stepValueProblems: the one check of every value a step would get, before it starts. Where a value
// is used in arithmetic, real bash shows both that the context runs a hidden command and that the
// check refuses the value that would.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeShell, arithmeticValueProblem, parseRunbook, replacePlaceholders, stepValueProblems, type Runbook } from '../../../src/core/runbook';
import { md } from './helpers';

function runbookOf(...lines: string[]): Runbook {
  return parseRunbook(md(...lines), { path: '/tmp/values.runbook.md' });
}

const FRONT = [
  '---',
  'inputs:',
  '  REPLICAS: { description: Replicas, type: number, min: 1, max: 10, default: 3 }',
  '  REGION: { description: Region, pattern: "^[a-z]+-[0-9]$", default: eu-1 }',
  '  TOKEN: { description: Token, secret: true, pattern: "^tok-" }',
  '  POD_NAME: { description: Pod, pattern: "^[a-z0-9-]+$" }',
  '  UNUSED: { description: Nothing uses it, type: number, default: "1" }',
  '---',
];

const problems = (runbook: Runbook, values: Record<string, string>, step = 0) => stepValueProblems(runbook, runbook.steps[step], values);

/** Runs `code` with real bash in a fresh folder; whether a `pwned` file appeared. */
function pwnedBy(code: string, env: Record<string, string>): boolean {
  const dir = mkdtempSync(path.join(tmpdir(), 'runbook-step-values-'));
  try {
    writeFileSync(path.join(dir, 'step.sh'), code);
    spawnSync('bash', ['step.sh'], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: 'ignore' });
    return readdirSync(dir).includes('pwned');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HIDDEN_COMMAND = 'a[$(touch pwned)]';

describe('stepValueProblems', () => {
  it('checks the declared inputs the step uses, with their defaults when no value is given', () => {
    const runbook = runbookOf(...FRONT, '```bash', 'kubectl scale --replicas "$REPLICAS" -n "$REGION"', '```');
    assert.deepEqual(problems(runbook, {}), []);
    assert.deepEqual(problems(runbook, { REPLICAS: '20', REGION: 'EU' }), [
      { name: 'REPLICAS', message: 'Input REPLICAS: 20 is above the maximum 10.' },
      { name: 'REGION', message: 'Input REGION: does not match the pattern ^[a-z]+-[0-9]$.' },
    ]);
    // An input the step does not use is not its concern (its value still reaches the environment).
    assert.deepEqual(problems(runbook, { UNUSED: 'many' }), []);
  });

  it('checks a declared input a step uses only through its placeholder', () => {
    const runbook = runbookOf(...FRONT, '```bash', 'kubectl logs "<pod-name>"', '```');
    assert.deepEqual(problems(runbook, { POD_NAME: 'Not A Pod' }).map((p) => p.name), ['POD_NAME']);
    assert.deepEqual(problems(runbook, { POD_NAME: 'api-0' }), []);
  });

  it('reports a required input without a value, and never shows a secret value', () => {
    const runbook = runbookOf(...FRONT, '```bash', 'curl -H "Authorization: $TOKEN" https://example.com', '```');
    assert.deepEqual(problems(runbook, {}), [{ name: 'TOKEN', message: 'Input TOKEN: a value is required.' }]);
    const [problem] = problems(runbook, { TOKEN: 'hunter2-secret' });
    assert.equal(problem.name, 'TOKEN');
    assert.doesNotMatch(problem.message, /hunter2/);
  });

  it('refuses a value for a name no input may set, given or as a default', () => {
    const runbook = runbookOf('```bash', 'echo "$X"', '```');
    const [problem] = problems(runbook, { BASH_ENV: '/tmp/evil.sh', X: 'fine' });
    assert.equal(problem.name, 'BASH_ENV');
    assert.match(problem.message, /^BASH_ENV cannot be set by a runbook value because the shell reads it/);
    assert.deepEqual(problems(runbook, { RUNBOOK_STEP_RUN: 'x' }).map((p) => p.name), ['RUNBOOK_STEP_RUN']);
  });

  it('refuses a value that cannot travel in the environment, for any name', () => {
    const runbook = runbookOf('```bash', 'echo "$X" <y>', '```');
    const found = problems(runbook, { X: 'a\0b', Y: 'x'.repeat(200_000) });
    assert.deepEqual(found.map((p) => p.name), ['X', 'Y']);
    assert.match(found[0].message, /^The value for X: .*NUL/);
    assert.match(found[1].message, /^The value for Y: the value is too long/);
  });

  describe('arithmetic, in real bash', () => {
    // Each context evaluates V (or the placeholder <n>) as arithmetic: the hidden command runs.
    const contexts = [
      'echo $(( V + 1 ))',
      'echo $(( $V + 1 ))',
      '(( V > 1 )) && echo big',
      '[[ $V -eq 1 ]] && echo one',
      '[[ 1 -lt "$V" ]] && echo more',
      'let "x = $V + 1"',
      'a=(1 2 3); echo "${a[$V]}"',
      'a[$V]=1',
      's=abcdef; echo "${s:$V:1}"',
      'declare -i n; n=$V',
      'f() { local -i n=$V; }; f',
      'arr=([$V]=x)',
      'for (( i = 0; i < V; i++ )); do :; done',
      'echo $[ V + 1 ]',
      'echo $(( <n> + 1 ))',
    ];
    for (const code of contexts) {
      it(`${code}: runs a command hidden in the value, so the value is refused`, () => {
        const runbook = runbookOf('```bash', code, '```');
        const step = runbook.steps[0];
        const name = code.includes('<n>') ? 'N' : 'V';
        const analysis = analyzeShell(step.code);
        assert.ok(analysis.arithmetic.some((use) => use.name === name), `${name} is not found in arithmetic`);
        const script = replacePlaceholders(step.code, analysis.placeholders);
        assert.equal(pwnedBy(script, { [name]: HIDDEN_COMMAND }), true, 'bash did not run the hidden command: not an arithmetic context');
        const [problem] = stepValueProblems(runbook, step, { [name]: HIDDEN_COMMAND });
        assert.equal(problem?.name, name);
        assert.match(problem.message, new RegExp(`^The value for ${name}: the step uses it in arithmetic, so it must be a whole number`));
        assert.deepEqual(stepValueProblems(runbook, step, { [name]: '2' }), []);
        assert.equal(pwnedBy(script, { [name]: '2' }), false);
      });
    }

    // Bash reads these values as they are (or as numbers without evaluating them): nothing runs.
    const notContexts = ['[ "$V" -eq 1 ] && echo one', 'test "$V" -gt 1', "printf '%d\\n' \"$V\"", 'echo "${#V}"', 'declare -A m; m[$V]=1; echo "${m[$V]}"', 'echo "$V"'];
    for (const code of notContexts) {
      it(`${code}: runs nothing hidden in the value, and the value is accepted`, () => {
        const runbook = runbookOf('```bash', code, '```');
        assert.equal(pwnedBy(runbook.steps[0].code, { V: HIDDEN_COMMAND }), false);
        assert.deepEqual(stepValueProblems(runbook, runbook.steps[0], { V: HIDDEN_COMMAND }), []);
      });
    }

    it('checks a declared input used in arithmetic, its default included, and hides a secret', () => {
      const runbook = runbookOf(
        '---',
        'inputs:',
        '  LIMIT: { description: Limit, default: "1.5" }',
        '  PIN: { description: Pin, secret: true }',
        '---',
        '```bash',
        '(( LIMIT > 1 )) && [[ $PIN -gt 0 ]] && echo ok',
        '```',
      );
      const found = problems(runbook, { PIN: 'a[$(id)]x' });
      assert.deepEqual(found.map((p) => p.name), ['LIMIT', 'PIN']);
      assert.match(found[0].message, /^Input LIMIT: .* whole number.* It is "1\.5"\.$/);
      assert.doesNotMatch(found[1].message, /id\)/);
      assert.deepEqual(problems(runbook, { LIMIT: '3', PIN: '1234' }), []);
    });

    it('accepts exactly plain whole numbers', () => {
      for (const value of ['0', '7', '-12', '123456789012345678', '']) assert.equal(arithmeticValueProblem(value), undefined, value);
      for (const value of [' 1', '1 ', '+1', '01', '-0x1f', '0x1f', '1.5', '1e3', '2#101', '1+1', 'a', 'V', '1234567890123456789', '$(id)', HIDDEN_COMMAND, '1\n']) {
        assert.ok(arithmeticValueProblem(value), JSON.stringify(value));
      }
    });
  });
});
