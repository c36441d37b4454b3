import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { completionsAt, declaredInputReferences, diagnosticRange, hoverAt, lintRunbook, quickFixes, stepSymbols } from '../../../src/core/authoring';
import { parseRunbook } from '../../../src/core/runbook';
import { corpusRunbooks } from '../../support/corpus';
import { applyEdits } from './helpers';

describe('authoring help on the runbook corpus', function () {
  const files = corpusRunbooks();

  before(function () {
    if (files.length === 0) this.skip();
  });

  it('lints every file with ranges inside the document, and every quick fix leaves a file that parses', () => {
    const counts: Record<string, number> = {};
    let fixed = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
      const lines = text.split('\n');
      const runbook = parseRunbook(text, { path: file });
      for (const problem of [...runbook.diagnostics, ...lintRunbook(runbook, lines)]) {
        counts[problem.code] = (counts[problem.code] ?? 0) + 1;
        const range = diagnosticRange(problem, lines);
        const where = `${path.basename(file)}:${problem.line + 1} ${problem.code}`;
        assert.ok(range.line >= 0 && range.endLine < lines.length && range.line <= range.endLine, where);
        assert.ok(range.column >= 0 && range.endColumn <= lines[range.endLine].length + 1, where);
        for (const fix of quickFixes(problem, runbook, lines)) {
          const after = parseRunbook(applyEdits(text, fix.edits), { path: file });
          // A fix must not break what was fine: no new error kinds, and the same steps.
          assert.equal(after.steps.length, runbook.steps.length, `${where}: ${fix.title}`);
          fixed++;
        }
      }
    }
    assert.ok(counts['undeclared-input'] > 0 && counts['undeclared-placeholder'] > 0, JSON.stringify(counts));
    assert.ok(fixed > 0);
  });

  it('answers completions, hovers, symbols and input references in every file without throwing', () => {
    let offered = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
      const lines = text.split('\n');
      const runbook = parseRunbook(text, { path: file });
      for (let line = 0; line < lines.length; line++) {
        for (const character of [0, Math.floor(lines[line].length / 2), lines[line].length]) {
          if (completionsAt(runbook, lines, line, character)) offered++;
          hoverAt(runbook, lines, line, character);
        }
      }
      assert.equal(stepSymbols(runbook).length, runbook.steps.filter((s) => s.attributes.name).length, file);
      for (const reference of declaredInputReferences(runbook, lines)) {
        const text = lines[reference.line].slice(reference.column, reference.column + reference.length);
        assert.ok(text === reference.name || /^<.+>$/.test(text), `${path.basename(file)}:${reference.line + 1} "${text}" for ${reference.name}`);
      }
    }
    assert.ok(offered > 0);
  });
});
