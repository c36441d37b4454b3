// Which runbooks an issue names. An issue mentions a runbook when its title, body or labels hold:
// - the runbook's path (`runbooks/restart-api.md`, also at the end of a longer path or a Git host's
//   file URL: `…/blob/main/runbooks/restart-api.md`), compared without case;
// - a `runbook_url` that a configured prefix maps to it (see runbookUrl.ts);
// - its file name (`restart-api.md`), when no other runbook has that file name and it is not a
//   name every folder has (README.md, index.md, _index.md);
// - its title as a whole phrase, word for word (case, punctuation and spacing aside), when the title
//   has at least MIN_TITLE_WORDS words and MIN_TITLE_CHARS characters and no other runbook has the
//   same title. So a runbook titled "Restart" is never found by its title (the word is in too many
//   issues), while "Restart the payments API" is found in "we had to restart the payments API
//   again" but not in "restart the payments service".
// Words are runs of letters and digits, so a title never matches inside a longer word.

import type { MentionKind } from './types';
import { RunbookPathIndex, type RunbookUrlPrefixes } from './runbookUrl';

export const MIN_TITLE_WORDS = 2;
export const MIN_TITLE_CHARS = 10;

/** File names too common to name one runbook by themselves. */
const GENERIC_FILE_NAMES: ReadonlySet<string> = new Set(['readme.md', 'readme.markdown', 'index.md', '_index.md']);

/** Strongest first: a path or URL names one file, a title only suggests it. */
const STRENGTH: Record<MentionKind, number> = { path: 4, url: 3, 'file-name': 2, title: 1 };

const URL_PATTERN = /https?:\/\/[^\s<>"'`()[\]{}|\\^]+/gi;
/** Characters of a path token (`runbooks/restart-api.md`, `./a%20b.md`, `~/ops/x.md`). */
const PATH_CHAR = /[\p{L}\p{N}_.~%+@/-]/u;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const WORD_PATTERN = /[\p{L}\p{N}]+/gu;

export interface MatchableRunbook {
  /** Repository-relative, `/`-separated. */
  path: string;
  title: string;
}

/**
 * The path-like tokens of lower-cased text that end in `.md` or `.markdown` (not `.mdx`): found
 * from each extension backwards, so the cost stays linear in the text.
 */
function pathTokens(lower: string): string[] {
  const tokens: string[] = [];
  for (const extension of ['.md', '.markdown']) {
    for (let at = lower.indexOf(extension); at >= 0; at = lower.indexOf(extension, at + 1)) {
      const end = at + extension.length;
      if (end < lower.length && WORD_CHAR.test(lower[end])) continue;
      let start = at;
      while (start > 0 && PATH_CHAR.test(lower[start - 1])) start--;
      if (start < at && lower[at - 1] !== '/') tokens.push(lower.slice(start, end));
    }
  }
  return tokens;
}

function words(text: string): string[] {
  return text.toLowerCase().match(WORD_PATTERN) ?? [];
}

/** Adds `key → value` to a map where a key two values share maps to null (ambiguous). */
function addUnique(map: Map<string, string | null>, key: string, value: string): void {
  map.set(key, map.has(key) && map.get(key) !== value ? null : value);
}

export class MentionMatcher {
  private readonly byPath = new Map<string, string | null>();
  private readonly byFileName = new Map<string, string | null>();
  /** First word of a title → the titles (as words) starting with it and their runbook. */
  private readonly titlesByFirstWord = new Map<string, Array<{ words: string[]; path: string }>>();
  private readonly urls: RunbookPathIndex;

  constructor(runbooks: readonly MatchableRunbook[], prefixes: RunbookUrlPrefixes = {}) {
    this.urls = new RunbookPathIndex(
      runbooks.map((runbook) => runbook.path),
      prefixes,
    );
    const byTitle = new Map<string, string | null>();
    for (const { path, title } of runbooks) {
      const lower = path.toLowerCase();
      addUnique(this.byPath, lower, path);
      const fileName = lower.slice(lower.lastIndexOf('/') + 1);
      if (!GENERIC_FILE_NAMES.has(fileName)) addUnique(this.byFileName, fileName, path);
      const titleWords = words(title);
      if (titleWords.length >= MIN_TITLE_WORDS && titleWords.join(' ').length >= MIN_TITLE_CHARS) addUnique(byTitle, titleWords.join(' '), path);
    }
    for (const [phrase, path] of byTitle) {
      if (path === null) continue;
      const titleWords = phrase.split(' ');
      const list = this.titlesByFirstWord.get(titleWords[0]) ?? [];
      list.push({ words: titleWords, path });
      this.titlesByFirstWord.set(titleWords[0], list);
    }
  }

  /** The runbooks `text` names, each with the strongest way it does. */
  match(text: string): Map<string, MentionKind> {
    const found = new Map<string, MentionKind>();
    const add = (path: string, how: MentionKind) => {
      const before = found.get(path);
      if (!before || STRENGTH[how] > STRENGTH[before]) found.set(path, how);
    };
    const lower = text.toLowerCase();
    if (lower.includes('http')) {
      for (const [raw] of text.matchAll(URL_PATTERN)) {
        const path = this.urls.find(raw.replace(/[.,;:!?*_~]+$/, ''));
        if (path !== undefined) add(path, 'url');
      }
    }
    for (const token of pathTokens(lower)) this.matchPath(token, add);
    if (this.titlesByFirstWord.size > 0) this.matchTitles(words(lower), add);
    return found;
  }

  private matchPath(raw: string, add: (path: string, how: MentionKind) => void): void {
    let token = raw;
    if (token.includes('%')) {
      try {
        token = decodeURIComponent(token);
      } catch {
        // Not percent-encoding after all: keep it as written.
      }
    }
    // The longest tail of the token at a `/` that is a runbook's whole path.
    for (let start = 0; start >= 0; start = token.indexOf('/', start) + 1 || -1) {
      const path = this.byPath.get(token.slice(start).replace(/^\.\//, ''));
      if (path) {
        add(path, 'path');
        return;
      }
    }
    const path = this.byFileName.get(token.slice(token.lastIndexOf('/') + 1));
    if (path) add(path, 'file-name');
  }

  private matchTitles(textWords: string[], add: (path: string, how: MentionKind) => void): void {
    for (let i = 0; i < textWords.length; i++) {
      const candidates = this.titlesByFirstWord.get(textWords[i]);
      if (!candidates) continue;
      for (const { words: titleWords, path } of candidates) {
        let j = 1;
        while (j < titleWords.length && textWords[i + j] === titleWords[j]) j++;
        if (j === titleWords.length) add(path, 'title');
      }
    }
  }
}
