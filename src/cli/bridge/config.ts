// The bridge's configuration file (YAML), read and checked: every problem is reported with the key
// it is about, before anything listens or dispatches. Paths are relative to the file's folder;
// secrets (tokens, the HMAC secret) are never in the file, only the names of the environment
// variables that hold them.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../../core/runbook/duration';
import { DEFAULT_PRODUCTION_ENVIRONMENTS } from '../../core/run/safety';
import type { DispatchTarget } from '../../core/alerts';

export interface GitHubTarget {
  type: 'github';
  /** REST API base: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  api: string;
  owner: string;
  repo: string;
  ref: string;
  tokenEnv: string;
  /** Web base for links to the workflow's runs; derived from `api` when absent. */
  webUrl?: string;
}

export interface GitLabTarget {
  type: 'gitlab';
  /** REST API base: https://gitlab.com/api/v4, or https://HOST/api/v4 for self-managed GitLab. */
  api: string;
  /** Project id or full path (`group/project`). */
  project: string;
  ref: string;
  tokenEnv: string;
}

export interface LocalTarget {
  type: 'local';
  /** The `runbook` command as argv; default: this process's own CLI (node dist/cli.js). */
  command?: string[];
  /** History log the runs append to (`--history`). */
  history: string;
  /** Folder for each run's output (`<correlation id>.jsonl` and `.log`). */
  logs: string;
}

export type TargetConfig = GitHubTarget | GitLabTarget | LocalTarget;

export interface BridgeConfig {
  /** The configuration file, for messages. */
  file: string;
  listen: { host: string; port: number };
  auth: { bearerTokenEnv?: string; hmacSecretEnv?: string; hmacHeader: string };
  maxBodyBytes: number;
  repository: { root: string; runbooks: string[]; urlPrefixes: Record<string, string> };
  target: TargetConfig;
  policy: { dedupTtlMs: number; cooldownMs: number; maxRunsPerHour: number; killSwitch: string; productionEnvironments: string[] };
  state: string;
  audit: string;
  dispatchTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export const DEFAULT_PORT = 9095;
export const DEFAULT_HMAC_HEADER = 'X-Runbook-Signature';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Value = Record<string, unknown>;

function isRecord(value: unknown): value is Value {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and checks a configuration file; throws ConfigError listing every problem. */
export function loadBridgeConfig(file: string): BridgeConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${file}: cannot be read (${(error as Error).message}).`]);
  }
  return parseBridgeConfig(text, path);
}

/** Checks configuration text as if read from `file` (paths resolve against its folder). */
export function parseBridgeConfig(text: string, file: string): BridgeConfig {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    throw new ConfigError([`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  const problems: string[] = [];
  const reader = new Reader(file, dirname(file), problems);
  const config = reader.config(isRecord(data) ? data : data === null || data === undefined ? {} : reader.fail('', 'the file must be a mapping of keys (listen:, auth:, target: …)') ?? {});
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The secrets a configuration names, read from `env`; throws ConfigError naming any that is unset. */
export function bridgeSecrets(config: BridgeConfig, env: NodeJS.ProcessEnv = process.env): { bearerToken?: string; hmacSecret?: string; targetToken?: string } {
  const problems: string[] = [];
  const read = (key: string, name: string | undefined): string | undefined => {
    if (!name) return undefined;
    const value = env[name];
    if (!value) problems.push(`${config.file}: ${key} names the environment variable ${name}, which is not set.`);
    return value || undefined;
  };
  const secrets = {
    bearerToken: read('auth.bearerTokenEnv', config.auth.bearerTokenEnv),
    hmacSecret: read('auth.hmacSecretEnv', config.auth.hmacSecretEnv),
    targetToken: config.target.type === 'local' ? undefined : read('target.tokenEnv', config.target.tokenEnv),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return secrets;
}

/** Names of the environment variables holding the bridge's own secrets, which no local run inherits. */
export function secretEnvNames(config: BridgeConfig): string[] {
  return [config.auth.bearerTokenEnv, config.auth.hmacSecretEnv, config.target.type === 'local' ? undefined : config.target.tokenEnv].filter((n): n is string => !!n);
}

class Reader {
  constructor(
    private readonly file: string,
    private readonly base: string,
    private readonly problems: string[],
  ) {}

  fail(key: string, message: string): undefined {
    this.problems.push(`${this.file}: ${key ? `${key} ` : ''}${message}`);
    return undefined;
  }

  known(value: Value, prefix: string, keys: string[]): void {
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.fail(`${prefix}${key}`, `is not a setting (known${prefix ? ` under ${prefix.slice(0, -1)}` : ''}: ${keys.join(', ')}).`);
    }
  }

  section(value: Value, key: string, path = key): Value {
    const section = value[key];
    if (section === undefined || section === null) return {};
    if (isRecord(section)) return section;
    this.fail(path, 'must be a mapping.');
    return {};
  }

  text(value: Value, key: string, path: string, fallback?: string): string | undefined {
    const item = value[key];
    if (item === undefined || item === null) return fallback ?? this.fail(path, 'is required.');
    if (typeof item === 'string' && item.trim() !== '') return item.trim();
    if (typeof item === 'number') return String(item);
    return this.fail(path, `must be text, not ${JSON.stringify(item)}.`);
  }

  envName(value: Value, key: string, path: string, required: boolean): string | undefined {
    const name = required ? this.text(value, key, path) : value[key] === undefined ? undefined : this.text(value, key, path);
    if (name !== undefined && !ENV_NAME.test(name)) return this.fail(path, `must be the name of an environment variable (the secret itself never goes in this file), not "${name}".`);
    return name;
  }

  path(value: Value, key: string, path: string, fallback: string): string {
    const written = this.text(value, key, path, fallback) ?? fallback;
    return isAbsolute(written) ? written : resolve(this.base, written);
  }

  integer(value: Value, key: string, path: string, fallback: number, min: number, max: number): number {
    const item = value[key];
    if (item === undefined || item === null) return fallback;
    if (typeof item === 'number' && Number.isInteger(item) && item >= min && item <= max) return item;
    this.fail(path, `must be a whole number from ${min} to ${max}, not ${JSON.stringify(item)}.`);
    return fallback;
  }

  duration(value: Value, key: string, path: string, fallback: number, allowZero = false): number {
    const item = value[key];
    if (item === undefined || item === null) return fallback;
    if (allowZero && (item === 0 || item === '0')) return 0;
    const ms = parseDuration(item);
    if (ms !== undefined) return ms;
    this.fail(path, `must be a duration such as 90s, 10m or 24h, not ${JSON.stringify(item)}.`);
    return fallback;
  }

  url(value: Value, key: string, path: string, fallback?: string): string | undefined {
    const written = this.text(value, key, path, fallback);
    if (written === undefined) return undefined;
    try {
      const url = new URL(written);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
      return written.replace(/\/+$/, '');
    } catch {
      return this.fail(path, `must be an http(s) URL, not "${written}".`);
    }
  }

  config(data: Value): BridgeConfig {
    this.known(data, '', ['listen', 'auth', 'maxBodyBytes', 'repository', 'target', 'policy', 'state', 'audit', 'dispatchTimeout']);
    const listen = this.section(data, 'listen');
    this.known(listen, 'listen.', ['host', 'port']);
    const auth = this.section(data, 'auth');
    this.known(auth, 'auth.', ['bearerTokenEnv', 'hmacSecretEnv', 'hmacHeader']);
    const bearerTokenEnv = this.envName(auth, 'bearerTokenEnv', 'auth.bearerTokenEnv', false);
    const hmacSecretEnv = this.envName(auth, 'hmacSecretEnv', 'auth.hmacSecretEnv', false);
    if (!bearerTokenEnv && !hmacSecretEnv) this.fail('auth', 'must name bearerTokenEnv or hmacSecretEnv (or both): the bridge accepts no unauthenticated webhook.');
    const hmacHeader = this.text(auth, 'hmacHeader', 'auth.hmacHeader', DEFAULT_HMAC_HEADER) ?? DEFAULT_HMAC_HEADER;

    const repository = this.section(data, 'repository');
    this.known(repository, 'repository.', ['root', 'runbooks', 'urlPrefixes']);
    const root = this.path(repository, 'root', 'repository.root', '.');
    const folders = repository.runbooks ?? ['.'];
    const runbooks: string[] = [];
    if (!Array.isArray(folders) || folders.some((f) => typeof f !== 'string' || f.trim() === '')) this.fail('repository.runbooks', 'must be a list of folders, such as [runbooks].');
    else for (const folder of folders as string[]) runbooks.push(isAbsolute(folder) ? folder : resolve(root, folder));
    const urlPrefixes: Record<string, string> = {};
    const prefixes = this.section(repository, 'urlPrefixes', 'repository.urlPrefixes');
    for (const [prefix, folder] of Object.entries(prefixes)) {
      const key = `repository.urlPrefixes."${prefix}"`;
      try {
        new URL(prefix);
      } catch {
        this.fail(key, 'must be a URL prefix such as https://runbooks.example.com/runbooks/.');
        continue;
      }
      if (typeof folder !== 'string') this.fail(key, 'must map to a folder of the repository, such as runbooks/.');
      else urlPrefixes[prefix] = folder;
    }

    const policy = this.section(data, 'policy');
    this.known(policy, 'policy.', ['dedupTtl', 'cooldown', 'maxRunsPerHour', 'killSwitch', 'productionEnvironments']);
    const production = policy.productionEnvironments ?? [...DEFAULT_PRODUCTION_ENVIRONMENTS];
    if (!Array.isArray(production) || production.some((p) => typeof p !== 'string')) this.fail('policy.productionEnvironments', 'must be a list of environment names.');
    const stateDir = resolve(this.base, '.runbook-bridge');

    return {
      file: this.file,
      listen: {
        host: this.text(listen, 'host', 'listen.host', '127.0.0.1') ?? '127.0.0.1',
        port: this.integer(listen, 'port', 'listen.port', DEFAULT_PORT, 0, 65535),
      },
      auth: { bearerTokenEnv, hmacSecretEnv, hmacHeader },
      maxBodyBytes: this.integer(data, 'maxBodyBytes', 'maxBodyBytes', 1024 * 1024, 1024, 64 * 1024 * 1024),
      repository: { root, runbooks, urlPrefixes },
      target: this.target(this.section(data, 'target'), stateDir),
      policy: {
        dedupTtlMs: this.duration(policy, 'dedupTtl', 'policy.dedupTtl', 24 * 3_600_000),
        cooldownMs: this.duration(policy, 'cooldown', 'policy.cooldown', 30 * 60_000, true),
        maxRunsPerHour: this.integer(policy, 'maxRunsPerHour', 'policy.maxRunsPerHour', 10, 0, 100_000),
        killSwitch: this.path(policy, 'killSwitch', 'policy.killSwitch', `${stateDir}/STOP`),
        productionEnvironments: Array.isArray(production) ? production.map(String) : [...DEFAULT_PRODUCTION_ENVIRONMENTS],
      },
      state: this.path(data, 'state', 'state', `${stateDir}/state.json`),
      audit: this.path(data, 'audit', 'audit', `${stateDir}/audit.jsonl`),
      dispatchTimeoutMs: this.duration(data, 'dispatchTimeout', 'dispatchTimeout', 10_000),
    };
  }

  target(target: Value, stateDir: string): TargetConfig {
    const type = target.type;
    const types: DispatchTarget[] = ['github', 'gitlab', 'local'];
    if (!types.includes(type as DispatchTarget)) {
      this.fail('target.type', `must be github, gitlab or local, not ${JSON.stringify(type ?? null)}.`);
      return { type: 'local', history: '', logs: '' };
    }
    if (type === 'github') {
      this.known(target, 'target.', ['type', 'api', 'repository', 'ref', 'tokenEnv', 'webUrl']);
      const repository = this.text(target, 'repository', 'target.repository') ?? '';
      const [owner, repo, extra] = repository.split('/');
      if (repository && (!owner || !repo || extra !== undefined)) this.fail('target.repository', `must be OWNER/REPO, not "${repository}".`);
      return {
        type,
        api: this.url(target, 'api', 'target.api', 'https://api.github.com') ?? '',
        owner: owner ?? '',
        repo: repo ?? '',
        ref: this.text(target, 'ref', 'target.ref', 'main') ?? 'main',
        tokenEnv: this.envName(target, 'tokenEnv', 'target.tokenEnv', true) ?? '',
        webUrl: target.webUrl === undefined ? undefined : this.url(target, 'webUrl', 'target.webUrl'),
      };
    }
    if (type === 'gitlab') {
      this.known(target, 'target.', ['type', 'api', 'project', 'ref', 'tokenEnv']);
      return {
        type,
        api: this.url(target, 'api', 'target.api', 'https://gitlab.com/api/v4') ?? '',
        project: this.text(target, 'project', 'target.project') ?? '',
        ref: this.text(target, 'ref', 'target.ref', 'main') ?? 'main',
        tokenEnv: this.envName(target, 'tokenEnv', 'target.tokenEnv', true) ?? '',
      };
    }
    this.known(target, 'target.', ['type', 'command', 'history', 'logs']);
    const command = target.command;
    if (command !== undefined && (!Array.isArray(command) || command.length === 0 || command.some((part) => typeof part !== 'string' || part === ''))) {
      this.fail('target.command', 'must be the runbook command as a list, such as [node, dist/cli.js].');
    }
    return {
      type: 'local',
      command: Array.isArray(command) ? (command as string[]).map((part, index) => (index > 0 && /^\.\.?\//.test(part) ? resolve(this.base, part) : part)) : undefined,
      history: this.path(target, 'history', 'target.history', `${stateDir}/history.jsonl`),
      logs: this.path(target, 'logs', 'target.logs', `${stateDir}/runs`),
    };
  }
}
