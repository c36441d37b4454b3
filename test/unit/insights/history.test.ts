// Reading history files for insights: old lines without the optional fields still count, bad lines
// are reported with file and line while the rest counts, a line collected twice counts once, and
// folders of collected files are found.

import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findHistoryFiles, readHistoryFiles } from '../../../src/core/insights';
import { FIXTURES, entry, jsonl, makeTempDir, removeDir, writeFile } from './helpers';

describe('insights: history files', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('reads the fixture logs: old lines count as editor code steps, bad lines are reported by file and line', async () => {
    const editor = join(FIXTURES, 'history/editor.jsonl');
    const ci = join(FIXTURES, 'history/ci.jsonl');
    const read = await readHistoryFiles([editor, ci]);
    assert.equal(read.lines.length, 13 + 5);
    assert.equal(read.duplicates, 0);
    const bob = read.lines.filter((line) => line.who === 'bob');
    assert.equal(bob.length, 2);
    for (const line of bob) {
      assert.equal(line.where, 'editor');
      assert.equal(line.kind, 'code');
      assert.equal(line.runId, undefined);
    }
    // CRLF line ends (a file that went through a Windows checkout) read the same.
    assert.deepEqual(
      read.lines.filter((line) => line.where === 'ci').map((line) => line.runId),
      ['gh-1001', 'gh-1002', 'gh-1003'],
    );
    assert.deepEqual(read.problems, [
      { file: editor, line: 12, message: 'not a history line (no "runbook", "step", "at", "result", "durationMs")' },
      { file: editor, line: 15, message: 'not JSON: the last line is cut short (a write that did not finish?)' },
    ]);
  });

  it('counts a line collected twice once: the same file copied into a shared folder, or repeated inside one file', async () => {
    const original = join(FIXTURES, 'history/ci.jsonl');
    const copy = join(dir, 'shared', 'from-ci-artifact.jsonl');
    mkdirSync(join(dir, 'shared'));
    copyFileSync(original, copy);
    // Same lines re-written with LF ends, another key order and a byte-order mark: still the same executions.
    const reordered = readFileSync(original, 'utf8')
      .split('\r\n')
      .filter(Boolean)
      .map((text) => {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        return JSON.stringify(Object.fromEntries(Object.entries(parsed).reverse()));
      });
    const third = writeFile(join(dir, 'third.jsonl'), `\ufeff${reordered.join('\n')}\n${reordered[0]}\n`);
    const read = await readHistoryFiles([original, copy, third]);
    assert.equal(read.lines.length, 5);
    assert.equal(read.duplicates, 11);
    assert.deepEqual(read.problems, []);
  });

  it('keeps two executions that differ in any field apart', async () => {
    const base = entry({ runId: 'r1' });
    const file = writeFile(
      join(dir, 'h.jsonl'),
      jsonl([base, { ...base, who: 'bob' }, { ...base, at: new Date(Date.parse(base.at) + 1).toISOString() }, { ...base, result: 'failed' }, { ...base, runId: 'r2' }]),
    );
    assert.equal((await readHistoryFiles([file])).lines.length, 5);
  });

  it('reports a file that is not JSON lines as one problem, and a missing file or a folder by name', async () => {
    const pretty = writeFile(join(dir, 'pretty.json'), JSON.stringify([entry(), entry()], null, 2));
    const missing = join(dir, 'nope.jsonl');
    const good = writeFile(join(dir, 'good.jsonl'), jsonl([entry()]));
    const read = await readHistoryFiles([pretty, missing, dir, good]);
    assert.equal(read.lines.length, 1);
    assert.equal(read.problems.length, 3);
    assert.equal(read.problems[0].file, pretty);
    assert.equal(read.problems[0].line, 1);
    assert.match(read.problems[0].message, /^not a history file \(JSON lines\): none of its \d+ lines is a history line; line 1: not JSON/);
    assert.deepEqual(read.problems[1], { file: missing, message: 'no such file' });
    assert.deepEqual(read.problems[2], { file: dir, message: 'is a folder, not a history file' });
  });

  it('checks each field: a bad time, duration, origin or kind is one problem and the line is left out', async () => {
    const file = writeFile(
      join(dir, 'h.jsonl'),
      jsonl([
        { ...entry(), at: 'yesterday' },
        { ...entry(), durationMs: -5 },
        { ...entry(), where: 'cron' },
        { ...entry(), kind: 'auto' },
        { ...entry(), runId: 7 },
        entry({ step: 'fine' }),
        [1, 2],
      ]),
    );
    const read = await readHistoryFiles([file]);
    assert.deepEqual(
      read.lines.map((line) => line.step),
      ['fine'],
    );
    assert.deepEqual(
      read.problems.map((problem) => `${problem.line}: ${problem.message}`),
      [
        '1: "at" is not a time: "yesterday"',
        '2: "durationMs" is not a duration: -5',
        '3: "where" is "cron", not one of editor, cli, ci, alert',
        '4: "kind" is "auto", not code or manual',
        '5: "runId" is not a string',
        '7: not a history line (not a JSON object)',
      ],
    );
  });

  it('lists at most 20 bad lines of one file and counts the rest in one message', async () => {
    const lines = [...Array.from({ length: 30 }, () => '{"x":1}'), JSON.stringify(entry())];
    const file = writeFile(join(dir, 'h.jsonl'), `${lines.join('\n')}\n`);
    const read = await readHistoryFiles([file]);
    assert.equal(read.lines.length, 1);
    assert.equal(read.problems.length, 21);
    assert.deepEqual(read.problems[20], { file, message: '10 more bad lines not listed (30 in all, 1 good)' });
  });

  it('streams a large file in pieces: lines that straddle read chunks and multi-byte characters arrive whole', async function () {
    this.timeout(20_000);
    const title = 'Redémarrer l’API 支付 🚀 '.repeat(4);
    const entries = Array.from({ length: 8_000 }, (_, i) => entry({ step: `s${i}`, stepTitle: title, runbookTitle: title, at: Date.UTC(2025, 0, 1) + i * 1000 }));
    const file = writeFile(join(dir, 'big.jsonl'), jsonl(entries));
    const read = await readHistoryFiles([file]);
    assert.ok(readFileSync(file).length > 3 * 2 ** 20, 'the file spans several 1 MiB reads');
    assert.equal(read.lines.length, 8_000);
    assert.deepEqual(read.problems, []);
    assert.ok(read.lines.every((line) => line.runbookTitle === title));
    assert.equal(read.lines[7_999].step, 's7999');
  });

  it('with `since`, passes over lines that started before it, judged by the line\'s own "at" only', async () => {
    const old = entry({ step: 'old', at: '2025-01-01T00:00:00.000Z' });
    const recent = entry({ step: 'recent', at: '2025-05-01T00:00:00.000Z' });
    // An input named "at" holding an old time, written before the line's own "at": the line is recent.
    const tricky = { runbook: 'runbooks/a.md', inputs: { at: '2000-01-01T00:00:00.000Z' }, step: 'tricky', at: '2025-05-02T00:00:00.000Z', durationMs: 1, result: 'passed' };
    // A step title that quotes the key: inside a string, not the line's own.
    const quoted = { ...entry({ step: 'quoted', at: '2025-05-03T00:00:00.000Z' }), stepTitle: 'see "at":"2000-01-01T00:00:00Z"' };
    const file = writeFile(join(dir, 'h.jsonl'), `${jsonl([old, recent, tricky, quoted])}{"at":"2000-01-01T00:00:00Z", "cut`);
    const since = Date.parse('2025-04-01T00:00:00.000Z');
    const read = await readHistoryFiles([file], { since });
    assert.deepEqual(
      read.lines.map((line) => line.step),
      ['recent', 'tricky', 'quoted'],
    );
    // A bad line is still reported, old or not: it is not passed over unread.
    assert.deepEqual(
      read.problems.map((problem) => problem.line),
      [5],
    );
    const everything = await readHistoryFiles([file]);
    assert.deepEqual(
      everything.lines.map((line) => line.step),
      ['old', 'recent', 'tricky', 'quoted'],
    );
    // A log of only old lines is a history log, not "not a history file".
    const onlyOld = writeFile(join(dir, 'old.jsonl'), jsonl([old, { ...old, step: 'old2' }, '{"x":1}' as never, '{"x":2}' as never]));
    assert.ok((await readHistoryFiles([onlyOld], { since })).problems.every((problem) => !problem.message.startsWith('not a history file')));
  });

  it('finds the .jsonl files of a folder and its sub-folders, and reports a folder that does not exist', async () => {
    writeFile(join(dir, 'collected', 'ci', 'run-1', 'history.jsonl'), jsonl([entry()]));
    writeFile(join(dir, 'collected', 'alice.jsonl'), jsonl([entry()]));
    writeFile(join(dir, 'collected', 'notes.txt'), 'not history');
    const found = await findHistoryFiles(join(dir, 'collected'));
    assert.deepEqual(found, { files: [join(dir, 'collected', 'alice.jsonl'), join(dir, 'collected', 'ci', 'run-1', 'history.jsonl')], problems: [] });
    const absent = await findHistoryFiles(join(dir, 'absent'));
    assert.deepEqual(absent, { files: [], problems: [{ file: join(dir, 'absent'), message: 'no such file' }] });
  });
});
