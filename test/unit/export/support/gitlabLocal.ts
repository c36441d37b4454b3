// A real GitLab CI engine for the export tests: gitlab-ci-local (installed into the per-user cache
// by scripts/provision.mjs when missing, with Debian's rsync) runs a pipeline in a scratch git
// repository that holds runbooks, their generated scripts, the exported include files and a
// .gitlab-ci.yml that includes them. The job's own `npm ci` installs tsx for real, from
// an npm cache filled once (offline, so no run touches the network). The same repository layout
// also serves the headless runner (`runbook run`), run where a teammate would run it.

import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const PROJECT = resolve(__dirname, '../../../..');

interface Provision {
  ensureGitlabCiLocal(): string;
  ensureOfflinePackages(packages: Record<string, string>): { dir: string; cache: string };
}

export interface Engines {
  /** gitlab-ci-local's entry script. */
  gitlabCiLocal: string;
  /** package.json + package-lock.json for tsx, and the npm cache that holds them. */
  packages: { dir: string; cache: string };
}

/** Installs what the pipeline runs need when missing (first time: about 20 s, and apt-get for rsync). */
export async function provisionEngines(): Promise<Engines> {
  const provision = (await import(pathToFileURL(join(PROJECT, 'scripts/provision.mjs')).href)) as Provision;
  // The versions this project itself runs the scripts with.
  const version = (name: string) => (JSON.parse(readFileSync(join(PROJECT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return {
    gitlabCiLocal: provision.ensureGitlabCiLocal(),
    packages: provision.ensureOfflinePackages({ tsx: version('tsx') }),
  };
}

/**
 * A scratch git repository with `files` (repository-relative path → text), committed, with an
 * origin remote as a real clone has. `install`: `packages` gives package.json and the lock file
 * (for the job's `npm ci`); `link` points node_modules at this project's (for `runbook run`
 * there, which runs no `npm ci`).
 */
export function makeRepository(files: Record<string, string>, engines: Engines, install: 'packages' | 'link'): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-export-'));
  mkdirSync(join(dir, '.tmp'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const manifest = JSON.parse(readFileSync(join(engines.packages.dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ ...manifest, type: 'module' }, null, 2)}\n`);
  copyFileSync(join(engines.packages.dir, 'package-lock.json'), join(dir, 'package-lock.json'));
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\nrunbook-output/\n.gitlab-ci-local/\n.gitlab-ci-local-home/\n.tmp/\n');
  if (install === 'link') symlinkSync(join(PROJECT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=Runbook Tests', '-c', 'user.email=tests@example.invalid', 'commit', '-q', '-m', 'runbook, script and pipeline');
  git('remote', 'add', 'origin', 'https://gitlab.example.invalid/team/ops.git');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  return dir;
}

/** The repository's own temporary folder (TMPDIR of what runs there), so two runs never share a sandbox. */
export function repositoryTemp(dir: string): string {
  return join(dir, '.tmp');
}

export function removeRepository(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Ran> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A hung run fails the test with what it printed, and leaves nothing behind.
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** What one job of a pipeline did, read from gitlab-ci-local's output. */
export interface JobRun {
  /** The job's exit code (0 when it passed). */
  exitCode: number;
  /** Each command of the job's script with the lines it printed on stdout, in order. */
  commands: Array<{ command: string; stdout: string[] }>;
  /** The job's log as gitlab-ci-local keeps it: commands (`$ …`) and both output streams, in arrival order. */
  log: string[];
  /** Lines the job printed on stderr (all commands). */
  stderr: string[];
}

export interface PipelineRun extends Ran {
  /** The jobs that ran, by name. */
  jobs: Record<string, JobRun>;
}

export interface PipelineOptions {
  /** The jobs to read from the output (the pipeline runs whichever its rules select). */
  jobs: string[];
  /** `--input` values: typed as the spec says (strings are sent as JSON strings, so `123` stays a string). */
  inputs?: Record<string, string | number | boolean>;
  /** Pipeline and CI/CD variables (`--variable`): what the Run pipeline form or the API gives, and secrets. */
  variables?: Record<string, string>;
  /** `CI_PIPELINE_SOURCE`; gitlab-ci-local's own default is `push`. */
  source?: string;
  /** Environment of the jobs beyond this process's (gitlab-ci-local's shell executor passes its own on). */
  env?: Record<string, string>;
  /**
   * Check the configuration against GitLab's JSON schema first (default true). A second pipeline
   * of an unchanged project may leave it out: the check costs more CPU than the rest of an idle run.
   */
  validateSchema?: boolean;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where a job ran: like a runner, each job gets its own copy of the repository's tracked files. */
export function jobDirectory(dir: string, job: string): string {
  return join(dir, '.gitlab-ci-local', 'builds', job);
}

function readJob(dir: string, ran: Ran, job: string): JobRun | undefined {
  const name = escapeRegExp(job);
  if (!new RegExp(`^${name} +starting`, 'm').test(ran.stdout)) return undefined;
  const outLine = new RegExp(`^${name} +(\\$|>) ?(.*)$`);
  const commands: JobRun['commands'] = [];
  for (const line of ran.stdout.split('\n')) {
    const match = outLine.exec(line);
    // gitlab-ci-local's own note after ten silent seconds, shown like a line of output.
    if (!match || (match[1] === '>' && match[2] === 'still running...')) continue;
    if (match[1] === '$') commands.push({ command: match[2], stdout: [] });
    else commands[commands.length - 1]?.stdout.push(match[2]);
  }
  const failed = new RegExp(`^${name} .*FAIL (\\d+)`, 'm').exec(ran.stderr);
  const errLine = new RegExp(`^${name} +> ?(.*)$`);
  const stderr = ran.stderr.split('\n').flatMap((line) => errLine.exec(line)?.[1] ?? []);
  let log: string[] = [];
  try {
    log = readFileSync(join(dir, '.gitlab-ci-local', 'output', `${job}.log`), 'utf8').replace(/\n$/, '').split('\n');
  } catch {
    // no log: the job printed nothing
  }
  return { exitCode: failed ? Number(failed[1]) : 0, commands, log, stderr };
}

/**
 * Runs the repository's pipeline on gitlab-ci-local: its shell executor (no containers here), each
 * job in its own copy of the repository, two at a time.
 */
export async function runPipeline(dir: string, engines: Engines, options: PipelineOptions): Promise<PipelineRun> {
  const args = [engines.gitlabCiLocal, '--force-shell-executor', '--shell-isolation', '--no-artifacts-to-source', '--concurrency', '2', '--no-color'];
  args.push('--home', join(dir, '.gitlab-ci-local-home')); // no user-wide gitlab-ci-local settings
  if (options.validateSchema === false) args.push('--no-json-schema-validation');
  if (options.source) args.push('--variable', `CI_PIPELINE_SOURCE=${options.source}`, '--ignore-predefined-vars', 'CI_PIPELINE_SOURCE');
  for (const [name, value] of Object.entries(options.variables ?? {})) args.push('--variable', `${name}=${value}`);
  for (const [name, value] of Object.entries(options.inputs ?? {})) args.push('--input', `${name}=${JSON.stringify(value)}`);
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: repositoryTemp(dir), ...options.env, FORCE_COLOR: '0', npm_config_cache: engines.packages.cache, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
  delete env.CI_PIPELINE_SOURCE;
  // The shell executor passes this process's environment on: none of the runbook engine's own.
  for (const name of Object.keys(env)) if (/^RUNBOOK(_|$)/.test(name) && !(name in (options.env ?? {}))) delete env[name];
  const ran = await run(process.execPath, args, dir, env, 1_200_000);
  const jobs: Record<string, JobRun> = {};
  for (const job of options.jobs) {
    const found = readJob(dir, ran, job);
    if (found) jobs[job] = found;
  }
  return { ...ran, jobs };
}

/** Every line the job's command starting with `prefix` printed, both streams in arrival order, from the job's log. */
export function commandLog(job: JobRun, prefix: string): string[] | undefined {
  const start = job.log.findIndex((line) => line.startsWith(`$ ${prefix}`));
  if (start < 0) return undefined;
  const end = job.log.findIndex((line, i) => i > start && line.startsWith('$ '));
  return job.log.slice(start + 1, end < 0 ? undefined : end);
}

/**
 * The lines the job's command starting with `prefix` printed, split by stream: stdout exactly, and
 * stderr as what remains of that command's part of the log once its stdout lines are taken out.
 */
export function commandOutput(job: JobRun, prefix: string): { stdout: string[]; stderr: string[] } | undefined {
  const command = job.commands.find((entry) => entry.command.startsWith(prefix));
  if (!command) return undefined;
  const start = job.log.findIndex((line) => line.startsWith(`$ ${prefix}`));
  let end = job.log.findIndex((line, i) => i > start && line.startsWith('$ '));
  if (end < 0) end = job.log.length;
  const rest = [...command.stdout];
  const stderr: string[] = [];
  for (const line of job.log.slice(start + 1, end)) {
    if (rest.length > 0 && rest[0] === line) rest.shift();
    else stderr.push(line);
  }
  return { stdout: command.stdout, stderr };
}
