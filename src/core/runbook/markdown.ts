// The one markdown-it configuration shared by the parser and the preview, so that what is a step
// in the model is exactly what the preview shows as a code block.

import MarkdownIt from 'markdown-it';

export function createMarkdownIt(): MarkdownIt {
  return new MarkdownIt({ html: true, linkify: true, typographer: false });
}
