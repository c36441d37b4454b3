// Sanitizing the host's rendered HTML once more before it reaches the page. The runbook is
// Markdown with raw HTML allowed, so anything in it is untrusted: no scripts, styles, frames,
// plugins or forms, no event handlers and no inline styles (the CSP would refuse them anyway).
// Videos and audio stay (screen recordings are common in runbooks), but never play by themselves
// (no `autoplay`: a runbook is read under stress, often with a screen reader talking) and always
// show their controls, so the keyboard can start, pause and caption them. Images keep their alt
// text; one without any is named after its file.

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

const FORBID_ATTR = ['style', 'action', 'formaction', 'command', 'commandfor', 'popover', 'popovertarget', 'popovertargetaction', 'autofocus', 'autoplay'];

/** Where VS Code serves a webview's local resources from (desktop and web alike); it answers CORS requests. */
const WEBVIEW_RESOURCE_HOST = /\.vscode-resource\.vscode-cdn\.net$/;

/**
 * Whether all of a video's (or audio's) sources are the webview's own resources. Caption tracks
 * come from another origin than the page's, and load only as CORS requests, so such a video gets
 * `crossorigin`; one from elsewhere on https is left as it is (its server may not answer CORS).
 */
function ownSources(media: Element): boolean {
  const sources = [media.getAttribute('src'), ...Array.from(media.querySelectorAll('source'), (source) => source.getAttribute('src'))].filter(
    (src): src is string => Boolean(src),
  );
  return (
    sources.length > 0 &&
    sources.every((src) => {
      try {
        return WEBVIEW_RESOURCE_HOST.test(new URL(src).hostname);
      } catch {
        return false;
      }
    })
  );
}

/** `dashboard before.png` for `https://…/shots/dashboard%20before.png`; `image` when there is no name. */
function fileName(src: string): string {
  try {
    const url = new URL(src, document.baseURI);
    if (url.protocol === 'data:') return 'image';
    return decodeURIComponent(url.pathname.split('/').pop() ?? '') || 'image';
  } catch {
    return 'image';
  }
}

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
  // An image without alt text (raw HTML; Markdown images always have one) is named by its file,
  // which is what a screen reader would otherwise spell out from its address.
  for (const image of Array.from(fragment.querySelectorAll('img:not([alt])'))) image.setAttribute('alt', fileName(image.getAttribute('src') ?? ''));
  for (const media of Array.from(fragment.querySelectorAll('video, audio'))) {
    media.setAttribute('controls', '');
    if (media.querySelector('track') && !media.hasAttribute('crossorigin') && ownSources(media)) media.setAttribute('crossorigin', 'anonymous');
  }
  return fragment;
}
