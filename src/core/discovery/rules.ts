// Which Markdown files are runbooks, for every front end: a file matching one of the include
// globs (the `runbooks.include` setting, `--include` on the command line), or one whose front
// matter says so. Files under node_modules and .git never are.

import type Picomatch from 'picomatch';

// Loaded on first use, like markdown-it and yaml, to keep it out of activation time.
let picomatchModule: typeof Picomatch | undefined;
function picomatch(): typeof Picomatch {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (picomatchModule ??= require('picomatch') as typeof Picomatch);
}

export const DEFAULT_INCLUDE = ['**/*.runbook.md', '**/runbooks/**/*.md'];

const matchers = new Map<string, (path: string) => boolean>();

function matcher(globs: readonly string[]): (path: string) => boolean {
  const key = globs.join('\0');
  let match = matchers.get(key);
  if (!match) {
    match = picomatch()([...globs], { dot: true });
    if (matchers.size > 50) matchers.clear();
    matchers.set(key, match);
  }
  return match;
}

/** Whether a `/`-separated path relative to the workspace folder or repository is left out of discovery. */
export function isIgnoredPath(relativePath: string, excludes: readonly string[] = []): boolean {
  if (/(^|\/)(node_modules|\.git)(\/|$)/.test(relativePath)) return true;
  return excludes.length > 0 && matcher(excludes)(relativePath);
}

export function isMarkdownPath(path: string): boolean {
  return /\.(md|markdown)$/i.test(path);
}

export function matchesInclude(relativePath: string, include: readonly string[] = DEFAULT_INCLUDE): boolean {
  return matcher(include)(relativePath);
}

/** Whether a file is a runbook: by its path, or by what its front matter declares. */
export function isRunbookFile(relativePath: string, declaresRunbook: boolean, include: readonly string[] = DEFAULT_INCLUDE): boolean {
  if (isIgnoredPath(relativePath) || !isMarkdownPath(relativePath)) return false;
  return declaresRunbook || matchesInclude(relativePath, include);
}
