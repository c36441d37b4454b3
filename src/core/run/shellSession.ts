// A runbook's shell session: what its shell steps `export` and the directory they `cd` into carry
// over to later steps, as in one terminal. Each step still runs in its own process (so a timeout or
// Stop kills exactly that step); an EXIT trap writes the environment and directory to a state file
// that the next step starts from.

import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Variables the shell manages itself: never carried over. */
const SHELL_OWNED = new Set(['_', 'SHLVL', 'PWD', 'OLDPWD', 'PS1']);

export class ShellSession {
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
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(base)) if (value !== undefined && !this.unset.has(key)) env[key] = value;
    for (const [key, value] of this.variables) env[key] = value;
    return env;
  }

  /** Whether `name` was exported by an earlier step. */
  has(name: string): boolean {
    return this.variables.has(name);
  }

  /** A fresh pair of state files for one step. */
  async stateFiles(): Promise<{ env: string; cwd: string }> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'runbook-session-'));
    const n = ++this.counter;
    return { env: join(this.dir, `${n}.env`), cwd: join(this.dir, `${n}.cwd`) };
  }

  /**
   * Shell code that runs `code` and saves the session when it ends, however it ends. The paths
   * are ours (a temporary folder), never user input, and are single-quoted.
   */
  wrap(code: string, files: { env: string; cwd: string }, errexit: boolean): string {
    return [
      `__runbook_save() { __runbook_status=$?; env -0 > '${files.env}' 2>/dev/null || env > '${files.env}'; pwd > '${files.cwd}'; return $__runbook_status; }`,
      `trap __runbook_save EXIT`,
      errexit ? 'set -e' : '',
      errexit ? '(set -o pipefail) 2>/dev/null && set -o pipefail' : '',
      code,
      '',
    ].join('\n');
  }

  /**
   * Reads what a step left behind and records what changed against the environment it started
   * with and the directory it started in (`startedIn`): only a step that changed directory moves
   * the session, so a step's own `cwd` attribute does not carry over to later steps.
   */
  async absorb(files: { env: string; cwd: string }, started: Record<string, string>, startedIn?: string): Promise<void> {
    const [envText, cwdText] = await Promise.all([readFile(files.env, 'utf8').catch(() => undefined), readFile(files.cwd, 'utf8').catch(() => undefined)]);
    await Promise.all([rm(files.env, { force: true }), rm(files.cwd, { force: true })]);
    if (cwdText !== undefined && cwdText.trim() !== '') {
      const ended = cwdText.replace(/\n$/, '');
      if (startedIn === undefined || !(await sameDirectory(ended, startedIn))) this.cwd = ended;
    }
    if (envText === undefined) return;
    const after = parseEnv(envText);
    for (const [key, value] of after) {
      if (SHELL_OWNED.has(key) || key.startsWith('__runbook_')) continue;
      if (started[key] !== value) {
        this.variables.set(key, value);
        this.unset.delete(key);
      }
    }
    for (const key of Object.keys(started)) {
      if (!after.has(key) && !SHELL_OWNED.has(key)) {
        this.variables.delete(key);
        this.unset.add(key);
      }
    }
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

async function sameDirectory(a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  const [ra, rb] = await Promise.all([realpath(a).catch(() => a), realpath(b).catch(() => b)]);
  return ra === rb;
}

/** `env -0` output (or plain `env` where -0 is not supported: multi-line values are then cut). */
function parseEnv(text: string): Map<string, string> {
  const entries = text.includes('\0') ? text.split('\0') : text.split('\n');
  const env = new Map<string, string>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}
