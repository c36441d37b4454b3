// The insights panel's wire checks and its document, in plain Node: what the host accepts from the
// untrusted webview, what the webview accepts from the host (a real summary from the core), and a
// Content Security Policy with nothing unsafe in it.

import { strict as assert } from 'node:assert';
import { periodEnding, summarizeInsights, type InsightsPeriod, type InsightsSources } from '../../../src/core/insights';
import { insightsHtml } from '../../../src/features/insights/insightsHtml';
import { isInsightsHostMessage, isInsightsWebviewMessage, type InsightsView } from '../../../src/features/insights/protocol';

const NOW = Date.parse('2025-06-01T00:00:00.000Z');

function view(): InsightsView {
  const sources: InsightsSources = {
    runbooks: [{ path: 'a.md', title: 'A', ladder: { stage: 'runbook', steps: 1, automatedSteps: 0, automatedStepTitles: [], scripts: [], missingScripts: [], unknownNoteSteps: [], workflows: [], badge: 'runbook', summary: '0 of 1 step automated · no workflow' } }],
    lines: [{ runbook: 'a.md', runbookTitle: 'A', step: 's', kind: 'code', who: 'alice', where: 'editor', at: NOW - 3_600_000, durationMs: 1000, result: 'passed' }],
    issues: [],
    historyFiles: ['/h.jsonl'],
    issueFiles: [],
    duplicateLines: 0,
    problems: [],
  };
  const insights = summarizeInsights(sources, { period: periodEnding('30d', NOW) as InsightsPeriod });
  return { insights, period: '30d', summary: 'Last 30d', folders: ['w'], folder: 0, issueFiles: [], labels: {}, readAt: new Date(NOW).toISOString() };
}

describe('the insights panel protocol', () => {
  it('accepts what the webview may ask, and nothing more', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'refresh' },
      { type: 'chooseIssueFiles' },
      { type: 'clearIssueFiles' },
      { type: 'setPeriod', period: '30d' },
      { type: 'setPeriod', period: '365d' },
      { type: 'setFolder', folder: 1 },
      { type: 'openRunbook', path: 'runbooks/a.md' },
      { type: 'openSource', file: '/tmp/h.jsonl', line: 8 },
      { type: 'openSource', file: '/tmp/h.jsonl' },
    ]) {
      assert.ok(isInsightsWebviewMessage(message), JSON.stringify(message));
    }
    for (const message of [
      null,
      'ready',
      { type: 'ready', extra: 1 },
      { type: 'setPeriod', period: '7d' },
      { type: 'setPeriod', period: 30 },
      { type: 'setFolder', folder: -1 },
      { type: 'setFolder', folder: 1.5 },
      { type: 'openRunbook', path: '' },
      { type: 'openRunbook', path: 'x'.repeat(5000) },
      { type: 'openRunbook', path: 42 },
      { type: 'openSource', file: '/h', line: 0 },
      { type: 'openSource', file: '/h', line: '8' },
      { type: 'runStep', stepId: 'x' },
    ]) {
      assert.ok(!isInsightsWebviewMessage(message), JSON.stringify(message));
    }
  });

  it('lets the webview take a real summary from the core and drop a malformed one', () => {
    const good = view();
    assert.ok(isInsightsHostMessage({ type: 'insights', view: good }));
    assert.ok(isInsightsHostMessage(JSON.parse(JSON.stringify({ type: 'insights', view: good }))), 'after the trip through postMessage');
    assert.ok(isInsightsHostMessage({ type: 'loading' }));
    assert.ok(isInsightsHostMessage({ type: 'unavailable', message: 'Open a folder' }));
    assert.ok(!isInsightsHostMessage({ type: 'insights', view: { ...good, period: '7d' } }));
    assert.ok(!isInsightsHostMessage({ type: 'insights', view: { ...good, insights: { ...good.insights, runbooks: [{ path: 1 }] } } }));
    assert.ok(!isInsightsHostMessage({ type: 'insights', view: { ...good, insights: { ...good.insights, charts: undefined } } }));
    assert.ok(!isInsightsHostMessage({ type: 'document' }));
  });
});

describe('the insights document', () => {
  const SOURCE = 'https://*.vscode-cdn.net';
  const html = insightsHtml({ cspSource: SOURCE, nonce: 'abc123', scriptUri: 'https://x/insights.js', baseStyleUri: 'https://x/webview.css', styleUri: 'https://x/insights.css' });

  it('allows its one script by nonce and styles from the extension only', () => {
    const attribute = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    const content = attribute.replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    const policy = new Map(content.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.deepEqual(policy.get('default-src'), ["'none'"]);
    assert.deepEqual(policy.get('script-src'), ["'nonce-abc123'"]);
    assert.deepEqual(policy.get('style-src'), [SOURCE]);
    for (const values of policy.values()) assert.ok(!values.some((value) => value.includes('unsafe')), values.join(' '));
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="abc123" src="https:\/\/x\/insights.js">/);
  });

  it('has no inline style or handler, and a polite live region', () => {
    assert.doesNotMatch(html, /\sstyle=|\son[a-z]+=/i);
    assert.match(html, /<div id="runbook-announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"><\/div>/);
  });
});
