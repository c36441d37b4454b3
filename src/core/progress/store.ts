// Where progress lives between sessions: one JSON file per workspace (under the extension's storage).
// Writes are atomic (a temporary file, fsync, rename over), so a crash or kill mid-write leaves the
// previous state intact. A corrupt or foreign file is set aside (renamed, never deleted) with a
// warning; loading never throws for bad content.

import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isRecord } from '../runbook/plainData';
import { emptyProgress, isEmptyProgress, setOwn } from './model';
import {
  PROGRESS_FORMAT,
  PROGRESS_VERSION,
  type ManualRecord,
  type ProgressFile,
  type RecordedState,
  type RunbookProgress,
  type StepRecord,
} from './types';

export interface ProgressStoreOptions {
  /** Told about a file that was set aside or records that were dropped; a person should see it. */
  onWarning?: (message: string) => void;
}

export function emptyProgressFile(): ProgressFile {
  return { format: PROGRESS_FORMAT, version: PROGRESS_VERSION, runbooks: {} };
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ProgressStore {
  private state: ProgressFile = emptyProgressFile();
  private loading: Promise<ProgressFile> | undefined;
  private loaded = false;
  /** The save waiting to start, which every save() until it starts shares. */
  private queued: Promise<void> | undefined;
  /** The end of the chain of writes; never rejects. */
  private chain: Promise<void> = Promise.resolve();
  private readonly onWarning: (message: string) => void;

  constructor(
    readonly file: string,
    options: ProgressStoreOptions = {},
  ) {
    this.onWarning = options.onWarning ?? (() => undefined);
  }

  /**
   * Reads the file (after any write in flight). A missing file is empty progress; a corrupt or
   * foreign one is renamed to `<file>.corrupt-<timestamp>` with a warning and progress starts empty.
   */
  load(): Promise<ProgressFile> {
    const loading = this.chain.then(() => this.read()).then((state) => {
      this.loaded = true;
      return state;
    });
    this.loading = loading;
    return loading;
  }

  /** The runbook's progress as loaded and updated (empty progress when there is none). */
  get(key: string): RunbookProgress {
    return Object.hasOwn(this.state.runbooks, key) ? this.state.runbooks[key] : emptyProgress();
  }

  /** Keys of the runbooks that have progress. */
  keys(): string[] {
    return Object.keys(this.state.runbooks);
  }

  /** The whole state as it is in memory. */
  snapshot(): ProgressFile {
    return this.state;
  }

  /**
   * Applies `change` to the runbook's progress and saves (loading first if nothing was loaded yet).
   * A change that returns its input unchanged writes nothing; progress that becomes empty is removed.
   */
  async update(key: string, change: (p: RunbookProgress) => RunbookProgress): Promise<void> {
    await (this.loading ??= this.load());
    return this.apply(key, change);
  }

  /** Whether the file has been read, so that `apply` may change the state at once. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * Applies `change` now (a later `get` sees it) and saves in the background; the promise is the
   * save. Only once loaded: before that, use `update`.
   */
  apply(key: string, change: (p: RunbookProgress) => RunbookProgress): Promise<void> {
    if (!this.loaded) return this.update(key, change);
    const current = this.get(key);
    const next = change(current);
    if (next === current) return this.queued ?? this.chain;
    const runbooks = { ...this.state.runbooks };
    if (isEmptyProgress(next)) delete runbooks[key];
    else setOwn(runbooks, key, next);
    this.state = { ...this.state, runbooks };
    return this.save();
  }

  /** Forgets a runbook's progress and saves. */
  async remove(key: string): Promise<void> {
    await this.update(key, () => emptyProgress());
  }

  /**
   * Writes the state atomically (loading first if nothing was loaded yet). Saves run one after another, and each writes the state as it is
   * when it starts, so the last state always wins; saves asked for while one waits share it.
   */
  save(): Promise<void> {
    // Never write over stored progress that was never read.
    if (!this.loading) return this.load().then(() => this.save());
    if (!this.queued) {
      const queued = this.chain.then(() => {
        this.queued = undefined;
        return this.write();
      });
      this.queued = queued;
      this.chain = queued.catch(() => undefined);
    }
    return this.queued;
  }

  private async write(): Promise<void> {
    await writeFileAtomically(this.file, `${JSON.stringify(this.state)}\n`);
  }

  private async read(): Promise<ProgressFile> {
    await this.removeStaleTemporaryFiles();
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') {
        this.onWarning(`Could not read the runbook progress file ${this.file} (${errorText(error)}); progress starts empty.`);
      }
      this.state = emptyProgressFile();
      return this.state;
    }

    let data: unknown;
    try {
      data = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      return this.setAside(`it is not valid JSON: ${errorText(error)}`);
    }
    const problem = foreignProblem(data);
    if (problem) return this.setAside(problem);

    const { file, dropped } = sanitize(data as ProgressFile);
    if (dropped > 0) {
      this.onWarning(`${dropped} malformed record${dropped === 1 ? ' was' : 's were'} left out of the runbook progress file ${this.file}.`);
    }
    this.state = file;
    return this.state;
  }

  private async setAside(reason: string): Promise<ProgressFile> {
    this.state = emptyProgressFile();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    let target = `${this.file}.corrupt-${stamp}`;
    for (let n = 2; await exists(target); n++) target = `${this.file}.corrupt-${stamp}-${n}`;
    try {
      await rename(this.file, target);
    } catch (error) {
      try {
        await copyFile(this.file, target);
      } catch {
        this.onWarning(
          `The runbook progress file ${this.file} could not be read (${reason}) and could not be moved aside (${errorText(error)}); progress starts empty and the file will be overwritten.`,
        );
        return this.state;
      }
    }
    this.onWarning(`The runbook progress file ${this.file} could not be read (${reason}); it was moved to ${target} and progress starts empty.`);
    return this.state;
  }

  /** Temporary files of writers that died mid-write (their process is gone). */
  private async removeStaleTemporaryFiles(): Promise<void> {
    const dir = dirname(this.file);
    const prefix = `${basename(this.file)}.tmp-`;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
      if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
      await rm(join(dir, name), { force: true }).catch(() => undefined);
    }
  }
}

/**
 * Replaces `file` with `text` atomically: a temporary file beside it, fsync, rename over, then the
 * folder synced, so a crash leaves either the old content or the new, never a torn file. Also used
 * by the alert bridge's state file.
 */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Windows refuses a rename over a file another process has open for a moment; try a few times. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = errorCode(error);
      if (attempt >= 4 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

/** Makes the rename itself durable where the platform allows it (not on Windows). */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: the data itself was synced before the rename.
  }
}

/** Why the data is not a progress file of this version, or undefined when it is one. */
function foreignProblem(data: unknown): string | undefined {
  if (!isRecord(data)) return 'it is not a JSON object';
  if (data.format !== PROGRESS_FORMAT) return `its format is ${JSON.stringify(data.format ?? null)}, not "${PROGRESS_FORMAT}"`;
  if (data.version !== PROGRESS_VERSION) return `its version is ${JSON.stringify(data.version ?? null)}, not ${PROGRESS_VERSION}`;
  if (!isRecord(data.runbooks)) return 'it has no "runbooks" object';
  return undefined;
}

const RECORDED_STATES = new Set<RecordedState>(['running', 'passed', 'failed', 'timed-out', 'cancelled', 'skipped']);

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);
const isString = (v: unknown): v is string => typeof v === 'string';

function validStepRecord(r: unknown): r is StepRecord {
  return (
    isRecord(r) &&
    RECORDED_STATES.has(r.state as RecordedState) &&
    isNumber(r.startedAt) &&
    isString(r.codeHash) &&
    optional(r.exitCode, isNumber) &&
    optional(r.signal, isString) &&
    optional(r.durationMs, isNumber) &&
    optional(r.outputTail, isString) &&
    optional(r.outputTruncated, (v) => typeof v === 'boolean') &&
    optional(r.message, isString)
  );
}

function validManualRecord(r: unknown): r is ManualRecord {
  return isRecord(r) && typeof r.checked === 'boolean' && isNumber(r.at) && optional(r.skipped, (v) => typeof v === 'boolean');
}

/** Keeps the well-formed records of a file whose envelope is right, counting what was left out. */
function sanitize(data: ProgressFile): { file: ProgressFile; dropped: number } {
  let dropped = 0;
  const runbooks: Record<string, RunbookProgress> = {};
  for (const [key, value] of Object.entries(data.runbooks as Record<string, unknown>)) {
    if (!isRecord(value)) {
      dropped++;
      continue;
    }
    const progress: RunbookProgress = { steps: {}, manual: {} };
    for (const [id, record] of Object.entries(isRecord(value.steps) ? value.steps : {})) {
      if (validStepRecord(record)) setOwn(progress.steps, id, record);
      else dropped++;
    }
    for (const [id, record] of Object.entries(isRecord(value.manual) ? value.manual : {})) {
      if (validManualRecord(record)) setOwn(progress.manual, id, record);
      else dropped++;
    }
    if (isNumber(value.lastRunAt)) progress.lastRunAt = value.lastRunAt;
    setOwn(runbooks, key, progress);
  }
  return { file: { format: PROGRESS_FORMAT, version: PROGRESS_VERSION, runbooks }, dropped };
}
