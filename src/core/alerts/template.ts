// The templates of an `alerts:` entry, such as `"{{ labels.namespace }}"` or
// `"{{ labels.namespace }}/{{ labels.pod }}"`. Not code: the only thing a template can do is read a
// label or an annotation of the alert, by name. There is no expression language and nothing is
// evaluated, so an alert can only ever supply text, which is then checked like any input value.

import type { WebhookAlert } from './types';

export type TemplatePart = { text: string } | { source: 'labels' | 'annotations'; name: string };

export type ParsedTemplate = { ok: true; parts: TemplatePart[] } | { ok: false; reason: string };

/** Prometheus label names (annotations use the same rule). */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REFERENCE = /^\s*(labels|annotations)\.([^\s}]*)\s*$/;

export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{{', at);
    if (open < 0) {
      parts.push({ text: template.slice(at) });
      break;
    }
    if (open > at) parts.push({ text: template.slice(at, open) });
    const close = template.indexOf('}}', open + 2);
    if (close < 0) return { ok: false, reason: `"{{" at column ${open + 1} is not closed with "}}"` };
    const inner = template.slice(open + 2, close);
    const reference = REFERENCE.exec(inner);
    if (!reference) {
      return {
        ok: false,
        reason: `"{{${inner}}}" is not a label or an annotation: write {{ labels.NAME }} or {{ annotations.NAME }} (templates read values, they run nothing)`,
      };
    }
    if (!NAME.test(reference[2])) return { ok: false, reason: `"${reference[2]}" is not a label name (letters, digits and _, not starting with a digit)` };
    parts.push({ source: reference[1] as 'labels' | 'annotations', name: reference[2] });
    at = close + 2;
  }
  return { ok: true, parts };
}

/** The labels and annotations a template reads, as `labels.pod`. */
export function templateReferences(parts: readonly TemplatePart[]): string[] {
  return parts.flatMap((part) => ('source' in part ? [`${part.source}.${part.name}`] : []));
}

export type FilledTemplate = { ok: true; value: string } | { ok: false; missing: string };

/** The template's text for this alert; a label or annotation it reads that the alert lacks (or has empty) is missing. */
export function fillTemplate(parts: readonly TemplatePart[], alert: Pick<WebhookAlert, 'labels' | 'annotations'>): FilledTemplate {
  let value = '';
  for (const part of parts) {
    if (!('source' in part)) {
      value += part.text;
      continue;
    }
    const values = alert[part.source];
    const found = Object.hasOwn(values, part.name) ? values[part.name] : undefined;
    if (found === undefined || found === '') return { ok: false, missing: `${part.source}.${part.name}` };
    value += found;
  }
  return { ok: true, value };
}
