// `runbook stats`: which runbooks cost the most toil and how far each is automated, from the
// history logs and issue exports (src/core/insights), as a table, JSON, CSV or Markdown.

import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { discoverRunbooks } from '../../core/discovery';
import { DEFAULT_PERIOD, formatInsights, formatProblems, INSIGHTS_FORMATS, loadInsightsSources, periodEnding, summarizeInsights, type InsightsFormat } from '../../core/insights';
import { usageError } from '../errors';
import { historyPath } from '../historyFile';
import { repositoryRoot } from '../runbookFile';
import type { Terminal } from '../terminal';

export const STATS_USAGE = `Usage: runbook stats [paths…] [--history FILE …] [--issues FILE …] [--since 90d]
                    [--format table|json|csv|markdown] [--runbook-url PREFIX=FOLDER …]

Ranks the runbooks under the paths (default: the repository) by the toil they cost: runs, people,
hands-on time and failures from the history logs (default: this user's, see runbook run --help),
mentions in issue exports (gh issue list --state all --json number,title,body,labels,createdAt,closedAt,url,
or GitLab's issues API), and each runbook's stage (runbook, tool N/M, service).`;

export async function statsCommand(argv: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      history: { type: 'string', multiple: true },
      issues: { type: 'string', multiple: true },
      since: { type: 'string' },
      format: { type: 'string' },
      'runbook-url': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    terminal.out(`${STATS_USAGE}\n`);
    return 0;
  }
  const format = (values.format ?? 'table') as InsightsFormat;
  if (!INSIGHTS_FORMATS.includes(format)) throw usageError(`--format ${values.format}: use ${INSIGHTS_FORMATS.join(', ')}`, 'see `runbook stats --help`');
  const now = Date.now();
  const period = periodEnding(values.since ?? DEFAULT_PERIOD, now);
  if ('error' in period) throw usageError(`--since: ${period.error}`, 'see `runbook stats --help`');
  const prefixes: Record<string, string> = {};
  for (const mapping of values['runbook-url'] ?? []) {
    const eq = mapping.lastIndexOf('=');
    if (eq <= 0) throw usageError(`--runbook-url ${mapping}: write PREFIX=FOLDER, e.g. https://runbooks.example.com/runbooks/=runbooks/`, 'see `runbook stats --help`');
    prefixes[mapping.slice(0, eq)] = mapping.slice(eq + 1);
  }
  const root = repositoryRoot(process.cwd()) ?? process.cwd();
  const found = await discoverRunbooks(positionals.length ? positionals : [root]);
  const runbooks = found.map((runbook) => relative(root, runbook.path).split(sep).join('/'));
  const defaultHistory = historyPath(undefined);
  const historyFiles = (values.history ?? (existsSync(defaultHistory) ? [defaultHistory] : [])).map((file) => resolve(file));
  const sources = await loadInsightsSources({ root, runbooks, historyFiles, issueFiles: (values.issues ?? []).map((file) => resolve(file)), runbookUrlPrefixes: prefixes, since: Date.parse(period.since) });
  const insights = summarizeInsights(sources, { period });
  terminal.out(formatInsights(insights, format));
  if ((format === 'table' || format === 'csv') && insights.problems.length > 0) terminal.err(formatProblems(insights.problems));
  return 0;
}
