import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseRunbook, type LineRange, type Section } from '../../../src/core/runbook';
import { markdown, mutatedMarkdown, yamlSoup } from './generators';
import { textLines } from './helpers';

// Property tests: whatever the text, parseRunbook returns (never throws) a model whose line ranges
// lie inside the document and agree with its lines, and that is plain data (it crosses to the
// webview as JSON). Inputs are random strings, Markdown built from runbook-like fragments (see
// generators.ts), then mutated, and front matter made of YAML punctuation.

const NUM_RUNS = 300;

/** A fence line: container markers (indent, `>`, list markers) then ``` or ~~~. */
const OPENING_FENCE = /^(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*(`{3,}|~{3,})/;
const CLOSING_FENCE = /^(?:[ \t>])*(`{3,}|~{3,})[ \t]*$/;

/** Titles from the outermost section down to `index`, following `parent` links. */
function pathOf(sections: Section[], index: number): string[] {
  assert.ok(index >= -1 && index < sections.length, `section index ${index}`);
  const path: string[] = [];
  for (let i = index; i >= 0; i = sections[i].parent) path.unshift(sections[i].title);
  return path;
}

function checkModel(text: string): void {
  const runbook = parseRunbook(text, { path: 'prop.runbook.md' });
  assert.doesNotThrow(() => JSON.stringify(runbook), 'the model is plain data, with no cycles');
  const lines = textLines(text);
  const expectedLineCount = text === '' || text === '\uFEFF' ? 0 : lines.length;
  assert.equal(runbook.lineCount, expectedLineCount, 'lineCount counts the document lines');
  const limit = Math.max(1, runbook.lineCount);
  const inRange = (what: string, range: LineRange) => {
    assert.ok(
      Number.isInteger(range.startLine) && Number.isInteger(range.endLine) && range.startLine >= 0 && range.startLine <= range.endLine && range.endLine < limit,
      `${what} ${JSON.stringify(range)} outside 0..${limit - 1}`,
    );
  };

  assert.equal(typeof runbook.title, 'string');
  assert.ok(runbook.title.length > 0);
  const unclosed = new Set(runbook.diagnostics.filter((d) => d.code === 'unclosed-fence').map((d) => d.line));
  for (const step of runbook.steps) {
    inRange(`step ${step.id}`, step);
    assert.equal(step.codeStartLine, step.startLine + 1);
    assert.match(lines[step.startLine], OPENING_FENCE, `step ${step.id} starts on a fence line`);
    if (!unclosed.has(step.startLine)) {
      assert.ok(step.endLine > step.startLine);
      assert.match(lines[step.endLine], CLOSING_FENCE, `closed step ${step.id} ends on a closing fence line`);
    }
    if (step.expected) {
      inRange(`expected output of ${step.id}`, step.expected);
      assert.ok(step.expected.startLine > step.endLine);
      assert.match(lines[step.expected.startLine], OPENING_FENCE);
    }
    assert.deepEqual(step.sectionPath, pathOf(runbook.sections, step.sectionIndex));
    assert.ok(!step.code.includes('\r'));
  }
  for (const manual of runbook.manualSteps) {
    inRange(`manual step ${manual.id}`, manual);
    assert.deepEqual(manual.sectionPath, pathOf(runbook.sections, manual.sectionIndex));
    assert.match(lines[manual.startLine], /\[[ xX]\]/);
  }
  for (const section of runbook.sections) {
    inRange(`section ${section.slug}`, { startLine: section.line, endLine: section.line });
    assert.ok(section.parent >= -1 && section.parent < runbook.sections.indexOf(section));
  }
  for (const diagnostic of runbook.diagnostics) {
    inRange(`diagnostic ${diagnostic.code}`, { startLine: diagnostic.line, endLine: diagnostic.endLine });
    assert.ok(diagnostic.message.length > 0);
  }
  if (runbook.frontMatterRange) inRange('front matter', runbook.frontMatterRange);

  const ids = runbook.items.map((i) => i.id);
  assert.equal(new Set(ids).size, ids.length, `ids are unique: ${ids.join(', ')}`);
  assert.equal(runbook.items.length, runbook.steps.length + runbook.manualSteps.length);
  for (let i = 1; i < runbook.items.length; i++) assert.ok(runbook.items[i - 1].startLine <= runbook.items[i].startLine, 'items are in document order');
  const slugs = runbook.sections.map((s) => s.slug);
  assert.equal(new Set(slugs).size, slugs.length, 'section slugs are unique');
}

describe('runbook parser properties', function () {
  // A generous bound for a loaded machine (mocha's default is 2 s without the project's config).
  this.timeout(120_000);

  it('handles arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), checkModel), { numRuns: NUM_RUNS });
  });

  it('handles strings made of Markdown punctuation', () => {
    const unit = fc.constantFrom('`', '~', '-', '>', '#', '[', ']', 'x', ' ', '\n', '\r', '{', '}', '=', '$', '\\', '*', '1', '.', 'a', '\t', '"');
    fc.assert(fc.property(fc.string({ unit, maxLength: 300 }), checkModel), { numRuns: NUM_RUNS });
  });

  it('handles runbook-like Markdown', () => {
    fc.assert(fc.property(markdown, checkModel), { numRuns: NUM_RUNS });
  });

  it('handles mutated runbook-like Markdown', () => {
    fc.assert(fc.property(mutatedMarkdown, checkModel), { numRuns: NUM_RUNS });
  });

  it('handles front matter made of YAML punctuation, anchors and aliases', () => {
    fc.assert(fc.property(yamlSoup, checkModel), { numRuns: NUM_RUNS * 2 });
  });

  it('parses CRLF text like LF text', () => {
    fc.assert(
      fc.property(markdown, (text) => {
        const lf = text.replace(/\r\n?/g, '\n');
        assert.deepEqual(parseRunbook(lf.replace(/\n/g, '\r\n')), parseRunbook(lf));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('finds runnable fences in generated Markdown', () => {
    // Guards the generators: a property that never sees a step proves little.
    let steps = 0;
    let manual = 0;
    let transcripts = 0;
    fc.assert(
      fc.property(markdown, (text) => {
        const runbook = parseRunbook(text);
        steps += runbook.steps.length;
        manual += runbook.manualSteps.length;
        transcripts += runbook.steps.filter((s) => s.transcript).length;
      }),
      { numRuns: 200, seed: 42 },
    );
    assert.ok(steps > 100, `steps: ${steps}`);
    assert.ok(manual > 20, `manual steps: ${manual}`);
    assert.ok(transcripts > 10, `transcripts: ${transcripts}`);
  });
});
