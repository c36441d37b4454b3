// What the alert bridge reasons about: Alertmanager's webhook payload (version 4), what a runbook's
// front matter says about the alerts it answers, and the decision taken for each alert. Plain data,
// so decisions can be written to the audit log and printed by `runbook bridge explain` as they are.

/** One alert of a webhook payload. */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
  /** Alertmanager's identity of the alert: a hash of its labels. */
  fingerprint: string;
}

/** Alertmanager's webhook payload, version 4: one notification for one alert group. */
export interface WebhookPayload {
  version: '4';
  status: 'firing' | 'resolved';
  receiver: string;
  groupKey: string;
  truncatedAlerts: number;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

/** `automation:` in the front matter: run unattended, or dispatch and let the engine's approval hold it. */
export type Automation = 'auto' | 'approve';

/** One entry of a runbook's `alerts:` mapping. */
export interface AlertRule {
  /** The alert's name (its `alertname` label). */
  alert: string;
  /** Label matchers: the label must have one of the values. */
  match: Record<string, string[]>;
  /** Input name → template such as `{{ labels.namespace }}`. */
  inputs: Record<string, string>;
}

/** A problem in a runbook's `alerts:` or `automation:`, with the front matter path it is about. */
export interface AlertsProblem {
  severity: 'error' | 'warning' | 'info';
  code: 'alerts-shape' | 'bad-automation' | 'alert-unknown-input' | 'alert-template' | 'alert-unfilled-input';
  message: string;
  /** Key path in the front matter, e.g. `['alerts', 'KubePodCrashLooping', 'inputs', 'POD']`. */
  path: string[];
  /** Whether the problem is about the key itself (underline it) or its value. */
  at: 'key' | 'value';
  subject?: string;
}

/** What a runbook's front matter says about alerts. */
export interface RunbookAlerts {
  automation?: Automation;
  rules: AlertRule[];
  /** Entries left out for an error, with what of them could be read (the lint still checks those). */
  invalid: AlertRule[];
  problems: AlertsProblem[];
}

/** What happens to an alert. */
export type Outcome =
  /** Sent to the engine (GitHub, GitLab) or started as a local run. */
  | 'dispatch'
  /** Recorded and reported, not run: the runbook does not opt in, or a safety rule holds it. */
  | 'notify'
  /** Already decided: the same alert again, or the same runbook and inputs within the cool-down. */
  | 'deduplicated'
  /** The alert's labels do not make valid inputs for the runbook, or the runbook cannot be chosen. */
  | 'rejected'
  /** No runbook answers the alert. */
  | 'unmatched'
  /** Resolved alerts never dispatch. */
  | 'ignored';

/** Which rule decided, for the audit log, the metrics and `explain`. */
export type DecisionRule =
  | 'ok'
  | 'resolved'
  | 'duplicate'
  | 'same-target'
  | 'cooldown'
  | 'breaker'
  | 'kill-switch'
  | 'no-automation'
  | 'approve-local'
  | 'approve-without-gate'
  | 'invalid-input'
  | 'ambiguous'
  | 'no-runbook';

export interface Decision {
  alert: {
    name: string;
    status: 'firing' | 'resolved';
    fingerprint: string;
    startsAt: string;
    labels: Record<string, string>;
  };
  groupKey: string;
  /** Repository-relative path of the runbook, `/`-separated. */
  runbook?: string;
  runbookTitle?: string;
  matchedBy?: 'alerts' | 'runbook_url';
  automation?: Automation;
  /** The filled inputs (an alert never fills a secret input, so none of these is secret). */
  inputs?: Record<string, string>;
  outcome: Outcome;
  rule: DecisionRule;
  /** Why, in a sentence a person reads in the audit log. */
  reason: string;
  /** Set on a dispatch: the `correlation_id` input the run carries. */
  correlationId?: string;
}
