// What counts as one run of a runbook, from history lines:
// - the lines that share a run id: one CLI, workflow or bridge invocation, or one Run all /
//   Continue in the editor;
// - a sitting: one person's step executions of one runbook with no gap longer than an hour, for
//   lines with no run id (older lines, steps run one by one) and for an editor run id that holds a
//   single line (a single Run or a check-off in the editor is a step of a sitting, not a run: seven
//   steps run by hand are one use of the runbook, not seven).
// Hands-on time is the time of editor and CLI steps and of manual steps, where a person was at it;
// `ci` and `alert` code steps ran unattended: that is time saved, kept apart.

import type { HistoryLine, Run } from './types';

/** The longest pause inside one sitting. */
export const SITTING_GAP_MS = 60 * 60 * 1000;

/** A person was at it: the editor, the `runbook` command in a terminal, or any manual step. */
export function isAttended(line: HistoryLine): boolean {
  return line.kind === 'manual' || line.where === 'editor' || line.where === 'cli';
}

function failed(line: HistoryLine): boolean {
  return line.kind === 'code' && (line.result === 'failed' || line.result === 'timed-out');
}

function byStart(a: HistoryLine, b: HistoryLine): number {
  return a.at - b.at;
}

/** One run of lines of one runbook, sorted by start. */
function runOf(lines: HistoryLine[], runId: string | undefined): Run {
  const first = lines[0];
  const who = new Set<string>();
  let end = first.at;
  let handsOnMs = 0;
  let unattendedMs = 0;
  let anyFailed = false;
  for (const line of lines) {
    who.add(line.who);
    end = Math.max(end, line.at + line.durationMs);
    if (isAttended(line)) handsOnMs += line.durationMs;
    else unattendedMs += line.durationMs;
    anyFailed ||= failed(line);
  }
  const run: Run = {
    runbook: first.runbook,
    where: first.where,
    who: [...who],
    start: first.at,
    end,
    lines: lines.length,
    failed: anyFailed,
    handsOnMs,
    unattendedMs,
  };
  if (runId !== undefined) run.runId = runId;
  return run;
}

/**
 * Groups lines under `outer` → `inner`. A log holds a run's lines one after another, so the group
 * of the last line is tried first, without looking either key up.
 */
class Groups {
  readonly byOuter = new Map<string, Map<string, HistoryLine[]>>();
  private lastOuter: string | undefined;
  private lastInner: string | undefined;
  private last: HistoryLine[] = [];

  add(outer: string, inner: string, line: HistoryLine): void {
    if (outer === this.lastOuter && inner === this.lastInner) {
      this.last.push(line);
      return;
    }
    let byInner = this.byOuter.get(outer);
    if (!byInner) this.byOuter.set(outer, (byInner = new Map()));
    let list = byInner.get(inner);
    if (!list) byInner.set(inner, (list = []));
    list.push(line);
    this.lastOuter = outer;
    this.lastInner = inner;
    this.last = list;
  }
}

/** The runs in `lines` (any order, any runbooks), sorted by start. */
export function groupRuns(lines: readonly HistoryLine[]): Run[] {
  // runbook → run id → lines, and runbook → person → lines without a run of their own.
  const withId = new Groups();
  const loose = new Groups();
  for (const line of lines) {
    if (line.runId === undefined) loose.add(line.runbook, line.who, line);
    else withId.add(line.runbook, line.runId, line);
  }
  const runs: Run[] = [];
  for (const byId of withId.byOuter.values()) {
    for (const [runId, group] of byId) {
      if (group.length === 1 && group[0].where === 'editor') loose.add(group[0].runbook, group[0].who, group[0]);
      else runs.push(runOf(inOrder(group), runId));
    }
  }
  for (const byPerson of loose.byOuter.values()) for (const group of byPerson.values()) runs.push(...sittings(group));
  return runs.sort((a, b) => a.start - b.start || (a.runbook < b.runbook ? -1 : a.runbook > b.runbook ? 1 : 0));
}

/** The lines sorted by start; a log's own order usually is already, which is checked first. */
function inOrder(group: HistoryLine[]): HistoryLine[] {
  for (let i = 1; i < group.length; i++) if (group[i].at < group[i - 1].at) return group.sort(byStart);
  return group;
}

/** One person's lines of one runbook, split where nothing happened for more than SITTING_GAP_MS. */
function sittings(group: HistoryLine[]): Run[] {
  const runs: Run[] = [];
  inOrder(group);
  let current: HistoryLine[] = [];
  let end = -Infinity;
  for (const line of group) {
    if (current.length > 0 && line.at - end > SITTING_GAP_MS) {
      runs.push(runOf(current, undefined));
      current = [];
      end = -Infinity;
    }
    current.push(line);
    end = Math.max(end, line.at + line.durationMs);
  }
  if (current.length > 0) runs.push(runOf(current, undefined));
  return runs;
}
