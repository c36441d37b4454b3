// The runbooks the bridge can start, and which one an alert names: by its name in a runbook's
// `alerts:` (with the entry's label matchers), else by its `runbook_url` annotation through the
// configured URL prefixes. The front end reads the files; this decides.

import { RunbookPathIndex, type RunbookUrlPrefixes } from '../insights/runbookUrl';
import type { Runbook } from '../runbook';
import { alertName } from './payload';
import { readRunbookAlerts } from './rules';
import type { AlertRule, RunbookAlerts, WebhookAlert } from './types';

export interface CatalogEntry {
  /** Repository-relative path, `/`-separated. */
  path: string;
  runbook: Runbook;
  alerts: RunbookAlerts;
}

export type AlertMatch =
  | { kind: 'found'; entry: CatalogEntry; rule?: AlertRule; by: 'alerts' | 'runbook_url' }
  | { kind: 'ambiguous'; paths: string[] }
  | { kind: 'none'; reason: string };

/** Whether the alert's labels satisfy the entry's matchers. */
export function ruleMatches(rule: AlertRule, alert: WebhookAlert): boolean {
  if (rule.alert !== alertName(alert)) return false;
  return Object.entries(rule.match).every(([label, values]) => Object.hasOwn(alert.labels, label) && values.includes(alert.labels[label]));
}

export class RunbookCatalog {
  readonly entries: readonly CatalogEntry[];
  private readonly byPath = new Map<string, CatalogEntry>();
  private readonly byAlert = new Map<string, Array<{ entry: CatalogEntry; rule: AlertRule }>>();
  private readonly urls: RunbookPathIndex;

  constructor(runbooks: ReadonlyArray<{ path: string; runbook: Runbook }>, prefixes: RunbookUrlPrefixes = {}) {
    this.entries = runbooks.map(({ path, runbook }) => ({ path, runbook, alerts: readRunbookAlerts(runbook.frontMatter) }));
    for (const entry of this.entries) {
      this.byPath.set(entry.path, entry);
      for (const rule of entry.alerts.rules) {
        const list = this.byAlert.get(rule.alert) ?? [];
        list.push({ entry, rule });
        this.byAlert.set(rule.alert, list);
      }
    }
    this.urls = new RunbookPathIndex(this.byPath.keys(), prefixes);
  }

  get(path: string): CatalogEntry | undefined {
    return this.byPath.get(path);
  }

  /**
   * The runbook an alert starts. Entries whose name and matchers fit come first; when several
   * runbooks' entries fit, the one the alert's `runbook_url` names wins, else none does. With no
   * fitting entry, the runbook its `runbook_url` names (filling no inputs from labels).
   */
  match(alert: WebhookAlert): AlertMatch {
    const name = alertName(alert);
    const fitting = (this.byAlert.get(name) ?? []).filter(({ rule }) => ruleMatches(rule, alert));
    const url = alert.annotations.runbook_url;
    const byUrl = url ? this.urls.find(url) : undefined;
    const runbooks = [...new Set(fitting.map(({ entry }) => entry.path))];
    if (runbooks.length === 1) return { kind: 'found', entry: fitting[0].entry, rule: fitting[0].rule, by: 'alerts' };
    if (runbooks.length > 1) {
      const chosen = fitting.find(({ entry }) => entry.path === byUrl);
      return chosen ? { kind: 'found', entry: chosen.entry, rule: chosen.rule, by: 'alerts' } : { kind: 'ambiguous', paths: runbooks };
    }
    if (byUrl) return { kind: 'found', entry: this.byPath.get(byUrl) as CatalogEntry, by: 'runbook_url' };
    const known = (this.byAlert.get(name) ?? []).map(({ entry }) => entry.path);
    if (known.length > 0) return { kind: 'none', reason: `the labels do not fit the match: of the alerts: entry for ${name} in ${[...new Set(known)].join(', ')}` };
    if (url) return { kind: 'none', reason: `no runbook answers ${name || 'the alert'}, and its runbook_url ${url} names no runbook under the configured URL prefixes` };
    return { kind: 'none', reason: `no runbook has ${name || 'this alert'} in its alerts:, and the alert has no runbook_url annotation` };
  }
}
