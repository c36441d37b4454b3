// renderRunbook: the preview's HTML. markdown-it renders the document as any Markdown preview
// would; runnable fences become step blocks with a toolbar, expected-output fences are labelled,
// task-list items get checkboxes, and every block carries `data-line` so the preview and the
// source map to each other. Buttons and checkboxes carry names that say which step they act on
// (a screen reader lists "Run drain-node", not five "Run" buttons). Relative paths of images,
// videos and their sources, in Markdown or raw HTML, go through resolveResource. The webview
// sanitizes this HTML again before showing it.

import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import type { RenderRule } from 'markdown-it/lib/renderer.mjs';
import { markdownBody } from './body';
import { fenceLanguage, isExpectedOutputLanguage } from './languages';
import { createMarkdownIt } from './markdown';
import type { Runbook, Step } from './types';

export interface RenderOptions {
  /** Turns a relative image, video, audio or caption path into a URL the preview can load. */
  resolveResource?: (href: string) => string | undefined;
}

interface RenderEnv {
  steps: Map<number, Step>;
  manual: Map<number, string>;
  expected: Map<number, Step>;
  resolveResource?: (href: string) => string | undefined;
  /** How many step blocks got each element id so far, so a repeated step id still gives unique ids. */
  ids: Map<string, number>;
}

let previewMarkdownIt: MarkdownIt | undefined;

const HTML_SPECIAL = /[&<>"]/;
const HTML_SPECIALS = /[&<>"]/g;
const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeHtml(text: string): string {
  // One test, then one pass (as markdown-it's own escapeHtml): most titles and ids need nothing.
  return HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIALS, (char) => HTML_ENTITY[char]) : text;
}

export function renderRunbook(text: string, runbook: Runbook, options: RenderOptions = {}): string {
  const md = (previewMarkdownIt ??= createPreviewMarkdownIt());
  const env: RenderEnv = {
    steps: new Map(runbook.steps.map((step) => [step.startLine, step])),
    expected: new Map(runbook.steps.filter((s) => s.expected).map((step) => [step.expected!.startLine, step])),
    manual: new Map(runbook.manualSteps.map((step) => [step.startLine, step.id])),
    resolveResource: options.resolveResource,
    ids: new Map(),
  };
  return md.render(markdownBody(text).body, env);
}

function createPreviewMarkdownIt(): MarkdownIt {
  const md = createMarkdownIt();
  md.core.ruler.push('runbook_source_lines', (state) => {
    for (const token of state.tokens) {
      if (token.map && token.nesting >= 0 && token.block && token.type !== 'fence' && token.type !== 'inline') {
        token.attrJoin('data-line', String(token.map[0]));
        if (token.type === 'heading_open') token.attrJoin('class', 'heading');
      }
    }
    markTaskItems(state.tokens, state.env as RenderEnv);
  });
  md.renderer.rules.fence = renderFence;
  const defaultImage = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, index, options, env: RenderEnv, self) => {
    const token = tokens[index];
    const src = token.attrGet('src');
    const resolved = src && env.resolveResource?.(src);
    if (resolved) token.attrSet('src', resolved);
    return defaultImage(tokens, index, options, env, self);
  };
  const defaultHtmlBlock = md.renderer.rules.html_block!;
  const defaultHtmlInline = md.renderer.rules.html_inline!;
  md.renderer.rules.html_block = (tokens, index, options, env: RenderEnv, self) =>
    resolveMediaPaths(defaultHtmlBlock(tokens, index, options, env, self), env.resolveResource);
  md.renderer.rules.html_inline = (tokens, index, options, env: RenderEnv, self) =>
    resolveMediaPaths(defaultHtmlInline(tokens, index, options, env, self), env.resolveResource);
  return md;
}

/** Start tags of the elements whose `src`, `poster` or `srcset` load media; quoted values may hold `>`. */
const MEDIA_TAG = /<(img|video|audio|source|track)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const MEDIA_ATTRIBUTE = /(\s)(src|poster|srcset)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)/gi;

/**
 * Raw HTML in the runbook (`<video src="demo.webm">`, `<source src=…>`, `<img src=…>`) with its
 * relative media paths resolved like Markdown images. A tag this misses keeps its path (and does not
 * load); nothing here needs to be safe, as the webview sanitizes the result.
 */
function resolveMediaPaths(html: string, resolve: ((href: string) => string | undefined) | undefined): string {
  if (!resolve || !/<(?:img|video|audio|source|track)\b/i.test(html)) return html;
  return html.replace(MEDIA_TAG, (tag: string) =>
    tag.replace(MEDIA_ATTRIBUTE, (whole: string, space: string, name: string, equals: string, quoted: string) => {
      const value = decodeAttribute(/^["']/.test(quoted) ? quoted.slice(1, -1) : quoted);
      const resolved = name.toLowerCase() === 'srcset' ? resolveSrcset(value, resolve) : resolve(value);
      return resolved === undefined ? whole : `${space}${name}${equals}"${escapeHtml(resolved)}"`;
    }),
  );
}

/** `a.png 1x, b.png 2x` with each URL resolved; undefined when none was. */
function resolveSrcset(value: string, resolve: (href: string) => string | undefined): string | undefined {
  let changed = false;
  const candidates = value.split(',').map((candidate) => {
    const [url, ...descriptor] = candidate.trim().split(/\s+/);
    const resolved = url ? resolve(url) : undefined;
    if (resolved === undefined) return candidate.trim();
    changed = true;
    return [resolved, ...descriptor].join(' ');
  });
  return changed ? candidates.join(', ') : undefined;
}

function decodeAttribute(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" })[entity]!);
}

/** GFM task lists: `[ ]`/`[x]` at the start of a list item become a checkbox (read-only: progress lives apart from the file). */
function markTaskItems(tokens: Token[], env: RenderEnv): void {
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i];
    if (inline.type !== 'inline' || tokens[i - 1].type !== 'paragraph_open' || tokens[i - 2].type !== 'list_item_open') continue;
    const first = inline.children?.[0];
    const match = first && first.type === 'text' ? /^\[([ xX])\]\s+/.exec(first.content) : null;
    if (!first || !match) continue;
    first.content = first.content.slice(match[0].length);
    const checkbox = new (first.constructor as typeof Token)('html_inline', '', 0);
    const line = tokens[i - 1].map?.[0] ?? -1;
    const id = env.manual.get(line);
    const idAttribute = id ? ` data-manual-id="${escapeHtml(id)}"` : '';
    // The checkbox is named by the item's text: a screen reader says "Page the on-call, checkbox".
    const label = escapeHtml(plainText(inline.children!).trim() || 'Manual step');
    checkbox.content = `<input type="checkbox" class="task-checkbox" disabled${match[1] === ' ' ? '' : ' checked'}${idAttribute} aria-label="${label}"> `;
    inline.children!.unshift(checkbox);
    tokens[i - 2].attrJoin('class', 'task-list-item');
  }
}

/** The text a reader sees in inline tokens, without markup: `Open the [dashboard](…)` → `Open the dashboard`. */
function plainText(children: Token[]): string {
  let text = '';
  for (const child of children) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
    else if (child.type === 'image') text += plainText(child.children ?? []);
  }
  return text.replace(/\s+/g, ' ');
}

const renderFence: RenderRule = (tokens, index, _options, env: RenderEnv) => {
  const token = tokens[index];
  const line = token.map?.[0] ?? 0;
  const language = fenceLanguage(token.info);
  const code = escapeHtml(token.content.replace(/\n$/, ''));
  const step = env.steps.get(line);
  if (step) return renderStep(step, code, env);
  const expectedOf = env.expected.get(line);
  if (expectedOf && isExpectedOutputLanguage(language)) {
    return (
      `<div class="expected" data-line="${line}" data-expected-for="${escapeHtml(expectedOf.id)}">` +
      `<div class="expected-label">Expected output <span class="match">(${expectedOf.expected!.match})</span></div>` +
      `<pre><code>${code}</code></pre></div>\n`
    );
  }
  const languageClass = language ? ` class="language-${escapeHtml(language)}"` : '';
  return `<pre class="code-block" data-line="${line}"><code${languageClass}>${code}</code></pre>\n`;
};

/** An element id for one part of a step block, unique in the document even when a step id repeats. */
function stepElementId(step: Step, env: RenderEnv): string {
  const base = `step-${step.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const count = env.ids.get(base) ?? 0;
  env.ids.set(base, count + 1);
  return count === 0 ? base : `${base}-${count + 1}`;
}

function renderStep(step: Step, code: string, env: RenderEnv): string {
  const id = escapeHtml(step.id);
  const elementId = escapeHtml(stepElementId(step, env));
  const title = escapeHtml(step.title);
  const flags = [
    step.attributes.confirm ? '<span class="flag flag-confirm" title="Asks for confirmation">confirm</span>' : '',
    step.attributes.interactive ? '<span class="flag" title="Runs in the integrated terminal">interactive</span>' : '',
    step.attributes.skip ? '<span class="flag" title="Not part of Run all">skip</span>' : '',
    step.transcript ? '<span class="flag" title="Only the $ lines run">transcript</span>' : '',
  ].join('');
  return (
    // A group named by the title and the badge: a reader who jumps to a step hears "fails, failed · exit 3".
    // tabindex=-1: the step itself can take focus (when the keyboard jumps to it), without being a Tab stop.
    `<section class="step" data-step-id="${id}" data-line="${step.startLine}" role="group" tabindex="-1" aria-labelledby="${elementId}-title ${elementId}-badge">` +
    `<div class="step-header"><span class="step-title" id="${elementId}-title">${title}</span>` +
    `<span class="step-language">${escapeHtml(step.language)}</span>${flags}` +
    `<span class="step-badge" id="${elementId}-badge" data-status="pending"></span>` +
    `<span class="step-toolbar">` +
    `<button type="button" class="step-button" data-action="run" title="Run this step" aria-label="Run ${title}">Run</button>` +
    `<button type="button" class="step-button" data-action="stop" title="Stop this step" aria-label="Stop ${title}" disabled>Stop</button>` +
    `<button type="button" class="step-button" data-action="copy" title="Copy the code" aria-label="Copy ${title}">Copy</button>` +
    `<button type="button" class="step-button" data-action="runInTerminal" title="Run in the integrated terminal" aria-label="Run ${title} in the terminal">Terminal</button>` +
    `</span></div>` +
    `<pre class="step-code"><code class="language-${escapeHtml(step.language)}">${code}</code></pre>` +
    `<div class="step-result" hidden></div>` +
    `<details class="step-output" open hidden><summary>Output<span class="visually-hidden"> of ${title}</span></summary><pre class="output"></pre></details>` +
    `</section>\n`
  );
}
