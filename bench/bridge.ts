// The alert bridge under load, on loopback only: 1,000 webhook posts of varied alerts (new firings
// that dispatch until the breaker opens, Alertmanager's repeats, resolutions, invalid label values,
// unknown alerts, groups of several alerts), 8 in flight at a time like a busy Alertmanager, from a
// client in a process of its own, after 100 warm-up posts. Every post must be answered 200 and
// every alert audited (0 lost); the figure is the p99 of the measured answer times. Baseline, for context: a bare node:http server that
// answers each post with 200, driven by the same client.
//   node out/bench/cases.js bridge              the bridge side (starts the client itself)
//   node out/bench/cases.js bridge-client <url> <token>

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { parseBridgeConfig, startBridge } from '../src/cli/bridge';

export const BRIDGE_POSTS = 1000;
const WARMUP_POSTS = 100;
const IN_FLIGHT = 8;
const TOKEN = 'bench-bridge-token';
const ALERTS = ['QueueStuck', 'PodCrashLooping', 'DiskFilling', 'CertExpiring', 'ReplicaLag'];

export interface BridgeLoad {
  ours: number[];
  /** Answer times of the posts that dispatched (each waits for the state's fsync and the fake GitHub). */
  dispatching: number[];
  baseline: number[];
  /** Posts sent, warm-up included. */
  posts: number;
  answered: number;
  alerts: number;
  audited: number;
  dispatched: number;
  dispatchRequests: number;
  /** The bridge process's CPU time per post (user + system), which does not depend on how busy the machine is. */
  cpuMsPerPost: number;
}

function runbook(alert: string): string {
  return [
    '---',
    `title: Answer ${alert}`,
    'environment: local',
    'automation: auto',
    'inputs:',
    '  TARGET: { description: what to act on, pattern: "^[a-z][a-z0-9-]{1,40}$" }',
    'alerts:',
    `  ${alert}:`,
    '    match: { severity: [warning, critical] }',
    '    inputs: { TARGET: "{{ labels.target }}" }',
    '---',
    `# Answer ${alert}`,
    '',
    '```bash',
    'echo "acting on $TARGET"',
    '```',
    '',
  ].join('\n');
}

/** A deterministic mix of payloads (a small linear congruential generator, so every run posts the same). */
function payloads(count: number): string[] {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const fired: Array<Record<string, unknown>> = [];
  const bodies: string[] = [];
  const alertOf = (name: string, target: string, status = 'firing', labels: Record<string, string> = {}) => ({
    status,
    labels: { alertname: name, target, severity: 'warning', ...labels },
    annotations: { summary: `${name} on ${target}` },
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: status === 'resolved' ? '2026-01-01T00:10:00Z' : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.bench/graph',
    fingerprint: `${name}-${target}`,
  });
  for (let i = 0; i < count; i++) {
    const r = random();
    const name = ALERTS[Math.floor(random() * ALERTS.length)];
    let alerts: Array<Record<string, unknown>>;
    if (r < 0.4 || fired.length === 0) alerts = [alertOf(name, `target-${i}`)];
    else if (r < 0.65) alerts = [fired[Math.floor(random() * fired.length)]];
    else if (r < 0.75) alerts = [{ ...fired[Math.floor(random() * fired.length)], status: 'resolved' }];
    else if (r < 0.85) alerts = [alertOf(name, `BAD target ${i}; rm -rf /`)];
    else if (r < 0.95) alerts = [alertOf(`Unknown${i % 7}`, `target-${i}`)];
    else alerts = [alertOf(name, `group-${i}-a`), alertOf(name, `group-${i}-b`), alertOf(name, `group-${i}-c`)];
    for (const alert of alerts) if (alert.status === 'firing') fired.push(alert);
    bodies.push(
      JSON.stringify({ version: '4', groupKey: `bench-${i}`, truncatedAlerts: 0, status: alerts[0].status, receiver: 'bridge', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am.bench', alerts }),
    );
  }
  return bodies;
}

export interface ClientResult {
  /** Answer times of the measured posts, in ms. */
  times: number[];
  /** Answer times of the measured posts that dispatched something. */
  dispatchTimes: number[];
  statuses: number[];
  /** Alerts posted in all, warm-up included. */
  alerts: number;
}

/** Posts `bodies`, IN_FLIGHT at a time; each answer's time and status, and whether it dispatched. */
async function post(url: string, token: string, bodies: string[]): Promise<{ times: number[]; statuses: number[]; dispatched: boolean[] }> {
  const times: number[] = new Array(bodies.length);
  const statuses: number[] = new Array(bodies.length);
  const dispatched: boolean[] = new Array(bodies.length).fill(false);
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const index = next++;
      const started = performance.now();
      try {
        const response = await fetch(`${url}/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: bodies[index] });
        const text = await response.text();
        statuses[index] = response.status;
        dispatched[index] = text.includes('"outcome":"dispatch"');
      } catch {
        statuses[index] = 0;
      }
      times[index] = performance.now() - started;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { times, statuses, dispatched };
}

/** The client: a warm-up of unknown alerts (connections, JIT), then the measured posts. */
export async function bridgeClient(url: string, token: string): Promise<ClientResult> {
  const warmup = payloads(WARMUP_POSTS).map((body) => body.replace(/"alertname":"/g, '"alertname":"Warmup').replace(/"groupKey":"bench-/g, '"groupKey":"warmup-'));
  const bodies = payloads(BRIDGE_POSTS);
  const warm = await post(url, token, warmup);
  const measured = await post(url, token, bodies);
  const count = (list: string[]) => list.reduce((sum, body) => sum + (JSON.parse(body) as { alerts: unknown[] }).alerts.length, 0);
  return {
    times: measured.times,
    dispatchTimes: measured.times.filter((_, index) => measured.dispatched[index]),
    statuses: [...warm.statuses, ...measured.statuses],
    alerts: count(warmup) + count(bodies),
  };
}

function runClient(url: string): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [process.argv[1], 'bridge-client', url, TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) reject(new Error(`the bridge bench client failed (exit ${code})`));
      else resolve(JSON.parse(line.slice('BENCH_RESULT '.length)));
    });
  });
}

/** Starts a fake GitHub API (answers 204) and the bridge in this process, then the client in another. */
export async function bridgeLoad(): Promise<BridgeLoad> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bridge-'));
  let dispatchRequests = 0;
  const github = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      dispatchRequests++;
      response.writeHead(204);
      response.end();
    });
  });
  const baseline = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"decisions":[]}\n');
    });
  });
  try {
    await new Promise<void>((done) => github.listen(0, '127.0.0.1', done));
    await new Promise<void>((done) => baseline.listen(0, '127.0.0.1', done));
    mkdirSync(join(dir, 'runbooks'));
    for (const alert of ALERTS) writeFileSync(join(dir, 'runbooks', `${alert.toLowerCase()}.runbook.md`), runbook(alert));
    const file = join(dir, 'bridge.yaml');
    const config = {
      listen: { host: '127.0.0.1', port: 0 },
      auth: { bearerTokenEnv: 'BENCH_BRIDGE_TOKEN' },
      repository: { root: '.', runbooks: ['runbooks'] },
      target: { type: 'github', api: `http://127.0.0.1:${(github.address() as AddressInfo).port}`, repository: 'bench/ops', tokenEnv: 'BENCH_GITHUB_TOKEN' },
      policy: { dedupTtl: '1h', cooldown: '10m', maxRunsPerHour: 100 },
    };
    writeFileSync(file, stringify(config));
    const bridge = await startBridge(parseBridgeConfig(stringify(config), file), { env: { BENCH_BRIDGE_TOKEN: TOKEN, BENCH_GITHUB_TOKEN: 'bench-github-token' } });
    let ours;
    let raw;
    let cpuMsPerPost = 0;
    try {
      raw = await runClient(`http://127.0.0.1:${(baseline.address() as AddressInfo).port}`);
      const cpu = process.cpuUsage();
      ours = await runClient(bridge.url);
      const used = process.cpuUsage(cpu);
      cpuMsPerPost = (used.user + used.system) / 1000 / (BRIDGE_POSTS + WARMUP_POSTS);
    } finally {
      await bridge.close();
    }
    const audit = readFileSync(join(dir, '.runbook-bridge', 'audit.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kind: string; outcome?: string; dispatch?: { ok: boolean } });
    const decisions = audit.filter((record) => record.kind === 'decision');
    return {
      ours: ours.times,
      dispatching: ours.dispatchTimes,
      baseline: raw.times,
      posts: ours.statuses.length,
      answered: ours.statuses.filter((status) => status === 200).length,
      alerts: ours.alerts,
      audited: decisions.length,
      dispatched: decisions.filter((d) => d.outcome === 'dispatch' && d.dispatch?.ok).length,
      dispatchRequests,
      cpuMsPerPost,
    };
  } finally {
    github.close();
    baseline.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The p-th percentile (nearest rank) of `values`. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
