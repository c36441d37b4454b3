// The insights row: `runbook stats` over 100,000 history lines and 5,000 issues, generated into a
// temporary repository (200 runbooks, some with a tool note and a script, some with an exported
// workflow; two history files, one a CI artifact that repeats part of the other; a GitHub issue
// export whose issues name runbooks by path, URL and title). Ours: read everything, match, group,
// rank, format the table. Baseline, for context: reading the same files and JSON.parse of each
// history line and of the issue export, the floor any reader pays.
//   node out/bench/insights.js     (bench/insightsCase.ts bundled by bench/run.ts)

import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatInsightsTable, loadInsightsSources, periodEnding, summarizeInsights, type InsightsPeriod } from '../src/core/insights';
import { githubWorkflowPath, workflowSlug } from '../src/core/export/names';
import { judge, type Row } from './lib/report';
import { median, pair } from './lib/stats';

export const HISTORY_LINES = 100_000;
export const ISSUES = 5_000;
const RUNBOOKS = 200;
const PEOPLE = 40;
const NOW = Date.parse('2025-06-01T00:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const RUNS = { warmup: 3, runs: 11 };
const PREFIXES = { 'https://runbooks.example.com/': 'runbooks/' };

/** A small deterministic generator, so every run measures the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export interface Generated {
  root: string;
  runbooks: string[];
  historyFiles: string[];
  issueFile: string;
}

export function generate(dir: string): Generated {
  const next = random(16);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const root = join(dir, 'repo');
  const runbooks: string[] = [];
  const titles: string[] = [];
  for (let i = 0; i < RUNBOOKS; i++) {
    const path = `runbooks/team-${i % 8}/procedure-${i}.md`;
    const title = `Recover the ${['payments', 'search', 'billing', 'auth', 'queue'][i % 5]} service from outage ${i}`;
    const steps = Array.from({ length: 6 }, (_, s) => `Step ${s + 1} of procedure ${i}.\n\n\`\`\`bash\necho step ${s + 1} "$NAMESPACE"\n\`\`\`\n`);
    const note =
      i % 10 === 0
        ? `> **Automated:** the steps "Step 1 of procedure ${i}" and "Step 2 of procedure ${i}" are now done by the script \`scripts/procedure-${i}.ts\`.\n\n`
        : '';
    if (note) write(join(root, `scripts/procedure-${i}.ts`), 'export {};\n');
    if (i % 25 === 0) write(join(root, githubWorkflowPath(workflowSlug(path))), 'on: workflow_dispatch\n');
    write(join(root, path), `---\ntitle: ${title}\ninputs:\n  NAMESPACE: { default: prod }\n---\n# ${title}\n\n## Steps\n\n${note}${steps.join('\n')}\n- [ ] Tell the channel\n`);
    runbooks.push(path);
    titles.push(title);
  }

  const lines: Array<{ at: number; text: string }> = [];
  let runNumber = 0;
  while (lines.length < HISTORY_LINES) {
    const index = Math.floor(next() ** 2 * RUNBOOKS);
    const where = pick(['editor', 'editor', 'editor', 'editor', 'editor', 'cli', 'ci', 'ci', 'alert'] as const);
    const withId = where !== 'editor' || next() < 0.7;
    const who = where === 'ci' ? 'github-actions' : where === 'alert' ? 'alert-bridge' : `person-${Math.floor(next() * PEOPLE)}`;
    const runId = withId ? `run-${runNumber++}` : undefined;
    let at = NOW - Math.floor(next() * 364 * DAY);
    for (let s = 0; s < 7 && lines.length < HISTORY_LINES; s++) {
      const manual = s === 6;
      const durationMs = manual ? Math.floor(next() * 300_000) : Math.floor(next() * 60_000);
      const step = { step: manual ? 'steps-tell' : `steps-${s}`, stepTitle: manual ? 'Tell the channel' : `Step ${s + 1} of procedure ${index}`, kind: manual ? 'manual' : 'code' };
      const person = { who, where, ...(runId ? { runId } : {}) };
      const outcome = { at: new Date(at).toISOString(), durationMs, result: manual ? 'checked' : next() < 0.05 ? 'failed' : 'passed', inputs: { NAMESPACE: 'prod' }, ...(manual ? {} : { exitCode: 0 }) };
      // Each line in the key order of its writer: generated scripts (the CI workflows) put the step
      // before the person; the run orchestration behind the editor and `runbook` the person first.
      const line = where === 'ci' ? { runbook: runbooks[index], runbookTitle: titles[index], ...step, ...person, ...outcome } : { runbook: runbooks[index], runbookTitle: titles[index], ...person, ...step, ...outcome };
      lines.push({ at, text: JSON.stringify(line) });
      at += durationMs + Math.floor(next() * 120_000);
    }
  }
  // Logs are appended as steps run, so each file is in time order. 70 % of the lines are in the
  // workspace's log, the rest in a CI artifact that also repeats 5,000 of the workspace's lines.
  const inOrder = (list: typeof lines) => [...list].sort((a, b) => a.at - b.at).map((line) => line.text);
  const split = Math.floor(HISTORY_LINES * 0.7);
  const historyFiles = [join(dir, 'history/workspace.jsonl'), join(dir, 'collected/ci-artifact.jsonl')];
  write(historyFiles[0], `${inOrder(lines.slice(0, split)).join('\n')}\n`);
  write(historyFiles[1], `${inOrder([...lines.slice(split), ...lines.slice(0, 5_000)]).join('\n')}\n`);

  const issues = Array.from({ length: ISSUES }, (_, n) => {
    const index = Math.floor(next() * RUNBOOKS);
    const kind = next();
    const mention =
      kind < 0.3
        ? `See ${runbooks[index]} for the steps.`
        : kind < 0.4
          ? `runbook_url: https://runbooks.example.com/team-${index % 8}/procedure-${index}/`
          : kind < 0.5
            ? `We had to ${titles[index].toLowerCase()} by hand again.`
            : 'No runbook named here; restart the service and check the logs.';
    const body = `${mention}\n\nObserved at ${new Date(NOW - n * 3_600_000).toISOString()} on host-${n % 97}. ${'The error rate rose above the threshold and the on-call engineer was paged. '.repeat(3)}`;
    return {
      number: n + 1,
      title: `Incident ${n + 1}: elevated errors`,
      body,
      labels: [{ id: `L${n % 5}`, name: ['incident', 'alert', 'toil', 'bug', 'ops'][n % 5], description: '', color: 'ededed' }],
      createdAt: new Date(NOW - Math.floor(next() * 364 * DAY)).toISOString(),
      closedAt: null,
      url: `https://github.com/acme/ops/issues/${n + 1}`,
    };
  });
  const issueFile = join(dir, 'issues.json');
  write(issueFile, JSON.stringify(issues, null, 2));
  return { root, runbooks, historyFiles, issueFile };
}

async function insights(data: Generated, period: InsightsPeriod): Promise<number> {
  const sources = await loadInsightsSources({
    root: data.root,
    runbooks: data.runbooks,
    historyFiles: data.historyFiles,
    issueFiles: [data.issueFile],
    runbookUrlPrefixes: PREFIXES,
    since: Date.parse(period.since),
  });
  const result = summarizeInsights(sources, { period });
  return formatInsightsTable(result).length + result.problems.length;
}

/** Reading the files and parsing their JSON, nothing more. */
async function parseOnly(data: Generated): Promise<number> {
  let count = 0;
  for (const file of data.historyFiles) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) if (line) count += JSON.parse(line) ? 1 : 0;
  }
  return count + (JSON.parse(await readFile(data.issueFile, 'utf8')) as unknown[]).length;
}

export async function insightsRows(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-bench-insights-'));
  try {
    const data = generate(dir);
    const year = periodOf('365d');
    // The data must say what the row claims: every line read, every issue matched against every runbook.
    const sources = await loadInsightsSources({ root: data.root, runbooks: data.runbooks, historyFiles: data.historyFiles, issueFiles: [data.issueFile], runbookUrlPrefixes: PREFIXES });
    const summary = summarizeInsights(sources, { period: year });
    if (sources.lines.length !== HISTORY_LINES || sources.duplicateLines !== 5_000 || sources.issues.length !== ISSUES || sources.problems.length > 0) {
      throw new Error(`generated data read back wrong: ${sources.lines.length} lines, ${sources.duplicateLines} duplicates, ${sources.issues.length} issues, ${JSON.stringify(sources.problems.slice(0, 3))}`);
    }
    const historyMiB = data.historyFiles.reduce((sum, file) => sum + readFileSync(file).length, 0) / 2 ** 20;
    const issuesMiB = readFileSync(data.issueFile).length / 2 ** 20;
    const what = `${RUNBOOKS} runbooks parsed and placed on the ladder, ${HISTORY_LINES.toLocaleString('en')} lines (+5,000 duplicates) over a year in 2 files (${historyMiB.toFixed(1)} MiB), ${ISSUES.toLocaleString('en')} GitHub issues (${issuesMiB.toFixed(1)} MiB, ${summary.totals.issuesMentioningRunbooks} naming a runbook)`;
    const rows: Row[] = [];
    for (const [id, label, note] of [
      ['insights', '365d', `every line in the period (${summary.totals.runs.toLocaleString('en')} runs): the worst case`],
      ['insights-90d', '90d', '`runbook stats` default period: lines older than it are passed over unparsed'],
    ] as const) {
      const period = periodOf(label);
      const samples = await pair(() => insights(data, period), () => parseOnly(data), RUNS);
      rows.push(
        judge({
          id,
          what: `insights over 100,000 history lines and 5,000 issues (${label})`,
          unit: 'ms',
          ours: median(samples.ours),
          baseline: median(samples.baseline),
          baselineLabel: 'read + JSON.parse',
          kind: 'max',
          budget: 300,
          note:
            `loadInsightsSources + summarizeInsights (${label}) + formatInsightsTable; ${note}; ${what}; ` +
            'the baseline (reading the files, JSON.parse of every line and of the export) is for context',
          samples,
        }),
      );
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function periodOf(label: string): InsightsPeriod {
  const period = periodEnding(label, NOW);
  if ('error' in period) throw new Error(period.error);
  return period;
}
