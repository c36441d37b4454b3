// The HTML document the runbook preview's webview panel loads: a strict Content Security Policy, the
// stylesheet, the empty containers that the webview script (src/webview/main.ts) fills, and the
// script itself, allowed by a per-load nonce. Images and videos load from the webview's own
// resources and https, as in any Markdown preview; nothing else does. No `vscode` import: pure
// string building, so it can be unit-tested in plain Node.

import { randomInt } from 'node:crypto';

export interface PreviewHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh nonce per load, from createNonce(). */
  nonce: string;
  /** `webview.asWebviewUri(…/dist/webview.js)`, as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(…/media/preview.css)`, as a string. */
  /** `webview.asWebviewUri(…/media/webview.css)`: the base both panels share, loaded first. */
  baseStyleUri: string;
  styleUri: string;
  /** The panel's title, shown until the first render arrives. */
  title: string;
}

export function escapeAttribute(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function previewHtml(options: PreviewHtmlOptions): string {
  const csp = [
    `default-src 'none'`,
    `style-src ${options.cspSource}`,
    `script-src 'nonce-${options.nonce}'`,
    `img-src ${options.cspSource} https: data:`,
    // Videos, audio and their caption tracks, from the same places as images (data: aside: a
    // recording is a file, not a string in the Markdown).
    `media-src ${options.cspSource} https:`,
    `font-src ${options.cspSource}`,
  ].join('; ');
  const title = escapeAttribute(options.title);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(options.baseStyleUri)}">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>${title}</title>
</head>
<body>
<div id="app" class="runbook-app">
<header id="runbook-header" class="runbook-header"><h1 class="runbook-title">${title}</h1></header>
<section id="runbook-inputs" class="runbook-inputs" aria-label="Inputs" hidden></section>
<div id="runbook-actions" class="runbook-actions"></div>
<main id="content" class="runbook-content"></main>
<div id="runbook-announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
</div>
<script nonce="${escapeAttribute(options.nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>
`;
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 random alphanumerics from a cryptographic source, for the script's CSP nonce. */
export function createNonce(): string {
  let nonce = '';
  for (let i = 0; i < 32; i++) nonce += NONCE_ALPHABET[randomInt(NONCE_ALPHABET.length)];
  return nonce;
}
