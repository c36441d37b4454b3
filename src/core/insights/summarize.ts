// Insights for one period from what was read: per runbook its runs, people, hands-on time, time
// saved, failures and issue mentions, ranked (rank.ts), with the series the charts draw. Pure: the
// same sources and period give the same insights.

import { weekStart, weeksOf } from './period';
import { rankRows, score, whyText, type RunbookUsage } from './rank';
import { groupRuns } from './runs';
import type { InsightsSources } from './sources';
import { INSIGHTS_FORMAT, INSIGHTS_VERSION, type HistoryLine, type Insights, type InsightsPeriod, type IssueMention, type Run, type RunbookInsight } from './types';

export interface SummaryOptions {
  period: InsightsPeriod;
  /** How many of the top runbooks get a runs-per-week series (default 5). */
  top?: number;
}

const HOUR_MS = 3_600_000;

export function summarizeInsights(sources: InsightsSources, options: SummaryOptions): Insights {
  const since = Date.parse(options.period.since);
  const until = Date.parse(options.period.until);
  const inPeriod = (time: number) => time >= since && time < until;
  const known = new Map(sources.runbooks.map((facts) => [facts.path, facts]));

  // Lines are cut to the period before they are grouped, so a line outside it never changes what
  // is counted inside (a sitting across the boundary counts its part in the period).
  const lines: HistoryLine[] = [];
  const unknown = new Map<string, { path: string; title: string; lines: number }>();
  let lastKnown: string | undefined;
  for (const line of sources.lines) {
    if (line.at < since || line.at >= until) continue;
    // Lines of one runbook come in runs: its path is looked up once for each.
    if (line.runbook === lastKnown || known.has(line.runbook)) {
      lastKnown = line.runbook;
      lines.push(line);
      continue;
    }
    const entry = unknown.get(line.runbook) ?? { path: line.runbook, title: line.runbookTitle, lines: 0 };
    entry.lines++;
    unknown.set(line.runbook, entry);
  }
  const runsByRunbook = new Map<string, Run[]>();
  for (const run of groupRuns(lines)) {
    const list = runsByRunbook.get(run.runbook);
    if (list) list.push(run);
    else runsByRunbook.set(run.runbook, [run]);
  }

  const issues = sources.issues.filter(({ issue }) => issue.createdAt === undefined || inPeriod(issue.createdAt));
  const mentionsByRunbook = new Map<string, IssueMention[]>();
  // Newest first, then by number: issues sorted once, so each runbook's list comes out in order.
  issues.sort((a, b) => (b.issue.createdAt ?? -Infinity) - (a.issue.createdAt ?? -Infinity) || a.issue.number - b.issue.number);
  for (const { issue, runbooks } of issues) {
    for (const [path, how] of runbooks) {
      const mention: IssueMention = { source: issue.source, number: issue.number, title: issue.title, how };
      if (issue.url !== undefined) mention.url = issue.url;
      if (issue.createdAt !== undefined) mention.createdAt = new Date(issue.createdAt).toISOString();
      const list = mentionsByRunbook.get(path);
      if (list) list.push(mention);
      else mentionsByRunbook.set(path, [mention]);
    }
  }

  const everyone = new Set<string>();
  const rows: Array<Omit<RunbookInsight, 'rank'>> = sources.runbooks.map((facts) => {
    const runs = runsByRunbook.get(facts.path) ?? [];
    const people = new Set<string>();
    const usage: RunbookUsage = { runs: runs.length, attendedRuns: 0, people: 0, handsOnMs: 0, timeSavedMs: 0, failedRuns: 0, mentions: 0 };
    for (const run of runs) {
      for (const who of run.who) people.add(who);
      if (run.where === 'editor' || run.where === 'cli') usage.attendedRuns++;
      usage.handsOnMs += run.handsOnMs;
      usage.timeSavedMs += run.unattendedMs;
      if (run.failed) usage.failedRuns++;
    }
    for (const who of people) everyone.add(who);
    usage.people = people.size;
    const mentions = mentionsByRunbook.get(facts.path) ?? [];
    usage.mentions = mentions.length;
    const row: Omit<RunbookInsight, 'rank'> = {
      path: facts.path,
      title: facts.title,
      runs: usage.runs,
      attendedRuns: usage.attendedRuns,
      unattendedRuns: usage.runs - usage.attendedRuns,
      people: usage.people,
      handsOnMs: usage.handsOnMs,
      timeSavedMs: usage.timeSavedMs,
      failedRuns: usage.failedRuns,
      failureRate: usage.runs > 0 ? usage.failedRuns / usage.runs : null,
      mentions: usage.mentions,
      issues: mentions,
      ladder: facts.ladder,
      score: score(usage, facts.ladder),
      why: whyText(usage, facts.ladder, options.period.label),
    };
    if (runs.length > 0) row.lastRunAt = new Date(Math.max(...runs.map((run) => run.start))).toISOString();
    return row;
  });
  const ranked = rankRows(rows);

  const weeks = weeksOf(since, until);
  const series = ranked
    .filter((row) => row.runs > 0)
    .slice(0, options.top ?? 5)
    .map((row) => {
      const counts = weeks.map(() => 0);
      for (const run of runsByRunbook.get(row.path) ?? []) {
        const index = weeks.indexOf(weekStart(run.start));
        if (index >= 0) counts[index]++;
      }
      return { path: row.path, title: row.title, counts };
    });

  return {
    format: INSIGHTS_FORMAT,
    version: INSIGHTS_VERSION,
    period: options.period,
    totals: {
      runs: ranked.reduce((sum, row) => sum + row.runs, 0),
      people: everyone.size,
      handsOnMs: ranked.reduce((sum, row) => sum + row.handsOnMs, 0),
      timeSavedMs: ranked.reduce((sum, row) => sum + row.timeSavedMs, 0),
      issues: issues.length,
      issuesMentioningRunbooks: issues.filter(({ runbooks }) => runbooks.length > 0).length,
    },
    runbooks: ranked,
    charts: {
      runsPerWeek: { weeks: weeks.map((week) => new Date(week).toISOString().slice(0, 10)), series },
      handsOnHours: ranked
        .filter((row) => row.handsOnMs > 0)
        .map((row) => ({ path: row.path, title: row.title, hours: Math.round((row.handsOnMs / HOUR_MS) * 100) / 100 }))
        .sort((a, b) => b.hours - a.hours || (a.path < b.path ? -1 : 1)),
    },
    unknownRunbooks: [...unknown.values()].sort((a, b) => b.lines - a.lines || (a.path < b.path ? -1 : 1)),
    sources: {
      historyFiles: sources.historyFiles,
      issueFiles: sources.issueFiles,
      historyLines: sources.lines.length,
      duplicateLines: sources.duplicateLines,
      issues: sources.issues.length,
    },
    problems: sources.problems,
  };
}
