// Reads issue-queue exports: GitHub (`gh issue list --state all --limit 10000 --json
// number,title,body,labels,createdAt,closedAt,url`) and GitLab (the REST API's `/projects/:id/issues`
// JSON: iid, title, description, labels, created_at, closed_at, web_url). Which one a file is comes
// from its items' fields; a file may hold several JSON arrays one after another (pages fetched with
// `--paginate` and concatenated). A file in neither format, a JSON error, or an item that is not an
// issue is reported with the file (and line); the other issues still count.

import { readFile } from 'node:fs/promises';
import type { InputProblem, IssueRecord } from './types';

type Source = IssueRecord['source'];

/** Past this many bad items in one file, the rest are counted in one message. */
const PROBLEMS_PER_FILE = 20;

export interface IssuesRead {
  issues: IssueRecord[];
  problems: InputProblem[];
}

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The top-level JSON values in `text`, each with its start offset: one for an ordinary file,
 * several for pages written one after another. Only brackets outside strings count, so text in
 * issue bodies cannot split a value.
 */
function topLevelValues(text: string): Array<{ text: string; offset: number }> {
  const values: Array<{ text: string; offset: number }> = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    if (text[i] !== '[' && text[i] !== '{') {
      while (i < text.length && !/\s/.test(text[i])) i++;
    } else {
      let depth = 0;
      let inString = false;
      for (; i < text.length; i++) {
        const c = text[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '[' || c === '{') depth++;
        else if (c === ']' || c === '}') {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
      }
    }
    values.push({ text: text.slice(start, i), offset: start });
  }
  return values;
}

function formatOf(item: Record<string, unknown>): Source | undefined {
  if ('iid' in item || 'web_url' in item || 'created_at' in item) return 'gitlab';
  if ('number' in item && ('url' in item || 'title' in item || 'createdAt' in item)) return 'github';
  return undefined;
}

function time(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function labelNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((label: unknown) => (typeof label === 'string' ? label : typeof label === 'object' && label !== null ? (label as { name?: unknown }).name : undefined))
    .filter((name): name is string => typeof name === 'string');
}

/** The issue, or why the item is not one of `source`'s issues. */
function toIssue(item: Record<string, unknown>, source: Source): IssueRecord | string {
  const number = source === 'github' ? item.number : item.iid;
  const body = source === 'github' ? item.body : item.description;
  const url = source === 'github' ? item.url : item.web_url;
  if (typeof number !== 'number' || typeof item.title !== 'string') {
    return `not a ${source === 'github' ? 'GitHub' : 'GitLab'} issue (no ${source === 'github' ? '"number"' : '"iid"'} or "title")`;
  }
  const labels = labelNames(item.labels);
  const issue: IssueRecord = {
    source,
    number,
    title: item.title,
    text: [item.title, typeof body === 'string' ? body : '', ...labels].join('\n'),
  };
  if (typeof url === 'string') issue.url = url;
  const createdAt = time(source === 'github' ? item.createdAt : item.created_at);
  const closedAt = time(source === 'github' ? item.closedAt : item.closed_at);
  if (createdAt !== undefined) issue.createdAt = createdAt;
  if (closedAt !== undefined) issue.closedAt = closedAt;
  return issue;
}

/** The issues of one export's text; `file` names it in problems. */
export function parseIssueExport(text: string, file: string): IssuesRead {
  const problems: InputProblem[] = [];
  const items: Array<{ item: unknown; line?: number }> = [];
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // One JSON value is the usual case; only when the whole does not parse is it split into pages.
  let whole: unknown;
  let values: Array<{ text: string; offset: number }>;
  try {
    whole = JSON.parse(source);
    values = [];
  } catch {
    values = topLevelValues(source);
  }
  if (whole !== undefined) for (const item of Array.isArray(whole) ? whole : [whole]) items.push({ item });
  for (const value of values) {
    const line = lineAt(source, value.offset);
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.text);
    } catch (error) {
      const at = /position (\d+)/.exec(error instanceof Error ? error.message : '');
      const message = error instanceof Error ? error.message : String(error);
      problems.push({ file, line: at ? lineAt(source, value.offset + Number(at[1])) : line, message: `not JSON: ${message}` });
      // Past a JSON error nothing says where the next value starts.
      break;
    }
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) items.push({ item, line });
  }
  if (items.length === 0) {
    if (problems.length === 0 && source.trim() === '') problems.push({ file, message: 'empty file: not an issue export' });
    return { issues: [], problems };
  }
  const first = items.find(({ item }) => typeof item === 'object' && item !== null && formatOf(item as Record<string, unknown>));
  const format = first && formatOf(first.item as Record<string, unknown>);
  if (!format) {
    const sample = items[0].item;
    const keys = typeof sample === 'object' && sample !== null ? Object.keys(sample).slice(0, 8).join(', ') : typeof sample;
    problems.push({
      file,
      line: items[0].line,
      message: `not a GitHub or GitLab issue export (the first item has ${keys || 'no fields'}); make it with \`gh issue list --json …\` or GitLab's /projects/:id/issues API`,
    });
    return { issues: [], problems };
  }
  const issues: IssueRecord[] = [];
  let bad = 0;
  items.forEach(({ item, line }, index) => {
    const issue = typeof item === 'object' && item !== null && !Array.isArray(item) ? toIssue(item as Record<string, unknown>, format) : 'not an issue (not a JSON object)';
    if (typeof issue !== 'string') {
      issues.push(issue);
      return;
    }
    if (++bad <= PROBLEMS_PER_FILE) problems.push({ file, line, message: `item ${index + 1}: ${issue}` });
  });
  if (bad > PROBLEMS_PER_FILE) problems.push({ file, message: `${bad - PROBLEMS_PER_FILE} more items that are not issues not listed` });
  const undated = issues.filter((issue) => issue.createdAt === undefined).length;
  if (undated > 0) {
    problems.push({ file, message: `${undated} of ${issues.length} issues have no creation date (${format === 'github' ? 'createdAt' : 'created_at'}); they count in every period` });
  }
  return { issues, problems };
}

/** Reads export files; an issue found in two of them (same URL, or same source, number and title) counts once. */
export async function readIssueFiles(files: readonly string[]): Promise<IssuesRead> {
  const issues: IssueRecord[] = [];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push({ file, message: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not an issue export' : `cannot be read: ${(error as Error).message}` });
      continue;
    }
    const read = parseIssueExport(text, file);
    problems.push(...read.problems);
    for (const issue of read.issues) {
      const key = issue.url ?? `${issue.source}\0${issue.number}\0${issue.title}`;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push(issue);
    }
  }
  return { issues, problems };
}
