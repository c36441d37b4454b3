// `runbook bridge explain <payload.json>`: what the bridge would decide for a webhook payload now
// (with its saved state, the kill switch and the runbooks as they are), without dispatching
// anything or changing any file. The same decidePayload the server runs.

import { access } from 'node:fs/promises';
import { decidePayload, readWebhookPayload, type Decision } from '../../core/alerts';
import type { BridgeConfig } from './config';
import { loadRunbooks } from './runbooks';
import { BridgeStateFile } from './stateFile';

export class PayloadError extends Error {}

export interface ExplainOptions {
  now?: number;
}

/** The decisions for `payload` (parsed JSON); throws PayloadError when it is not a webhook payload. */
export async function explainPayload(config: BridgeConfig, payload: unknown, options: ExplainOptions = {}): Promise<Decision[]> {
  const read = readWebhookPayload(payload);
  if (!read.ok) throw new PayloadError(`not an Alertmanager webhook payload: ${read.reason}`);
  const [{ catalog }, state, killSwitch] = await Promise.all([
    loadRunbooks(config),
    new BridgeStateFile(config.state).load(),
    access(config.policy.killSwitch).then(
      () => true,
      () => false,
    ),
  ]);
  let count = 0;
  return decidePayload(read.payload, {
    catalog,
    state,
    policy: config.policy,
    target: config.target.type,
    killSwitch,
    now: options.now ?? Date.now(),
    correlationId: () => `(would be generated #${++count})`,
    productionEnvironments: config.policy.productionEnvironments,
  }).decisions;
}

/** The decisions as a person reads them: one block per alert. */
export function formatDecisions(decisions: readonly Decision[]): string {
  if (decisions.length === 0) return 'The payload has no alerts.\n';
  return decisions
    .map((decision) => {
      const lines = [`${decision.alert.status} ${decision.alert.name || '(no alertname)'} (fingerprint ${decision.alert.fingerprint}, since ${decision.alert.startsAt})`];
      if (decision.runbook) lines.push(`  runbook:  ${decision.runbook}${decision.matchedBy === 'runbook_url' ? ' (by runbook_url)' : ''}${decision.automation ? `, automation: ${decision.automation}` : ''}`);
      if (decision.inputs && Object.keys(decision.inputs).length > 0) {
        lines.push(`  inputs:   ${Object.entries(decision.inputs).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(' ')}`);
      }
      lines.push(`  decision: ${decision.outcome} (${decision.rule}): ${decision.reason}`);
      return lines.join('\n');
    })
    .join('\n\n')
    .concat('\n');
}
