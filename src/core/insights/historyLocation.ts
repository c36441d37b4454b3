// Where the command line keeps its history by default: $RUNBOOKS_HISTORY, else the per-user state
// folder ($XDG_STATE_HOME/executable-runbooks/history.jsonl, ~/.local/state by default). One rule
// for both front ends: `runbook run` appends there and the insights view reads it from there.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultHistoryPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RUNBOOKS_HISTORY) return resolve(env.RUNBOOKS_HISTORY);
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'executable-runbooks', 'history.jsonl');
}
