// The one message protocol between the insights webview and the extension host, shared by both
// and checked on both sides. The webview is untrusted: it may ask for a period, a folder, a
// refresh or the issue-export picker, and name a runbook or a source file to open; the host opens
// only runbooks and files that are among the insights it sent. No `vscode` import: the webview
// bundle includes this file.

import { PERIOD_CHOICES } from '../../core/insights/period';
import type { Insights } from '../../core/insights/types';

/** One of the periods the panel offers: 30, 90 or 365 days. */
export type InsightsPeriodChoice = (typeof PERIOD_CHOICES)[number];

/** What the panel shows for one folder and period. */
export interface InsightsView {
  insights: Insights;
  period: InsightsPeriodChoice;
  /** The one-line summary of the period (the CLI's summaryLine). */
  summary: string;
  /** Names of the workspace folders to choose from; one entry in a single-folder workspace. */
  folders: string[];
  /** Index into `folders` of the folder shown. */
  folder: number;
  /** Issue exports the user chose (absolute paths). */
  issueFiles: string[];
  /** How each source file (history, issue export, runbook) is shown: workspace-relative or `~/…`. */
  labels: Record<string, string>;
  /** ISO time the sources were read; the periods end then. */
  readAt: string;
}

export type InsightsHostMessage =
  /** Sources are being read (first load, refresh, another folder, new issue exports). */
  | { type: 'loading' }
  | { type: 'insights'; view: InsightsView }
  /** Nothing to show, with why (no folder open; the sources could not be read at all). */
  | { type: 'unavailable'; message: string };

export type InsightsWebviewMessage =
  | { type: 'ready' }
  | { type: 'setPeriod'; period: InsightsPeriodChoice }
  | { type: 'setFolder'; folder: number }
  | { type: 'refresh' }
  | { type: 'chooseIssueFiles' }
  | { type: 'clearIssueFiles' }
  /** A runbook of the ranking, by its repository-relative path. */
  | { type: 'openRunbook'; path: string }
  /** A source file named in the panel (a problem's file and line). */
  | { type: 'openSource'; file: string; line?: number };

const MAX_PATH = 4096;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasOnlyKeys(value: Record<string, unknown>, keys: string[]): boolean {
  return Object.keys(value).every((key) => keys.includes(key));
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1000;
}

function isLine(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

function isPath(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_PATH;
}

export function isPeriodChoice(value: unknown): value is InsightsPeriodChoice {
  return typeof value === 'string' && (PERIOD_CHOICES as readonly string[]).includes(value);
}

/** The host's check of anything the webview posts. */
export function isInsightsWebviewMessage(value: unknown): value is InsightsWebviewMessage {
  if (!isRecord(value) || typeof value.type !== 'string') return false;
  switch (value.type) {
    case 'ready':
    case 'refresh':
    case 'chooseIssueFiles':
    case 'clearIssueFiles':
      return hasOnlyKeys(value, ['type']);
    case 'setPeriod':
      return hasOnlyKeys(value, ['type', 'period']) && isPeriodChoice(value.period);
    case 'setFolder':
      return hasOnlyKeys(value, ['type', 'folder']) && isIndex(value.folder);
    case 'openRunbook':
      return hasOnlyKeys(value, ['type', 'path']) && isPath(value.path);
    case 'openSource':
      return hasOnlyKeys(value, ['type', 'file', 'line']) && isPath(value.file) && (value.line === undefined || isLine(value.line));
    default:
      return false;
  }
}

function isInsights(value: unknown): value is Insights {
  if (!isRecord(value) || !Array.isArray(value.runbooks) || !Array.isArray(value.problems) || !Array.isArray(value.unknownRunbooks)) return false;
  const { charts, period, totals, sources } = value;
  return (
    isRecord(charts) &&
    isRecord(charts.runsPerWeek) &&
    Array.isArray(charts.runsPerWeek.weeks) &&
    Array.isArray(charts.runsPerWeek.series) &&
    Array.isArray(charts.handsOnHours) &&
    isRecord(period) &&
    typeof period.label === 'string' &&
    isRecord(totals) &&
    isRecord(sources) &&
    value.runbooks.every((row) => isRecord(row) && typeof row.path === 'string' && typeof row.title === 'string' && isRecord(row.ladder))
  );
}

/** The webview's check of what the host posts (a bug there must not break the page). */
export function isInsightsHostMessage(value: unknown): value is InsightsHostMessage {
  if (!isRecord(value) || typeof value.type !== 'string') return false;
  switch (value.type) {
    case 'loading':
      return true;
    case 'unavailable':
      return typeof value.message === 'string';
    case 'insights': {
      const view = value.view;
      return (
        isRecord(view) &&
        isPeriodChoice(view.period) &&
        typeof view.summary === 'string' &&
        Array.isArray(view.folders) &&
        view.folders.every((name) => typeof name === 'string') &&
        isIndex(view.folder) &&
        Array.isArray(view.issueFiles) &&
        isRecord(view.labels) &&
        typeof view.readAt === 'string' &&
        isInsights(view.insights)
      );
    }
    default:
      return false;
  }
}
