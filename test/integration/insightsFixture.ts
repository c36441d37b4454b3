// The insights fixtures (test/fixtures/workspace/insights-data/: a history log and a GitHub issue
// export) are dated against a fixed day; periods end now, so a test first moves every time in a
// copy forward by the same amount, keeping their order and gaps. A line that is not JSON (the
// fixture holds one, cut short) is kept as it is. Plain Node: the integration suite and the
// browser test both use it.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The day the fixtures are dated against: a line `3 days` before it is 3 days old after redating. */
export const INSIGHTS_FIXTURE_DAY = Date.parse('2025-06-01T00:00:00.000Z');

export const HISTORY_FILE = 'history.jsonl';
export const ISSUES_FILE = 'issues.json';

function shifted(iso: unknown, by: number): unknown {
  return typeof iso === 'string' && !Number.isNaN(Date.parse(iso)) ? new Date(Date.parse(iso) + by).toISOString() : iso;
}

/** Rewrites the history and issue files in `folder` (a copy of insights-data) as if their day were `now`. */
export function redateInsightsData(folder: string, now = Date.now()): void {
  const by = now - INSIGHTS_FIXTURE_DAY;
  const history = join(folder, HISTORY_FILE);
  const lines = readFileSync(history, 'utf8').split('\n');
  const moved = lines.map((line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      return JSON.stringify({ ...entry, at: shifted(entry.at, by) });
    } catch {
      return line;
    }
  });
  writeFileSync(history, moved.join('\n'));
  const issuesFile = join(folder, ISSUES_FILE);
  const issues = JSON.parse(readFileSync(issuesFile, 'utf8')) as Array<Record<string, unknown>>;
  writeFileSync(issuesFile, `${JSON.stringify(issues.map((issue) => ({ ...issue, createdAt: shifted(issue.createdAt, by), closedAt: shifted(issue.closedAt, by) })), null, 2)}\n`);
}
