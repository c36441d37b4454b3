// Insights end to end over the fixture repository, history and issue exports, all real files in a
// temporary folder: the ranking and its numbers, periods relative to `now`, hands-on time and time
// saved, issue mentions, chart series, and a runbook at `service` ranking below equal toil.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadInsightsSources, periodEnding, summarizeInsights, type Insights, type InsightsSources } from '../../../src/core/insights';
import { DAY, FIXTURES, NOW, copyFixtureRepo, entry, jsonl, makeTempDir, period, removeDir, runbookText, writeFile } from './helpers';

const RUNBOOKS = ['runbooks/restart-api.runbook.md', 'runbooks/rotate-certs.md', 'runbooks/clear-queue.md', 'runbooks/restart.md'];
const PREFIXES = { 'https://runbooks.example.com/runbooks/': 'runbooks/' };

describe('insights: ranking over the fixtures', () => {
  let dir: string;
  let root: string;
  let sources: InsightsSources;
  const historyFiles = [join(FIXTURES, 'history/editor.jsonl'), join(FIXTURES, 'history/ci.jsonl')];
  const issueFiles = [join(FIXTURES, 'issues/github.json'), join(FIXTURES, 'issues/gitlab.json')];

  beforeEach(async () => {
    dir = makeTempDir();
    root = copyFixtureRepo(dir);
    sources = await loadInsightsSources({ root, runbooks: RUNBOOKS, historyFiles, issueFiles, runbookUrlPrefixes: PREFIXES });
  });
  afterEach(() => removeDir(dir));

  const row = (insights: Insights, path: string) => {
    const found = insights.runbooks.find((r) => r.path === path);
    assert.ok(found, path);
    return found;
  };

  it('ranks the last 30 days: runs, people, hands-on time, failures, mentions, stage, score and why', () => {
    const insights = summarizeInsights(sources, { period: period('30d') });
    assert.deepEqual(
      insights.runbooks.map((r) => [r.rank, r.path, r.ladder.badge, r.score]),
      [
        [1, 'runbooks/restart-api.runbook.md', 'runbook', 24.54],
        [2, 'runbooks/rotate-certs.md', 'tool 2/4', 4.81],
        [3, 'runbooks/clear-queue.md', 'service', 2.67],
        [4, 'runbooks/restart.md', 'runbook', 0],
      ],
    );
    const api = row(insights, 'runbooks/restart-api.runbook.md');
    // alice's Run all (495 s), bob's old-format sitting (12 s, failed), the alert bridge's run (15 s, unattended).
    assert.deepEqual(
      [api.runs, api.attendedRuns, api.unattendedRuns, api.people, api.handsOnMs, api.timeSavedMs, api.failedRuns, api.mentions],
      [3, 2, 1, 3, 507_000, 15_000, 1, 3],
    );
    assert.equal(api.failureRate, 1 / 3);
    assert.equal(api.why, '8m 27s hands-on over 3 runs by 3 people, named in 3 issues, 33% of runs failed; nothing automated yet.');
    assert.equal(api.lastRunAt, '2025-05-29T02:00:00.000Z');
    assert.deepEqual(
      api.issues.map((issue) => [issue.source, issue.number, issue.how]),
      [
        ['github', 105, 'file-name'],
        ['gitlab', 7, 'path'],
        ['github', 101, 'title'],
      ],
    );
    const certs = row(insights, 'runbooks/rotate-certs.md');
    // Two single Runs in the editor five minutes apart: one sitting, not two runs.
    assert.deepEqual([certs.runs, certs.people, certs.handsOnMs, certs.mentions], [1, 1, 150_000, 1]);
    assert.equal(certs.why, '2m 30s hands-on over 1 run by 1 person, named in 1 issue; a script does 2 of 4 steps, so it counts 75%.');
    const queue = row(insights, 'runbooks/clear-queue.md');
    assert.deepEqual([queue.runs, queue.attendedRuns, queue.handsOnMs, queue.timeSavedMs, queue.failedRuns, queue.mentions], [3, 0, 0, 130_000, 1, 2]);
    assert.equal(queue.why, '3 runs by 1 person, none hands-on, named in 2 issues, 33% of runs failed; already a workflow, so it counts a quarter (unattended runs saved 2m 10s).');
    const restart = row(insights, 'runbooks/restart.md');
    // Issue 103 says "restart" three times: the runbook titled "Restart" is not named by it.
    assert.equal(restart.mentions, 0);
    assert.equal(restart.why, 'Not run in the last 30d; nothing to rank it by.');
    assert.equal(restart.failureRate, null);

    assert.deepEqual(insights.totals, { runs: 7, people: 4, handsOnMs: 657_000, timeSavedMs: 145_000, issues: 8, issuesMentioningRunbooks: 6 });
    assert.deepEqual(insights.unknownRunbooks, [{ path: 'runbooks/old-runbook.md', title: 'The old way', lines: 1 }]);
    assert.deepEqual(insights.sources, { historyFiles, issueFiles, historyLines: 18, duplicateLines: 0, issues: 9 });
    assert.deepEqual(
      insights.problems.map((p) => `${p.file.replace(FIXTURES + '/', '')}:${p.line}`),
      ['history/editor.jsonl:12', 'history/editor.jsonl:15'],
    );
  });

  it('periods count from `now`: 90 days add the April run, 365 days a run from last autumn, nothing older', async () => {
    const autumn = writeFile(join(dir, 'autumn.jsonl'), jsonl([entry({ runbook: 'runbooks/restart.md', who: 'frank', runId: 'r9', where: 'cli', at: NOW - 200 * DAY, durationMs: 60_000 })]));
    const withAutumn = await loadInsightsSources({ root, runbooks: RUNBOOKS, historyFiles: [...historyFiles, autumn], issueFiles, runbookUrlPrefixes: PREFIXES });
    const api = (label: string) => row(summarizeInsights(withAutumn, { period: period(label) }), 'runbooks/restart-api.runbook.md');
    const restart = (label: string) => row(summarizeInsights(withAutumn, { period: period(label) }), 'runbooks/restart.md');
    assert.deepEqual([api('30d').runs, api('30d').people, api('30d').handsOnMs], [3, 3, 507_000]);
    // carol's Run all on 10 April (15 s).
    assert.deepEqual([api('90d').runs, api('90d').people, api('90d').handsOnMs], [4, 4, 522_000]);
    // dave's line of January 2024 is older than a year; so is issue 106.
    assert.deepEqual([api('365d').runs, api('1y').runs, api('365d').mentions], [4, 4, 3]);
    assert.deepEqual([restart('90d').runs, restart('365d').runs, restart('365d').handsOnMs], [0, 1, 60_000]);
    // Another `now`: a month earlier only carol's run is in the last 30 days.
    const earlier = summarizeInsights(withAutumn, { period: period('30d', Date.parse('2025-05-01T00:00:00Z')) });
    assert.deepEqual([row(earlier, 'runbooks/restart-api.runbook.md').runs, earlier.totals.issues], [1, 0]);
    // `--since` style lengths.
    assert.equal(summarizeInsights(withAutumn, { period: period('2w') }).period.ms, 14 * DAY);
    assert.deepEqual(periodEnding('90 days', NOW), { error: '"90 days" is not a period: use a number of days, weeks, years or hours, e.g. 30d, 12w, 1y, 48h' });
    assert.deepEqual(periodEnding('0d', NOW), { error: '"0d" is not a period: use a number of days, weeks, years or hours, e.g. 30d, 12w, 1y, 48h' });
  });

  it('loading only the lines since the longest period asked gives the same insights for it and shorter ones', async () => {
    const ninety = period('90d');
    const partial = await loadInsightsSources({ root, runbooks: RUNBOOKS, historyFiles, issueFiles, runbookUrlPrefixes: PREFIXES, since: Date.parse(ninety.since) });
    for (const label of ['30d', '90d']) {
      assert.deepEqual(summarizeInsights(partial, { period: period(label) }).runbooks, summarizeInsights(sources, { period: period(label) }).runbooks);
    }
    // dave's line of January 2024 was passed over.
    assert.equal(partial.lines.length, sources.lines.length - 1);
  });

  it('lines just inside and just outside the period: since is inclusive, now is exclusive', async () => {
    writeFile(join(root, 'runbooks/a.md'), runbookText('Runbook A'));
    const edges = writeFile(
      join(dir, 'edges.jsonl'),
      jsonl([
        entry({ runId: 'in', where: 'cli', at: NOW - 30 * DAY }),
        entry({ runId: 'out', where: 'cli', at: NOW - 30 * DAY - 1 }),
        entry({ runId: 'future', where: 'cli', at: NOW }),
      ]),
    );
    const read = await loadInsightsSources({ root, runbooks: ['runbooks/a.md'], historyFiles: [edges], issueFiles: [] });
    assert.equal(summarizeInsights(read, { period: period('30d') }).runbooks[0].runs, 1);
  });

  it('a history folder collected twice (a CI artifact copied into a shared folder) counts once', async () => {
    const copy = writeFile(join(dir, 'shared/ci-copy.jsonl'), (await import('node:fs')).readFileSync(historyFiles[1], 'utf8'));
    const twice = await loadInsightsSources({ root, runbooks: RUNBOOKS, historyFiles: [...historyFiles, copy], issueFiles, runbookUrlPrefixes: PREFIXES });
    const once = summarizeInsights(sources, { period: period('30d') });
    const again = summarizeInsights(twice, { period: period('30d') });
    assert.deepEqual(again.runbooks, once.runbooks);
    assert.equal(again.sources.duplicateLines, 5);
  });

  it('without the URL prefix the alert\'s runbook_url names nothing', async () => {
    const bare = await loadInsightsSources({ root, runbooks: RUNBOOKS, historyFiles, issueFiles });
    const queue = row(summarizeInsights(bare, { period: period('30d') }), 'runbooks/clear-queue.md');
    assert.deepEqual(
      queue.issues.map((issue) => issue.number),
      [8],
    );
  });

  it('gives the charts their series: runs per week for the top runbooks, hands-on hours per runbook', () => {
    const { charts } = summarizeInsights(sources, { period: period('30d'), top: 2 });
    assert.deepEqual(charts.runsPerWeek.weeks, ['2025-04-28', '2025-05-05', '2025-05-12', '2025-05-19', '2025-05-26']);
    assert.deepEqual(charts.runsPerWeek.series, [
      // 20 May (Tuesday) and 25 May (Sunday) fall in the week of 19 May; the alert's run on 29 May in the next.
      { path: 'runbooks/restart-api.runbook.md', title: 'Restart the payments API', counts: [0, 0, 0, 2, 1] },
      { path: 'runbooks/rotate-certs.md', title: 'Rotate the ingress certificates', counts: [0, 0, 0, 0, 1] },
    ]);
    assert.deepEqual(charts.handsOnHours, [
      { path: 'runbooks/restart-api.runbook.md', title: 'Restart the payments API', hours: 0.14 },
      { path: 'runbooks/rotate-certs.md', title: 'Rotate the ingress certificates', hours: 0.04 },
    ]);
  });
});

describe('insights: ranking rules', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  /** Two runbooks with the same history; `b` has what `setUp` adds. */
  async function twins(setUp: (root: string) => void): Promise<Insights> {
    const root = join(dir, 'repo');
    writeFile(join(root, 'runbooks/a.md'), runbookText('Alpha procedure', 4));
    writeFile(join(root, 'runbooks/b.md'), runbookText('Bravo procedure', 4));
    setUp(root);
    const lines = ['a', 'b'].flatMap((name) =>
      [0, 1, 2].flatMap((n) => [
        entry({ runbook: `runbooks/${name}.md`, runId: `${name}${n}`, who: `p${n}`, at: NOW - (n + 1) * DAY, durationMs: 600_000 }),
        entry({ runbook: `runbooks/${name}.md`, runId: `${name}${n}`, who: `p${n}`, at: NOW - (n + 1) * DAY + 600_000, durationMs: 60_000, kind: 'manual', result: 'checked' }),
      ]),
    );
    const history = writeFile(join(dir, 'h.jsonl'), jsonl(lines));
    const sources = await loadInsightsSources({ root, runbooks: ['runbooks/a.md', 'runbooks/b.md'], historyFiles: [history], issueFiles: [] });
    return summarizeInsights(sources, { period: period('30d') });
  }

  it('equal toil: a runbook that is already a service ranks below one that is still a runbook', async () => {
    const insights = await twins((root) => writeFile(join(root, '.github/workflows/runbook-b.yml'), 'on: workflow_dispatch\n'));
    assert.deepEqual(
      insights.runbooks.map((r) => [r.path, r.ladder.stage, r.handsOnMs]),
      [
        ['runbooks/a.md', 'runbook', 1_980_000],
        ['runbooks/b.md', 'service', 1_980_000],
      ],
    );
    assert.equal(insights.runbooks[1].score, Math.round(insights.runbooks[0].score * 25) / 100);
  });

  it('equal toil: a tool that does some steps ranks below none, and the ranking is stable by path when all is equal', async () => {
    const tool = await twins((root) => {
      writeFile(join(root, 'scripts/b.ts'), '');
      const text = runbookText('Bravo procedure', 4);
      writeFile(join(root, 'runbooks/b.md'), text.replace('# Bravo procedure\n', '# Bravo procedure\n\n> **Automated:** the steps "Step 1 of Bravo procedure" and "Step 2 of Bravo procedure" are now done by the script `scripts/b.ts`.\n'));
    });
    assert.deepEqual(
      tool.runbooks.map((r) => [r.path, r.ladder.badge]),
      [
        ['runbooks/a.md', 'runbook'],
        ['runbooks/b.md', 'tool 2/4'],
      ],
    );
    const same = await twins(() => undefined);
    assert.equal(same.runbooks[0].score, same.runbooks[1].score);
    assert.deepEqual(
      same.runbooks.map((r) => r.path),
      ['runbooks/a.md', 'runbooks/b.md'],
    );
  });

  it('more hands-on time, more people, more failures or more mentions each rank higher', async () => {
    const root = join(dir, 'repo');
    for (const name of ['base', 'longer', 'people', 'failing', 'mentioned']) writeFile(join(root, `runbooks/${name}.md`), runbookText(`Runbook ${name} procedure`));
    const runs = (name: string, who: string[], result = 'passed', durationMs = 60_000) =>
      who.map((person, n) => entry({ runbook: `runbooks/${name}.md`, runId: `${name}-${n}`, where: 'cli', who: person, at: NOW - (n + 1) * DAY, durationMs, result }));
    const history = writeFile(
      join(dir, 'h.jsonl'),
      jsonl([
        ...runs('base', ['x', 'x']),
        ...runs('longer', ['x', 'x'], 'passed', 120_000),
        ...runs('people', ['x', 'y']),
        ...runs('failing', ['x', 'x'], 'failed'),
        ...runs('mentioned', ['x', 'x']),
      ]),
    );
    const issues = writeFile(join(dir, 'issues.json'), JSON.stringify([{ number: 1, title: 'Runbook mentioned procedure failed', body: '', url: 'u', createdAt: new Date(NOW - DAY).toISOString() }]));
    const sources = await loadInsightsSources({ root, runbooks: ['base', 'longer', 'people', 'failing', 'mentioned'].map((n) => `runbooks/${n}.md`), historyFiles: [history], issueFiles: [issues] });
    const ranked = summarizeInsights(sources, { period: period('30d') }).runbooks.map((r) => r.path.replace(/^runbooks\/|\.md$/g, ''));
    assert.equal(ranked[ranked.length - 1], 'base');
    assert.deepEqual(ranked.slice(0, -1).sort(), ['failing', 'longer', 'mentioned', 'people']);
  });
});
