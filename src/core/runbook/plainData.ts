// What a value parsed from YAML or JSON is, for the readers of front matter, webhook bodies and
// progress files, which all take untrusted data and must never throw on it.

/** A mapping (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A scalar as the text YAML wrote (`8080` and `true` as "8080" and "true"), or undefined. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
