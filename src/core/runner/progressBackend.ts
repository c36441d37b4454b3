// Where the runner keeps records: the editor's progress store (a JSON file in VS Code's storage),
// or memory for a command-line run. And where history lines go.

import type { HistoryLog } from '../progress/history';
import { emptyProgress } from '../progress/model';
import type { HistoryEntry, RunbookProgress } from '../progress/types';

export interface ProgressBackend {
  get(key: string): RunbookProgress | undefined;
  /** Applies `change` at once (later reads see it); saving, if any, happens in the background. */
  update(key: string, change: (progress: RunbookProgress) => RunbookProgress): void;
}

export class MemoryProgress implements ProgressBackend {
  private readonly runbooks = new Map<string, RunbookProgress>();

  get(key: string): RunbookProgress | undefined {
    return this.runbooks.get(key);
  }

  update(key: string, change: (progress: RunbookProgress) => RunbookProgress): void {
    this.runbooks.set(key, change(this.runbooks.get(key) ?? emptyProgress()));
  }
}

export interface HistorySink {
  append(entry: HistoryEntry): void;
  /** Resolves once every line appended so far is written. */
  flush(): Promise<void>;
}

/** Appends to a history log one line after another; a failed write is reported, never thrown. */
export function historySink(log: HistoryLog, onError: (error: Error) => void): HistorySink {
  let writes: Promise<void> = Promise.resolve();
  return {
    append(entry) {
      writes = writes.then(() => log.append(entry)).catch((error: Error) => onError(error));
    },
    flush: () => writes,
  };
}
