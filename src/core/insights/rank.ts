// The "automate next" ranking. Each runbook's score, over the period:
//
//   toil  = 10 × hands-on hours + 1 × attended runs + 2 × distinct people + 3 × issue mentions
//   score = toil × (1 + failure rate) × ladder factor
//
// - hands-on hours: editor, CLI and manual-step time (runs.ts); the cost people pay;
// - attended runs: each one interrupts someone, whatever its length;
// - distinct people: each one had to learn the runbook; a runbook only its author runs is cheaper;
// - issue mentions: issues created in the period that name it (mentions.ts): demand the history
//   does not see (tickets that asked for it, incidents it answered);
// - failure rate (failed runs / runs, 0 without runs): a run that fails costs a retry or an
//   escalation, so up to double;
// - ladder factor: `runbook` 1; `tool` 1 − ½ × (automated steps / steps), so a script that does
//   every step halves it; `service` ¼, so a runbook that is already a workflow ranks below the same
//   toil at `runbook` and `tool`.
// Ties go to more hands-on time, then more runs, then more mentions, then the path.

import { formatDuration } from '../runbook/duration';
import type { Ladder, RunbookInsight } from './types';

export const SCORE_WEIGHTS = { handsOnHour: 10, attendedRun: 1, person: 2, mention: 3 } as const;

export interface RunbookUsage {
  runs: number;
  attendedRuns: number;
  people: number;
  handsOnMs: number;
  timeSavedMs: number;
  failedRuns: number;
  mentions: number;
}

const HOUR_MS = 3_600_000;

export function ladderFactor(ladder: Ladder): number {
  if (ladder.stage === 'service') return 0.25;
  if (ladder.stage === 'tool') return 1 - 0.5 * (ladder.steps > 0 ? ladder.automatedSteps / ladder.steps : 0);
  return 1;
}

export function toil(usage: RunbookUsage): number {
  return (
    SCORE_WEIGHTS.handsOnHour * (usage.handsOnMs / HOUR_MS) +
    SCORE_WEIGHTS.attendedRun * usage.attendedRuns +
    SCORE_WEIGHTS.person * usage.people +
    SCORE_WEIGHTS.mention * usage.mentions
  );
}

export function failureRate(usage: Pick<RunbookUsage, 'runs' | 'failedRuns'>): number | null {
  return usage.runs > 0 ? usage.failedRuns / usage.runs : null;
}

/** The score, rounded to two decimals so equal toil compares equal. */
export function score(usage: RunbookUsage, ladder: Ladder): number {
  return Math.round(toil(usage) * (1 + (failureRate(usage) ?? 0)) * ladderFactor(ladder) * 100) / 100;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `2.5 h`, `45m`, `0 h`: hands-on time as the sentence and the table show it. */
export function handsOnText(ms: number): string {
  if (ms <= 0) return '0 h';
  return ms >= HOUR_MS ? `${(ms / HOUR_MS).toFixed(1)} h` : formatDuration(ms);
}

/** One sentence: what the score is made of, and what the ladder does to it. */
export function whyText(usage: RunbookUsage, ladder: Ladder, periodLabel: string): string {
  const parts: string[] = [];
  if (usage.runs === 0) parts.push(`not run in the last ${periodLabel}`);
  else {
    const by = usage.people > 0 ? ` by ${plural(usage.people, 'person', 'people')}` : '';
    parts.push(usage.handsOnMs > 0 ? `${handsOnText(usage.handsOnMs)} hands-on over ${plural(usage.runs, 'run')}${by}` : `${plural(usage.runs, 'run')}${by}, none hands-on`);
  }
  if (usage.mentions > 0) parts.push(`named in ${plural(usage.mentions, 'issue')}`);
  const rate = failureRate(usage);
  if (rate) parts.push(`${Math.round(rate * 100)}% of runs failed`);
  let ladderPart: string;
  if (ladder.stage === 'service') {
    ladderPart = `already a workflow, so it counts a quarter${usage.timeSavedMs > 0 ? ` (unattended runs saved ${handsOnText(usage.timeSavedMs)})` : ''}`;
  } else if (ladder.stage === 'tool') {
    ladderPart = `a script does ${ladder.automatedSteps} of ${plural(ladder.steps, 'step')}, so it counts ${Math.round(ladderFactor(ladder) * 100)}%`;
  } else ladderPart = usage.runs === 0 && usage.mentions === 0 ? 'nothing to rank it by' : 'nothing automated yet';
  const sentence = `${parts.join(', ')}; ${ladderPart}.`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Sorts rows best candidate first and numbers them. */
export function rankRows(rows: Array<Omit<RunbookInsight, 'rank'>>): RunbookInsight[] {
  return [...rows]
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.handsOnMs - a.handsOnMs ||
        b.runs - a.runs ||
        b.mentions - a.mentions ||
        (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
    )
    .map((row, index) => ({ rank: index + 1, ...row }));
}
