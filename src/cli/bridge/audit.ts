// The audit log: one JSON line per decision (which alert, which runbook, the inputs, what was
// decided and why, the dispatch's id and link), plus a line when a local run ends and one for each
// refused request. Appended in order through one file handle opened for appending, so lines never
// interleave; a webhook is answered only after its lines are written.

import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Decision } from '../../core/alerts';

export interface DispatchResult {
  ok: boolean;
  /** The correlation id the run carries (and, when the engine gives one, its own id). */
  id?: string;
  /** The engine's own id of the run or pipeline, when its answer gives one. */
  engineId?: string;
  url?: string;
  /** HTTP status of the engine's answer. */
  status?: number;
  error?: string;
  durationMs: number;
}

export type AuditRecord =
  | ({ kind: 'decision'; time: string; dispatch?: DispatchResult } & Decision)
  | { kind: 'run-end'; time: string; correlationId: string; runbook: string; exitCode: number | null; signal: string | null; durationMs: number; log: string }
  | { kind: 'refused'; time: string; status: number; reason: string; remote?: string }
  | { kind: 'bridge'; time: string; event: 'start' | 'stop' | 'reload'; message: string };

export class AuditLog {
  private handle: Promise<FileHandle> | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  private open(): Promise<FileHandle> {
    this.handle ??= mkdir(dirname(this.file), { recursive: true }).then(() => open(this.file, 'a', 0o600));
    return this.handle;
  }

  /** Appends the records (in order) and resolves once they are written. */
  append(...records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return this.chain;
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    const written = this.chain.then(async () => {
      const handle = await this.open();
      await handle.write(text);
    });
    this.chain = written.catch(() => undefined);
    return written;
  }

  async close(): Promise<void> {
    await this.chain;
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close();
  }
}
