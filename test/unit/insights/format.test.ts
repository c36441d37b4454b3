// The output formats of `runbook stats`: a terminal table, JSON that reads back, CSV that an
// independent RFC 4180 parser (Python's csv module, a real process) reads back cell for cell, and
// Markdown whose table markdown-it sees with every row whole, whatever the titles hold.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  csvField,
  formatInsights,
  formatInsightsCsv,
  formatInsightsJson,
  formatInsightsMarkdown,
  formatInsightsTable,
  formatProblems,
  loadInsightsSources,
  summarizeInsights,
  type Insights,
} from '../../../src/core/insights';
import { createMarkdownIt } from '../../../src/core/runbook';
import { DAY, NOW, entry, jsonl, makeTempDir, period, removeDir, runbookText, writeFile } from './helpers';

const TRICKY = ['Restart "api", then |drain| *now*', '=HYPERLINK("https://evil.example.com")', 'Two\nlines: a, b'];

describe('insights: output formats', () => {
  let dir: string;
  let insights: Insights;

  before(async () => {
    dir = makeTempDir();
    const root = join(dir, 'repo');
    const paths = TRICKY.map((_, i) => `runbooks/r${i}.md`);
    TRICKY.forEach((title, i) => writeFile(join(root, paths[i]), `---\ntitle: ${JSON.stringify(title)}\n---\n${runbookText('Body', 2)}`));
    writeFile(join(root, 'runbooks/plain.md'), runbookText('Plain runbook'));
    const history = writeFile(
      join(dir, 'h.jsonl'),
      `${jsonl([
        entry({ runbook: paths[0], runId: 'a', where: 'cli', at: NOW - DAY, durationMs: 2 * 3_600_000 }),
        entry({ runbook: paths[1], runId: 'b', where: 'cli', at: NOW - 2 * DAY, durationMs: 60_000, result: 'failed' }),
        entry({ runbook: paths[2], at: NOW - 3 * DAY }),
      ])}{"cut": `,
    );
    const sources = await loadInsightsSources({ root, runbooks: [...paths, 'runbooks/plain.md'], historyFiles: [history], issueFiles: [join(dir, 'missing.json')] });
    insights = summarizeInsights(sources, { period: period('30d') });
  });
  after(() => removeDir(dir));

  it('the table: a summary line, a header, one aligned row per runbook in rank order, the why last', () => {
    const text = formatInsightsTable(insights);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], 'Last 30d (2025-05-02 to 2025-06-01): 3 runs by 1 person · 2.0 h hands-on · 0 h unattended (time saved) · 0 of 0 issues name a runbook');
    assert.match(lines[2], /^# {2}runbook\s+runs {2}people {2}hands-on {2}failed {2}issues {2}stage\s+why$/);
    assert.match(lines[3], /^- {2}-+ {2}-+/);
    const rows = lines.slice(4);
    assert.equal(rows.length, 4);
    assert.match(rows[0], /^1 {2}runbooks\/r0\.md\s+1\s+1\s+2\.0 h\s+0%\s+0 {2}runbook {2}2\.0 h hands-on over 1 run by 1 person; nothing automated yet\.$/);
    assert.match(rows[3], /^4 {2}runbooks\/plain\.md .* Not run in the last 30d; nothing to rank it by\.$/);
    // Columns line up: "runs" ends at the same place in every row.
    const end = lines[2].indexOf('runs') + 'runs'.length;
    for (const row of rows) assert.match(row.slice(0, end), /\d$/);
  });

  it('JSON reads back as the same insights', () => {
    const text = formatInsightsJson(insights);
    assert.deepEqual(JSON.parse(text), insights);
    assert.equal(formatInsights(insights, 'json'), text);
  });

  it('CSV (RFC 4180): CRLF rows, quoted commas, quotes and line breaks, formulas defused; Python\'s csv module reads it back', () => {
    const text = formatInsightsCsv(insights);
    assert.ok(text.endsWith('\r\n'));
    const script = 'import csv, json, sys\nprint(json.dumps(list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))))';
    const file = writeFile(join(dir, 'out.csv'), text);
    const rows = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as string[][];
    assert.equal(rows.length, 1 + insights.runbooks.length);
    assert.deepEqual(rows[0].slice(0, 4), ['rank', 'path', 'title', 'runs']);
    assert.ok(rows.every((row) => row.length === rows[0].length));
    const titles = Object.fromEntries(rows.slice(1).map((row) => [row[1], row[2]]));
    assert.equal(titles['runbooks/r0.md'], TRICKY[0]);
    assert.equal(titles['runbooks/r1.md'], `'${TRICKY[1]}`);
    assert.equal(titles['runbooks/r2.md'], TRICKY[2]);
    const r1 = rows.find((row) => row[1] === 'runbooks/r1.md');
    assert.deepEqual([r1?.[rows[0].indexOf('failure_rate')], r1?.[rows[0].indexOf('hands_on_hours')]], ['1', '0.02']);
    assert.equal(rows.find((row) => row[1] === 'runbooks/plain.md')?.[rows[0].indexOf('failure_rate')], '');
  });

  it('csvField quotes only what needs it', () => {
    assert.deepEqual(
      ['plain', 'a,b', 'say "hi"', 'x\ny', '-1 item', '@me', 3.5, null].map(csvField),
      ['plain', '"a,b"', '"say ""hi"""', '"x\ny"', "'-1 item", "'@me", '3.5', ''],
    );
  });

  it('Markdown: every table row keeps its nine cells whatever the titles hold; the input problems are listed', () => {
    const text = formatInsightsMarkdown(insights);
    const tokens = createMarkdownIt().parse(text, {});
    const rows: string[][] = [];
    let cells: string[] | undefined;
    for (const token of tokens) {
      if (token.type === 'tr_open') cells = [];
      else if (token.type === 'tr_close' && cells) {
        rows.push(cells);
        cells = undefined;
      }
      else if (token.type === 'inline' && cells) cells.push(token.content);
    }
    assert.equal(rows.length, 1 + insights.runbooks.length);
    assert.ok(rows.every((row) => row.length === 9), JSON.stringify(rows));
    const html = createMarkdownIt().render(text);
    assert.ok(!html.includes('<em>now</em>'), 'a title\'s *now* stays literal');
    assert.ok(html.includes('Restart &quot;api&quot;, then |drain| *now*'), html);
    assert.match(text, /^# Runbook insights: last 30d$/m);
    assert.match(text, /^## Automation$/m);
    assert.match(text, /- \*\*Plain runbook\*\* \(`runbooks\/plain\.md`\): 0 of 1 step automated · no workflow$/m);
    assert.match(text, /^## Input problems$/m);
    assert.match(text, /^- `.*h\.jsonl:4`: not JSON: the last line is cut short/m);
    assert.match(text, /^- `.*missing\.json`: no such file$/m);
  });

  it('problems as stderr lines: file:line: message', () => {
    assert.equal(formatProblems([{ file: 'a.jsonl', line: 3, message: 'not JSON' }, { file: 'b.json', message: 'no such file' }]), 'a.jsonl:3: not JSON\nb.json: no such file\n');
    assert.deepEqual(
      insights.problems.map((p) => p.message),
      ['not JSON: the last line is cut short (a write that did not finish?)', 'no such file'],
    );
  });
});
