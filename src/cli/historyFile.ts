// Where a command-line run appends its history: `--history FILE`, else $RUNBOOKS_HISTORY, else the
// per-user state folder ($XDG_STATE_HOME/executable-runbooks/history.jsonl, ~/.local/state by
// default), in the one format every front end writes.

import { resolve } from 'node:path';
import { defaultHistoryPath } from '../core/insights/historyLocation';
import { givenRunId as givenRunIdOf } from '../core/report/historyLine';
import type { RunOrigin } from '../core/progress';

export function historyPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ? resolve(flag) : defaultHistoryPath(env);
}

/**
 * Where the run happens, for its history lines: what the program that started it says in
 * RUNBOOK_WHERE (the alert bridge says `alert`), else `ci` under a CI engine (the `CI` variable
 * every engine sets), else `cli`.
 */
export function origin(env: NodeJS.ProcessEnv = process.env): RunOrigin {
  const given = env.RUNBOOK_WHERE;
  if (given === 'alert' || given === 'ci' || given === 'cli') return given;
  return env.CI && env.CI !== 'false' && env.CI !== '0' ? 'ci' : 'cli';
}

/** A run id given by the program that started the run (RUNBOOK_RUN_ID, RUNBOOK_CORRELATION_ID), if any: the generated scripts' rule. */
export function givenRunId(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return givenRunIdOf(env);
}
