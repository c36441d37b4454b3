// Sanitizing the host's rendered HTML once more before it reaches the page. The runbook is
// Markdown with raw HTML allowed, so anything in it is untrusted: no scripts, styles, frames,
// plugins or forms, no event handlers and no inline styles (the CSP would refuse them anyway).

import DOMPurify from 'dompurify';

const FORBID_TAGS = [
  'script',
  'style',
  'link',
  'meta',
  'base',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'form',
  'textarea',
  'select',
  'option',
  'dialog',
  'template',
  'noscript',
];

const FORBID_ATTR = ['style', 'action', 'formaction', 'command', 'commandfor', 'popover', 'popovertarget', 'popovertargetaction', 'autofocus'];

/** Sanitized DOM for `html`: a detached fragment owned by this document. */
export function sanitizeRunbookHtml(html: string): DocumentFragment {
  const fragment = DOMPurify.sanitize(html, {
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_DATA_ATTR: true,
    ALLOW_ARIA_ATTR: true,
    RETURN_DOM_FRAGMENT: true,
  });
  // Inputs are only ever the read-only task checkboxes.
  for (const input of Array.from(fragment.querySelectorAll('input'))) {
    if ((input.getAttribute('type') ?? '').toLowerCase() !== 'checkbox') input.remove();
    else input.setAttribute('disabled', '');
  }
  for (const button of Array.from(fragment.querySelectorAll('button'))) button.setAttribute('type', 'button');
  return fragment;
}
