// A runbook's shell session: what its shell steps `export` and the directory they `cd` into carry
// over to later steps, as in one terminal. Each step still runs in its own process (so a timeout or
// Stop kills exactly that step); an EXIT trap writes the environment and directory to state files
// that the next step starts from. The rules themselves are in shellState.ts, shared with the
// generated scripts; this class holds one session's state and its temporary folder.

import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { absorbSessionFiles, sessionEnvironment, sessionShellCode, type SessionState, type StateFiles } from './shellState';

export class ShellSession implements SessionState {
  /** Variables exported or changed by earlier steps. */
  readonly variables = new Map<string, string>();
  /** Variables earlier steps unset. */
  readonly unset = new Set<string>();
  /** Directory the last shell step ended in, if it changed directory. */
  cwd: string | undefined;
  private dir: string | undefined;
  private counter = 0;

  /** Applies the session on top of `base`: earlier exports in, unset variables out. */
  environment(base: Record<string, string | undefined>): Record<string, string> {
    return sessionEnvironment(this, base);
  }

  /** Whether `name` was exported by an earlier step. */
  has(name: string): boolean {
    return this.variables.has(name);
  }

  /** The session's temporary folder (made on first use, again if something removed it). */
  async folder(): Promise<string> {
    if (this.dir === undefined || !isDirectory(this.dir)) this.dir = await mkdtemp(join(tmpdir(), 'runbook-session-'));
    return this.dir;
  }

  /** The temporary folder, if made already. */
  get folderPath(): string | undefined {
    return this.dir;
  }

  /** A fresh pair of state files for one step. */
  async stateFiles(): Promise<StateFiles> {
    const dir = await this.folder();
    const n = ++this.counter;
    return { env: join(dir, `${n}.env`), cwd: join(dir, `${n}.cwd`) };
  }

  /** Shell code that runs `code` and saves the session when it ends, however it ends. */
  wrap(code: string, files: StateFiles, errexit: boolean): string {
    return sessionShellCode(code, files, errexit);
  }

  /**
   * Reads what a step left behind and records what changed against the environment it started
   * with and the directory it started in (`startedIn`). Resolves with warnings for a person: the
   * carry-over was lost (`ended` tells why), or the directory it ended in no longer exists.
   */
  async absorb(files: StateFiles, started: Record<string, string>, startedIn?: string, ended: { code: string; signal?: string } = { code: '' }): Promise<string[]> {
    return absorbSessionFiles(this, files, started, startedIn, ended);
  }

  /** Forgets every export and the directory. */
  reset(): void {
    this.variables.clear();
    this.unset.clear();
    this.cwd = undefined;
  }

  async dispose(): Promise<void> {
    this.reset();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
