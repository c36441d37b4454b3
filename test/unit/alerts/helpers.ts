// Helpers for the alert tests: runbooks from text, alerts and payloads as Alertmanager sends them.

import { RunbookCatalog, emptyBridgeState, type DecideContext, type WebhookAlert, type WebhookPayload } from '../../../src/core/alerts';
import { parseRunbook } from '../../../src/core/runbook';

export function md(...lines: string[]): string {
  return lines.join('\n');
}

export function catalogOf(runbooks: Record<string, string>, prefixes: Record<string, string> = { 'https://runbooks.example.com/runbooks/': 'runbooks/' }): RunbookCatalog {
  return new RunbookCatalog(
    Object.entries(runbooks).map(([path, text]) => ({ path, runbook: parseRunbook(text, { path: `/repo/${path}` }) })),
    prefixes,
  );
}

export function alert(name: string, labels: Record<string, string> = {}, extra: Partial<WebhookAlert> = {}): WebhookAlert {
  return {
    status: 'firing',
    labels: { alertname: name, ...labels },
    annotations: {},
    startsAt: '2026-01-01T00:00:00Z',
    fingerprint: `fp-${name}-${JSON.stringify(labels)}`,
    ...extra,
  };
}

export function payloadOf(...alerts: WebhookAlert[]): WebhookPayload {
  return {
    version: '4',
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'bridge',
    groupKey: '{}:{alertname="x"}',
    truncatedAlerts: 0,
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.test',
    alerts,
  };
}

/** A runbook answering `alertName` whose QUEUE input is filled from the `queue` label. */
export function queueRunbook(alertName: string, frontMatter: string[] = ['automation: auto'], entry: string[] = ['    inputs:', '      QUEUE: "{{ labels.queue }}"']): string {
  return md(
    '---',
    'environment: local',
    ...frontMatter,
    'inputs:',
    '  QUEUE: { description: the queue, pattern: "^[a-z][a-z0-9-]{1,30}$" }',
    '  MODE: { description: how, choices: [gentle, hard], default: gentle }',
    '  LIMIT: { description: how many, type: number, default: 5, min: 1, max: 50 }',
    'alerts:',
    `  ${alertName}:`,
    ...entry,
    '---',
    `# Requeue for ${alertName}`,
    '',
    '```bash',
    'echo "$QUEUE $MODE $LIMIT"',
    '```',
  );
}

export function context(catalog: RunbookCatalog, overrides: Partial<DecideContext> = {}): DecideContext {
  let id = 0;
  return {
    catalog,
    state: emptyBridgeState(),
    policy: { dedupTtlMs: 60 * 60_000, cooldownMs: 10 * 60_000, maxRunsPerHour: 3 },
    target: 'github',
    killSwitch: false,
    now: Date.parse('2026-01-01T00:05:00Z'),
    correlationId: () => `corr-${++id}`,
    ...overrides,
  };
}
