// The bridge's state on disk (which alerts were decided, when each target last ran, the runs of the
// last hour), so a restart or a crash never dispatches an alert twice. A decision to dispatch is
// saved before the dispatch goes out; saves asked for while one is being written are written
// together by the next one (one fsync for a burst of webhooks), and each caller waits for the write
// that holds its own change. Other changes are saved shortly after (saveSoon). Writes are atomic
// (temporary file, fsync, rename).

import { readFile } from 'node:fs/promises';
import { emptyBridgeState, isBridgeState, type BridgeState } from '../../core/alerts';
import { writeFileAtomically } from '../../core/progress/store';

export const STATE_FORMAT = 'executable-runbooks.bridge-state';
export const STATE_VERSION = 1;

export class StateFileError extends Error {}

export class BridgeStateFile {
  /** The state the next write saves. */
  private latest: BridgeState | undefined;
  private writing: Promise<void> | undefined;
  /** The write after the one in flight, shared by every save() until it starts. */
  private next: Promise<void> | undefined;

  constructor(readonly file: string) {}

  /**
   * The saved state; empty when there is no file. A file that is not a bridge state refuses to
   * load (StateFileError) rather than start from nothing, which could dispatch alerts again.
   */
  async load(): Promise<BridgeState> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyBridgeState();
      throw new StateFileError(`The bridge state file ${this.file} cannot be read: ${(error as Error).message}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new StateFileError(`The bridge state file ${this.file} is not valid JSON (${(error as Error).message}). Move it away to start with no memory of past alerts.`);
    }
    const record = data as { format?: unknown; version?: unknown; state?: unknown };
    if (typeof data !== 'object' || data === null || record.format !== STATE_FORMAT || record.version !== STATE_VERSION || !isBridgeState(record.state)) {
      throw new StateFileError(`The bridge state file ${this.file} is not a ${STATE_FORMAT} file of version ${STATE_VERSION}. Move it away to start with no memory of past alerts.`);
    }
    return record.state;
  }

  private timer: NodeJS.Timeout | undefined;
  /** The pending saveSoon's write, started by its timer or by flush(). */
  private soon: (() => Promise<void>) | undefined;
  private soonDone: Promise<void> | undefined;

  /**
   * Saves `state` within `delayMs`, together with whatever else is saved by then: for changes no
   * dispatch depends on (a duplicate, a rejection, a notification), which may be decided again
   * after a crash without harm. Failures are reported to `onError`.
   */
  saveSoon(state: BridgeState, delayMs: number, onError: (error: Error) => void): void {
    this.latest = state;
    if (this.soon) return;
    let done = () => undefined as void;
    this.soonDone = new Promise<void>((resolve) => (done = resolve));
    const write = async () => {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.soon = undefined;
      await this.save(this.latest as BridgeState).catch(onError);
      done();
    };
    this.soon = write;
    this.timer = setTimeout(() => void write(), delayMs);
  }

  /** Writes a pending saveSoon now; resolves once every write asked for is done. */
  async flush(): Promise<void> {
    await this.soon?.();
    await this.soonDone;
    await this.next?.catch(() => undefined);
    await this.writing?.catch(() => undefined);
  }

  /** Saves `state`; resolves once a write holding it is on disk. */
  save(state: BridgeState): Promise<void> {
    this.latest = state;
    if (!this.writing) {
      this.writing = this.write().finally(() => {
        this.writing = undefined;
      });
      return this.writing;
    }
    this.next ??= this.writing
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.save(this.latest as BridgeState);
      });
    return this.next;
  }

  private write(): Promise<void> {
    const text = `${JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, state: this.latest })}\n`;
    return writeFileAtomically(this.file, text);
  }
}
