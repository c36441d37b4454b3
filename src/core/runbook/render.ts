// renderRunbook: the preview's HTML. markdown-it renders the document as any Markdown preview
// would; runnable fences become step blocks with a toolbar, expected-output fences are labelled,
// task-list items get checkboxes, and every block carries `data-line` so the preview and the
// source map to each other. The webview sanitizes this HTML again before showing it.

import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import type { RenderRule } from 'markdown-it/lib/renderer.mjs';
import { markdownBody } from './body';
import { fenceLanguage, isExpectedOutputLanguage } from './languages';
import { createMarkdownIt } from './markdown';
import type { Runbook, Step } from './types';

export interface RenderOptions {
  /** Turns a relative image or link target into a URL the preview can load. */
  resolveResource?: (href: string) => string | undefined;
}

interface RenderEnv {
  steps: Map<number, Step>;
  manual: Map<number, string>;
  expected: Map<number, Step>;
  resolveResource?: (href: string) => string | undefined;
}

let previewMarkdownIt: MarkdownIt | undefined;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderRunbook(text: string, runbook: Runbook, options: RenderOptions = {}): string {
  const md = (previewMarkdownIt ??= createPreviewMarkdownIt());
  const env: RenderEnv = {
    steps: new Map(runbook.steps.map((step) => [step.startLine, step])),
    expected: new Map(runbook.steps.filter((s) => s.expected).map((step) => [step.expected!.startLine, step])),
    manual: new Map(runbook.manualSteps.map((step) => [step.startLine, step.id])),
    resolveResource: options.resolveResource,
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
  return md;
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
    checkbox.content = `<input type="checkbox" class="task-checkbox" disabled${match[1] === ' ' ? '' : ' checked'}${idAttribute}> `;
    inline.children!.unshift(checkbox);
    tokens[i - 2].attrJoin('class', 'task-list-item');
  }
}

const renderFence: RenderRule = (tokens, index, _options, env: RenderEnv) => {
  const token = tokens[index];
  const line = token.map?.[0] ?? 0;
  const language = fenceLanguage(token.info);
  const code = escapeHtml(token.content.replace(/\n$/, ''));
  const step = env.steps.get(line);
  if (step) return renderStep(step, code);
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

function renderStep(step: Step, code: string): string {
  const id = escapeHtml(step.id);
  const flags = [
    step.attributes.confirm ? '<span class="flag flag-confirm" title="Asks for confirmation">confirm</span>' : '',
    step.attributes.interactive ? '<span class="flag" title="Runs in the integrated terminal">interactive</span>' : '',
    step.attributes.skip ? '<span class="flag" title="Not part of Run all">skip</span>' : '',
    step.transcript ? '<span class="flag" title="Only the $ lines run">transcript</span>' : '',
  ].join('');
  return (
    `<section class="step" data-step-id="${id}" data-line="${step.startLine}">` +
    `<div class="step-header"><span class="step-title">${escapeHtml(step.title)}</span>` +
    `<span class="step-language">${escapeHtml(step.language)}</span>${flags}` +
    `<span class="step-badge" data-status="idle"></span>` +
    `<span class="step-toolbar">` +
    `<button type="button" class="step-button" data-action="run" title="Run this step">Run</button>` +
    `<button type="button" class="step-button" data-action="stop" title="Stop this step" disabled>Stop</button>` +
    `<button type="button" class="step-button" data-action="copy" title="Copy the code">Copy</button>` +
    `<button type="button" class="step-button" data-action="runInTerminal" title="Run in the integrated terminal">Terminal</button>` +
    `</span></div>` +
    `<pre class="step-code"><code class="language-${escapeHtml(step.language)}">${code}</code></pre>` +
    `<div class="step-result" hidden></div>` +
    `<details class="step-output" open hidden><summary>Output</summary><pre class="output"></pre></details>` +
    `</section>\n`
  );
}
