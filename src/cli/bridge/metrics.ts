// `GET /metrics`: the bridge's counters in Prometheus's text format, with prom-client and a registry
// of its own (so two bridges in one process, as in the tests, never share counts).

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Decision } from '../../core/alerts';

export class BridgeMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'runbook_bridge_requests_total', help: 'HTTP requests to the bridge, by path and status code.', labelNames: ['path', 'code'], registers: [this.registry] });
  private readonly received = new Counter({ name: 'runbook_bridge_alerts_received_total', help: 'Alerts received in webhook payloads (firing and resolved).', registers: [this.registry] });
  private readonly dispatched = new Counter({ name: 'runbook_bridge_alerts_dispatched_total', help: 'Alerts that started a run (a workflow dispatch, a pipeline, a local run) successfully.', labelNames: ['target'], registers: [this.registry] });
  private readonly rejected = new Counter({ name: 'runbook_bridge_alerts_rejected_total', help: 'Alerts whose labels did not make valid inputs, or whose runbook could not be chosen.', registers: [this.registry] });
  private readonly deduplicated = new Counter({ name: 'runbook_bridge_alerts_deduplicated_total', help: 'Alerts dropped as repeats: the same firing again, or the same runbook and inputs within the cool-down.', registers: [this.registry] });
  private readonly decisions = new Counter({ name: 'runbook_bridge_decisions_total', help: 'Decisions by outcome and the rule that decided.', labelNames: ['outcome', 'rule'], registers: [this.registry] });
  private readonly failures = new Counter({ name: 'runbook_bridge_dispatch_failures_total', help: 'Dispatches the engine refused or that failed to start.', labelNames: ['target'], registers: [this.registry] });
  private readonly breaker = new Gauge({ name: 'runbook_bridge_breaker_open', help: '1 while the circuit breaker is open (the hourly run limit is reached): alerts only notify.', registers: [this.registry] });
  private readonly runsLastHour = new Gauge({ name: 'runbook_bridge_runs_last_hour', help: 'Runs dispatched in the last hour (the breaker opens at policy.maxRunsPerHour).', registers: [this.registry] });
  private readonly killSwitch = new Gauge({ name: 'runbook_bridge_kill_switch', help: '1 while the kill-switch file is present: nothing is dispatched.', registers: [this.registry] });
  private readonly latency = new Histogram({
    name: 'runbook_bridge_dispatch_duration_seconds',
    help: 'Time from the decision to the engine\'s answer (or the local run\'s start).',
    labelNames: ['target'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  request(path: string, code: number): void {
    this.requests.inc({ path, code: String(code) });
  }

  decided(decisions: readonly Decision[]): void {
    this.received.inc(decisions.length);
    for (const decision of decisions) {
      this.decisions.inc({ outcome: decision.outcome, rule: decision.rule });
      if (decision.outcome === 'rejected') this.rejected.inc();
      if (decision.outcome === 'deduplicated') this.deduplicated.inc();
    }
  }

  dispatchDone(target: string, ok: boolean, seconds: number): void {
    this.latency.observe({ target }, seconds);
    if (ok) this.dispatched.inc({ target });
    else this.failures.inc({ target });
  }

  policyState(breakerOpen: boolean, runs: number, killSwitch: boolean): void {
    this.breaker.set(breakerOpen ? 1 : 0);
    this.runsLastHour.set(runs);
    this.killSwitch.set(killSwitch ? 1 : 0);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
