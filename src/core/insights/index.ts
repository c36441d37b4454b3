// Insights' public face: which runbooks cost the most toil and how far each is automated, from the
// history logs, issue-queue exports and the repository itself. No `vscode`, no terminal: the
// `runbook stats` command and the insights view both build on these. Import from here.
//
//   const sources = await loadInsightsSources({ root, runbooks, historyFiles, issueFiles, runbookUrlPrefixes });
//   const period = periodEnding('90d', Date.now());            // or { error } for a bad --since
//   const insights = summarizeInsights(sources, { period });   // again for 30d / 365d, no re-read
//   process.stdout.write(formatInsights(insights, 'markdown'));
export type * from './types';
export { INSIGHTS_FORMAT, INSIGHTS_VERSION } from './types';
export { findHistoryFiles, normalizeRunbookPath, readHistoryFiles, type HistoryRead } from './history';
export { defaultHistoryPath } from './historyLocation';
export { parseIssueExport, readIssueFiles, type IssuesRead } from './issues';
export { MIN_TITLE_CHARS, MIN_TITLE_WORDS, MentionMatcher, type MatchableRunbook } from './mentions';
export { RunbookPathIndex, runbookPathFromUrl, type RunbookUrlPrefixes } from './runbookUrl';
export { SITTING_GAP_MS, groupRuns, isAttended } from './runs';
export { DEFAULT_PERIOD, PERIOD_CHOICES, parsePeriod, periodEnding, weekStart, weeksOf } from './period';
export { automationNotes, existingWorkflows, ladderOf, listWorkflowFiles, readLadder, type AutomationNote, type LadderFiles } from './ladder';
export { SCORE_WEIGHTS, failureRate, handsOnText, ladderFactor, score, toil, whyText, type RunbookUsage } from './rank';
export { loadInsightsSources, readRunbookFacts, type InsightsOptions, type InsightsSources } from './sources';
export { summarizeInsights, type SummaryOptions } from './summarize';
export {
  INSIGHTS_FORMATS,
  csvField,
  formatInsights,
  formatInsightsCsv,
  formatInsightsJson,
  formatInsightsMarkdown,
  formatInsightsTable,
  formatProblems,
  summaryLine,
  type InsightsFormat,
} from './format';
