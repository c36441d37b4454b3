import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillTemplate, parseTemplate, readWebhookPayload, templateReferences, type TemplatePart } from '../../../src/core/alerts';
import { alert } from './helpers';

function fill(template: string, labels: Record<string, string>, annotations: Record<string, string> = {}) {
  const parsed = parseTemplate(template);
  assert.ok(parsed.ok, `${template}: ${parsed.ok ? '' : parsed.reason}`);
  return fillTemplate(parsed.parts, { labels, annotations });
}

describe('alert templates', () => {
  it('fill labels and annotations into text, with or without spaces', () => {
    assert.deepEqual(fill('{{ labels.namespace }}', { namespace: 'payments' }), { ok: true, value: 'payments' });
    assert.deepEqual(fill('{{labels.namespace}}/{{ labels.pod }}', { namespace: 'payments', pod: 'api-1' }), { ok: true, value: 'payments/api-1' });
    assert.deepEqual(fill('pod {{ annotations.summary }}!', {}, { summary: 'down' }), { ok: true, value: 'pod down!' });
    assert.deepEqual(fill('fixed', {}), { ok: true, value: 'fixed' });
    assert.deepEqual(templateReferences((parseTemplate('{{ labels.a }}-{{ annotations.b }}') as { ok: true; parts: TemplatePart[] }).parts), ['labels.a', 'annotations.b']);
  });

  it('say which label is missing or empty', () => {
    assert.deepEqual(fill('{{ labels.pod }}', { namespace: 'x' }), { ok: false, missing: 'labels.pod' });
    assert.deepEqual(fill('{{ labels.pod }}', { pod: '' }), { ok: false, missing: 'labels.pod' });
    assert.deepEqual(fill('{{ annotations.summary }}', { summary: 'a label, not an annotation' }), { ok: false, missing: 'annotations.summary' });
  });

  it('are not code: Go template syntax, expressions and calls are refused, never evaluated', () => {
    for (const template of ['{{ .Labels.pod }}', '{{ labels.pod | upper }}', '{{ labels["pod"] }}', '{{ process.exit(1) }}', '{{ constructor.constructor("x")() }}', '{{ labels.pod', '{{ labels.9pod }}', '{{ labels.a.b }}']) {
      const parsed = parseTemplate(template);
      assert.equal(parsed.ok, false, template);
    }
    assert.match((parseTemplate('{{ .Labels.pod }}') as { reason: string }).reason, /write \{\{ labels\.NAME \}\}/);
  });

  it('pass hostile label values through as text only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'template-'));
    try {
      const hostile = `$(touch ${dir}/pwned) \`touch ${dir}/pwned2\` '; rm -rf / #\n{{ labels.other }}`;
      assert.deepEqual(fill('{{ labels.pod }}', { pod: hostile, other: 'x' }), { ok: true, value: hostile });
      assert.deepEqual(readdirSync(dir), []);
      assert.equal(existsSync(join(dir, 'pwned')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('do not read inherited properties of the labels object', () => {
    assert.deepEqual(fill('{{ labels.constructor }}', {}), { ok: false, missing: 'labels.constructor' });
    assert.deepEqual(fill('{{ labels.__proto__ }}', {}), { ok: false, missing: 'labels.__proto__' });
  });
});

describe('webhook payloads', () => {
  const valid = {
    version: '4',
    status: 'firing',
    receiver: 'bridge',
    groupKey: '{}:{alertname="A"}',
    groupLabels: { alertname: 'A' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://am',
    truncatedAlerts: 0,
    alerts: [{ ...alert('A', { pod: 'p' }), annotations: { runbook_url: 'https://x' } }],
  };

  it('read version 4 as Alertmanager sends it', () => {
    const read = readWebhookPayload(JSON.parse(JSON.stringify(valid)));
    assert.ok(read.ok);
    assert.equal(read.payload.alerts[0].labels.pod, 'p');
    assert.equal(read.payload.alerts[0].annotations.runbook_url, 'https://x');
  });

  it('give a reason for each kind of bad payload', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[], /JSON object/],
      [{ ...valid, version: '3' }, /version must be "4"/],
      [{ ...valid, status: 'bad' }, /status/],
      [{ ...valid, groupKey: 5 }, /groupKey/],
      [{ ...valid, alerts: {} }, /alerts must be a list/],
      [{ ...valid, alerts: [{ ...valid.alerts[0], labels: { a: 1 } }] }, /alerts\[0\]\.labels\.a must be a string/],
      [{ ...valid, alerts: [{ ...valid.alerts[0], startsAt: 'yesterday' }] }, /startsAt/],
      [{ ...valid, alerts: [{ ...valid.alerts[0], fingerprint: '' }] }, /fingerprint/],
      [{ ...valid, alerts: [{ ...valid.alerts[0], status: 'pending' }] }, /alerts\[0\]\.status/],
    ];
    for (const [value, reason] of cases) {
      const read = readWebhookPayload(value);
      assert.equal(read.ok, false, JSON.stringify(value));
      assert.match((read as { reason: string }).reason, reason);
    }
  });

  it('keep a label named __proto__ as a plain label', () => {
    const read = readWebhookPayload(JSON.parse(`{"version":"4","status":"firing","groupKey":"g","alerts":[{"status":"firing","labels":{"alertname":"A","__proto__":"x"},"startsAt":"2026-01-01T00:00:00Z","fingerprint":"f"}]}`));
    assert.ok(read.ok);
    assert.equal(Object.getPrototypeOf(read.payload.alerts[0].labels), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(read.payload.alerts[0].labels, '__proto__')?.value, 'x');
  });
});
