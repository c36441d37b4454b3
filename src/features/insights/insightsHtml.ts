// The HTML document the insights panel loads: the preview's strict Content Security Policy (a
// per-load nonce for the one script, styles from the extension only, no inline handlers or style
// attributes), the stylesheet, and the empty landmarks the webview script (src/webview/insights/)
// fills. Chart.js draws on <canvas> and sizes it through the CSSOM, which this policy allows.
// No `vscode` import: pure string building.

import { escapeAttribute } from '../preview/previewHtml';

export interface InsightsHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh nonce per load (createNonce from the preview). */
  nonce: string;
  /** `webview.asWebviewUri(…/dist/insights.js)`, as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(…/media/insights.css)`, as a string. */
  /** `webview.asWebviewUri(…/media/webview.css)`: the base both panels share, loaded first. */
  baseStyleUri: string;
  styleUri: string;
}

export function insightsHtml(options: InsightsHtmlOptions): string {
  const csp = [`default-src 'none'`, `style-src ${options.cspSource}`, `script-src 'nonce-${options.nonce}'`, `img-src ${options.cspSource} data:`, `font-src ${options.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(options.baseStyleUri)}">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>Runbook Insights</title>
</head>
<body>
<div id="app" class="insights-app">
<header class="insights-header">
<h1 class="insights-title">Runbook insights</h1>
<p id="insights-summary" class="insights-summary">Reading the history…</p>
<div id="insights-controls" class="insights-controls"></div>
</header>
<main id="insights-content" class="insights-content" aria-busy="true"></main>
<div id="runbook-announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
</div>
<script nonce="${escapeAttribute(options.nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>
`;
}
