// The bridge's memory and safety rules, as plain data and pure functions: which alerts were already
// decided (Alertmanager re-sends a group every group_interval, so the same alert arrives again and
// again), when each runbook-and-inputs target last ran (the cool-down), and how many runs the last
// hour saw (the circuit breaker). The front end persists this state before it dispatches.

export interface BridgeState {
  /** Dedup key (fingerprint + startsAt) → epoch ms until which a repeat is a duplicate. */
  seen: Record<string, number>;
  /** Target key (runbook + filled inputs) → epoch ms of its last dispatch. */
  lastRun: Record<string, number>;
  /** Epoch ms of each dispatch in the last hour, oldest first. */
  runs: number[];
}

export interface PolicyOptions {
  /** How long an alert (fingerprint + startsAt) is remembered. */
  dedupTtlMs: number;
  /** How long after a dispatch the same runbook with the same inputs only notifies. */
  cooldownMs: number;
  /** Dispatches allowed in any hour; past it the breaker is open and alerts only notify. */
  maxRunsPerHour: number;
}

export const HOUR_MS = 60 * 60 * 1000;

export function emptyBridgeState(): BridgeState {
  return { seen: {}, lastRun: {}, runs: [] };
}

/** Alertmanager's identity of one firing of an alert: the same labels firing since the same time. */
export function dedupKey(alert: { fingerprint: string; startsAt: string }): string {
  return `${alert.fingerprint}@${alert.startsAt}`;
}

/** One runbook with one set of inputs: what the cool-down is per. */
export function targetKey(runbook: string, inputs: Record<string, string>): string {
  const sorted = Object.keys(inputs)
    .sort()
    .map((name) => [name, inputs[name]]);
  return `${runbook} ${JSON.stringify(sorted)}`;
}

/** What one webhook's decisions add to the state. */
export interface StateChanges {
  seen: Record<string, number>;
  lastRun: Record<string, number>;
  runs: number[];
}

/** Whether the changes record anything. */
export function hasChanges(changes: StateChanges): boolean {
  return changes.runs.length > 0 || Object.keys(changes.seen).length > 0 || Object.keys(changes.lastRun).length > 0;
}

/** Adds the changes to `state` in place (the bridge's own state, which it then persists). */
export function applyChanges(state: BridgeState, changes: StateChanges): void {
  Object.assign(state.seen, changes.seen);
  Object.assign(state.lastRun, changes.lastRun);
  state.runs.push(...changes.runs);
}

/** A new state: `state` with the changes. */
export function withChanges(state: BridgeState, changes: StateChanges): BridgeState {
  const next: BridgeState = { seen: { ...state.seen }, lastRun: { ...state.lastRun }, runs: [...state.runs] };
  applyChanges(next, changes);
  return next;
}

/** The state without what no rule needs any more at `now`. */
export function pruneState(state: BridgeState, options: PolicyOptions, now: number): BridgeState {
  const seen: Record<string, number> = {};
  for (const [key, until] of Object.entries(state.seen)) if (until > now) seen[key] = until;
  const lastRun: Record<string, number> = {};
  for (const [key, at] of Object.entries(state.lastRun)) if (at + options.cooldownMs > now) lastRun[key] = at;
  return { seen, lastRun, runs: state.runs.filter((at) => at + HOUR_MS > now) };
}

/** Dispatches in the hour before `now`. */
export function runsInLastHour(state: BridgeState, now: number): number {
  return state.runs.filter((at) => at + HOUR_MS > now && at <= now).length;
}

/** Whether the breaker is open: the last hour used up the allowance. */
export function breakerOpen(state: BridgeState, options: PolicyOptions, now: number): boolean {
  return runsInLastHour(state, now) >= options.maxRunsPerHour;
}

/** Whether `value` is a state as the bridge writes it (for reading a state file back). */
export function isBridgeState(value: unknown): value is BridgeState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  const numbers = (map: unknown) =>
    typeof map === 'object' && map !== null && !Array.isArray(map) && Object.values(map).every((n) => typeof n === 'number' && Number.isFinite(n));
  return numbers(state.seen) && numbers(state.lastRun) && Array.isArray(state.runs) && state.runs.every((n) => typeof n === 'number' && Number.isFinite(n));
}
