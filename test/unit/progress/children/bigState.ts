// The deterministic progress the crash test's writer stores as its n-th state: large, so a kill is
// likely to land in the middle of a write.

import type { RunbookProgress, StepRecord } from '../../../../src/core/progress';

export const STEP_COUNT = 300;

export function bigState(n: number): RunbookProgress {
  const steps: Record<string, StepRecord> = {};
  for (let k = 0; k < STEP_COUNT; k++) {
    steps[`step-${k}`] = {
      state: k % 7 === 0 ? 'failed' : 'passed',
      exitCode: k % 7 === 0 ? 1 : 0,
      startedAt: n,
      durationMs: k,
      outputTail: `state ${n} step ${k} `.padEnd(4000, 'x'),
      codeHash: `hash-${k}`,
    };
  }
  return { steps, manual: { page: { checked: true, at: n } }, lastRunAt: n };
}
