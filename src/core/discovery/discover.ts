// Finding the runbooks under folders on disk, for the command line (`runbook list`, `check`,
// `test`, `stats`): the same rules and the same header reading as the editor's Runbooks view.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { mapConcurrently } from '../mapConcurrently';
import { readRunbookHeader, type RunbookHeader } from './header';
import { DEFAULT_INCLUDE, isIgnoredPath, isMarkdownPath, isRunbookFile } from './rules';

export interface FoundRunbook {
  /** Absolute path. */
  path: string;
  /** Relative to the root it was found under, `/`-separated. */
  relativePath: string;
  header: RunbookHeader;
}

export interface DiscoverOptions {
  include?: readonly string[];
  /** Stop after this many Markdown files (a safety bound for huge trees). */
  maxFiles?: number;
}

/** How many files are read at once: enough to keep the file system busy, few enough to stay light. */
const READ_CONCURRENCY = 32;

/**
 * The Markdown files under `root` (at most `maxFiles`), with their `/`-separated path relative to
 * it. Breadth first, each level's folders listed at once: one await per file or folder made a walk
 * of 10,000 files wait on the file system one request at a time.
 */
async function markdownFiles(root: string, maxFiles: number): Promise<Array<{ path: string; relativePath: string }>> {
  const files: Array<{ path: string; relativePath: string }> = [];
  let level = [{ dir: root, rel: '' }];
  while (level.length > 0 && files.length < maxFiles) {
    const listed = await Promise.all(level.map(async (folder) => ({ folder, entries: await readdir(folder.dir, { withFileTypes: true }).catch(() => []) })));
    const next: typeof level = [];
    for (const { folder, entries } of listed) {
      entries.sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const entry of entries) {
        const rel = folder.rel ? `${folder.rel}/${entry.name}` : entry.name;
        if (isIgnoredPath(rel)) continue;
        if (entry.isDirectory()) next.push({ dir: join(folder.dir, entry.name), rel });
        else if (entry.isFile() && isMarkdownPath(entry.name) && files.length < maxFiles) files.push({ path: join(folder.dir, entry.name), relativePath: rel });
      }
    }
    level = next;
  }
  return files;
}

/**
 * The runbooks under each of `paths` (folders are searched; a file is taken as a runbook when it
 * is Markdown, whatever its name), in path order.
 */
export async function discoverRunbooks(paths: string[], options: DiscoverOptions = {}): Promise<FoundRunbook[]> {
  const include = options.include ?? DEFAULT_INCLUDE;
  const found: FoundRunbook[] = [];
  for (const given of paths) {
    const root = resolve(given);
    const info = await stat(root);
    if (info.isFile()) {
      found.push({ path: root, relativePath: root.split(sep).pop() ?? root, header: readRunbookHeader(await readFile(root, 'utf8'), root) });
      continue;
    }
    const files = await markdownFiles(root, options.maxFiles ?? 100_000);
    const read = await mapConcurrently(files, READ_CONCURRENCY, async ({ path, relativePath }) => {
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      const header = readRunbookHeader(text, path);
      return isRunbookFile(relativePath, header.declaresRunbook, include) ? { path, relativePath, header } : undefined;
    });
    for (const runbook of read) if (runbook) found.push(runbook);
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
