// Reads an Alertmanager webhook body (payload version 4) into typed data, or says what is wrong
// with it: the bridge answers 400 with that reason. Never throws.

import { isRecord } from '../runbook/plainData';
import type { WebhookAlert, WebhookPayload } from './types';

export type PayloadResult = { ok: true; payload: WebhookPayload } | { ok: false; reason: string };

/** A mapping of strings (labels, annotations), or why it is not one. */
function stringMap(value: unknown, what: string): Record<string, string> | string {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return `${what} must be an object of strings`;
  const map: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') return `${what}.${key} must be a string`;
    // Defined, not assigned: a label named __proto__ stays a label.
    Object.defineProperty(map, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return map;
}

function readAlert(value: unknown, index: number): WebhookAlert | string {
  const at = `alerts[${index}]`;
  if (!isRecord(value)) return `${at} must be an object`;
  if (value.status !== 'firing' && value.status !== 'resolved') return `${at}.status must be "firing" or "resolved"`;
  const labels = stringMap(value.labels, `${at}.labels`);
  if (typeof labels === 'string') return labels;
  const annotations = stringMap(value.annotations, `${at}.annotations`);
  if (typeof annotations === 'string') return annotations;
  if (typeof value.startsAt !== 'string' || Number.isNaN(Date.parse(value.startsAt))) return `${at}.startsAt must be a time such as 2024-05-14T09:00:00Z`;
  if (typeof value.fingerprint !== 'string' || value.fingerprint === '') return `${at}.fingerprint must be a non-empty string`;
  const alert: WebhookAlert = { status: value.status, labels, annotations, startsAt: value.startsAt, fingerprint: value.fingerprint };
  if (typeof value.endsAt === 'string') alert.endsAt = value.endsAt;
  if (typeof value.generatorURL === 'string') alert.generatorURL = value.generatorURL;
  return alert;
}

/** The payload in `value` (parsed JSON), or the first reason it is not a version 4 webhook payload. */
export function readWebhookPayload(value: unknown): PayloadResult {
  const fail = (reason: string): PayloadResult => ({ ok: false, reason });
  if (!isRecord(value)) return fail('the body must be a JSON object (an Alertmanager webhook payload)');
  if (value.version !== '4') return fail(`version must be "4" (Alertmanager's webhook payload), not ${JSON.stringify(value.version ?? null)}`);
  if (value.status !== 'firing' && value.status !== 'resolved') return fail('status must be "firing" or "resolved"');
  if (typeof value.groupKey !== 'string') return fail('groupKey must be a string');
  if (!Array.isArray(value.alerts)) return fail('alerts must be a list');
  const alerts: WebhookAlert[] = [];
  for (const [index, item] of value.alerts.entries()) {
    const alert = readAlert(item, index);
    if (typeof alert === 'string') return fail(alert);
    alerts.push(alert);
  }
  const maps: Record<'groupLabels' | 'commonLabels' | 'commonAnnotations', Record<string, string>> = { groupLabels: {}, commonLabels: {}, commonAnnotations: {} };
  for (const key of Object.keys(maps) as (keyof typeof maps)[]) {
    const map = stringMap(value[key], key);
    if (typeof map === 'string') return fail(map);
    maps[key] = map;
  }
  return {
    ok: true,
    payload: {
      version: '4',
      status: value.status,
      receiver: typeof value.receiver === 'string' ? value.receiver : '',
      groupKey: value.groupKey,
      truncatedAlerts: typeof value.truncatedAlerts === 'number' ? value.truncatedAlerts : 0,
      ...maps,
      externalURL: typeof value.externalURL === 'string' ? value.externalURL : '',
      alerts,
    },
  };
}

/** The alert's name: its `alertname` label. */
export function alertName(alert: WebhookAlert): string {
  return alert.labels.alertname ?? '';
}
