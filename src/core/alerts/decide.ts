// One decision per alert of a webhook payload, in order: resolved alerts are ignored; a repeat is a
// duplicate; otherwise find the runbook, fill and check its inputs, then the policy: the runbook's
// opt-in (`automation:`), the kill switch, the cool-down, the circuit breaker. Pure: the state is
// read, never changed, and what the decisions add to it comes out as changes, so the bridge can
// persist them before it dispatches anything and `runbook bridge explain` can run the same code
// without changing anything. (Changes rather than a new state: copying a state of thousands of
// remembered alerts for every webhook was a measurable part of the bridge's answer time.)

import { isProductionLike } from '../run/safety';
import type { RunbookCatalog } from './catalog';
import { fillInputs } from './fill';
import { alertName } from './payload';
import { dedupKey, runsInLastHour, targetKey, withChanges, type BridgeState, type PolicyOptions, type StateChanges } from './policy';
import type { Decision, WebhookPayload } from './types';

export type DispatchTarget = 'github' | 'gitlab' | 'local';

export interface DecideContext {
  catalog: RunbookCatalog;
  state: BridgeState;
  policy: PolicyOptions;
  target: DispatchTarget;
  /** Whether the kill-switch file is present: dispatch nothing. */
  killSwitch: boolean;
  now: number;
  /** A fresh correlation id for each dispatch. */
  correlationId: () => string;
  /** Environment names that count as production (default: production, prod, prd, live). */
  productionEnvironments?: readonly string[];
}

export interface PayloadDecisions {
  decisions: Decision[];
  /** What the decisions add to the state (to apply and persist before dispatching). */
  changes: StateChanges;
  /** The given state with the changes, as a new object (computed when read). */
  readonly state: BridgeState;
}

export function decidePayload(payload: WebhookPayload, context: DecideContext): PayloadDecisions {
  const { policy, now } = context;
  const changes: StateChanges = { seen: {}, lastRun: {}, runs: [] };
  const known = (map: Record<string, number>, added: Record<string, number>, key: string): number | undefined =>
    Object.hasOwn(added, key) ? added[key] : Object.hasOwn(map, key) ? map[key] : undefined;
  const runsBefore = runsInLastHour(context.state, now);
  const decisions: Decision[] = [];
  const targetsNow = new Set<string>();
  for (const alert of payload.alerts) {
    const decision: Decision = {
      alert: { name: alertName(alert), status: alert.status, fingerprint: alert.fingerprint, startsAt: alert.startsAt, labels: alert.labels },
      groupKey: payload.groupKey,
      outcome: 'ignored',
      rule: 'resolved',
      reason: '',
    };
    decisions.push(decision);
    const decide = (outcome: Decision['outcome'], rule: Decision['rule'], reason: string) => {
      decision.outcome = outcome;
      decision.rule = rule;
      decision.reason = reason;
    };
    if (alert.status === 'resolved') {
      decide('ignored', 'resolved', 'the alert is resolved; resolved alerts never start a runbook');
      continue;
    }
    const key = dedupKey(alert);
    if ((known(context.state.seen, changes.seen, key) ?? 0) > now) {
      decide('deduplicated', 'duplicate', `this firing (fingerprint ${alert.fingerprint}, since ${alert.startsAt}) was already decided; Alertmanager re-sends its groups`);
      continue;
    }
    changes.seen[key] = now + policy.dedupTtlMs;

    const match = context.catalog.match(alert);
    if (match.kind === 'none') {
      decide('unmatched', 'no-runbook', match.reason);
      continue;
    }
    if (match.kind === 'ambiguous') {
      decide('rejected', 'ambiguous', `several runbooks answer ${decision.alert.name} with these labels (${match.paths.join(', ')}) and its runbook_url names none of them`);
      continue;
    }
    const { entry } = match;
    decision.runbook = entry.path;
    decision.runbookTitle = entry.runbook.title;
    decision.matchedBy = match.by;
    if (entry.alerts.automation) decision.automation = entry.alerts.automation;
    const filled = fillInputs(entry, match.rule, alert);
    if (!filled.ok) {
      decide('rejected', 'invalid-input', filled.reason);
      continue;
    }
    decision.inputs = filled.inputs;

    const automation = entry.alerts.automation;
    if (!automation) {
      decide('notify', 'no-automation', 'the runbook does not opt in to automation (no automation: auto or approve in its front matter), so the alert is only recorded');
      continue;
    }
    if (automation === 'approve' && context.target === 'local') {
      decide('notify', 'approve-local', 'automation: approve needs an approval gate, and a local run has none (only a CI engine\'s environment can hold it), so the alert is only recorded');
      continue;
    }
    if (automation === 'approve' && !isProductionLike(entry.runbook.meta.environment, context.productionEnvironments)) {
      decide(
        'notify',
        'approve-without-gate',
        `automation: approve needs the workflow's environment approval, which only a production-like environment: has (this runbook's is ${entry.runbook.meta.environment ? `"${entry.runbook.meta.environment}"` : 'not set'}), so the alert is only recorded`,
      );
      continue;
    }
    if (context.killSwitch) {
      decide('notify', 'kill-switch', 'the kill-switch file is present: nothing is dispatched while it exists');
      continue;
    }
    const target = targetKey(entry.path, filled.inputs);
    if (targetsNow.has(target)) {
      decide('deduplicated', 'same-target', 'another alert of this notification already starts the same runbook with the same inputs');
      continue;
    }
    const last = known(context.state.lastRun, changes.lastRun, target);
    if (last !== undefined && last + policy.cooldownMs > now) {
      decide('deduplicated', 'cooldown', `the same runbook with the same inputs was started ${Math.round((now - last) / 1000)} s ago, within the cool-down of ${Math.round(policy.cooldownMs / 1000)} s`);
      continue;
    }
    if (runsBefore + changes.runs.length >= policy.maxRunsPerHour) {
      decide('notify', 'breaker', `the circuit breaker is open: ${policy.maxRunsPerHour} runs in the last hour, the most allowed; alerts only notify until the hour's count drops`);
      continue;
    }
    targetsNow.add(target);
    changes.lastRun[target] = now;
    changes.runs.push(now);
    decision.correlationId = context.correlationId();
    decide(
      'dispatch',
      'ok',
      automation === 'approve' ? 'starts the workflow; the engine\'s environment approval holds the run until a reviewer approves it (automation: approve)' : 'starts the run unattended (automation: auto)',
    );
  }
  return {
    decisions,
    changes,
    get state() {
      return withChanges(context.state, changes);
    },
  };
}
