// The rules of a shell session, shared by the engine and generated scripts: the wrapper that saves
// a step's exported variables and directory when it ends (an EXIT trap that depends on nothing in
// the step's environment, so `unset PATH` or `set -eux` in the step cannot break it), how the saved
// state is read back and what carries over, why carry-over was lost (the step set its own EXIT trap,
// ran `exec`, or was killed), and where the next step starts when that directory is gone.
// Self-contained (only `node:` imports): the script generator embeds this file in every script.

import { existsSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';

/** What shell steps carry over to later steps, as one terminal would. */
export interface SessionState {
  /** Variables exported or changed by earlier steps. */
  variables: Map<string, string>;
  /** Variables earlier steps unset. */
  unset: Set<string>;
  /** Directory the last shell step ended in, if it changed directory. */
  cwd: string | undefined;
}

/** Where one step's wrapper writes its environment (`env -0`) and directory (`pwd`). */
export interface StateFiles {
  env: string;
  cwd: string;
}

/** Variables the shell manages itself: never carried over. */
export const SHELL_OWNED = new Set(['_', 'SHLVL', 'PWD', 'OLDPWD', 'PS1']);

/** `text` as one single-quoted shell word, whatever it contains. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** errexit and pipefail (where the shell has it), as the engine runs every shell step by default. */
function strictLines(errexit: boolean): string[] {
  return errexit ? ['set -e', '(set -o pipefail) 2>/dev/null && set -o pipefail'] : [];
}

/** A shell step's code as it runs outside a session. */
export function plainShellCode(code: string, errexit: boolean): string {
  return [...strictLines(errexit), code, ''].join('\n');
}

/**
 * Shell code that runs `code` and saves the session when it ends, however it ends. The trap first
 * keeps the step's exit status and turns tracing and errexit off (quietly), then writes the state
 * with `command -p`, which finds `env` on the system's default path even when the step unset or
 * changed PATH; a failure there never changes the step's exit status.
 */
export function sessionShellCode(code: string, files: StateFiles, errexit: boolean): string {
  const save = [
    '__runbook_save() {',
    `  command -p env -0 > ${shellQuote(files.env)} 2>/dev/null || command -p env > ${shellQuote(files.env)} 2>/dev/null`,
    `  pwd > ${shellQuote(files.cwd)} 2>/dev/null`,
    '  return $__runbook_status',
    '}',
  ].join('\n');
  return [save, `trap '{ __runbook_status=$?; set +eux; } 2>/dev/null; __runbook_save' EXIT`, ...strictLines(errexit), code, ''].join('\n');
}

/** `env -0` output (or plain `env` where -0 is not supported: multi-line values are then cut). */
export function parseEnvDump(text: string): Map<string, string> {
  const entries = text.includes('\0') ? text.split('\0') : text.split('\n');
  const env = new Map<string, string>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

function realOrSame(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // removed meanwhile: compare as written
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Why a step that left no saved state lost its carry-over, for a person to read. */
function lostCarryOver(code: string, signal: string | undefined): string {
  const lost = "Its exported variables and directory changes were not carried over to later steps";
  if (signal) return `${lost}: it was killed by ${signal} before the session could be saved.`;
  if (/(^|[;&|{(\s])trap\s[^\n#]*(\bEXIT\b|\s0(\s|$))/m.test(code)) return `${lost}: it sets its own \`trap … EXIT\`, which replaces the one that saves the session.`;
  if (/(^|[;&|{(]|\bthen|\bdo|\belse)\s*exec\s+(?![0-9]*[<>]|$)/m.test(code)) return `${lost}: it runs \`exec\`, which replaces the shell before the session is saved.`;
  return `${lost}: it ended without the session's EXIT trap running (its own \`trap … EXIT\`, \`exec\`, or a kill).`;
}

/**
 * Reads what a step left behind and records what changed against the environment it started
 * with and the directory it started in: only a step that changed directory moves the session, so
 * a step's own `cwd` attribute does not carry over. Returns warnings for a person (carry-over lost,
 * a directory that no longer exists). The state files are removed.
 */
export function absorbSessionFiles(
  state: SessionState,
  files: StateFiles,
  started: Record<string, string>,
  startedIn: string | undefined,
  ended: { code: string; signal?: string },
): string[] {
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  const envText = read(files.env);
  const cwdText = read(files.cwd);
  rmSync(files.env, { force: true });
  rmSync(files.cwd, { force: true });
  if (envText === undefined) return [lostCarryOver(ended.code, ended.signal)];
  const warnings: string[] = [];
  // An empty dump means `env` itself could not run (its environment too large to pass, E2BIG):
  // keep what the session had rather than read it as "everything was unset".
  const dumped = envText !== '';
  if (!dumped) warnings.push('Its exported variables were not carried over to later steps: `env` could not save them (the environment may be too large for a program to receive).');
  if (cwdText !== undefined && cwdText.trim() !== '') {
    const dir = cwdText.replace(/\n$/, '');
    if (startedIn === undefined || realOrSame(dir) !== realOrSame(startedIn)) {
      if (isDirectory(dir)) state.cwd = dir;
      else {
        state.cwd = undefined;
        warnings.push(`It ended in ${dir}, which no longer exists; later steps start where they would without it.`);
      }
    }
  }
  if (!dumped) return warnings;
  const after = parseEnvDump(envText);
  for (const [key, value] of after) {
    if (SHELL_OWNED.has(key) || key.startsWith('__runbook_')) continue;
    if (started[key] !== value) {
      state.variables.set(key, value);
      state.unset.delete(key);
    }
  }
  for (const key of Object.keys(started)) {
    if (!after.has(key) && !SHELL_OWNED.has(key)) {
      state.variables.delete(key);
      state.unset.add(key);
    }
  }
  return warnings;
}

/** Applies the session on top of `base`: earlier exports in, unset variables out. */
export function sessionEnvironment(state: SessionState, base: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined && !state.unset.has(key)) env[key] = value;
  for (const [key, value] of state.variables) env[key] = value;
  return env;
}

/**
 * The directory the session left the next step in, or undefined (with a warning) when that
 * directory was removed since: the session then forgets it, so no later step is refused for it.
 */
export function sessionDirectory(state: SessionState, fallbackName: string): { dir?: string; warning?: string } {
  if (state.cwd === undefined) return {};
  if (existsSync(state.cwd) && isDirectory(state.cwd)) return { dir: state.cwd };
  const gone = state.cwd;
  state.cwd = undefined;
  return { warning: removedDirectoryWarning(gone, fallbackName) };
}

/** What a step says when the directory the session left it in was removed meanwhile. */
export function removedDirectoryWarning(gone: string, instead: string): string {
  return `The directory an earlier step changed to, ${gone}, no longer exists; this step runs in ${instead} instead.`;
}
