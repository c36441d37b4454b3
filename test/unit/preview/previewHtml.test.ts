import { strict as assert } from 'node:assert';
import { previewHtml } from '../../../src/features/preview/previewHtml';

const SOURCE = 'https://*.vscode-cdn.net';

function csp(): Map<string, string[]> {
  const html = previewHtml({ cspSource: SOURCE, nonce: 'abc123', scriptUri: 'https://x/webview.js', baseStyleUri: 'https://x/webview.css', styleUri: 'https://x/preview.css', title: 'T' });
  const attribute = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
  const content = attribute.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return new Map(content.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

describe('the preview document', () => {
  it('loads videos, audio and captions from the webview and https, as images, and nothing else new', () => {
    const policy = csp();
    assert.deepEqual(policy.get('media-src'), [SOURCE, 'https:']);
    assert.deepEqual(policy.get('img-src'), [SOURCE, 'https:', 'data:']);
    assert.deepEqual(policy.get('script-src'), ["'nonce-abc123'"]);
    assert.deepEqual(policy.get('default-src'), ["'none'"]);
    for (const values of policy.values()) assert.ok(!values.some((value) => value.includes('unsafe')), values.join(' '));
  });

  it('has a polite live region for announcements from the start', () => {
    const html = previewHtml({ cspSource: SOURCE, nonce: 'n', scriptUri: 's', baseStyleUri: 'b', styleUri: 'c', title: 'T' });
    assert.match(html, /<div id="runbook-announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"><\/div>/);
  });
});
