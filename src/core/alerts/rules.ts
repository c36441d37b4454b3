// What a runbook's front matter says about alerts: `alerts:` (the alerts it answers, label matchers,
// and how labels fill its inputs) and `automation:` (whether a matching alert may start it). Read
// from the parsed front matter on the model, so the runbook parser stays as it is. Never throws:
// anything malformed becomes a problem with the key path it is about, for the lint to place.
//
//   automation: auto            # or approve; absent: alerts are only recorded, never run
//   alerts:
//     KubePodCrashLooping:
//       match: { severity: [warning, critical] }
//       inputs:
//         NAMESPACE: "{{ labels.namespace }}"
//         POD: "{{ labels.pod }}"

import { implicitInputsByStep, isReservedVariable, type Runbook } from '../runbook';
import { isProductionLike } from '../run/safety';
import { isRecord, scalarText } from '../runbook/plainData';
import { parseTemplate, templateReferences } from './template';
import type { AlertRule, AlertsProblem, Automation, RunbookAlerts } from './types';

export const AUTOMATION_VALUES: readonly Automation[] = ['auto', 'approve'];
/** Keys of one `alerts:` entry. */
export const ALERT_RULE_KEYS = ['inputs', 'match'] as const;

/** Reads `alerts:` and `automation:` from a parsed front matter mapping. */
export function readRunbookAlerts(frontMatter: Record<string, unknown> | undefined): RunbookAlerts {
  const problems: AlertsProblem[] = [];
  const result: RunbookAlerts = { rules: [], invalid: [], problems };
  if (!frontMatter) return result;
  const automation = frontMatter.automation;
  if (automation !== undefined && automation !== null) {
    if (AUTOMATION_VALUES.includes(automation as Automation)) result.automation = automation as Automation;
    else {
      problems.push({
        severity: 'error',
        code: 'bad-automation',
        message: `automation must be auto (run when an alert fires) or approve (dispatch and let the CI engine's environment approval hold the run), not ${JSON.stringify(automation)}; without it alerts only notify.`,
        path: ['automation'],
        at: 'value',
        subject: 'automation',
      });
    }
  }
  const alerts = frontMatter.alerts;
  if (alerts === undefined || alerts === null) return result;
  const entries = alertEntries(alerts);
  if (!entries) {
    problems.push({
      severity: 'error',
      code: 'alerts-shape',
      message: 'alerts must be a mapping of alert names to { inputs: …, match: … } (or a list of alert names).',
      path: ['alerts'],
      at: 'key',
      subject: 'alerts',
    });
    return result;
  }
  for (const [alert, definition] of entries) {
    const read = readRule(alert, definition, problems);
    if (read) (read.valid ? result.rules : result.invalid).push(read.rule);
  }
  return result;
}

function alertEntries(value: unknown): Array<[string, unknown]> | undefined {
  if (Array.isArray(value)) return value.every((item) => typeof item === 'string') ? value.map((name: string) => [name, null]) : undefined;
  return isRecord(value) ? Object.entries(value) : undefined;
}

function readRule(alert: string, definition: unknown, problems: AlertsProblem[]): { rule: AlertRule; valid: boolean } | undefined {
  const path = ['alerts', alert];
  const problem = (message: string, at: string[] = [], where: 'key' | 'value' = 'key', severity: AlertsProblem['severity'] = 'error', code: AlertsProblem['code'] = 'alerts-shape') =>
    problems.push({ severity, code, message: `Alert ${alert}: ${message}`, path: [...path, ...at], at: where, subject: at[at.length - 1] ?? alert });
  if (alert.trim() === '') {
    problem('the alert name is empty.');
    return undefined;
  }
  const rule: AlertRule = { alert, match: {}, inputs: {} };
  if (definition === null || definition === undefined) return { rule, valid: true };
  if (!isRecord(definition)) {
    problem('write a mapping such as { inputs: { NAMESPACE: "{{ labels.namespace }}" } }.');
    return undefined;
  }
  let valid = true;
  for (const key of Object.keys(definition)) {
    if (!(ALERT_RULE_KEYS as readonly string[]).includes(key)) problem(`unknown key "${key}" is ignored (known: ${ALERT_RULE_KEYS.join(', ')}).`, [key], 'key', 'warning');
  }
  const match = definition.match;
  if (match !== undefined && match !== null) {
    if (!isRecord(match)) {
      problem('match must be a mapping of label names to a value or a list of values, such as { severity: critical }.', ['match']);
      valid = false;
    } else {
      for (const [label, wanted] of Object.entries(match)) {
        const values = Array.isArray(wanted) ? wanted.map(scalarText) : [scalarText(wanted)];
        if (values.length === 0 || values.some((v) => v === undefined)) {
          problem(`match.${label} must be a value or a non-empty list of values.`, ['match', label], 'value');
          valid = false;
        } else rule.match[label] = values as string[];
      }
    }
  }
  const inputs = definition.inputs;
  if (inputs !== undefined && inputs !== null) {
    if (!isRecord(inputs)) {
      problem('inputs must be a mapping of input names to templates, such as { POD: "{{ labels.pod }}" }.', ['inputs']);
      valid = false;
    } else {
      for (const [name, template] of Object.entries(inputs)) {
        const text = scalarText(template);
        if (text === undefined) {
          problem(`inputs.${name} must be a template text such as "{{ labels.pod }}".`, ['inputs', name], 'value', 'error', 'alert-template');
          valid = false;
          continue;
        }
        const parsed = parseTemplate(text);
        if (!parsed.ok) {
          problem(`inputs.${name}: ${parsed.reason}.`, ['inputs', name], 'value', 'error', 'alert-template');
          valid = false;
          continue;
        }
        if (templateReferences(parsed.parts).length === 0) {
          problem(
            `inputs.${name} reads no label or annotation, so every alert gives it the same value "${text}": write {{ labels.NAME }}, or give the input a default instead.`,
            ['inputs', name],
            'value',
            'warning',
            'alert-template',
          );
        }
        rule.inputs[name] = text;
      }
    }
  }
  return { rule, valid };
}

/**
 * Problems that need the runbook's inputs: a template for an input the runbook neither declares nor
 * uses, for a secret or reserved name; a required input no alert fills; `approve` without an
 * environment whose approval can hold the run. The lint shows them; the bridge rejects such alerts.
 */
export function checkAlertRules(runbook: Runbook, alerts: RunbookAlerts, productionEnvironments?: readonly string[]): AlertsProblem[] {
  const problems: AlertsProblem[] = [];
  if (alerts.rules.length === 0 && alerts.invalid.length === 0 && !alerts.automation) return problems;
  const implicit = implicitInputNames(runbook);
  for (const rule of [...alerts.rules, ...alerts.invalid]) {
    for (const name of Object.keys(rule.inputs)) {
      const reason = inputTargetProblem(runbook, name, implicit);
      if (reason) {
        problems.push({ severity: reason.severity, code: 'alert-unknown-input', message: `Alert ${rule.alert}: ${reason.message}`, path: ['alerts', rule.alert, 'inputs', name], at: 'key', subject: name });
      }
    }
    // An entry with an error is not used at all; what it would leave unfilled is beside the point.
    if (!alerts.rules.includes(rule)) continue;
    for (const name of unfilledRequiredInputs(runbook, rule.inputs, implicit)) {
      problems.push({
        severity: 'warning',
        code: 'alert-unfilled-input',
        message: `Alert ${rule.alert}: the runbook needs ${name} and the alert does not fill it, so this alert can never start the runbook: map it from a label (${name}: "{{ labels.${name.toLowerCase()} }}") or give the input a default.`,
        path: ['alerts', rule.alert],
        at: 'key',
        subject: rule.alert,
      });
    }
  }
  if (alerts.automation === 'approve' && !isProductionLike(runbook.meta.environment, productionEnvironments)) {
    problems.push({
      severity: 'warning',
      code: 'bad-automation',
      message: `automation: approve relies on the CI engine's environment approval, which the exported workflow has only for a production-like environment: (production, prod …); this runbook's is ${runbook.meta.environment ? `"${runbook.meta.environment}"` : 'not set'}, so alerts only notify.`,
      path: ['automation'],
      at: 'value',
      subject: 'automation',
    });
  }
  return problems;
}

// A parsed runbook never changes, so its implicit inputs are worked out once (the bridge asks for
// every alert it decides).
const implicitByRunbook = new WeakMap<Runbook, ReadonlySet<string>>();

/** The variables and placeholders the runbook's steps ask for without declaring them (its implicit inputs). */
export function implicitInputNames(runbook: Runbook): ReadonlySet<string> {
  let names = implicitByRunbook.get(runbook);
  if (!names) {
    const found = new Set<string>();
    for (const { inputs } of implicitInputsByStep(runbook.steps, runbook.inputs.map((input) => input.name))) for (const input of inputs) found.add(input.name);
    implicitByRunbook.set(runbook, (names = found));
  }
  return names;
}

/** Why an alert may not set `name`, or undefined when it may. */
export function inputTargetProblem(runbook: Runbook, name: string, implicit: ReadonlySet<string>): { message: string; severity: 'error' | 'warning' } | undefined {
  if (isReservedVariable(name)) return { severity: 'error', message: `${name} controls the interpreter or the engine; no input can set it.` };
  const declared = runbook.inputs.find((input) => input.name === name);
  if (declared?.secret) return { severity: 'error', message: `${name} is a secret input: secrets come from the CI engine's secrets or the bridge's environment, never from alert labels.` };
  if (!declared && !implicit.has(name)) return { severity: 'warning', message: `${name} is not an input of this runbook (declared inputs: ${runbook.inputs.map((i) => i.name).join(', ') || 'none'}).` };
  return undefined;
}

/** Required inputs (declared without a default, or implicit) that `filled` leaves without a value; secrets come from elsewhere. */
export function unfilledRequiredInputs(runbook: Runbook, filled: Record<string, unknown>, implicit: ReadonlySet<string>): string[] {
  const missing = runbook.inputs.filter((input) => input.required && !input.secret && input.default === undefined && !Object.hasOwn(filled, input.name)).map((input) => input.name);
  for (const name of implicit) if (!Object.hasOwn(filled, name)) missing.push(name);
  return missing;
}
