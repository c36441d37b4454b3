// The bridge behind a real Alertmanager (Debian's prometheus-alertmanager 0.25, installed when
// missing): alerts are posted to Alertmanager's API v2 as Prometheus does, Alertmanager groups them
// and delivers its webhooks (re-sending each group every couple of seconds), and a fake GitHub API
// records what the bridge dispatched.

import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { loadBridgeConfig, startBridge, type BridgeHandle } from '../../src/cli/bridge';
import {
  bridgeConfig,
  ensureAlertmanager,
  freePort,
  makeSandbox,
  queueRunbook,
  sleep,
  startAlertmanager,
  startFakeApi,
  TEST_ENV,
  TEST_TOKEN,
  waitFor,
  type Alertmanager,
  type FakeApi,
  type Sandbox,
} from './harness';

describe('bridge behind a real Alertmanager', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let github: FakeApi;
  let bridge: BridgeHandle | undefined;
  let alertmanager: Alertmanager | undefined;
  let port: number;

  before(function () {
    this.timeout(320_000);
    // Installs prometheus-alertmanager when missing (apt-get, as root).
    ensureAlertmanager();
  });

  async function startAll(
    policy: Record<string, unknown> = {},
    receivers: Array<{ name: string; token?: string; matchers?: string[] }> = [{ name: 'bridge', token: TEST_TOKEN }],
    groupBy?: string[],
  ) {
    port = await freePort();
    sandbox.writeConfig(
      bridgeConfig(
        sandbox,
        { type: 'github', api: github.url, repository: 'acme/ops', tokenEnv: 'TEST_GITHUB_TOKEN' },
        { listen: { host: '127.0.0.1', port }, policy: { dedupTtl: '1h', cooldown: 0, maxRunsPerHour: 100, killSwitch: sandbox.killSwitch, ...policy } },
      ),
    );
    bridge = await startBridge(loadBridgeConfig(sandbox.configFile), { env: TEST_ENV });
    alertmanager = await startAlertmanager(
      receivers.map((receiver) => ({ ...receiver, url: `${bridge!.url}/alertmanager` })),
      { groupBy },
    );
  }

  const queuesDispatched = () => github.requests.map((r) => (r.body as { inputs: { QUEUE: string } }).inputs.QUEUE).sort();
  const decisionsFor = (queue: string) => sandbox.decisions().filter((d) => (d.alert as { labels: Record<string, string> }).labels.queue === queue);

  beforeEach(async () => {
    sandbox = makeSandbox();
    github = await startFakeApi('github');
    sandbox.writeRunbook('runbooks/requeue.runbook.md', queueRunbook('QueueStuck', { automation: 'auto' }));
  });

  afterEach(async () => {
    await alertmanager?.stop();
    alertmanager = undefined;
    await bridge?.close();
    bridge = undefined;
    await github.close();
    sandbox.remove();
  });

  it('dispatches once per firing group, drops the repeats Alertmanager sends, ignores the resolution', async () => {
    await startAll();
    const am = alertmanager!;
    await am.postAlerts([
      { labels: { alertname: 'QueueStuck', queue: 'emails', severity: 'warning' } },
      { labels: { alertname: 'QueueStuck', queue: 'invoices', severity: 'warning' } },
    ]);
    await waitFor('two dispatches', () => github.requests.length >= 2);
    // Alertmanager re-sends each group every repeat_interval: wait until both were re-sent.
    await waitFor('repeats of both groups', () => ['emails', 'invoices'].every((queue) => decisionsFor(queue).some((d) => d.rule === 'duplicate')), 20_000);
    assert.deepEqual(queuesDispatched(), ['emails', 'invoices']);
    // Resolve one: Alertmanager sends it as resolved, and it never dispatches.
    await am.postAlerts([{ labels: { alertname: 'QueueStuck', queue: 'emails', severity: 'warning' }, endsAt: new Date(Date.now() - 1000).toISOString() }]);
    await waitFor('the resolved notification', () => decisionsFor('emails').some((d) => d.rule === 'resolved'), 20_000);
    assert.deepEqual(queuesDispatched(), ['emails', 'invoices']);
    const resolved = decisionsFor('emails').find((d) => d.rule === 'resolved')!;
    assert.equal(resolved.outcome, 'ignored');
    assert.equal((resolved.alert as { status: string }).status, 'resolved');
  });

  it('dispatches once for a group whose alerts all start the same runbook with the same inputs', async () => {
    await startAll({}, undefined, ['alertname']);
    await alertmanager!.postAlerts(['web-1', 'web-2', 'web-3'].map((pod) => ({ labels: { alertname: 'QueueStuck', queue: 'emails', pod } })));
    await waitFor('the group\'s three decisions', () => sandbox.decisions().length >= 3);
    const first = sandbox.decisions().slice(0, 3);
    assert.equal(new Set(first.map((d) => d.groupKey)).size, 1, 'one notification for the group');
    assert.deepEqual(first.map((d) => d.rule).sort(), ['ok', 'same-target', 'same-target']);
    assert.deepEqual(queuesDispatched(), ['emails']);
  });

  it('rejects invalid label values with an audit line, and logs unknown alerts', async () => {
    await startAll();
    await alertmanager!.postAlerts([
      { labels: { alertname: 'QueueStuck', queue: 'x; rm -rf /' } },
      { labels: { alertname: 'DiskFull', instance: 'db-1' }, annotations: { runbook_url: 'https://runbooks.example.com/runbooks/disk-full' } },
    ]);
    const rejected = await waitFor('the rejection', () => sandbox.decisions().find((d) => d.outcome === 'rejected'));
    assert.equal(rejected.rule, 'invalid-input');
    assert.match(String(rejected.reason), /"x; rm -rf \/" for QUEUE is refused: does not match the pattern/);
    assert.equal(rejected.runbook, 'runbooks/requeue.runbook.md');
    const unknown = await waitFor('the unknown alert', () => sandbox.decisions().find((d) => (d.alert as { name: string }).name === 'DiskFull'));
    assert.equal(unknown.outcome, 'unmatched');
    assert.match(String(unknown.reason), /runbook_url https:\/\/runbooks\.example\.com\/runbooks\/disk-full names no runbook/);
    await sleep(2500);
    assert.equal(github.requests.length, 0);
  });

  it('refuses an Alertmanager receiver that sends no credentials', async () => {
    await startAll({}, [
      { name: 'bridge', token: TEST_TOKEN },
      { name: 'no-credentials', matchers: ['team="noauth"'] },
    ]);
    await alertmanager!.postAlerts([{ labels: { alertname: 'QueueStuck', queue: 'sneaky', team: 'noauth' } }]);
    await waitFor('a refused delivery', () => sandbox.auditRecords().some((r) => r.kind === 'refused' && r.status === 401));
    const metrics = await (await fetch(`${bridge!.url}/metrics`)).text();
    assert.match(metrics, /runbook_bridge_requests_total\{path="\/alertmanager",code="401"\} [1-9]/);
    assert.equal(sandbox.decisions().length, 0);
    assert.equal(github.requests.length, 0);
  });

  it('honours the breaker: past the hourly limit alerts only notify', async () => {
    await startAll({ maxRunsPerHour: 2 });
    await alertmanager!.postAlerts(['q-one', 'q-two', 'q-three'].map((queue) => ({ labels: { alertname: 'QueueStuck', queue } })));
    await waitFor('three decisions', () => new Set(sandbox.decisions().map((d) => (d.alert as { labels: { queue: string } }).labels.queue)).size >= 3);
    assert.equal(github.requests.length, 2);
    const held = sandbox.decisions().filter((d) => d.rule === 'breaker');
    assert.equal(held.length, 1);
    assert.equal(held[0].outcome, 'notify');
    assert.match(await (await fetch(`${bridge!.url}/metrics`)).text(), /runbook_bridge_breaker_open 1/);
  });

  it('honours the kill switch: while the file exists nothing is dispatched', async () => {
    writeFileSync(sandbox.killSwitch, 'incident in progress\n');
    await startAll();
    await alertmanager!.postAlerts([{ labels: { alertname: 'QueueStuck', queue: 'emails' } }]);
    const held = await waitFor('the held decision', () => sandbox.decisions().find((d) => d.rule === 'kill-switch'));
    assert.equal(held.outcome, 'notify');
    await sleep(2500);
    assert.equal(github.requests.length, 0);
  });

  it('keeps the dedup state across a restart: Alertmanager\'s repeats after it dispatch nothing', async () => {
    await startAll();
    await alertmanager!.postAlerts([{ labels: { alertname: 'QueueStuck', queue: 'emails' } }]);
    await waitFor('the dispatch', () => github.requests.length === 1);
    await bridge!.close();
    const before = sandbox.decisions().length;
    // A new bridge on the same port, with the same state file; Alertmanager keeps re-sending.
    bridge = await startBridge(loadBridgeConfig(sandbox.configFile), { env: TEST_ENV });
    assert.equal(bridge.port, port);
    await waitFor('a repeat after the restart', () => sandbox.decisions().slice(before).some((d) => d.rule === 'duplicate'), 20_000);
    assert.equal(github.requests.length, 1);
  });
});
