// The command line's default history file: one rule, read by `runbook run` (to append) and by the
// insights panel (to read), so both front ends name the same file.

import { strict as assert } from 'node:assert';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { historyPath } from '../../../src/cli/historyFile';
import { defaultHistoryPath } from '../../../src/core/insights/historyLocation';

describe('where the command line keeps its history', () => {
  it('is $RUNBOOKS_HISTORY, else $XDG_STATE_HOME, else ~/.local/state', () => {
    assert.equal(defaultHistoryPath({ RUNBOOKS_HISTORY: 'logs/h.jsonl', XDG_STATE_HOME: '/state' }), resolve('logs/h.jsonl'));
    assert.equal(defaultHistoryPath({ XDG_STATE_HOME: '/state' }), '/state/executable-runbooks/history.jsonl');
    assert.equal(defaultHistoryPath({ XDG_STATE_HOME: '' }), join(homedir(), '.local', 'state', 'executable-runbooks', 'history.jsonl'));
  });

  it('is what `runbook run` appends to unless --history names another file', () => {
    const env = { XDG_STATE_HOME: '/state' };
    assert.equal(historyPath(undefined, env), defaultHistoryPath(env));
    assert.equal(historyPath('mine.jsonl', env), resolve('mine.jsonl'));
  });
});
