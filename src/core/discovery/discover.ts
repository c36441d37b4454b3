// Finding the runbooks under folders on disk, for the command line (`runbook list`, `check`,
// `test`, `stats`): the same rules and the same header reading as the editor's Runbooks view.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
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

async function* markdownFiles(root: string, maxFiles: number): AsyncGenerator<string> {
  const pending = [root];
  let count = 0;
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).split(sep).join('/');
      if (isIgnoredPath(rel)) continue;
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && isMarkdownPath(entry.name)) {
        if (++count > maxFiles) return;
        yield path;
      }
    }
  }
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
    for await (const path of markdownFiles(root, options.maxFiles ?? 100_000)) {
      const relativePath = relative(root, path).split(sep).join('/');
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const header = readRunbookHeader(text, path);
      if (isRunbookFile(relativePath, header.declaresRunbook, include)) found.push({ path, relativePath, header });
    }
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
