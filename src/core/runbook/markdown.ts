// The one markdown-it configuration shared by the parser and the preview, so that what is a step
// in the model is exactly what the preview shows as a code block.

import type MarkdownIt from 'markdown-it';

// Loaded on first use, not when the extension loads: markdown-it builds its entity tables as it is
// set up, which would otherwise count against activation time (see bench/README.md).
let markdownItClass: typeof MarkdownIt | undefined;

export function createMarkdownIt(): MarkdownIt {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  markdownItClass ??= (require('markdown-it') as { default?: typeof MarkdownIt }).default ?? (require('markdown-it') as typeof MarkdownIt);
  return new markdownItClass({ html: true, linkify: true, typographer: false });
}
