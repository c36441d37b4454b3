// Properties of the counting, over generated histories: adding a run never lowers that runbook's
// run count or hands-on time (and adds exactly one run when it lies in the period), and adding any
// single line never lowers hands-on time.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { summarizeInsights, type HistoryLine, type InsightsSources, type Ladder, type RunbookFacts } from '../../../src/core/insights';
import { DAY, HOUR, NOW, period } from './helpers';

const PATHS = ['runbooks/a.md', 'runbooks/b.md', 'runbooks/c.md'];
const LADDER: Ladder = { stage: 'runbook', steps: 3, automatedSteps: 0, automatedStepTitles: [], scripts: [], missingScripts: [], unknownNoteSteps: [], workflows: [], badge: 'runbook', summary: '' };
const FACTS: RunbookFacts[] = PATHS.map((path) => ({ path, title: path, ladder: LADDER }));
const PERIODS = ['30d', '90d'].map((label) => period(label));

const lineArb = fc.record({
  runbook: fc.constantFrom(...PATHS),
  runbookTitle: fc.constant('t'),
  step: fc.constantFrom('s1', 's2', 's3'),
  kind: fc.constantFrom<'code' | 'manual'>('code', 'manual'),
  who: fc.constantFrom('alice', 'bob', 'carol'),
  where: fc.constantFrom<HistoryLine['where']>('editor', 'cli', 'ci', 'alert'),
  runId: fc.option(fc.constantFrom('r1', 'r2', 'r3', 'r4'), { nil: undefined }),
  // From 100 days before now to a day after: inside, across and outside the periods.
  at: fc.integer({ min: NOW - 100 * DAY, max: NOW + DAY }),
  durationMs: fc.integer({ min: 0, max: 2 * HOUR }),
  result: fc.constantFrom('passed', 'failed', 'checked', 'skipped'),
});

const historyArb = fc.array(lineArb, { maxLength: 60 }).map((lines) =>
  lines.map((line) => {
    const copy: HistoryLine = { ...line };
    if (copy.runId === undefined) delete copy.runId;
    return copy;
  }),
);

/** A run: lines of one runbook under a run id no other line has; one line only outside the editor (an editor single Run is a sitting's step). */
const runArb = fc
  .record({
    runbook: fc.constantFrom(...PATHS),
    where: fc.constantFrom<HistoryLine['where']>('editor', 'cli', 'ci', 'alert'),
    who: fc.constantFrom('alice', 'bob', 'dave'),
    start: fc.integer({ min: NOW - 100 * DAY, max: NOW + DAY }),
    steps: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3 * HOUR }), durationMs: fc.integer({ min: 0, max: HOUR }), manual: fc.boolean(), failed: fc.boolean() }), { minLength: 1, maxLength: 5 }),
  })
  .filter((run) => run.where !== 'editor' || run.steps.length > 1)
  .map((run): HistoryLine[] => {
    let at = run.start;
    return run.steps.map((step, i) => {
      at += step.gap;
      return {
        runbook: run.runbook,
        runbookTitle: 't',
        step: `s${i}`,
        kind: step.manual ? 'manual' : 'code',
        who: run.who,
        where: run.where,
        runId: 'the-added-run',
        at,
        durationMs: step.durationMs,
        result: step.failed ? 'failed' : 'passed',
      };
    });
  });

function sources(lines: HistoryLine[]): InsightsSources {
  return { runbooks: FACTS, lines, issues: [], historyFiles: [], issueFiles: [], duplicateLines: 0, problems: [] };
}

function usage(lines: HistoryLine[], path: string, index: number): { runs: number; handsOnMs: number } {
  const row = summarizeInsights(sources(lines), { period: PERIODS[index] }).runbooks.find((r) => r.path === path);
  assert.ok(row);
  return { runs: row.runs, handsOnMs: row.handsOnMs };
}

describe('insights: properties', () => {
  it('adding a run never lowers that runbook\'s run count or hands-on time', () => {
    fc.assert(
      fc.property(historyArb, runArb, (history, run) => {
        const path = run[0].runbook;
        PERIODS.forEach((p, index) => {
          const before = usage(history, path, index);
          const after = usage([...history, ...run], path, index);
          assert.ok(after.runs >= before.runs, `runs ${before.runs} → ${after.runs}`);
          assert.ok(after.handsOnMs >= before.handsOnMs, `hands-on ${before.handsOnMs} → ${after.handsOnMs}`);
          const since = Date.parse(p.since);
          const until = Date.parse(p.until);
          if (run.every((line) => line.at >= since && line.at < until)) assert.equal(after.runs, before.runs + 1);
          if (run.every((line) => line.at < since || line.at >= until)) assert.deepEqual(after, before);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('adding any one line never lowers hands-on time', () => {
    fc.assert(
      fc.property(historyArb, lineArb, (history, added) => {
        const line: HistoryLine = { ...added };
        if (line.runId === undefined) delete line.runId;
        PERIODS.forEach((_, index) => {
          assert.ok(usage([...history, line], line.runbook, index).handsOnMs >= usage(history, line.runbook, index).handsOnMs);
        });
      }),
      { numRuns: 300 },
    );
  });
});
