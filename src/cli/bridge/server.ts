// The bridge's HTTP server (node:http, loopback by default): `POST /alertmanager` takes
// Alertmanager's webhooks, `GET /metrics` and `GET /healthz` show how it is doing. A webhook must be
// authenticated (a bearer token, or an HMAC of the body, compared in constant time), JSON, and
// small; then each alert is decided in src/core/alerts, the new state is saved, the dispatches go
// out, one audit line per alert is written, and only then is the webhook answered.

import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  applyChanges,
  breakerOpen,
  decidePayload,
  hasChanges,
  pruneState,
  readWebhookPayload,
  runsInLastHour,
  type BridgeState,
  type Decision,
  type RunbookCatalog,
  type WebhookPayload,
} from '../../core/alerts';
import { AuditLog, type AuditRecord, type DispatchResult } from './audit';
import { bridgeSecrets, secretEnvNames, type BridgeConfig } from './config';
import { GitHubDispatcher, GitLabDispatcher, type Dispatcher, type DispatchRequest } from './dispatch';
import { LocalRunDispatcher } from './localRun';
import { BridgeMetrics } from './metrics';
import { loadRunbooks } from './runbooks';
import { BridgeStateFile } from './stateFile';

export interface BridgeOptions {
  /** Where the secrets are read from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The runbook command for local runs when the configuration names none (the CLI passes its own). */
  cliCommand?: string[];
  /** The clock, for the tests of time-based rules. */
  now?: () => number;
  /** Start-up and warning messages. */
  log?: (message: string) => void;
}

export interface BridgeHandle {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Reads the runbooks again (the CLI calls it on SIGHUP). */
  reload(): Promise<void>;
  /** Resolves once every local run started so far has ended. */
  idle(): Promise<void>;
  /** Stops listening, finishes the requests in flight, stops local runs, closes the logs. */
  close(): Promise<void>;
}

export interface WebhookAnswer {
  decisions: Array<Pick<Decision, 'outcome' | 'rule' | 'reason' | 'runbook' | 'correlationId'> & { alert: string; fingerprint: string; dispatch?: DispatchResult }>;
}

/** How soon a change no dispatch depends on is saved. */
const STATE_SAVE_DELAY_MS = 1000;
/** How often what no rule needs any more is dropped from the state. */
const PRUNE_EVERY_MS = 10_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Equal strings, compared in constant time (both hashed first, so the lengths are equal too). */
export function constantTimeEqual(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The signature header's value for `body`: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}


function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `the body is larger than ${limit} bytes`));
        request.removeAllListeners('data');
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
  response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

class Bridge {
  private state!: BridgeState;
  private catalog!: RunbookCatalog;
  private readonly stateFile: BridgeStateFile;
  readonly audit: AuditLog;
  readonly metrics = new BridgeMetrics();
  private readonly dispatcher: Dispatcher;
  private readonly secrets: ReturnType<typeof bridgeSecrets>;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly inFlight = new Set<Promise<void>>();
  private prunedAt = 0;

  constructor(
    readonly config: BridgeConfig,
    options: BridgeOptions,
  ) {
    this.secrets = bridgeSecrets(config, options.env ?? process.env);
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.stateFile = new BridgeStateFile(config.state);
    this.audit = new AuditLog(config.audit);
    const target = config.target;
    const timeout = config.dispatchTimeoutMs;
    if (target.type === 'github') this.dispatcher = new GitHubDispatcher(target, this.secrets.targetToken as string, timeout);
    else if (target.type === 'gitlab') this.dispatcher = new GitLabDispatcher(target, this.secrets.targetToken as string, timeout);
    else {
      const command = target.command ?? options.cliCommand;
      if (!command) throw new Error(`${config.file}: target.command is needed for local runs (the runbook command, such as [node, dist/cli.js]).`);
      this.dispatcher = new LocalRunDispatcher({
        target,
        command,
        root: config.repository.root,
        withheld: secretEnvNames(config),
        onRunEnd: (record) => {
          this.audit.append(record).catch((error: Error) => this.log(`cannot write the audit log: ${error.message}`));
        },
      });
    }
  }

  async start(): Promise<void> {
    this.state = await this.stateFile.load();
    await this.reload();
  }

  async reload(): Promise<void> {
    const { catalog, skipped } = await loadRunbooks(this.config);
    this.catalog = catalog;
    for (const file of skipped) this.log(`skipped ${file}`);
    const answering = catalog.entries.filter((entry) => entry.alerts.rules.length > 0).length;
    this.log(`${catalog.entries.length} runbooks read, ${answering} with alerts:`);
  }

  track(work: Promise<void>): void {
    this.inFlight.add(work);
    work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const done = (status: number, body: unknown, headers?: Record<string, string>) => {
      this.metrics.request(['/alertmanager', '/metrics', '/healthz'].includes(path) ? path : 'other', status);
      send(response, status, body, headers);
    };
    try {
      if (path === '/alertmanager') {
        if (request.method !== 'POST') return done(405, { error: 'use POST' }, { allow: 'POST' });
        const answer = await this.webhook(request);
        return done(200, answer);
      }
      if (path === '/metrics' && request.method === 'GET') {
        this.updateGauges(existsSync(this.config.policy.killSwitch));
        return done(200, await this.metrics.text(), { 'content-type': this.metrics.contentType });
      }
      if (path === '/healthz' && request.method === 'GET') {
        const killSwitch = existsSync(this.config.policy.killSwitch);
        return done(200, { status: 'ok', runbooks: this.catalog.entries.length, breakerOpen: breakerOpen(this.state, this.config.policy, this.now()), killSwitch });
      }
      return done(404, { error: 'not found: POST /alertmanager, GET /metrics, GET /healthz' });
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const reason = error instanceof Error ? error.message : String(error);
      if (status === 500) this.log(`error on ${request.method} ${path}: ${reason}`);
      await this.audit.append({ kind: 'refused', time: new Date().toISOString(), status, reason, remote: request.socket.remoteAddress }).catch(() => undefined);
      const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
      if (status === 413) headers.connection = 'close';
      return done(status, { error: reason }, headers);
    }
  }

  private bearerAccepted(header: string | undefined): boolean {
    const token = this.secrets.bearerToken;
    if (!token || !header) return false;
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    return !!match && constantTimeEqual(match[1], token);
  }

  private async webhook(request: IncomingMessage): Promise<WebhookAnswer> {
    const bearer = this.bearerAccepted(request.headers.authorization);
    if (!bearer && !this.secrets.hmacSecret) throw new HttpError(401, 'a valid bearer token is required');
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') throw new HttpError(415, `the body must be application/json, not ${type || 'untyped'}`);
    const length = Number(request.headers['content-length']);
    if (Number.isFinite(length) && length > this.config.maxBodyBytes) throw new HttpError(413, `the body is larger than ${this.config.maxBodyBytes} bytes`);
    const body = await readBody(request, this.config.maxBodyBytes);
    if (!bearer) {
      const header = request.headers[this.config.auth.hmacHeader.toLowerCase()];
      const signature = Array.isArray(header) ? header[0] : header;
      if (!signature || !constantTimeEqual(signature.trim(), signBody(this.secrets.hmacSecret as string, body))) {
        throw new HttpError(401, `a valid bearer token or ${this.config.auth.hmacHeader} signature is required`);
      }
    }
    let data: unknown;
    try {
      data = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new HttpError(400, `the body is not JSON: ${(error as Error).message}`);
    }
    const read = readWebhookPayload(data);
    if (!read.ok) throw new HttpError(400, `not an Alertmanager webhook payload: ${read.reason}`);
    return this.process(read.payload);
  }

  private updateGauges(killSwitch: boolean): void {
    const now = this.now();
    this.metrics.policyState(breakerOpen(this.state, this.config.policy, now), runsInLastHour(this.state, now), killSwitch);
  }

  private async process(payload: WebhookPayload): Promise<WebhookAnswer> {
    // A stat on every webhook, so the kill switch holds from the moment the file appears.
    const killSwitch = existsSync(this.config.policy.killSwitch);
    const now = this.now();
    if (now - this.prunedAt > PRUNE_EVERY_MS) {
      this.state = pruneState(this.state, this.config.policy, now);
      this.prunedAt = now;
    }
    // Deciding is synchronous, so concurrent webhooks see each other's state: no lock needed.
    const { decisions, changes } = decidePayload(payload, {
      catalog: this.catalog,
      state: this.state,
      policy: this.config.policy,
      target: this.dispatcher.target,
      killSwitch,
      now,
      correlationId: () => `alert-${randomUUID()}`,
      productionEnvironments: this.config.policy.productionEnvironments,
    });
    applyChanges(this.state, changes);
    const state = this.state;
    const recorded = hasChanges(changes);
    this.metrics.decided(decisions);
    this.updateGauges(killSwitch);
    // A dispatch is saved before it goes out: after a crash the alert is a duplicate, never a second
    // run. What else was recorded is saved shortly after; lost in a crash, it is only decided again.
    if (decisions.some((decision) => decision.outcome === 'dispatch')) await this.stateFile.save(state);
    else if (recorded) this.stateFile.saveSoon(state, STATE_SAVE_DELAY_MS, (error) => this.log(`cannot save the state: ${error.message}`));
    const results = await Promise.all(decisions.map((decision) => (decision.outcome === 'dispatch' ? this.dispatch(decision) : undefined)));
    const time = new Date().toISOString();
    const records: AuditRecord[] = decisions.map((decision, index) => {
      const record: AuditRecord = { kind: 'decision', time, ...decision };
      if (results[index]) record.dispatch = results[index];
      return record;
    });
    await this.audit.append(...records);
    return {
      decisions: decisions.map((decision, index) => ({
        alert: decision.alert.name,
        fingerprint: decision.alert.fingerprint,
        outcome: decision.outcome,
        rule: decision.rule,
        reason: decision.reason,
        runbook: decision.runbook,
        correlationId: decision.correlationId,
        dispatch: results[index],
      })),
    };
  }

  private async dispatch(decision: Decision): Promise<DispatchResult> {
    const entry = this.catalog.get(decision.runbook as string);
    const started = performance.now();
    let result: DispatchResult;
    if (!entry) result = { ok: false, id: decision.correlationId, error: 'the runbook is no longer in the catalog', durationMs: 0 };
    else {
      try {
        result = await this.dispatcher.dispatch({ decision: decision as DispatchRequest['decision'], entry });
      } catch (error) {
        result = { ok: false, id: decision.correlationId, error: (error as Error).message, durationMs: performance.now() - started };
      }
    }
    result.durationMs = Math.round(result.durationMs * 100) / 100;
    this.metrics.dispatchDone(this.dispatcher.target, result.ok, (performance.now() - started) / 1000);
    if (!result.ok) this.log(`dispatch of ${decision.runbook} for ${decision.alert.name} failed: ${result.error}`);
    return result;
  }

  async closeDispatcher(): Promise<void> {
    await this.dispatcher.close();
    await this.stateFile.flush();
  }

  idle(): Promise<void> {
    return this.dispatcher instanceof LocalRunDispatcher ? this.dispatcher.idle() : Promise.resolve();
  }
}

/** Starts the bridge: loads the state and the runbooks, then listens. */
export async function startBridge(config: BridgeConfig, options: BridgeOptions = {}): Promise<BridgeHandle> {
  const bridge = new Bridge(config, options);
  await bridge.start();
  const server: Server = createServer((request, response) => {
    bridge.track(bridge.handle(request, response));
  });
  // Slow or stuck clients do not hold a connection for ever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  await bridge.audit.append({ kind: 'bridge', time: new Date().toISOString(), event: 'start', message: `listening on ${url}, target ${config.target.type}` });
  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    reload: async () => {
      await bridge.reload();
      await bridge.audit.append({ kind: 'bridge', time: new Date().toISOString(), event: 'reload', message: 'runbooks read again' });
    },
    idle: () => bridge.idle(),
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await bridge.drain();
        server.closeAllConnections();
        await closed;
        await bridge.closeDispatcher();
        await bridge.audit.append({ kind: 'bridge', time: new Date().toISOString(), event: 'stop', message: 'stopped' });
        await bridge.audit.close();
      })()),
  };
}
