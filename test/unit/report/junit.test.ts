// The JUnit builder against a real XML parser: every outcome, counts, and text no step output can
// break (markup, `]]>`, terminal colours, control characters, lone surrogates, quotes and line
// breaks in attributes); plus the Markdown report and history lines the scripts write.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { appendHistoryLine, headlessOrigin, historyInputs, type HistoryLine } from '../../../src/core/report/historyLine';
import { junitXml, type JUnitCase } from '../../../src/core/report/junit';
import { markdownRunReport } from '../../../src/core/report/markdown';

const HOSTILE = 'a]]>b <tag attr="x"> & \u001b[31mred\u001b[0m \u0000nul \u0007bell \ud800lone \uffff end\r\nline "two"\t\'q\'';

describe('report: JUnit XML', () => {
  const cases: JUnitCase[] = [
    { name: 'passes', classname: 'ops/x.runbook.md', durationMs: 1234, outcome: 'passed', output: HOSTILE },
    { name: 'fails', classname: 'ops/x.runbook.md', durationMs: 10, outcome: 'failure', type: 'failed', message: HOSTILE, details: HOSTILE },
    { name: 'times out', classname: 'ops/x.runbook.md', durationMs: 1000, outcome: 'failure', type: 'timed-out', message: 'Timed out after 1s' },
    { name: HOSTILE, classname: 'ops/x.runbook.md', durationMs: 0, outcome: 'skipped', message: 'left for a person' },
  ];
  const xml = junitXml([{ name: `Suite ${HOSTILE}`, timestamp: '2025-01-02T03:04:05.000Z', properties: { runbook: 'ops/x.runbook.md' }, cases }], 'all');
  const parse = () =>
    new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', trimValues: false, htmlEntities: true, isArray: (name) => name === 'testcase' }).parse(xml) as {
      testsuites: Record<string, string> & { testsuite: Record<string, string> & { testcase: Array<Record<string, unknown>> } };
    };

  it('is well-formed XML whatever the output holds', () => {
    assert.equal(XMLValidator.validate(xml), true);
  });

  it('counts tests, failures and skips, and times in seconds', () => {
    const { testsuites } = parse();
    assert.deepEqual([testsuites.tests, testsuites.failures, testsuites.skipped, testsuites.errors, testsuites.time], ['4', '2', '1', '0', '2.244']);
    assert.equal(testsuites.testsuite.tests, '4');
    assert.equal(testsuites.testsuite.timestamp, '2025-01-02T03:04:05.000Z');
    assert.deepEqual(testsuites.testsuite.testcase.map((c) => c.time), ['1.234', '0.010', '1.000', '0.000']);
  });

  it('keeps the text readable: markup and `]]>` as text, colours dropped, impossible characters replaced', () => {
    const { testsuite } = parse().testsuites;
    const expectedText = 'a]]>b <tag attr="x"> & red \ufffdnul \ufffdbell \ufffdlone \ufffd end\r\nline "two"\t\'q\'';
    assert.equal(testsuite.testcase[0]['system-out'], expectedText.replace('\r\n', '\n'));
    const failure = testsuite.testcase[1].failure as Record<string, string>;
    assert.equal(failure.type, 'failed');
    assert.equal(failure.message, expectedText, 'attribute line breaks and tabs survive as references');
    assert.equal(testsuite.testcase[3].name, expectedText);
    assert.deepEqual(testsuite.testcase[3].skipped, { message: 'left for a person' });
    assert.equal((testsuite.testcase[2].failure as Record<string, string>).type, 'timed-out');
  });
});

describe('report: the Markdown run report', () => {
  it('keeps step output inside its fence and titles from becoming markup', () => {
    const text = markdownRunReport({
      title: '# not a heading | pipe',
      runbookPath: 'ops/x.runbook.md',
      startedAt: Date.UTC(2025, 0, 2),
      durationMs: 61_000,
      result: 'failed at "b"',
      passed: false,
      steps: [
        { id: 'a', title: 'a', kind: 'code', state: 'passed', durationMs: 100, exitCode: 0, output: '```\n# inside\n\u001b[32mgreen\u001b[0m\nold\rnew' },
        { id: 'b', title: 'b | c', kind: 'code', state: 'failed', durationMs: 200, exitCode: 2, message: 'The step exited with code 2.' },
        { id: 'm', title: 'Page *someone*', kind: 'manual', state: 'skipped' },
      ],
    });
    assert.match(text, /^# \\# not a heading \\\| pipe: ❌ failed at "b"$/m);
    assert.match(text, /^\| 2 \| b \\\| c `b` \| ❌ failed \(exit 2\) \| 0\.2s \| 2 \|$/m);
    assert.match(text, /^````text\n```\n# inside\ngreen\nnew\n````$/m);
    assert.match(text, /^- \[ \] Page \\\*someone\\\*$/m);
    assert.match(text, /took 1m 1s/);
  });
});

describe('report: history lines', () => {
  it('leaves secrets out, masks them inside other values, cuts long values, and closes a torn line first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-history-'));
    try {
      const file = join(dir, 'deep', 'history.jsonl');
      const inputs = historyInputs({ TOKEN: 'sekret', URL: 'https://u:sekret@host', LONG: 'x'.repeat(600) }, new Set(['TOKEN']));
      assert.deepEqual(Object.keys(inputs), ['URL', 'LONG']);
      assert.equal(inputs.URL, 'https://u:••••@host');
      assert.equal(inputs.LONG.length, 500);
      const line: HistoryLine = { runbook: 'x.md', runbookTitle: 'X', step: 's', stepTitle: 'S', kind: 'code', who: 'me', where: 'cli', runId: 'r', at: new Date(0).toISOString(), durationMs: 1, result: 'passed', inputs };
      appendHistoryLine(file, line);
      writeFileSync(file, `${readFileSync(file, 'utf8')}{"torn":`);
      appendHistoryLine(file, { ...line, step: 't' });
      const lines = readFileSync(file, 'utf8').split('\n');
      assert.equal(JSON.parse(lines[0]).step, 's');
      assert.equal(lines[1], '{"torn":');
      assert.equal(JSON.parse(lines[2]).step, 't');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says ci when the CI variable is set, else cli', () => {
    assert.equal(headlessOrigin({ CI: 'true' }), 'ci');
    assert.equal(headlessOrigin({ CI: '1' }), 'ci');
    assert.equal(headlessOrigin({}), 'cli');
    assert.equal(headlessOrigin({ CI: 'false' }), 'cli');
    assert.equal(headlessOrigin({ CI: '' }), 'cli');
  });
});
