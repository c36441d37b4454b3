// The fast way through history logs (src/core/insights/writtenLine.ts) must never change what is
// counted: every line, whichever way it is read, gives what `JSON.parse` and the full check give.
// Lines from the real writers (the run orchestration and the generated scripts' appender) take the
// fast way; lines that look like them but are not valid JSON, or hold escapes, do not; and the
// block reader finds every line across block edges, long lines and multi-byte characters.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import fc from 'fast-check';
import { readHistoryFiles, type HistoryLine } from '../../../src/core/insights';
import { LONGEST_PATTERN_LINE, WRITTEN_LINE, WrittenLineReader, parseTime, type WrittenFields } from '../../../src/core/insights/writtenLine';
import { historyEntry, manualHistoryEntry } from '../../../src/core/progress/history';
import { appendHistoryLine } from '../../../src/core/report/historyLine';
import { parseRunbook } from '../../../src/core/runbook';
import { makeTempDir, removeDir, writeFile } from './helpers';
import { readFileSync } from 'node:fs';

const takesFastWay = (text: string) => WRITTEN_LINE.test(text);

/** The same entries with their keys in reverse order: no writer's order, so every line is parsed with JSON.parse. */
function reversed(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      try {
        return JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(line) as object).reverse()));
      } catch {
        return line;
      }
    })
    .join('\n');
}

/** Strings with what JSON escapes, control characters, non-ASCII and surrogate pairs, often empty. */
const textArb = fc.oneof(
  { arbitrary: fc.constantFrom('alice', ' bob ', 'é ü 漢字', '😀', '\u2028', 'runbooks/a.md', 'passed'), weight: 16 },
  { arbitrary: fc.constantFrom('', ' ', '  ', 'a"b', 'back\\slash', 'tab\there', 'new\nline', '\u0000'), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
);

const entryArb = fc.record(
  {
    runbook: textArb,
    runbookTitle: textArb,
    step: textArb,
    stepTitle: textArb,
    kind: fc.constantFrom('code', 'manual', 'code', 'manual', 'other', undefined),
    who: textArb,
    where: fc.constantFrom('editor', 'cli', 'ci', 'alert', 'editor', 'cli', 'ci', 'alert', 'elsewhere', undefined),
    runId: fc.option(textArb, { nil: undefined }),
    at: fc.oneof(
      fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2040-01-01') }).map((ms) => new Date(ms).toISOString()),
      fc.constantFrom('2025-02-30T10:00:00.000Z', '2025-01-01T24:00:00.000Z', '2025-13-01T00:00:00.000Z', '0099-01-01T00:00:00.000Z', '2025-06-01', 'yesterday', ''),
    ),
    durationMs: fc.oneof(fc.integer({ min: -5, max: 10_000_000 }), fc.double({ noNaN: true }), fc.constantFrom(1e21, 0.5, -0, 1e-7)),
    result: textArb,
    exitCode: fc.option(fc.integer({ min: -1, max: 255 }), { nil: undefined }),
    inputs: fc.dictionary(textArb, textArb, { maxKeys: 3 }),
  },
  { requiredKeys: ['runbook', 'step', 'at', 'durationMs', 'result'] },
);

/** An entry in one of the writers' two key orders, undefined keys left out as JSON.stringify does. */
function written(entry: Record<string, unknown>, order: number): string {
  const keys =
    order === 0
      ? ['runbook', 'runbookTitle', 'step', 'stepTitle', 'kind', 'who', 'where', 'runId', 'at', 'durationMs', 'result', 'inputs', 'exitCode']
      : ['runbook', 'runbookTitle', 'who', 'where', 'runId', 'step', 'stepTitle', 'kind', 'at', 'durationMs', 'result', 'exitCode', 'inputs'];
  return JSON.stringify(Object.fromEntries(keys.filter((key) => key in entry).map((key) => [key, entry[key]])));
}

describe('insights: reading history lines the fast way', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('gives exactly what JSON.parse and the full check give, line by line, problems included (generated lines)', async () => {
    let fast = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(entryArb, fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 25 }),
        // With a period's start too: lines before it are passed over, the same way both ways.
        fc.option(fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2040-01-01') }), { nil: undefined }),
        async (entries, since) => {
        const text = `${entries.map(([entry, order]) => written(entry, order)).join('\n')}\n`;
        fast += text.split('\n').filter(takesFastWay).length;
        const [a, b] = [writeFile(join(dir, 'a.jsonl'), text), writeFile(join(dir, 'b.jsonl'), reversed(text))];
        const byFastWay = await readHistoryFiles([a], { since });
        const byParse = await readHistoryFiles([b], { since });
        assert.deepEqual(byFastWay.lines, byParse.lines);
        assert.equal(byFastWay.duplicates, byParse.duplicates);
        // A bad line before the period is passed over when its time can be found without parsing
        // it, which depends on its key order: the problems are the same with no period.
        if (since === undefined) {
          assert.deepEqual(
            byFastWay.problems.map((problem) => [problem.line, problem.message]),
            byParse.problems.map((problem) => [problem.line, problem.message]),
          );
        }
        },
      ),
      { numRuns: 300 },
    );
    // The property must have tried the fast way often, not only the fallback.
    assert.ok(fast > 500, `only ${fast} generated lines took the fast way`);
  });

  it('reads times exactly as Date.parse does, at the edges too (day 29–31, hour 24, years 0–99, digits and separators changed)', () => {
    const isoArb = fc.integer({ min: Date.parse('0001-01-01'), max: Date.parse('9999-12-31') }).map((ms) => new Date(ms).toISOString());
    const changedArb = fc
      .tuple(isoArb, fc.array(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '9', '-', ':', 'T', 'Z', '.', ' ', 'x')), { minLength: 1, maxLength: 3 }))
      .map(([iso, changes]) => changes.reduce((text, [at, char]) => `${text.slice(0, at)}${char}${text.slice(at + 1)}`, iso));
    fc.assert(
      fc.property(fc.oneof(isoArb, changedArb, fc.string({ maxLength: 26 })), (text) => {
        assert.ok(Object.is(parseTime(text), Date.parse(text)), `${JSON.stringify(text)}: ${parseTime(text)} ≠ ${Date.parse(text)}`);
      }),
      { numRuns: 20_000 },
    );
    for (const text of ['2024-02-29T23:59:59.999Z', '2023-02-29T00:00:00.000Z', '2024-04-31T10:00:00.000Z', '2024-01-01T24:00:00.000Z', '0050-06-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2100-03-01T00:00:00.000Z']) {
      assert.ok(Object.is(parseTime(text), Date.parse(text)), text);
    }
  });

  it('takes the lines the real writers append: the run orchestration (code and manual steps) and the generated scripts', () => {
    const runbook = parseRunbook('---\ntitle: Restart "web"\ninputs:\n  NS: { default: prod }\n---\n# Restart\n\n```bash {name=go}\necho "$NS"\n```\n\n- [ ] Tell the channel\n', { path: '/r/restart.md' });
    const step = runbook.steps[0];
    const manual = runbook.items.find((item) => item.kind === 'manual');
    assert.ok(step && manual && manual.kind === 'manual');
    const context = { runbookKey: 'runbooks/restart.md', runbook, who: 'alice', where: 'editor' as const, runId: 'r-1' };
    const code = historyEntry({
      ...context,
      step,
      result: { status: 'passed', exitCode: 0, startedAt: Date.parse('2025-05-01T10:00:00.000Z'), durationMs: 1234, output: '', timedOut: false } as never,
      inputs: { NS: 'prod' },
      secretNames: new Set(),
    });
    const checked = manualHistoryEntry({ ...context, step: manual, result: 'checked', at: Date.parse('2025-05-01T10:05:00.000Z'), waitedMs: 3000 });
    const file = join(dir, 'scripts.jsonl');
    appendHistoryLine(file, { runbook: 'runbooks/restart.md', runbookTitle: 'Restart', step: 'go', stepTitle: 'go', kind: 'code', who: 'ci-bot', where: 'ci', runId: 'gh-7', at: '2025-05-01T10:00:00.000Z', durationMs: 10, result: 'failed', exitCode: 3, inputs: { NS: 'a "quoted" value' } });
    const lines = [JSON.stringify(code), JSON.stringify(checked), readFileSync(file, 'utf8').trimEnd()];
    // The title with quotes is an escape in a value read here: that line is parsed instead.
    assert.deepEqual(lines.map(takesFastWay), [false, false, true]);
    const plain = parseRunbook('# Restart web\n\n```bash {name=go}\ntrue\n```\n\n- [ ] Tell the channel\n', { path: '/r/restart.md' });
    const plainContext = { ...context, runbook: plain };
    const plainManual = plain.items.find((item) => item.kind === 'manual');
    assert.ok(plainManual && plainManual.kind === 'manual');
    const plainCode = historyEntry({ ...plainContext, step: plain.steps[0], result: { status: 'passed', exitCode: 0, startedAt: 0, durationMs: 5, output: '', timedOut: false } as never, inputs: {}, secretNames: new Set() });
    const plainChecked = manualHistoryEntry({ ...plainContext, step: plainManual, result: 'skipped', at: 0 });
    assert.deepEqual([JSON.stringify(plainCode), JSON.stringify(plainChecked)].map(takesFastWay), [true, true]);
  });

  it('leaves to JSON.parse what only looks like a written line: cut short after an inner brace, trailing text, a second object, spaces', async () => {
    const good = '{"runbook":"r.md","runbookTitle":"R","step":"s","stepTitle":"S","kind":"code","who":"al","where":"cli","runId":"x","at":"2025-05-01T10:00:00.000Z","durationMs":5,"result":"passed","inputs":{"A":"b"},"exitCode":0}';
    assert.ok(takesFastWay(good));
    const cut = good.slice(0, good.indexOf(',"exitCode"'));
    for (const bad of [cut, `${good}x`, `${good}{}`, good.replace('"durationMs":5', '"durationMs": 5'), good.replace('"durationMs":5', '"durationMs":05'), good.replace('"A":"b"', '"A":"\\q"')]) {
      assert.equal(takesFastWay(bad), false, bad);
    }
    const file = writeFile(join(dir, 'h.jsonl'), `${good}\n${cut}\n${good.replace('"durationMs":5', '"durationMs":05')}`);
    const read = await readHistoryFiles([file]);
    assert.equal(read.lines.length, 1);
    assert.deepEqual(
      read.problems.map((problem) => [problem.line, problem.message]),
      [
        [2, 'not JSON'],
        [3, 'not JSON: the last line is cut short (a write that did not finish?)'],
      ],
    );
  });

  it('keeps reading the same values the same way across lines (the values remembered from the line before)', () => {
    const reader = new WrittenLineReader((value) => value);
    const into: WrittenFields = { runbook: '', runbookTitle: '', step: '', kind: undefined, who: '', where: undefined, runId: undefined, at: NaN, durationMs: 0, result: '' };
    const line = (who: string, runId: string | undefined, result: string) =>
      written({ runbook: 'r.md', runbookTitle: 'R', step: 's', stepTitle: 'S', kind: 'code', who, where: 'ci', runId, at: '2025-05-01T10:00:00.000Z', durationMs: 7, result, inputs: {} }, 0);
    const seen: Array<[string, string | undefined, string]> = [];
    for (const [who, runId, result] of [
      ['person-15', 'run-1', 'passed'],
      ['person-16', 'run-2', 'failed'],
      ['person-16', undefined, 'failed'],
      ['p', 'run-2', 'passed'],
    ] as const) {
      assert.equal(reader.read(line(who, runId, result), into), 'read');
      seen.push([into.who, into.runId, into.result]);
    }
    assert.deepEqual(seen, [
      ['person-15', 'run-1', 'passed'],
      ['person-16', 'run-2', 'failed'],
      ['person-16', undefined, 'failed'],
      ['p', 'run-2', 'passed'],
    ]);
  });

  it('parses a line too long for the patterns (9 million characters in one value) instead of losing its file', async () => {
    const base = { runbook: 'r.md', runbookTitle: 'R', step: 's', kind: 'code', who: 'al', where: 'cli', at: '2025-05-01T10:00:00.000Z', durationMs: 5, result: 'passed', inputs: {} };
    const long = written({ ...base, stepTitle: 'x'.repeat(9_000_000), runId: 'long' }, 0);
    assert.ok(long.length > LONGEST_PATTERN_LINE);
    const file = writeFile(join(dir, 'long.jsonl'), `${written({ ...base, stepTitle: 'S', runId: 'before' }, 0)}\n${long}\n${written({ ...base, stepTitle: 'S', runId: 'after' }, 1)}\n`);
    for (const since of [undefined, Date.parse('2020-01-01')]) {
      const read = await readHistoryFiles([file], { since });
      assert.deepEqual(read.problems, []);
      assert.deepEqual(
        read.lines.map((line) => line.runId),
        ['before', 'long', 'after'],
      );
    }
  });

  it('finds every line across block edges: a line longer than a block, multi-byte characters on the edge, CRLF, no final newline', async () => {
    const base = { runbook: 'r.md', runbookTitle: 'R', step: 's', stepTitle: 'S', kind: 'code', who: 'al', where: 'cli', at: '2025-05-01T10:00:00.000Z', durationMs: 5, result: 'passed' };
    const lines: string[] = [];
    let size = 0;
    // About 9 MiB: two 4 MiB blocks and more; one 5 MiB line; titles of three- and four-byte characters all along.
    for (let i = 0; size < 9 << 20; i++) {
      const title = i === 3 ? 'x'.repeat(5 << 20) : `漢字😀 ${'é'.repeat(i % 50)}`;
      const text = written({ ...base, runId: `run-${i}`, runbookTitle: title, durationMs: i }, i % 2);
      lines.push(text);
      size += Buffer.byteLength(text) + 2;
    }
    const file = writeFile(join(dir, 'big.jsonl'), lines.join('\r\n'));
    const read = await readHistoryFiles([file]);
    assert.deepEqual(read.problems, []);
    assert.equal(read.lines.length, lines.length);
    assert.deepEqual(
      read.lines.map((line: HistoryLine) => [line.runId, line.durationMs, line.runbookTitle.length]),
      lines.map((text, i) => [`run-${i}`, i, (JSON.parse(text) as { runbookTitle: string }).runbookTitle.length]),
    );
  });
});
