// What counts as one run, and hands-on time: run ids group invocations; lines without one (and the
// single Runs of the editor) group into sittings split by an hour's gap; unattended time is kept
// apart from hands-on time.

import { strict as assert } from 'node:assert';
import { groupRuns, type HistoryLine } from '../../../src/core/insights';
import { HOUR, NOW } from './helpers';

const MIN = 60_000;

function line(overrides: Partial<HistoryLine>): HistoryLine {
  return { runbook: 'runbooks/a.md', runbookTitle: 'A', step: 's', kind: 'code', who: 'alice', where: 'editor', at: NOW, durationMs: MIN, result: 'passed', ...overrides };
}

describe('insights: runs', () => {
  it('lines sharing a run id are one run, whoever ran it and however long it paused', () => {
    const runs = groupRuns([
      line({ runId: 'r1', at: NOW }),
      line({ runId: 'r1', at: NOW + 3 * HOUR, kind: 'manual', result: 'checked' }),
      line({ runId: 'r2', where: 'cli', at: NOW + 10 * MIN }),
      line({ runId: 'r2', where: 'cli', at: NOW + 12 * MIN, result: 'failed' }),
    ]);
    assert.equal(runs.length, 2);
    assert.deepEqual(
      runs.map((run) => [run.runId, run.where, run.lines, run.failed, run.start, run.end]),
      [
        ['r1', 'editor', 2, false, NOW, NOW + 3 * HOUR + MIN],
        ['r2', 'cli', 2, true, NOW + 10 * MIN, NOW + 13 * MIN],
      ],
    );
  });

  it('the same run id in two runbooks is two runs', () => {
    const runs = groupRuns([line({ runId: 'x', where: 'cli' }), line({ runId: 'x', where: 'cli', runbook: 'runbooks/b.md' })]);
    assert.equal(runs.length, 2);
  });

  it('lines without a run id are sittings: one person, one runbook, no gap over an hour', () => {
    const runs = groupRuns([
      line({ at: NOW }),
      line({ at: NOW + 30 * MIN }),
      // 59 minutes after the previous step ended: same sitting.
      line({ at: NOW + 31 * MIN + 59 * MIN }),
      // 61 minutes after: a new sitting.
      line({ at: NOW + 91 * MIN + 61 * MIN }),
      // Someone else at the same time, and another runbook: sittings of their own.
      line({ at: NOW + 5 * MIN, who: 'bob' }),
      line({ at: NOW + 6 * MIN, runbook: 'runbooks/b.md' }),
    ]);
    assert.deepEqual(
      runs.map((run) => [run.runbook, run.who.join(), run.lines, run.start]),
      [
        ['runbooks/a.md', 'alice', 3, NOW],
        ['runbooks/a.md', 'bob', 1, NOW + 5 * MIN],
        ['runbooks/b.md', 'alice', 1, NOW + 6 * MIN],
        ['runbooks/a.md', 'alice', 1, NOW + 152 * MIN],
      ],
    );
  });

  it('a gap is measured from the end of the previous step, so a long step does not split its sitting', () => {
    const runs = groupRuns([line({ at: NOW, durationMs: 2 * HOUR }), line({ at: NOW + 2 * HOUR + 30 * MIN })]);
    assert.equal(runs.length, 1);
  });

  it('single Runs in the editor (a run id with one line) join the sitting instead of counting one run per step', () => {
    const runs = groupRuns([
      line({ runId: 'single-1', at: NOW }),
      line({ runId: 'single-2', at: NOW + 5 * MIN }),
      line({ runId: 'single-3', at: NOW + 10 * MIN, kind: 'manual', result: 'checked' }),
      // A one-step CLI or CI invocation is still a run of its own.
      line({ runId: 'cli-1', where: 'cli', at: NOW + 11 * MIN }),
      line({ runId: 'ci-1', where: 'ci', at: NOW + 12 * MIN }),
    ]);
    assert.deepEqual(
      runs.map((run) => [run.runId, run.where, run.lines]),
      [
        [undefined, 'editor', 3],
        ['cli-1', 'cli', 1],
        ['ci-1', 'ci', 1],
      ],
    );
  });

  it('hands-on time counts editor, CLI and manual steps; ci and alert step time is unattended', () => {
    const runs = groupRuns([
      line({ runId: 'e', at: NOW, durationMs: 1000 }),
      line({ runId: 'e', at: NOW + 1000, durationMs: 5 * MIN, kind: 'manual', result: 'checked' }),
      line({ runId: 'c', where: 'cli', at: NOW, durationMs: 2000 }),
      line({ runId: 'w', where: 'ci', at: NOW, durationMs: 40_000 }),
      line({ runId: 'w', where: 'ci', at: NOW + 40_000, durationMs: 7 * MIN, kind: 'manual', result: 'checked' }),
      line({ runId: 'b', where: 'alert', at: NOW, durationMs: 9000 }),
    ]);
    const byId = Object.fromEntries(runs.map((run) => [run.runId, [run.handsOnMs, run.unattendedMs]]));
    assert.deepEqual(byId, {
      e: [1000 + 5 * MIN, 0],
      c: [2000, 0],
      // A manual step in a workflow (an approval) waited for a person: hands-on.
      w: [7 * MIN, 40_000],
      b: [0, 9000],
    });
  });

  it('a run failed when a code step failed or timed out; cancelled or skipped steps and skipped manual steps are not failures', () => {
    const runs = groupRuns([
      line({ runId: 'a', where: 'cli', result: 'timed-out' }),
      line({ runId: 'b', where: 'cli', result: 'cancelled' }),
      line({ runId: 'c', where: 'cli', result: 'skipped' }),
      line({ runId: 'd', where: 'cli', kind: 'manual', result: 'skipped' }),
    ]);
    assert.deepEqual(
      runs.map((run) => [run.runId, run.failed]).sort(),
      [
        ['a', true],
        ['b', false],
        ['c', false],
        ['d', false],
      ],
    );
  });
});
