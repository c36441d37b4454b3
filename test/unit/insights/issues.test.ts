// Reading issue-queue exports: GitHub's `gh issue list --json` and GitLab's REST JSON are told
// apart by their fields, concatenated pages read as one export, and anything else is reported
// with the file (and line) while the rest still counts.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { parseIssueExport, readIssueFiles } from '../../../src/core/insights';
import { FIXTURES, makeTempDir, removeDir, writeFile } from './helpers';

describe('insights: issue exports', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('reads a GitHub export: number, title, body and label names, dates, URL', async () => {
    const file = join(FIXTURES, 'issues/github.json');
    const { issues, problems } = await readIssueFiles([file]);
    assert.deepEqual(problems, []);
    assert.equal(issues.length, 7);
    assert.deepEqual(issues[0], {
      source: 'github',
      number: 101,
      title: 'Payments API latency again',
      text: 'Payments API latency again\np99 went up; we had to Restart the payments API twice today.\nincident',
      url: 'https://github.com/acme/ops/issues/101',
      createdAt: Date.parse('2025-05-20T10:00:00Z'),
      closedAt: Date.parse('2025-05-21T10:00:00Z'),
    });
    assert.equal(issues[1].closedAt, undefined);
  });

  it('reads a GitLab export: iid, description (null too), string labels, snake_case dates, web_url', async () => {
    const { issues, problems } = await readIssueFiles([join(FIXTURES, 'issues/gitlab.json')]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      issues.map((issue) => [issue.source, issue.number, issue.url, issue.createdAt, issue.text.split('\n').length]),
      [
        ['gitlab', 7, 'https://gitlab.example.com/acme/ops/-/issues/7', Date.parse('2025-05-24T08:00:00.000Z'), 4],
        ['gitlab', 8, 'https://gitlab.example.com/acme/ops/-/issues/8', Date.parse('2025-05-25T08:00:00.000Z'), 3],
      ],
    );
    assert.match(issues[1].text, /Clear the dead letter queue$/);
  });

  it('reads pages written one after another (an API paginated into one file), with brackets inside bodies', () => {
    const page1 = JSON.stringify([{ iid: 1, title: 'a ] [ b', description: '} { "[" ', web_url: 'u1', created_at: '2025-01-01T00:00:00Z' }]);
    const page2 = JSON.stringify([{ iid: 2, title: 'c', description: 'd', web_url: 'u2', created_at: '2025-01-02T00:00:00Z' }], null, 2);
    const { issues, problems } = parseIssueExport(`${page1}\n${page2}\n`, 'pages.json');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      issues.map((issue) => issue.title),
      ['a ] [ b', 'c'],
    );
  });

  it('reports an unknown format with the file and the fields it saw, and counts nothing from it', () => {
    const { issues, problems } = parseIssueExport(JSON.stringify([{ id: 1, summary: 'Jira?', key: 'OPS-1' }]), 'jira.json');
    assert.deepEqual(issues, []);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, 'jira.json');
    assert.match(problems[0].message, /^not a GitHub or GitLab issue export \(the first item has id, summary, key\)/);
  });

  it('reports a JSON error with its line; the pages before it still count', () => {
    const good = JSON.stringify([{ number: 1, title: 'one', body: '', url: 'u1', createdAt: '2025-01-01T00:00:00Z' }]);
    const text = `${good}\n[\n  {"number": 2, "title": "two",\n   "body": "cut sh`;
    const { issues, problems } = parseIssueExport(text, 'cut.json');
    assert.deepEqual(
      issues.map((issue) => issue.number),
      [1],
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, 'cut.json');
    assert.ok(problems[0].line !== undefined && problems[0].line >= 2, JSON.stringify(problems));
    assert.match(problems[0].message, /^not JSON: /);
  });

  it('reports items that are not issues by number, and issues without a date, and counts the others', () => {
    const text = JSON.stringify([
      { number: 1, title: 'ok', body: 'b', url: 'u1', createdAt: '2025-01-01T00:00:00Z' },
      'a string',
      { number: '2', title: 'number as text', url: 'u2' },
      { number: 3, title: 'no date', url: 'u3' },
    ]);
    const { issues, problems } = parseIssueExport(text, 'gh.json');
    assert.deepEqual(
      issues.map((issue) => issue.number),
      [1, 3],
    );
    assert.deepEqual(
      problems.map((problem) => problem.message),
      [
        'item 2: not an issue (not a JSON object)',
        'item 3: not a GitHub issue (no "number" or "title")',
        '1 of 2 issues have no creation date (createdAt); they count in every period',
      ],
    );
  });

  it('reports an empty file, a missing file, and a file that is not JSON, and reads the rest', async () => {
    const empty = writeFile(join(dir, 'empty.json'), '');
    const text = writeFile(join(dir, 'notes.txt'), 'issue 1: restart the API\n');
    const missing = join(dir, 'missing.json');
    const { issues, problems } = await readIssueFiles([empty, text, missing, join(FIXTURES, 'issues/gitlab.json')]);
    assert.equal(issues.length, 2);
    assert.deepEqual(
      problems.map((problem) => [problem.file, problem.line, problem.message.replace(/: .*/, '')]),
      [
        [empty, undefined, 'empty file'],
        [text, 1, 'not JSON'],
        [missing, undefined, 'no such file'],
      ],
    );
  });

  it('an issue in two exports (the same URL) counts once', async () => {
    const copy = writeFile(join(dir, 'again.json'), JSON.stringify([{ number: 101, title: 'Payments API latency again', body: 'edited since', url: 'https://github.com/acme/ops/issues/101' }]));
    const { issues } = await readIssueFiles([join(FIXTURES, 'issues/github.json'), copy]);
    assert.equal(issues.length, 7);
  });
});
