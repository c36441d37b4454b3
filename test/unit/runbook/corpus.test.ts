import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { DEFAULT_LANGUAGES, fenceLanguage, parseRunbook, type Runbook } from '../../../src/core/runbook';
import { CORPUS, corpusRunbooks } from '../../support/corpus';
import { textLines } from './helpers';

/** The text without a leading `---` front matter block (and BOM), as a plain Markdown viewer would skip it. */
function withoutFrontMatter(text: string): string {
  const source = text.replace(/^\uFEFF/, '');
  const match = /^---[ \t]*\r?\n(?:[\s\S]*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(source);
  return match ? source.slice(match[0].length) : source;
}

/** Runnable fences as an independent markdown-it sees them. */
function countRunnableFences(text: string): number {
  const md = new MarkdownIt({ html: true, linkify: true });
  return md.parse(withoutFrontMatter(text), {}).filter((t) => t.type === 'fence' && fenceLanguage(t.info) in DEFAULT_LANGUAGES).length;
}

describe('runbook corpus', function () {
  // 261 files: a generous bound for a loaded machine (mocha's default is 2 s without the project's config).
  this.timeout(120_000);
  const files = corpusRunbooks();
  const parsed = new Map<string, Runbook>();

  before(function () {
    if (files.length === 0) this.skip();
  });

  it('has runbooks to read', function () {
    if (files.length === 0) this.skip();
    assert.ok(files.length > 200, `found ${files.length} files`);
    assert.ok(!files.includes(path.join(CORPUS, 'README.md')));
  });

  it('parses every file without throwing, one step per runnable fence', function () {
    if (files.length === 0) this.skip();
    const mismatches: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const relative = path.relative(CORPUS, file);
      let runbook: Runbook;
      try {
        runbook = parseRunbook(text, { path: file });
      } catch (error) {
        assert.fail(`${relative}: parseRunbook threw ${(error as Error).stack}`);
      }
      parsed.set(file, runbook);
      const expected = countRunnableFences(text);
      if (runbook.steps.length !== expected) mismatches.push(`${relative}: ${runbook.steps.length} steps, ${expected} runnable fences`);
    }
    assert.deepEqual(mismatches, []);
  });

  it('keeps every range inside its file and on the right lines', function () {
    if (parsed.size === 0) this.skip();
    for (const [file, runbook] of parsed) {
      const relative = path.relative(CORPUS, file);
      const lines = textLines(readFileSync(file, 'utf8'));
      assert.equal(runbook.lineCount, lines.length, relative);
      for (const step of runbook.steps) {
        assert.ok(step.startLine >= 0 && step.startLine <= step.endLine && step.endLine < lines.length, `${relative}: step at ${step.startLine}`);
        assert.match(lines[step.startLine], /(```|~~~)/, `${relative}:${step.startLine + 1} opens a fence`);
      }
      for (const item of runbook.manualSteps) assert.ok(item.startLine <= item.endLine && item.endLine < lines.length, relative);
      for (const diagnostic of runbook.diagnostics) assert.ok(diagnostic.line <= diagnostic.endLine && diagnostic.endLine < lines.length, relative);
      const ids = runbook.items.map((i) => i.id);
      assert.equal(new Set(ids).size, ids.length, `${relative}: ids are unique`);
    }
  });

  it('yields a plausible number of steps, transcripts and titles', function () {
    if (parsed.size === 0) this.skip();
    const runbooks = [...parsed.values()];
    const steps = runbooks.flatMap((r) => r.steps);
    const transcripts = steps.filter((s) => s.transcript);
    assert.ok(steps.length > 800, `${steps.length} steps`);
    assert.ok(transcripts.length > 50, `${transcripts.length} transcripts`);
    for (const step of transcripts) {
      assert.equal(step.family, 'shell');
      assert.ok(step.code.length <= step.source.length);
      assert.ok(!/^\s*\$ /m.test(step.code) || step.code.includes('<<'), `prompt left in transcript code: ${step.code}`);
    }
    assert.ok(runbooks.every((r) => r.title.trim().length > 0));
    assert.ok(runbooks.filter((r) => r.frontMatter !== undefined).length > 10, 'some corpus files have front matter');
    // The corpus is well-formed apart from a few unclosed fences: no errors at all.
    const errors = runbooks.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'error'));
    assert.deepEqual(errors, []);
  });
});
