// The alert bridge's decisions, free of I/O: Alertmanager payloads, a runbook's `alerts:` and
// `automation:`, which runbook an alert starts with which inputs, and the safety policy.
export type * from './types';
export { readWebhookPayload, alertName, type PayloadResult } from './payload';
export { parseTemplate, fillTemplate, templateReferences, type TemplatePart, type ParsedTemplate, type FilledTemplate } from './template';
export { readRunbookAlerts, checkAlertRules, implicitInputNames, AUTOMATION_VALUES, ALERT_RULE_KEYS } from './rules';
export { RunbookCatalog, ruleMatches, type CatalogEntry, type AlertMatch } from './catalog';
export { fillInputs, MAX_INPUT_VALUE_CHARS, type FilledInputs } from './fill';
export {
  emptyBridgeState,
  dedupKey,
  targetKey,
  pruneState,
  runsInLastHour,
  breakerOpen,
  isBridgeState,
  applyChanges,
  withChanges,
  hasChanges,
  HOUR_MS,
  type BridgeState,
  type PolicyOptions,
  type StateChanges,
} from './policy';
export { decidePayload, type DecideContext, type DispatchTarget, type PayloadDecisions } from './decide';
export { lintAlerts, alertCompletions, type AlertCompletions } from './authoring';
