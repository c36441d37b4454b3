// The period insights cover: the last 30, 90 or 365 days, or any `--since 90d`-style length, up to
// a given `now` (tests and reports pass one; nothing here reads the clock).

import type { InsightsPeriod } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
const UNIT_MS: Record<string, number> = { h: 60 * 60 * 1000, d: DAY_MS, w: 7 * DAY_MS, y: 365 * DAY_MS };

/** The periods the insights view offers. */
export const PERIOD_CHOICES = ['30d', '90d', '365d'] as const;
export const DEFAULT_PERIOD = '90d';

/** `90d`, `12w`, `1y`, `48h` (a bare number is days) → milliseconds, or undefined when it is not a period. */
export function parsePeriod(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([hdwy]?)\s*$/i.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[(match[2] || 'd').toLowerCase()];
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** The period `label` long that ends at `now`, or an error message naming the value. */
export function periodEnding(label: string, now: number): InsightsPeriod | { error: string } {
  const ms = parsePeriod(label);
  if (ms === undefined) return { error: `"${label}" is not a period: use a number of days, weeks, years or hours, e.g. 30d, 12w, 1y, 48h` };
  return { label: label.trim(), ms, since: new Date(now - ms).toISOString(), until: new Date(now).toISOString() };
}

/** Monday 00:00 UTC of the week `time` falls in. */
export function weekStart(time: number): number {
  const day = Math.floor(time / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday.
  return (day - ((((day + 3) % 7) + 7) % 7)) * DAY_MS;
}

/** The Mondays (epoch ms) of every week the period touches, oldest first. */
export function weeksOf(since: number, until: number): number[] {
  const weeks: number[] = [];
  for (let week = weekStart(since); week < until; week += 7 * DAY_MS) weeks.push(week);
  return weeks;
}
