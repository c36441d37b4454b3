import { readFrontMatter } from './frontMatter';

/**
 * The text markdown-it sees: the BOM removed and the front matter replaced by blank lines, so
 * that token line numbers stay equal to the document's.
 */
export function markdownBody(text: string): { body: string; frontMatter: ReturnType<typeof readFrontMatter> } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const frontMatter = readFrontMatter(source);
  if (!frontMatter || frontMatter.length === 0) return { body: source, frontMatter };
  // One blank line per line break the front matter spans (none after a closing `---` that ends the file).
  const breaks = source.slice(0, frontMatter.length).split(/\r\n?|\n/).length - 1;
  return { body: '\n'.repeat(breaks) + source.slice(frontMatter.length), frontMatter };
}
