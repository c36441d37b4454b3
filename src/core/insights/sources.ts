// Everything insights read, read once: the runbooks (title and ladder), the history lines and the
// issues with the runbooks each names. Summaries for any period are then computed from this
// without touching the disk again (the insights view switches between 30, 90 and 365 days).

import { readFile } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { mapConcurrently } from '../mapConcurrently';
import { parseRunbook } from '../runbook';
import { normalizeRunbookPath, readHistoryFiles } from './history';
import { readIssueFiles } from './issues';
import { listWorkflowFiles, readLadder } from './ladder';
import { MentionMatcher } from './mentions';
import type { RunbookUrlPrefixes } from './runbookUrl';
import type { HistoryLine, InputProblem, IssueRecord, MentionKind, RunbookFacts } from './types';

export interface InsightsOptions {
  /** The repository (workspace folder) root, absolute: runbook, script and workflow paths are relative to it. */
  root: string;
  /** Repository-relative paths of the runbooks to rank (the caller discovers them). */
  runbooks: readonly string[];
  /** History files (JSONL); see `findHistoryFiles` for folders. */
  historyFiles: readonly string[];
  /** Issue exports (GitHub or GitLab JSON). */
  issueFiles: readonly string[];
  /** URL prefix → repository folder, for `runbook_url` mentions. */
  runbookUrlPrefixes?: RunbookUrlPrefixes;
  /**
   * Epoch ms: history lines that started before it are not read (they cannot count in a period
   * that starts later). The start of the longest period the caller will summarize; all when absent.
   */
  since?: number;
}

export interface InsightsSources {
  runbooks: RunbookFacts[];
  lines: HistoryLine[];
  issues: Array<{ issue: IssueRecord; runbooks: Array<[path: string, how: MentionKind]> }>;
  historyFiles: string[];
  issueFiles: string[];
  duplicateLines: number;
  problems: InputProblem[];
}

/** How many runbook files are read at once. */
const PARALLEL_READS = 64;

/**
 * The callback `readFile`: in Node 20 `fs/promises`' readFile costs several times more per small
 * file (a FileHandle and a read loop of its own): 18 ms against 3–6 ms for 200 runbooks here.
 */
const readText = promisify(readFile);

/** Title and ladder of each runbook; one that cannot be read is a problem and left out. */
export async function readRunbookFacts(root: string, paths: readonly string[]): Promise<{ runbooks: RunbookFacts[]; problems: InputProblem[] }> {
  const unique = [...new Set(paths.map(normalizeRunbookPath))];
  const workflowFiles = await listWorkflowFiles(root);
  const results = await mapConcurrently(unique, PARALLEL_READS, async (path): Promise<RunbookFacts | InputProblem> => {
    try {
      const text = await readText(join(root, path), 'utf8');
      const runbook = parseRunbook(text, { path: join(root, path) });
      return { path, title: runbook.title, ladder: await readLadder(root, path, { text, runbook, workflowFiles }) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { file: path, message: code === 'ENOENT' ? 'no such runbook' : `cannot be read: ${(error as Error).message}` };
    }
  });
  return {
    runbooks: results.filter((result): result is RunbookFacts => 'ladder' in result),
    problems: results.filter((result): result is InputProblem => 'message' in result),
  };
}

/** Reads the runbooks, the history and the issue exports, and matches issues to runbooks. */
export async function loadInsightsSources(options: InsightsOptions): Promise<InsightsSources> {
  const [facts, history, issues] = await Promise.all([
    readRunbookFacts(options.root, options.runbooks),
    readHistoryFiles(options.historyFiles, { since: options.since }),
    readIssueFiles(options.issueFiles),
  ]);
  const matcher = new MentionMatcher(facts.runbooks, options.runbookUrlPrefixes ?? {});
  return {
    runbooks: facts.runbooks,
    lines: history.lines,
    issues: issues.issues.map((issue) => ({ issue, runbooks: [...matcher.match(issue.text)] })),
    historyFiles: [...options.historyFiles],
    issueFiles: [...options.issueFiles],
    duplicateLines: history.duplicates,
    problems: [...facts.problems, ...history.problems, ...issues.problems],
  };
}
