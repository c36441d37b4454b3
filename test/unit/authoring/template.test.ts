// The New Runbook template: it parses cleanly with every part of the format once, any title survives
// the YAML, file names come from the title, and its step passes its own expected output when run.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  FALLBACK_FILE_NAME,
  MAX_TITLE_LENGTH,
  newRunbookTemplate,
  normalizeTitle,
  runbookFileName,
  TEMPLATE_INPUT,
  titleProblem,
  yamlString,
} from '../../../src/core/authoring/template';
import { parseRunbook, type Runbook } from '../../../src/core/runbook';
import { runStep } from '../../../src/core/run/stepRunner';
import { assertNoDiagnostics } from '../runbook/helpers';
import { describeResult, makeTempDir, removeDir } from '../run/helpers';

function parseTemplate(title: string, path?: string): Runbook {
  return parseRunbook(newRunbookTemplate(title), { path });
}

describe('New Runbook template', () => {
  describe('the runbook it makes', () => {
    const runbook = parseTemplate('Rotate API keys');

    it('parses with no diagnostics', () => {
      assertNoDiagnostics(runbook);
    });

    it('has the title, a description, an owner and no environment', () => {
      assert.equal(runbook.title, 'Rotate API keys');
      assert.ok(runbook.meta.description, 'a description');
      assert.ok(runbook.meta.owner, 'an owner placeholder');
      assert.equal(runbook.meta.environment, undefined, 'the author sets the environment; the template cannot know it');
    });

    it('declares one input with a description, a default and a pattern the default satisfies', () => {
      assert.equal(runbook.inputs.length, 1);
      const [input] = runbook.inputs;
      assert.equal(input.name, TEMPLATE_INPUT.name);
      assert.ok(input.description);
      assert.equal(input.default, TEMPLATE_INPUT.default);
      assert.ok(input.pattern);
      assert.match(input.default ?? '', new RegExp(input.pattern ?? '', 'u'));
      assert.equal(input.required, false);
      assert.equal(input.secret, false);
    });

    it('has one section, one named step with expected output, and one manual step', () => {
      assert.equal(runbook.sections.length, 1);
      assert.equal(runbook.sections[0].level, 2);
      assert.equal(runbook.steps.length, 1);
      const [step] = runbook.steps;
      assert.equal(step.id, 'show-target');
      assert.equal(step.attributes.name, 'show-target');
      assert.equal(step.language, 'bash');
      assert.equal(step.attributes.confirm, false, 'no confirm without an environment');
      assert.ok(step.expected, 'the step has an expected-output block');
      assert.equal(runbook.manualSteps.length, 1);
      assert.equal(runbook.manualSteps[0].checkedInFile, false);
      assert.deepEqual(
        runbook.items.map((item) => item.kind),
        ['code', 'manual'],
      );
      assert.ok(runbook.items.every((item) => item.sectionIndex === 0), 'everything is in the section');
    });

    it('uses the input as a quoted environment variable and only prints', () => {
      const [step] = runbook.steps;
      assert.ok(step.code.includes(`"$${TEMPLATE_INPUT.name}"`), step.code);
      for (const line of step.code.split('\n')) assert.match(line, /^(printf|echo|date) /, `only harmless commands: ${line}`);
    });

    it('ends with a newline and has no trailing spaces', () => {
      const text = newRunbookTemplate('Rotate API keys');
      assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
      assert.ok(!/[ \t]$/m.test(text));
    });
  });

  describe('titles', () => {
    const hostile = [
      'Restart: the API',
      'Say "hello"',
      'Issue #42 # not a comment',
      "It's a 'quote'",
      'Back\\slash \\n not a newline',
      '- a list item?',
      '[not, a, list]',
      '{ not: a map }',
      '* alias? & anchor! % directive @ at ` tick |pipe >fold',
      'yes',
      'null',
      '~',
      '123',
      '0x1F',
      '---',
      '...',
      '"',
      '\\',
      'Ünïcödé — 重启 API 🚀',
      'Tab\there',
      'Line\nbreak',
      'Odd\u0085\u2028\u2029\uFEFF\u0007spaces',
      'Lone \uD800 surrogate',
      '${{ not.an.expression }} $(not a command)',
    ];
    for (const title of hostile) {
      it(`keeps ${JSON.stringify(title)} as the runbook's title`, () => {
        const runbook = parseTemplate(title);
        assertNoDiagnostics(runbook);
        assert.equal(runbook.title, normalizeTitle(title));
        assert.equal(runbook.frontMatter?.title, normalizeTitle(title));
      });
    }

    it('round-trips any title (property)', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (title) => {
          fc.pre(titleProblem(title) === undefined);
          const runbook = parseTemplate(title);
          assert.deepEqual(runbook.diagnostics, []);
          assert.equal(runbook.title, normalizeTitle(title));
        }),
        { numRuns: 500 },
      );
    });

    it('normalizes a title to one trimmed line', () => {
      assert.equal(normalizeTitle('  Restart \n\t the   API \r\n'), 'Restart the API');
      assert.equal(normalizeTitle('e\u0301'), '\u00e9');
    });

    it('quotes every YAML scalar, escaping quotes, backslashes and non-printables', () => {
      assert.equal(yamlString('plain'), '"plain"');
      assert.equal(yamlString('a "b" \\ c'), '"a \\"b\\" \\\\ c"');
      assert.equal(yamlString('x\u0007\uFEFF'), '"x\\u0007\\ufeff"');
    });

    it('rejects an empty or overlong title with a message that names the problem', () => {
      assert.match(titleProblem('') ?? '', /Enter a title/);
      assert.match(titleProblem(' \t\n ') ?? '', /Enter a title/);
      assert.match(titleProblem('x'.repeat(MAX_TITLE_LENGTH + 1)) ?? '', /Shorten the title to 200 characters/);
      assert.equal(titleProblem('x'.repeat(MAX_TITLE_LENGTH)), undefined);
      assert.throws(() => newRunbookTemplate('   '), /Enter a title/);
    });
  });

  describe('file names', () => {
    const cases: Array<[string, string]> = [
      ['Rotate API keys', 'rotate-api-keys.md'],
      ['  Restart:   the "payments" API!  ', 'restart-the-payments-api.md'],
      ['Fail over -- the DB', 'fail-over-the-db.md'],
      ['Redémarrer l’API', 'redémarrer-lapi.md'],
      ['snake_case title', 'snake_case-title.md'],
      ['../../etc/passwd', 'etcpasswd.md'],
      ['C:\\Windows\\evil', 'cwindowsevil.md'],
      ['!!!', FALLBACK_FILE_NAME],
      ['🚀🔥', FALLBACK_FILE_NAME],
      ['---', FALLBACK_FILE_NAME],
      ['CON', 'con-runbook.md'],
      ['nul', 'nul-runbook.md'],
    ];
    for (const [title, expected] of cases) {
      it(`${JSON.stringify(title)} → ${expected}`, () => {
        assert.equal(runbookFileName(title), expected);
      });
    }

    it('keeps names short, without a dash at the end', () => {
      const name = runbookFileName(`${'word '.repeat(40)}end`);
      assert.ok(name.length <= 83, name);
      assert.match(name, /^word-word.*[a-z]\.md$/);
    });

    it('always makes a plain file name: no separators, no dot files (property)', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (title) => {
          const name = runbookFileName(title);
          assert.match(name, /\.md$/);
          assert.ok(!/[\\/:*?"<>|\0]/.test(name), name);
          assert.ok(!name.startsWith('.') && !name.startsWith('-'), name);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('running its step (real process)', function () {
    let dir: string;
    beforeEach(() => {
      dir = makeTempDir('runbook-template-test-');
    });
    afterEach(() => removeDir(dir));

    it('passes its expected output with the input default', async () => {
      const runbook = parseTemplate('Rotate API keys', join(dir, 'rotate-api-keys.md'));
      const [step] = runbook.steps;
      const result = await runStep({ runbook, step, values: { [TEMPLATE_INPUT.name]: TEMPLATE_INPUT.default } });
      assert.equal(result.status, 'passed', describeResult(result));
      assert.equal(result.exitCode, 0);
      assert.match(result.output, /^Service: example-service\nStarted: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
      assert.equal(result.expected?.ok, true, describeResult(result));
    });

    it('passes with another valid value too, and fails the check when the value breaks the pattern', async () => {
      const runbook = parseTemplate('Rotate API keys', join(dir, 'rotate-api-keys.md'));
      const [step] = runbook.steps;
      const other = await runStep({ runbook, step, values: { [TEMPLATE_INPUT.name]: 'billing-api' } });
      assert.equal(other.expected?.ok, true, describeResult(other));
      const invalid = await runStep({ runbook, step, values: { [TEMPLATE_INPUT.name]: 'Not Valid; rm -rf /' } });
      assert.equal(invalid.status, 'failed');
      assert.equal(invalid.notStarted, true, 'an input that breaks its pattern stops the step before it starts');
    });
  });
});
