// The text markdown-it sees: the BOM removed and the front matter replaced by blank lines.

import { frontMatterLength, readFrontMatter } from './frontMatter';

/**
 * The text markdown-it sees: the BOM removed and the front matter replaced by blank lines, so
 * that token line numbers stay equal to the document's. The front matter's YAML is read only
 * when `frontMatter` is asked for: the preview's renderer needs the body alone.
 */
export function markdownBody(text: string): { body: string; readonly frontMatter: ReturnType<typeof readFrontMatter> } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const length = frontMatterLength(source);
  let frontMatter: ReturnType<typeof readFrontMatter> | null = null;
  const lazily = {
    get frontMatter() {
      if (frontMatter === null) frontMatter = readFrontMatter(source);
      return frontMatter;
    },
  };
  if (length === 0) return Object.assign(lazily, { body: source });
  // One blank line per line break the front matter spans (none after a closing `---` that ends the file).
  const breaks = source.slice(0, length).split(/\r\n?|\n/).length - 1;
  return Object.assign(lazily, { body: '\n'.repeat(breaks) + source.slice(length) });
}
