// Reads the runbooks the bridge may start: every Markdown file under the configured folders of the
// repository, parsed once when the bridge starts (and again on reload). Which one an alert starts is
// decided in src/core/alerts.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { RunbookCatalog } from '../../core/alerts';
import { parseRunbook, type Runbook } from '../../core/runbook';
import type { BridgeConfig } from './config';

/** Files larger than this are not runbooks anyone wrote by hand; they are skipped. */
const MAX_RUNBOOK_BYTES = 4 * 1024 * 1024;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

async function markdownFiles(folder: string, found: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) await markdownFiles(full, found);
    } else if (entry.isFile() && /\.(md|markdown)$/i.test(entry.name)) found.push(full);
  }
}

/** Repository-relative, `/`-separated: the path alerts, audit lines and workflow names use. */
export function repositoryPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

export interface LoadedRunbooks {
  catalog: RunbookCatalog;
  /** Files that could not be read, for the start-up message. */
  skipped: string[];
}

export async function loadRunbooks(config: BridgeConfig): Promise<LoadedRunbooks> {
  const files: string[] = [];
  for (const folder of config.repository.runbooks) await markdownFiles(folder, files);
  const runbooks: Array<{ path: string; runbook: Runbook }> = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const file of files.sort()) {
    const path = repositoryPath(config.repository.root, file);
    if (path.startsWith('../')) {
      skipped.push(`${file} (outside repository.root ${config.repository.root})`);
      continue;
    }
    if (seen.has(path)) continue;
    seen.add(path);
    try {
      if ((await stat(file)).size > MAX_RUNBOOK_BYTES) {
        skipped.push(`${path} (larger than ${MAX_RUNBOOK_BYTES / 1024 / 1024} MiB)`);
        continue;
      }
      runbooks.push({ path, runbook: parseRunbook((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''), { path: file }) });
    } catch (error) {
      skipped.push(`${path} (${(error as Error).message})`);
    }
  }
  return { catalog: new RunbookCatalog(runbooks, config.repository.urlPrefixes), skipped };
}
