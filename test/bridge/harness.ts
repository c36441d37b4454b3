// What the bridge tests run against: a real Alertmanager (Debian's prometheus-alertmanager,
// installed by scripts/provision.mjs when missing, as root) on a free loopback port, fake GitHub and
// GitLab APIs on loopback that record every request, bridge configurations in temporary folders,
// and bounded waits. Everything started here is stopped by the test that started it.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

export const PROJECT = resolve(__dirname, '../..');
export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createNetServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/** Polls `check` until it returns something truthy, or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 15_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/**
 * Why GitLab's create-pipeline call (`POST /projects/:id/pipeline`) would refuse this body, or
 * undefined: it needs a `ref`, and pipeline variables are an array of `{ key, value }` strings
 * (`variable_type` env_var or file). Include inputs are not accepted: the fake project's
 * .gitlab-ci.yml, like the exported set-up, declares no `spec: inputs` of its own.
 */
export function gitlabPipelineBodyProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not a JSON object';
  const { ref, variables, inputs, ...rest } = body as Record<string, unknown>;
  if (typeof ref !== 'string' || ref === '') return 'ref is missing';
  if (inputs !== undefined) return `Unknown input: ${Object.keys(inputs as object).join(', ')}`;
  if (Object.keys(rest).length > 0) return `unknown parameters: ${Object.keys(rest).join(', ')}`;
  if (variables === undefined) return undefined;
  if (!Array.isArray(variables)) return 'variables is invalid';
  for (const variable of variables as unknown[]) {
    const { key, value, variable_type: type, ...other } = (variable ?? {}) as Record<string, unknown>;
    if (typeof key !== 'string' || !/^[A-Za-z0-9_]+$/.test(key)) return `variables: key ${JSON.stringify(key)} is invalid`;
    if (typeof value !== 'string') return `variables: the value of ${key} is not a string`;
    if (type !== undefined && type !== 'env_var' && type !== 'file') return `variables: variable_type of ${key} is invalid`;
    if (Object.keys(other).length > 0) return `variables: unknown attributes of ${key}`;
  }
  return undefined;
}

/**
 * A fake CI engine API: answers every POST with `status` (and `answer` as JSON) and records it. The
 * GitLab one refuses, as GitLab does (400), a create-pipeline body it would not take.
 */
export interface FakeApi {
  url: string;
  requests: RecordedRequest[];
  /** The answer's status for the next requests (e.g. 500 to test failures). */
  status: number;
  close(): Promise<void>;
}

export async function startFakeApi(kind: 'github' | 'gitlab'): Promise<FakeApi> {
  const api: FakeApi = { url: '', requests: [], status: kind === 'github' ? 204 : 201, close: async () => undefined };
  let nextPipeline = 1000;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Recorded as text.
      }
      api.requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
      const refused = kind === 'gitlab' ? gitlabPipelineBodyProblem(body) : undefined;
      if (api.status >= 300) {
        response.writeHead(api.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'the fake API was told to fail' }));
      } else if (refused) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: { base: [refused] } }));
      } else if (kind === 'github') {
        response.writeHead(api.status);
        response.end();
      } else {
        const id = nextPipeline++;
        response.writeHead(api.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id, web_url: `http://gitlab.test/group/project/-/pipelines/${id}` }));
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  api.url = kind === 'github' ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}/api/v4`;
  api.close = () =>
    new Promise((done) => {
      server.closeAllConnections();
      server.close(() => done());
    });
  return api;
}

/** A temporary repository with runbooks, and a bridge configuration file for it. */
export interface Sandbox {
  dir: string;
  configFile: string;
  audit: string;
  state: string;
  killSwitch: string;
  writeRunbook(relativePath: string, text: string): void;
  writeConfig(config: Record<string, unknown>): string;
  /** The audit log's records so far. */
  auditRecords(): Array<Record<string, unknown>>;
  decisions(): Array<Record<string, unknown>>;
  remove(): void;
}

export function makeSandbox(prefix = 'bridge-test-'): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'runbooks'), { recursive: true });
  const sandbox: Sandbox = {
    dir,
    configFile: join(dir, 'bridge.yaml'),
    audit: join(dir, 'state', 'audit.jsonl'),
    state: join(dir, 'state', 'state.json'),
    killSwitch: join(dir, 'STOP'),
    writeRunbook(relativePath, text) {
      const file = join(dir, relativePath);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, text);
    },
    writeConfig(config) {
      writeFileSync(sandbox.configFile, stringify(config));
      return sandbox.configFile;
    },
    auditRecords() {
      if (!existsSync(sandbox.audit)) return [];
      return readFileSync(sandbox.audit, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    decisions() {
      return sandbox.auditRecords().filter((record) => record.kind === 'decision');
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sandbox;
}

/** A bridge configuration for the sandbox with the given target; override what a test needs. */
export function bridgeConfig(sandbox: Sandbox, target: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    auth: { bearerTokenEnv: 'TEST_BRIDGE_TOKEN' },
    repository: { root: '.', runbooks: ['runbooks'], urlPrefixes: { 'https://runbooks.example.com/runbooks/': 'runbooks/' } },
    target,
    policy: { dedupTtl: '1h', cooldown: 0, maxRunsPerHour: 100, killSwitch: sandbox.killSwitch },
    state: sandbox.state,
    audit: sandbox.audit,
    dispatchTimeout: '5s',
    ...overrides,
  };
}

export const TEST_TOKEN = 'test-bridge-token-1234';
export const TEST_ENV = { ...process.env, TEST_BRIDGE_TOKEN: TEST_TOKEN, TEST_GITHUB_TOKEN: 'gh-secret-token', TEST_GITLAB_TOKEN: 'gl-secret-token', TEST_HMAC_SECRET: 'hmac-secret' };

/** A runbook answering `alert` with a QUEUE input filled from the `queue` label. */
export function queueRunbook(alert: string, options: { automation?: string; environment?: string; extra?: string } = {}): string {
  return [
    '---',
    `title: Requeue ${alert}`,
    `environment: ${options.environment ?? 'local'}`,
    ...(options.automation ? [`automation: ${options.automation}`] : []),
    'inputs:',
    '  QUEUE: { description: the queue, pattern: "^[a-z][a-z0-9-]{1,30}$" }',
    '  LIMIT: { description: how many, type: number, default: 5, min: 1, max: 50 }',
    'alerts:',
    `  ${alert}:`,
    '    inputs:',
    '      QUEUE: "{{ labels.queue }}"',
    ...(options.extra ? [options.extra] : []),
    '---',
    `# Requeue for ${alert}`,
    '',
    '```bash',
    'echo "queue $QUEUE limit $LIMIT"',
    '```',
    '',
  ].join('\n');
}

/** A webhook payload (version 4) with the given alerts. */
export function payload(alerts: Array<{ name: string; labels?: Record<string, string>; annotations?: Record<string, string>; status?: 'firing' | 'resolved'; fingerprint?: string; startsAt?: string }>, groupKey = 'test-group'): Record<string, unknown> {
  return {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status: alerts.every((a) => a.status === 'resolved') ? 'resolved' : 'firing',
    receiver: 'bridge',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.test',
    alerts: alerts.map((alert, index) => ({
      status: alert.status ?? 'firing',
      labels: { alertname: alert.name, ...alert.labels },
      annotations: alert.annotations ?? {},
      startsAt: alert.startsAt ?? '2026-01-01T00:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.test/graph',
      fingerprint: alert.fingerprint ?? `fp-${alert.name}-${index}-${JSON.stringify(alert.labels ?? {})}`,
    })),
  };
}

/** POSTs a payload to the bridge's webhook. */
export async function postWebhook(url: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TEST_TOKEN}` }): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${url}/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // Kept as text.
  }
  return { status: response.status, json };
}

/** Installs Debian's prometheus-alertmanager when missing (as root, through scripts/provision.mjs). */
export function ensureAlertmanager(): string {
  if (existsSync(ALERTMANAGER_BIN)) return ALERTMANAGER_BIN;
  execFileSync(process.execPath, ['--input-type=module', '-e', "const p = await import('./scripts/provision.mjs'); p.ensureDebianPackages(['prometheus-alertmanager']);"], {
    cwd: PROJECT,
    stdio: 'inherit',
    timeout: 300_000,
  });
  if (!existsSync(ALERTMANAGER_BIN)) throw new Error(`prometheus-alertmanager was installed but ${ALERTMANAGER_BIN} is missing`);
  return ALERTMANAGER_BIN;
}

export interface Alertmanager {
  url: string;
  /** Posts alerts through Alertmanager's API v2, as Prometheus does. */
  postAlerts(alerts: Array<{ labels: Record<string, string>; annotations?: Record<string, string>; startsAt?: string; endsAt?: string }>): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

export interface AlertmanagerReceiver {
  name: string;
  url: string;
  /** The bearer token Alertmanager sends (http_config.authorization), if any. */
  token?: string;
  /** Alerts this receiver gets: a matcher such as `team="bad-auth"`. */
  matchers?: string[];
}

/**
 * Starts Alertmanager on a free loopback port with a configuration of its own: short group_wait and
 * group_interval so groups go out fast, and a repeat_interval that makes it re-send unchanged groups
 * every few seconds (what the bridge must deduplicate). Clustering is off (it would listen on all
 * interfaces).
 */
export async function startAlertmanager(receivers: AlertmanagerReceiver[], options: { groupBy?: string[]; repeatInterval?: string } = {}): Promise<Alertmanager> {
  const bin = ensureAlertmanager();
  const dir = mkdtempSync(join(tmpdir(), 'alertmanager-test-'));
  const port = await freePort();
  const [main, ...others] = receivers;
  const config = {
    route: {
      receiver: main.name,
      group_by: options.groupBy ?? ['alertname', 'queue'],
      group_wait: '200ms',
      group_interval: '1s',
      repeat_interval: options.repeatInterval ?? '2s',
      routes: others.map((receiver) => ({ receiver: receiver.name, matchers: receiver.matchers ?? [], continue: false })),
    },
    receivers: receivers.map((receiver) => ({
      name: receiver.name,
      webhook_configs: [
        {
          url: receiver.url,
          send_resolved: true,
          ...(receiver.token ? { http_config: { authorization: { type: 'Bearer', credentials: receiver.token } } } : {}),
        },
      ],
    })),
  };
  writeFileSync(join(dir, 'alertmanager.yml'), stringify(config));
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('Alertmanager to be ready', async () => {
      if (child.exitCode !== null) throw new Error(`Alertmanager exited: ${output}`);
      return (await fetch(`${url}/-/ready`)).ok;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    output: () => output,
    stop,
    async postAlerts(alerts) {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts.map((alert) => ({ annotations: {}, generatorURL: 'http://prometheus.test/graph', ...alert }))),
      });
      if (!response.ok) throw new Error(`Alertmanager refused the alerts: ${response.status} ${await response.text()}`);
    },
  };
}
