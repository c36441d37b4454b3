// Timeouts are written as seconds (`90`) or with units (`90s`, `10m`, `1h`, `1h30m`, `500ms`).
// This is the one place that knows the longest timeout: everything that reads a duration (step
// attributes, the front matter, the `runbooks.defaultTimeout` setting) goes through parseDuration.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * The longest timeout: Node's timers hold at most 2³¹ − 1 ms (about 596 h 31 m) and fire at once
 * for anything longer, so a `timeout=600h` would end the step immediately.
 */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** Milliseconds for a duration, or undefined when it is not one (zero, negatives and values over MAX_TIMEOUT_MS included). */
export function parseDuration(value: unknown): number | undefined {
  const ms = durationMs(value);
  return ms !== undefined && ms >= 1 && ms <= MAX_TIMEOUT_MS ? ms : undefined;
}

/**
 * Why parseDuration refuses `value`, as a sentence that names it, or undefined when it is a
 * duration: what the parser's `bad-timeout` diagnostics and a settings reader can show.
 */
export function durationProblem(value: unknown): string | undefined {
  if (parseDuration(value) !== undefined) return undefined;
  const written = typeof value === 'string' ? value.trim() : String(value);
  const ms = durationMs(value);
  if (ms !== undefined && ms > MAX_TIMEOUT_MS) {
    return `Timeout "${written}" is longer than the longest timeout, ${formatDuration(MAX_TIMEOUT_MS)}: write a shorter one.`;
  }
  return `Timeout "${written}" is not a duration: write seconds (90) or 90s, 10m, 1h.`;
}

/** The milliseconds a duration stands for, before the range check; undefined when it does not parse. */
function durationMs(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value > 0 ? Math.round(value * 1000) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return durationMs(Number(text));
  const parts = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/.exec(text);
  if (!parts || text === '') return undefined;
  const [, h, m, s, ms] = parts;
  const total =
    Number(h ?? 0) * UNIT_MS.h + Number(m ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s + Number(ms ?? 0);
  return Number.isFinite(total) && total > 0 ? Math.round(total) : undefined;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  if (minutes < 60) return seconds ? `${minutes}m ${seconds}s` : `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${minutes % 60}m`;
}
