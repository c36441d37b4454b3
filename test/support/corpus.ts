// The real-world runbooks beside the project (../shared/corpus, see its README.md): parsed by tests,
// never copied into the project and never run. Tests skip themselves where the folder is absent.

import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CORPUS = resolve(__dirname, '../../../shared/corpus');

/** Every `.md` file below `dir` (node_modules aside), sorted; [] when `dir` does not exist. */
export function markdownFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

/** The corpus runbooks: its Markdown files but its own README. */
export function corpusRunbooks(): string[] {
  return markdownFilesUnder(CORPUS).filter((file) => file !== join(CORPUS, 'README.md'));
}
