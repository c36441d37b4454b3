// Reading a runbook named on the command line: a clear message for a file that is missing or not
// Markdown, the host's own parse, and the key its progress and history lines use (the path relative
// to the repository root, as the editor keys it relative to its workspace folder).

import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseRunbook, type Runbook } from '../core/runbook';
import { CliError } from './errors';

export interface RunbookFile {
  path: string;
  text: string;
  runbook: Runbook;
  /** The repository root (the nearest folder above with `.git`), else the current folder. */
  root: string;
  /** `path` relative to `root`, `/`-separated. */
  key: string;
}

/** The nearest folder at or above `start` that holds `.git`, else undefined. */
export function repositoryRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export async function loadRunbook(file: string, cwd = process.cwd()): Promise<RunbookFile> {
  const path = resolve(cwd, file);
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new CliError(`${file} is a folder; name a runbook file (.md)`, 2);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${(error as Error).message}`, 2);
  }
  const runbook = parseRunbook(text, { path });
  const root = repositoryRoot(dirname(path)) ?? cwd;
  const key = relative(root, path).split(sep).join('/');
  return { path, text, runbook, root, key: key.startsWith('..') ? path : key };
}
