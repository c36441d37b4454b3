// An alert's labels → the runbook's input values, each checked by the one value rule
// (`checkInputValue`) against the input's declaration. A value that fails its pattern, choices or
// range is rejected here and never passed on; so is a label the template needs and the alert lacks.

import { checkInputValue } from '../runbook';
import type { CatalogEntry } from './catalog';
import { implicitInputNames, inputTargetProblem, unfilledRequiredInputs } from './rules';
import { fillTemplate, parseTemplate } from './template';
import type { AlertRule, WebhookAlert } from './types';

export type FilledInputs = { ok: true; inputs: Record<string, string> } | { ok: false; reason: string; input?: string };

/** Longest value an alert may give an input: labels are short; a huge one is a mistake or an attack. */
export const MAX_INPUT_VALUE_CHARS = 1024;

export function fillInputs(entry: CatalogEntry, rule: AlertRule | undefined, alert: WebhookAlert): FilledInputs {
  const { runbook } = entry;
  const implicit = implicitInputNames(runbook);
  const inputs: Record<string, string> = {};
  for (const [name, template] of Object.entries(rule?.inputs ?? {})) {
    const target = inputTargetProblem(runbook, name, implicit);
    if (target) return { ok: false, reason: target.message, input: name };
    const parsed = parseTemplate(template);
    if (!parsed.ok) return { ok: false, reason: `the template of ${name} is invalid: ${parsed.reason}`, input: name };
    const filled = fillTemplate(parsed.parts, alert);
    if (!filled.ok) return { ok: false, reason: `${name} needs ${filled.missing}, which the alert does not have`, input: name };
    if (filled.value.length > MAX_INPUT_VALUE_CHARS) return { ok: false, reason: `the value for ${name} is ${filled.value.length} characters long (at most ${MAX_INPUT_VALUE_CHARS})`, input: name };
    const spec = runbook.inputs.find((input) => input.name === name);
    const problem = spec ? checkInputValue(spec, filled.value) : undefined;
    if (problem) return { ok: false, reason: `the value ${JSON.stringify(filled.value)} for ${name} is refused: ${problem}`, input: name };
    inputs[name] = filled.value;
  }
  const missing = unfilledRequiredInputs(runbook, inputs, implicit);
  if (missing.length > 0) {
    return { ok: false, reason: `the runbook needs ${missing.join(', ')}, which ${rule ? `the alerts: entry for ${rule.alert} does not fill` : 'nothing fills (it was found by runbook_url and has no alerts: entry for this alert)'}`, input: missing[0] };
  }
  return { ok: true, inputs };
}
