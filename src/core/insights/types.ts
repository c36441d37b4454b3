// What insights produce: plain data (JSON-safe: times are ISO strings or epoch milliseconds, no
// class instances), so the same object goes to the CLI's formats and to a webview as is.

import type { RunOrigin } from '../progress/types';

/** A problem in the input: a history line, an issue export, a runbook that could not be read. */
export interface InputProblem {
  /** The file as it was given (absolute or as the caller passed it). */
  file: string;
  /** 1-based line, when the problem is on one line. */
  line?: number;
  message: string;
}

/** One history line, read and checked; fields the old format lacked are filled with their meaning. */
export interface HistoryLine {
  /** Repository-relative, `/`-separated. */
  runbook: string;
  runbookTitle: string;
  step: string;
  kind: 'code' | 'manual';
  who: string;
  where: RunOrigin;
  runId?: string;
  /** Epoch milliseconds the step started (a manual step: when it was checked off or skipped). */
  at: number;
  durationMs: number;
  result: string;
}

/** One issue from a GitHub or GitLab export, reduced to what matching and periods need. */
export interface IssueRecord {
  source: 'github' | 'gitlab';
  /** GitHub `number`, GitLab `iid`. */
  number: number;
  title: string;
  /** Title, body (description) and label names: the text a mention is looked for in. */
  text: string;
  url?: string;
  /** Epoch milliseconds; undefined when the export lacks a readable date. */
  createdAt?: number;
  closedAt?: number;
}

/** How far a runbook has come: `runbook` (people do every step), `tool` (a script does some), `service` (a workflow exists). */
export type LadderStage = 'runbook' | 'tool' | 'service';

export interface Ladder {
  stage: LadderStage;
  /** Code steps and manual steps. */
  steps: number;
  /** Steps that a tool note names and that exist in the runbook now. */
  automatedSteps: number;
  automatedStepTitles: string[];
  /** Scripts the tool notes name that exist in the repository. */
  scripts: string[];
  /** Scripts a note names that are not in the repository: the note is not counted. */
  missingScripts: string[];
  /** Titles a note names that no step of the runbook has any more (renamed or removed steps). */
  unknownNoteSteps: string[];
  /** Repository-relative workflow files that exist (`.github/workflows/…`, `.gitlab/runbooks/…`). */
  workflows: string[];
  /** Short form for a badge: `runbook`, `tool 3/7`, `service`. */
  badge: string;
  /** Long form: `3 of 7 steps automated · no workflow`. */
  summary: string;
}

/** A runbook of the repository, read and placed on the ladder. */
export interface RunbookFacts {
  /** Repository-relative, `/`-separated. */
  path: string;
  title: string;
  ladder: Ladder;
}

export type MentionKind = 'path' | 'url' | 'file-name' | 'title';

export interface IssueMention {
  source: 'github' | 'gitlab';
  number: number;
  title: string;
  url?: string;
  /** The strongest way the issue names the runbook (path > url > file name > title). */
  how: MentionKind;
  /** ISO time. */
  createdAt?: string;
}

/** One run: a CLI, workflow or bridge invocation, an editor Run all / Continue, or a sitting. */
export interface Run {
  runbook: string;
  /** The run id, or undefined for a sitting (lines without one). */
  runId?: string;
  where: RunOrigin;
  /** Everyone whose lines are in the run (usually one). */
  who: string[];
  /** Epoch milliseconds of the first line's start and the last line's end. */
  start: number;
  end: number;
  /** Step executions and manual steps in the run. */
  lines: number;
  /** Any code step failed or timed out. */
  failed: boolean;
  /** Editor, CLI and manual-step time: a person was at it. */
  handsOnMs: number;
  /** Time unattended (`ci`, `alert`) code steps ran. */
  unattendedMs: number;
}

/** One runbook's row in the "automate next" ranking. */
export interface RunbookInsight {
  /** 1-based place in the ranking. */
  rank: number;
  path: string;
  title: string;
  runs: number;
  /** Runs a person started and watched (editor, CLI). */
  attendedRuns: number;
  /** Runs in CI or started by an alert. */
  unattendedRuns: number;
  /** Distinct `who` over the runs. */
  people: number;
  handsOnMs: number;
  /** Unattended (`ci`, `alert`) step time: time people did not spend. */
  timeSavedMs: number;
  failedRuns: number;
  /** failedRuns / runs, or null without runs. */
  failureRate: number | null;
  /** Issues created in the period that name the runbook. */
  mentions: number;
  issues: IssueMention[];
  ladder: Ladder;
  /** The ranking score (see rank.ts). */
  score: number;
  /** One sentence: why it ranks where it does. */
  why: string;
  /** ISO time of the latest run in the period. */
  lastRunAt?: string;
}

export interface InsightsPeriod {
  /** As given: `90d`, `12w`, `1y`. */
  label: string;
  /** Length in milliseconds. */
  ms: number;
  /** ISO times: lines from `since` (inclusive) to `until` (exclusive) count. */
  since: string;
  until: string;
}

/** Data for the two charts; the webview draws them (and shows each as a table too). */
export interface InsightsCharts {
  runsPerWeek: {
    /** ISO dates (UTC) of the Monday each week starts on, oldest first. */
    weeks: string[];
    /** The top runbooks of the ranking that ran in the period, counts per week aligned with `weeks`. */
    series: Array<{ path: string; title: string; counts: number[] }>;
  };
  /** Every runbook with hands-on time in the period, most first. */
  handsOnHours: Array<{ path: string; title: string; hours: number }>;
}

export const INSIGHTS_FORMAT = 'executable-runbooks.insights';
export const INSIGHTS_VERSION = 1;

export interface Insights {
  format: typeof INSIGHTS_FORMAT;
  version: typeof INSIGHTS_VERSION;
  period: InsightsPeriod;
  totals: {
    runs: number;
    people: number;
    handsOnMs: number;
    timeSavedMs: number;
    /** Issues created in the period. */
    issues: number;
    /** Of those, the ones naming at least one runbook. */
    issuesMentioningRunbooks: number;
  };
  /** Ranked, "automate next" first. */
  runbooks: RunbookInsight[];
  charts: InsightsCharts;
  /** Runbooks the history names in the period that are not among the runbooks given (renamed, deleted, elsewhere). */
  unknownRunbooks: Array<{ path: string; title: string; lines: number }>;
  sources: {
    historyFiles: string[];
    issueFiles: string[];
    /** History lines read (all periods), after removing duplicates. */
    historyLines: number;
    /** Lines seen more than once (in one file or across files), counted once. */
    duplicateLines: number;
    issues: number;
  };
  /** Bad or partial input, each with its file (and line); everything else still counted. */
  problems: InputProblem[];
}
