// What the runbook lists need of a file without parsing its Markdown: the front matter and the
// first level-1 heading (the default title), found by a line scan that knows fences, comments and
// block quotes. The Runbooks view and `runbook list` read thousands of files through this.

import type MarkdownIt from 'markdown-it';
import { readFrontMatter } from '../runbook/frontMatter';
import { createMarkdownIt } from '../runbook/markdown';

export interface RunbookHeader {
  title: string;
  description?: string;
  owner?: string;
  environment?: string;
  tags: string[];
  /** `runbook: true` or an `inputs:` key in the front matter: a runbook wherever it is. */
  declaresRunbook: boolean;
  /** Names of the declared inputs, as written. */
  inputNames: string[];
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_1 = /^ {0,3}=+[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const QUOTE = /^ {0,3}> ?/;

/** The raw text of the first level-1 heading, ATX (`# T`) or setext (`T` over `===`), outside fences and comments. */
export function firstHeadingText(body: string): string | undefined {
  const lines = body.split(/\r\n?|\n/);
  let fence: { char: string; length: number } | undefined;
  let inComment = false;
  let previous: string | undefined;
  for (let raw of lines) {
    while (QUOTE.test(raw)) raw = raw.replace(QUOTE, '');
    if (fence) {
      const close = FENCE.exec(raw);
      if (close && close[1][0] === fence.char && close[1].length >= fence.length && close[2].trim() === '') fence = undefined;
      previous = undefined;
      continue;
    }
    if (inComment) {
      if (raw.includes('-->')) inComment = false;
      previous = undefined;
      continue;
    }
    const open = FENCE.exec(raw);
    if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
      fence = { char: open[1][0], length: open[1].length };
      previous = undefined;
      continue;
    }
    if (/^ {0,3}<!--/.test(raw) && !raw.includes('-->')) {
      inComment = true;
      previous = undefined;
      continue;
    }
    const atx = ATX.exec(raw);
    if (atx) {
      if (atx[1].length === 1) return atx[2] ?? '';
      previous = undefined;
      continue;
    }
    if (SETEXT_1.test(raw) && previous !== undefined) return previous.trim();
    // A paragraph (all its lines) can become a setext heading; anything else cannot.
    if (raw.trim() === '' || /^ {0,3}([-*+]|\d+[.)])[ \t]/.test(raw)) previous = undefined;
    else if (previous !== undefined) previous = `${previous}\n${raw}`;
    else previous = /^ {4}/.test(raw) ? undefined : raw;
  }
  return undefined;
}

let inlineParser: MarkdownIt | undefined;

/** A heading's text as a reader sees it: markup gone, code spans kept. */
function plainText(markdown: string): string {
  // Most headings hold no markup at all: those need no inline parse (nor markdown-it set up).
  if (!/[\\`*_[\]<>!&~]/.test(markdown)) return markdown.trim().replace(/[ \t]*\r?\n[ \t]*/g, ' ');
  inlineParser ??= createMarkdownIt();
  const [inline] = inlineParser.parseInline(markdown, {});
  let text = '';
  const walk = (tokens: NonNullable<typeof inline.children>) => {
    for (const child of tokens) {
      if (child.type === 'text' || child.type === 'code_inline') text += child.content;
      else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
      else if (child.type === 'image' && child.children) walk(child.children);
    }
  };
  if (inline?.children) walk(inline.children);
  return text.trim();
}

function titleFromPath(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const base = path.split(/[\\/]/).pop() ?? '';
  return base.replace(/(\.runbook)?\.(md|markdown)$/i, '') || undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The header of a runbook file's text; `path` gives the fallback title. Never throws. */
export function readRunbookHeader(source: string, path?: string): RunbookHeader {
  const textWithoutBom = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  let data: Record<string, unknown> | undefined;
  let length = 0;
  try {
    const frontMatter = readFrontMatter(textWithoutBom);
    data = frontMatter?.data;
    length = frontMatter?.length ?? 0;
  } catch {
    data = undefined;
  }
  const heading = firstHeadingText(textWithoutBom.slice(length));
  const headingTitle = heading === undefined ? undefined : plainText(heading) || '(untitled h1)';
  const title = (typeof data?.title === 'string' && data.title.trim()) || headingTitle || titleFromPath(path) || 'Untitled runbook';
  const tags = Array.isArray(data?.tags) ? data.tags.map(String) : typeof data?.tags === 'string' ? data.tags.split(',').map((t) => t.trim()).filter(Boolean) : [];
  const inputs = data?.inputs;
  const inputNames = Array.isArray(inputs)
    ? inputs.map((item) => (typeof item === 'string' ? item : typeof item === 'object' && item && typeof (item as { name?: unknown }).name === 'string' ? (item as { name: string }).name : '')).filter(Boolean)
    : inputs && typeof inputs === 'object'
      ? Object.keys(inputs)
      : [];
  return {
    title,
    description: text(data?.description),
    owner: text(data?.owner),
    environment: text(data?.environment),
    tags,
    declaresRunbook: data?.runbook === true || (data !== undefined && data.inputs !== undefined),
    inputNames,
  };
}
