// The history log: appends from concurrent processes never interleave, torn lines are skipped,
// entries leave secrets out.

import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryLog, currentUser, historyEntry, type HistoryEntry } from '../../../src/core/progress';
import { entryFor } from './children/historyEntries';
import { makeTempDir, removeDir, result, sample, spawnChild, step, waitForExit, waitForOutput } from './helpers';

describe('history log', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = makeTempDir();
    file = join(dir, 'storage', 'history.jsonl');
  });
  afterEach(() => removeDir(dir));

  const entry = (n: number): HistoryEntry => entryFor('local', n);

  it('reads nothing from a missing file and reads back what was appended, in order, one line each', async () => {
    const log = new HistoryLog(file);
    assert.deepEqual(await log.read(), []);
    await log.append(entry(1));
    await log.append(entry(2));
    assert.deepEqual(await log.read(), [entry(1), entry(2)]);
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    assert.deepEqual(JSON.parse(lines[0]), entry(1));
  });

  it('skips a torn last line, and an append after it stays readable', async () => {
    mkdirSync(join(dir, 'storage'));
    const good = [entry(1), entry(2), entry(3)].map((e) => JSON.stringify(e)).join('\n');
    writeFileSync(file, `${good}\n${JSON.stringify(entry(4)).slice(0, 40)}`);
    const log = new HistoryLog(file);
    assert.deepEqual(await log.read(), [entry(1), entry(2), entry(3)]);
    await log.append(entry(5));
    assert.deepEqual(await log.read(), [entry(1), entry(2), entry(3), entry(5)]);
  });

  it('skips lines that are not entries (foreign JSON, blank lines)', async () => {
    mkdirSync(join(dir, 'storage'));
    writeFileSync(file, `{"hello":"world"}\n\n[1]\n${JSON.stringify(entry(1))}\nnot json\n`);
    assert.deepEqual(await new HistoryLog(file).read(), [entry(1)]);
  });

  it('two processes appending 500 entries each at once leave exactly 1000 intact entries', async function () {
    this.timeout(30_000);
    const writers = ['alpha', 'bravo'];
    const children = writers.map((name) => spawnChild('historyWriter.ts', [file, name, '500']));
    const exits = children.map((child) => waitForExit(child));
    try {
      await Promise.all(children.map((child) => waitForOutput(child, 'ready')));
      for (const child of children) child.stdin?.write('go\n');
      const ends = await Promise.all(exits);
      for (const end of ends) assert.equal(end.code, 0, `a writer failed: ${end.stderr}`);
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    }

    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 1000, 'one line per entry, none torn or merged');
    const entries = await new HistoryLog(file).read();
    assert.equal(entries.length, 1000);
    for (const writer of writers) {
      const mine = entries.filter((e) => e.who === writer);
      assert.equal(mine.length, 500);
      const seqs = new Set<number>();
      for (const e of mine) {
        const seq = Number(e.inputs.SEQ);
        assert.deepEqual(e, entryFor(writer, seq), `entry ${seq} of ${writer} is intact`);
        seqs.add(seq);
      }
      assert.equal(seqs.size, 500);
    }
    // The two writers really overlapped (otherwise the test proves little).
    const order = entries.map((e) => e.who);
    const switches = order.filter((who, i) => i > 0 && who !== order[i - 1]).length;
    assert.ok(switches >= 1, 'the writers did not interleave at all');
  });

  describe('historyEntry', () => {
    const runbook = sample();
    const health = step(runbook, 'health');

    it('records the runbook, step, who, when, duration, result and exit code', () => {
      const e = historyEntry({
        where: 'editor',
        runbookKey: 'runbooks/restart.md',
        runbook,
        step: health,
        result: result('health', { status: 'failed', exitCode: 7, startedAt: Date.UTC(2025, 0, 2, 3, 4, 5), durationMs: 1234 }),
        inputs: { NAMESPACE: 'payments' },
        secretNames: new Set(),
        who: 'alice',
      });
      assert.deepEqual(e, {
        runbook: 'runbooks/restart.md',
        runbookTitle: 'Restart the payments API',
        step: 'health',
        stepTitle: 'health',
        who: 'alice',
        where: 'editor',
        kind: 'code',
        at: '2025-01-02T03:04:05.000Z',
        durationMs: 1234,
        result: 'failed',
        exitCode: 7,
        inputs: { NAMESPACE: 'payments' },
      });
    });

    it('leaves secret inputs out (named in secretNames or declared secret) and masks their values elsewhere', () => {
      const e = historyEntry({
        where: 'editor',
        runbookKey: 'r.md',
        runbook,
        step: health,
        result: result('health', { exitCode: undefined, status: 'cancelled' }),
        inputs: { NAMESPACE: 'payments', API_TOKEN: 'tok-123456', POD_PASSWORD: 'hunter22', NOTE: 'used tok-123456 and hunter22' },
        secretNames: new Set(['POD_PASSWORD']),
        who: 'bob',
      });
      assert.deepEqual(e.inputs, { NAMESPACE: 'payments', NOTE: 'used •••• and ••••' });
      assert.equal('exitCode' in e, false);
      assert.equal(JSON.stringify(e).includes('tok-123456'), false);
      assert.equal(JSON.stringify(e).includes('hunter22'), false);
    });

    it('who defaults to the current user', () => {
      const e = historyEntry({ where: 'editor', runbookKey: 'r.md', runbook, step: health, result: result('health'), inputs: {}, secretNames: new Set() });
      assert.equal(e.who, currentUser());
      assert.ok(e.who.length > 0);
    });

    it('cuts very long input values so a line stays one small write', () => {
      const e = historyEntry({ where: 'editor', runbookKey: 'r.md', runbook, step: health, result: result('health'), inputs: { BIG: 'x'.repeat(10_000) }, secretNames: new Set(), who: 'c' });
      assert.equal(e.inputs.BIG.length, 500);
      assert.ok(e.inputs.BIG.endsWith('…'));
    });
  });

  it('append creates the folder and writes a line even after a file without a final newline', async () => {
    const log = new HistoryLog(join(dir, 'deep', 'er', 'h.jsonl'));
    await log.append(entry(1));
    appendFileSync(join(dir, 'deep', 'er', 'h.jsonl'), '{"torn":');
    await log.append(entry(2));
    assert.deepEqual(await log.read(), [entry(1), entry(2)]);
  });
});
