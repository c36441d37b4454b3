// The one rule both headless front ends (the generated scripts' --junit and `runbook run
// --reporter junit`) use to turn a step's outcome into its JUnit test case: its name, outcome,
// message and how much output it keeps. The GitLab export tests check that both front ends give the
// same cases for the same run; this checks the rule itself, read back with a real XML parser.

import { strict as assert } from 'node:assert';
import { XMLParser } from 'fast-xml-parser';
import { JUNIT_OUTPUT_CHARS, JUNIT_OUTPUT_LINES, junitCaseName, junitOutput, junitXml, stepCase, type StepOutcome } from '../../../src/core/report/junit';

const code = (state: StepOutcome['state'], extra: Partial<StepOutcome> = {}): StepOutcome => ({ id: 'deploy-1a2b', title: 'Deploy the release', kind: 'code', state, ...extra });

describe('report: a step as a JUnit test case', () => {
  it('names a case by its title, with its id when the two differ', () => {
    assert.equal(junitCaseName('greet', 'greet'), 'greet');
    assert.equal(junitCaseName('Deploy the release', 'deploy-1a2b'), 'Deploy the release (deploy-1a2b)');
  });

  it('gives every state its outcome and message; a step never reached is skipped, never passed', () => {
    const cases = [
      stepCase(code('passed', { output: 'ok\n', durationMs: 1200 }), 'ops/x.md'),
      stepCase(code('failed', { message: 'The step exited with code 4.', diff: '- expected\n+ printed', output: 'printed\n' }), 'ops/x.md'),
      stepCase(code('timed-out', { message: 'Timed out after 1s' }), 'ops/x.md'),
      stepCase(code('skipped', { message: 'marked skip' }), 'ops/x.md'),
      stepCase(code('not-run'), 'ops/x.md'),
      stepCase(code('not-run', { message: 'No value for NAME.' }), 'ops/x.md'),
      stepCase({ id: 'm', title: 'Page the on-call', kind: 'manual', state: 'skipped', message: 'Left for a person (--skip-manual).' }, 'ops/x.md'),
      stepCase({ id: 'm', title: 'Page the on-call', kind: 'manual', state: 'checked' }, 'ops/x.md'),
      stepCase({ id: 'm', title: 'Page the on-call', kind: 'manual', state: 'not-run' }, 'ops/x.md'),
    ];
    assert.deepEqual(
      cases.map((c) => [c.outcome, c.type, c.message]),
      [
        ['passed', undefined, undefined],
        ['failure', 'failed', 'The step exited with code 4.'],
        ['failure', 'timed-out', 'Timed out after 1s'],
        ['skipped', undefined, 'marked skip'],
        ['skipped', undefined, 'not run: the run ended before it'],
        ['skipped', undefined, 'not run: No value for NAME.'],
        ['skipped', undefined, 'manual step: left for a person'],
        ['passed', undefined, 'manual step: done by a person'],
        ['skipped', undefined, 'manual step: not run: the run ended before it'],
      ],
    );
    // A failure's body holds the expected-output difference and the output; both keep the output.
    assert.deepEqual([cases[1].details, cases[1].output], ['- expected\n+ printed\n\nprinted', 'printed']);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junitXml([{ name: 'x', cases }])) as { testsuites: { tests: string; failures: string; skipped: string } };
    assert.deepEqual([parsed.testsuites.tests, parsed.testsuites.failures, parsed.testsuites.skipped], ['9', '2', '5']);
  });

  it(`keeps the last ${JUNIT_OUTPUT_LINES} lines of output, at most ${JUNIT_OUTPUT_CHARS} characters, never half a character`, () => {
    const lines = Array.from({ length: JUNIT_OUTPUT_LINES + 50 }, (_, i) => `line ${i + 1}`);
    const kept = junitOutput(`${lines.join('\n')}\n`).split('\n');
    assert.equal(kept.length, JUNIT_OUTPUT_LINES);
    assert.equal(kept[0], 'line 51');
    assert.equal(kept.at(-1), `line ${JUNIT_OUTPUT_LINES + 50}`);
    // The cut falls inside an emoji (its second half first): that half is dropped.
    const wide = junitOutput(`${'😀'.repeat(JUNIT_OUTPUT_CHARS)}x`);
    assert.equal(wide, `${'😀'.repeat((JUNIT_OUTPUT_CHARS - 2) / 2)}x`);
    assert.equal(stepCase(code('passed', { output: `${lines.join('\n')}\n` }), 'ops/x.md').output?.split('\n').length, JUNIT_OUTPUT_LINES);
  });
});
