import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import schema from '../../../schemas/runbook-front-matter.schema.json';
import { FRONT_MATTER_KEYS, INPUT_FIELD_TERMS } from '../../../src/core/authoring';
import { parseRunbook, type Runbook } from '../../../src/core/runbook';
import { INPUT_FIELDS } from '../../../src/core/runbook/inputs';
import { corpusRunbooks, markdownFilesUnder } from '../../support/corpus';
import { md } from './helpers';

const PROJECT = path.resolve(__dirname, '../../..');
const validate = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true }).compile(schema);

/** Problems the parser reports about the front matter's keys and inputs (not YAML syntax). */
function frontMatterProblems(runbook: Runbook): string[] {
  return runbook.diagnostics
    .filter((d) => ['front-matter-shape', 'front-matter-value', 'bad-timeout', 'invalid-input', 'unknown-input-field'].includes(d.code) && d.line < (runbook.frontMatterRange?.endLine ?? 0))
    .map((d) => d.message);
}

describe('front matter schema', () => {
  it('is what completions and hovers describe, field for field with the parser', () => {
    assert.deepEqual(INPUT_FIELD_TERMS.map((t) => t.name).sort(), INPUT_FIELDS.filter((f) => f !== 'name').sort());
    assert.deepEqual(FRONT_MATTER_KEYS.map((t) => t.name), Object.keys(schema.properties));
    for (const term of [...FRONT_MATTER_KEYS, ...INPUT_FIELD_TERMS]) assert.ok(term.description.length > 10, term.name);
  });

  it('accepts the front matter of every example and fixture the parser accepts', () => {
    const files = [...markdownFilesUnder(path.join(PROJECT, 'examples')), ...markdownFilesUnder(path.join(PROJECT, 'test/fixtures/workspace'))];
    let checked = 0;
    for (const file of files) {
      const runbook = parseRunbook(readFileSync(file, 'utf8'), { path: file });
      if (!runbook.frontMatter || frontMatterProblems(runbook).length > 0) continue;
      assert.ok(validate(runbook.frontMatter), `${file}: ${JSON.stringify(validate.errors)}`);
      checked++;
    }
    assert.ok(checked >= 3, `only ${checked} files had front matter`);
  });

  it('rejects what the parser reports', () => {
    const cases = [
      ['timeout: soon'],
      ['tags: { a: 1 }'],
      ['runbook: maybe'],
      ['inputs: 5'],
      ['inputs:', '  A: { type: text }'],
      ['inputs:', '  A: { secret: "yes" }'],
      ['inputs:', '  A: { descripton: typo }'],
      ['inputs:', '  A: { min: low }'],
      ['inputs:', '  A: { choices: [] }'],
      ['inputs:', '  1A: { description: bad name }'],
    ];
    for (const lines of cases) {
      const runbook = parseRunbook(md('---', ...lines, '---', '# x'));
      assert.ok(frontMatterProblems(runbook).length > 0, `the parser accepts ${lines.join(' / ')}`);
      assert.equal(validate(runbook.frontMatter), false, `the schema accepts ${lines.join(' / ')}`);
    }
  });

  it('agrees with the parser on the real-world corpus', function () {
    const files = corpusRunbooks();
    if (files.length === 0) this.skip();
    let withFrontMatter = 0;
    for (const file of files) {
      const runbook = parseRunbook(readFileSync(file, 'utf8'), { path: file });
      if (!runbook.frontMatter) continue;
      withFrontMatter++;
      const parserAccepts = frontMatterProblems(runbook).length === 0;
      assert.equal(validate(runbook.frontMatter), parserAccepts, `${file}: parser ${JSON.stringify(frontMatterProblems(runbook))}, schema ${JSON.stringify(validate.errors)}`);
    }
    assert.ok(withFrontMatter > 0);
  });
});
