// The bridge's HTTP server as a real server on loopback, with fake GitHub and GitLab APIs that
// record what was dispatched, a stand-in `runbook` command for local runs, and the bridge as its
// own process for the crash test. (test/bridge/alertmanager.test.ts drives it from a real Alertmanager.)

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBridgeConfig, runBridge, signBody, startBridge, type BridgeHandle } from '../../src/cli/bridge';
import {
  bridgeConfig,
  makeSandbox,
  payload,
  postWebhook,
  PROJECT,
  queueRunbook,
  startFakeApi,
  TEST_ENV,
  TEST_TOKEN,
  waitFor,
  type FakeApi,
  type Sandbox,
} from './harness';

const RUNBOOK = 'runbooks/requeue.runbook.md';

describe('bridge server', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let github: FakeApi;
  let bridge: BridgeHandle | undefined;

  async function start(overrides: Record<string, unknown> = {}, target: Record<string, unknown> = { type: 'github', api: github.url, repository: 'acme/ops', ref: 'main', tokenEnv: 'TEST_GITHUB_TOKEN' }) {
    sandbox.writeConfig(bridgeConfig(sandbox, target, overrides));
    bridge = await startBridge(loadBridgeConfig(sandbox.configFile), { env: TEST_ENV });
    return bridge;
  }

  beforeEach(async () => {
    sandbox = makeSandbox();
    github = await startFakeApi('github');
    sandbox.writeRunbook(RUNBOOK, queueRunbook('QueueStuck', { automation: 'auto' }));
  });

  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
    await github.close();
    sandbox.remove();
  });

  describe('webhook requests', () => {
    it('refuses posts without a valid bearer token (401) and audits the refusal', async () => {
      const { url } = await start();
      const body = payload([{ name: 'QueueStuck', labels: { queue: 'emails' } }]);
      assert.equal((await postWebhook(url, body, {})).status, 401);
      assert.equal((await postWebhook(url, body, { authorization: 'Bearer wrong' })).status, 401);
      assert.equal((await postWebhook(url, body, { authorization: `Basic ${TEST_TOKEN}` })).status, 401);
      assert.equal(github.requests.length, 0);
      assert.equal(sandbox.decisions().length, 0);
      assert.equal(sandbox.auditRecords().filter((r) => r.kind === 'refused' && r.status === 401).length, 3);
      assert.equal((await postWebhook(url, body)).status, 200);
      assert.equal(github.requests.length, 1);
    });

    it('accepts an HMAC signature of the body instead, compared against the secret', async () => {
      const { url } = await start({ auth: { hmacSecretEnv: 'TEST_HMAC_SECRET', hmacHeader: 'X-Signature' } });
      const text = JSON.stringify(payload([{ name: 'QueueStuck', labels: { queue: 'emails' } }]));
      assert.equal((await postWebhook(url, text, { 'x-signature': signBody('hmac-secret', text) })).status, 200);
      assert.equal((await postWebhook(url, text, { 'x-signature': signBody('other-secret', text) })).status, 401);
      assert.equal((await postWebhook(url, `${text} `, { 'x-signature': signBody('hmac-secret', text) })).status, 401, 'a changed body');
      assert.equal((await postWebhook(url, text, { authorization: `Bearer ${TEST_TOKEN}` })).status, 401, 'no bearer token configured');
      assert.equal(github.requests.length, 1);
    });

    it('caps the body (413), takes only JSON (415) and says what is wrong with a bad payload (400)', async () => {
      const { url } = await start({ maxBodyBytes: 2048 });
      const big = JSON.stringify(payload([{ name: 'QueueStuck', labels: { queue: 'emails', filler: 'x'.repeat(4000) } }]));
      const tooBig = await postWebhook(url, big);
      assert.equal(tooBig.status, 413);
      // Without a length up front (chunked), the cap still holds while reading.
      const chunked = await fetch(`${url}/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(big));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      assert.equal(chunked.status, 413);
      const text = await fetch(`${url}/alertmanager`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${TEST_TOKEN}` }, body: '{}' });
      assert.equal(text.status, 415);
      const notJson = await postWebhook(url, '{ nope');
      assert.equal(notJson.status, 400);
      assert.match((notJson.json as { error: string }).error, /not JSON/);
      const wrongVersion = await postWebhook(url, { ...payload([]), version: '3' });
      assert.equal(wrongVersion.status, 400);
      assert.match((wrongVersion.json as { error: string }).error, /version must be "4"/);
      assert.equal((await fetch(`${url}/alertmanager`)).status, 405);
      assert.equal((await fetch(`${url}/elsewhere`)).status, 404);
      assert.equal(github.requests.length, 0);
    });
  });

  describe('dispatch', () => {
    it('sends GitHub a workflow_dispatch with the inputs and the correlation id the audit line names', async () => {
      const { url } = await start();
      const answer = await postWebhook(url, payload([{ name: 'QueueStuck', labels: { queue: 'emails' } }]));
      assert.equal(answer.status, 200);
      assert.equal(github.requests.length, 1);
      const [request] = github.requests;
      assert.equal(request.path, '/repos/acme/ops/actions/workflows/runbook-requeue.yml/dispatches');
      assert.equal(request.headers.authorization, 'Bearer gh-secret-token');
      const body = request.body as { ref: string; inputs: Record<string, string> };
      assert.equal(body.ref, 'main');
      assert.equal(body.inputs.QUEUE, 'emails');
      const [decision] = sandbox.decisions();
      assert.equal(decision.outcome, 'dispatch');
      assert.equal(decision.correlationId, body.inputs.correlation_id);
      assert.deepEqual(decision.inputs, { QUEUE: 'emails' });
      const dispatch = decision.dispatch as { ok: boolean; url: string; id: string };
      assert.equal(dispatch.ok, true);
      assert.equal(dispatch.id, body.inputs.correlation_id);
      assert.match(dispatch.url, /\/acme\/ops\/actions\/workflows\/runbook-requeue\.yml$/);
      assert.equal(readFileSync(sandbox.audit, 'utf8').includes('gh-secret-token'), false, 'no token in the audit log');
    });

    it("creates a GitLab pipeline whose variables name the runbook's job and carry its inputs and the correlation id", async () => {
      const gitlab = await startFakeApi('gitlab');
      try {
        sandbox.writeRunbook(RUNBOOK, queueRunbook('QueueStuck', { automation: 'auto', extra: '      LIMIT: "{{ labels.limit }}"' }));
        const { url } = await start({}, { type: 'gitlab', api: gitlab.url, project: 'group/ops', ref: 'main', tokenEnv: 'TEST_GITLAB_TOKEN' });
        assert.equal((await postWebhook(url, payload([{ name: 'QueueStuck', labels: { queue: 'emails', limit: '7' } }]))).status, 200);
        assert.equal(gitlab.requests.length, 1);
        const [request] = gitlab.requests;
        assert.equal(request.path, '/api/v4/projects/group%2Fops/pipeline');
        assert.equal(request.headers['private-token'], 'gl-secret-token');
        // GitLab's create-pipeline body: the ref and pipeline variables (strings), no include inputs,
        // which are fixed where .gitlab-ci.yml includes the runbook's file.
        const body = request.body as { ref: string; variables: Array<{ key: string; value: string }>; inputs?: unknown };
        assert.deepEqual(Object.keys(body).sort(), ['ref', 'variables']);
        assert.equal(body.ref, 'main');
        const [decision] = sandbox.decisions();
        assert.deepEqual(body.variables, [
          { key: 'RUNBOOK', value: 'requeue' },
          { key: 'QUEUE', value: 'emails' },
          { key: 'LIMIT', value: '7' },
          { key: 'RUNBOOK_CORRELATION_ID', value: decision.correlationId },
        ]);
        assert.match(String(decision.correlationId), /^alert-/);
        const dispatch = decision.dispatch as { engineId: string; url: string };
        assert.equal(dispatch.engineId, '1000');
        assert.equal(dispatch.url, 'http://gitlab.test/group/project/-/pipelines/1000');
      } finally {
        await gitlab.close();
      }
    });

    it('has a fake GitLab API that refuses the bodies GitLab refuses (the check above can fail)', async () => {
      const gitlab = await startFakeApi('gitlab');
      try {
        const send = async (body: unknown) => (await fetch(`${gitlab.url}/projects/1/pipeline`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status;
        assert.equal(await send({ ref: 'main', variables: [{ key: 'RUNBOOK', value: 'requeue' }] }), 201);
        assert.equal(await send({ ref: 'main', inputs: { QUEUE: 'emails' } }), 400, 'include inputs the project does not declare');
        assert.equal(await send({ variables: [{ key: 'RUNBOOK', value: 'requeue' }] }), 400, 'no ref');
        assert.equal(await send({ ref: 'main', variables: { RUNBOOK: 'requeue' } }), 400, 'variables as a map');
        assert.equal(await send({ ref: 'main', variables: [{ key: 'LIMIT', value: 7 }] }), 400, 'a value that is not a string');
      } finally {
        await gitlab.close();
      }
    });

    it('dispatches exactly once when the same notification arrives many times at once', async () => {
      const { url } = await start();
      const body = payload([{ name: 'QueueStuck', labels: { queue: 'emails' } }]);
      const answers = await Promise.all(Array.from({ length: 25 }, () => postWebhook(url, body)));
      assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
      assert.equal(github.requests.length, 1);
      const outcomes = sandbox.decisions().map((d) => d.outcome);
      assert.equal(outcomes.length, 25);
      assert.equal(outcomes.filter((o) => o === 'dispatch').length, 1);
      assert.equal(outcomes.filter((o) => o === 'deduplicated').length, 24);
    });

    it('audits a failed dispatch and does not retry it when the alert is re-sent', async () => {
      const { url } = await start();
      github.status = 500;
      await postWebhook(url, payload([{ name: 'QueueStuck', labels: { queue: 'emails' } }]));
      github.status = 204;
      await postWebhook(url, payload([{ name: 'QueueStuck', labels: { queue: 'emails' } }]));
      assert.equal(github.requests.length, 1);
      const [failed, repeat] = sandbox.decisions();
      assert.deepEqual(failed.dispatch && { ok: (failed.dispatch as { ok: boolean }).ok, status: (failed.dispatch as { status: number }).status }, { ok: false, status: 500 });
      assert.match(String((failed.dispatch as { error: string }).error), /HTTP 500: the fake API was told to fail/);
      assert.equal(repeat.rule, 'duplicate');
      const metrics = await (await fetch(`${url}/metrics`)).text();
      assert.match(metrics, /runbook_bridge_dispatch_failures_total\{target="github"\} 1/);
    });

    it('honours the kill switch file as soon as it appears, and stops honouring it once removed', async () => {
      const { url } = await start();
      writeFileSync(sandbox.killSwitch, 'incident #42: hands off\n');
      await postWebhook(url, payload([{ name: 'QueueStuck', labels: { queue: 'emails' } }]));
      assert.equal(github.requests.length, 0);
      assert.equal(sandbox.decisions()[0].rule, 'kill-switch');
      assert.equal(((await (await fetch(`${url}/healthz`)).json()) as { killSwitch: boolean }).killSwitch, true);
      const { rmSync } = await import('node:fs');
      rmSync(sandbox.killSwitch);
      await postWebhook(url, payload([{ name: 'QueueStuck', labels: { queue: 'invoices' } }]));
      assert.equal(github.requests.length, 1);
    });

    it('reports its counters, breaker and latency on /metrics and its health on /healthz', async () => {
      const { url } = await start({ policy: { maxRunsPerHour: 1, cooldown: 0, killSwitch: sandbox.killSwitch } });
      await postWebhook(
        url,
        payload([
          { name: 'QueueStuck', labels: { queue: 'emails' } },
          { name: 'QueueStuck', labels: { queue: 'BAD QUEUE' } },
          { name: 'QueueStuck', labels: { queue: 'invoices' } },
          { name: 'Unknown' },
          { name: 'QueueStuck', labels: { queue: 'sms' }, status: 'resolved' },
        ]),
      );
      await postWebhook(url, payload([{ name: 'QueueStuck', labels: { queue: 'emails' } }]));
      const response = await fetch(`${url}/metrics`);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      const metrics = await response.text();
      for (const line of [
        'runbook_bridge_alerts_received_total 6',
        'runbook_bridge_alerts_dispatched_total{target="github"} 1',
        'runbook_bridge_alerts_rejected_total 1',
        'runbook_bridge_alerts_deduplicated_total 1',
        'runbook_bridge_decisions_total{outcome="notify",rule="breaker"} 1',
        'runbook_bridge_decisions_total{outcome="unmatched",rule="no-runbook"} 1',
        'runbook_bridge_decisions_total{outcome="ignored",rule="resolved"} 1',
        'runbook_bridge_breaker_open 1',
        'runbook_bridge_runs_last_hour 1',
        'runbook_bridge_dispatch_duration_seconds_count{target="github"} 1',
        'runbook_bridge_requests_total{path="/alertmanager",code="200"} 2',
      ]) {
        assert.ok(metrics.includes(line), `${line} in\n${metrics}`);
      }
      const health = (await (await fetch(`${url}/healthz`)).json()) as Record<string, unknown>;
      assert.deepEqual(health, { status: 'ok', runbooks: 1, breakerOpen: true, killSwitch: false });
    });
  });

  describe('local runs', () => {
    it('start the runbook command as a process with the inputs as arguments, without the bridge\'s secrets', async () => {
      const record = join(sandbox.dir, 'standin.jsonl');
      process.env.STANDIN_RECORD = record;
      process.env.STANDIN_ENV_NAMES = 'TEST_BRIDGE_TOKEN,RUNBOOK_WHERE,RUNBOOK_RUN_ID,QUEUE';
      try {
        const history = join(sandbox.dir, 'history.jsonl');
        const handle = await start({}, { type: 'local', command: [process.execPath, join(PROJECT, 'test/bridge/children/standinCli.mjs')], history, logs: join(sandbox.dir, 'runs') });
        await postWebhook(handle.url, payload([{ name: 'QueueStuck', labels: { queue: 'emails' } }, { name: 'QueueStuck', labels: { queue: '$(touch pwned)' } }]));
        await handle.idle();
        const runs = readFileSync(record, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { argv: string[]; cwd: string; env: Record<string, string | null> });
        assert.equal(runs.length, 1, 'the hostile value was refused, not run');
        const [run] = runs;
        assert.deepEqual(run.argv, ['run', RUNBOOK, '--input', 'QUEUE=emails', '--skip-manual', '--reporter', 'jsonl', '--history', history, '--yes']);
        assert.equal(run.cwd, sandbox.dir);
        const decisions = sandbox.decisions();
        assert.deepEqual(run.env, { TEST_BRIDGE_TOKEN: null, RUNBOOK_WHERE: 'alert', RUNBOOK_RUN_ID: decisions[0].correlationId, QUEUE: null });
        assert.equal(decisions[1].outcome, 'rejected');
        const end = await waitFor('the run-end audit line', () => sandbox.auditRecords().find((r) => r.kind === 'run-end'));
        assert.equal(end.exitCode, 0);
        assert.equal(end.correlationId, decisions[0].correlationId);
        assert.match(readFileSync(String(end.log), 'utf8'), /"type":"run-end"/);
        assert.equal(existsSync(join(sandbox.dir, 'pwned')), false);
      } finally {
        delete process.env.STANDIN_RECORD;
        delete process.env.STANDIN_ENV_NAMES;
      }
    });

    it('never runs an approve runbook locally: nothing would hold it for the approval', async () => {
      sandbox.writeRunbook(RUNBOOK, queueRunbook('QueueStuck', { automation: 'approve', environment: 'production' }));
      const handle = await start({}, { type: 'local', command: [process.execPath, join(PROJECT, 'test/bridge/children/standinCli.mjs')] });
      await postWebhook(handle.url, payload([{ name: 'QueueStuck', labels: { queue: 'emails' } }]));
      await handle.idle();
      const [decision] = sandbox.decisions();
      assert.deepEqual([decision.outcome, decision.rule], ['notify', 'approve-local']);
    });
  });

  describe('restarts', () => {
    it('never dispatches an alert twice, even when the bridge is killed (SIGKILL) while alerts pour in', async () => {
      sandbox.writeConfig(bridgeConfig(sandbox, { type: 'github', api: github.url, repository: 'acme/ops', tokenEnv: 'TEST_GITHUB_TOKEN' }, { listen: { host: '127.0.0.1', port: 0 } }));
      const alerts = Array.from({ length: 40 }, (_, i) => payload([{ name: 'QueueStuck', labels: { queue: `queue-${i}` } }], `group-${i}`));
      const runOnce = async (killAfter?: number) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT, 'test/bridge/children/bridgeProcess.ts'), '--config', sandbox.configFile], { env: TEST_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        try {
          const url = (await waitFor('the bridge to listen', () => /listening on (http:\/\/[\d.:]+)/.exec(output)?.[1], 20_000)) as string;
          let posted = 0;
          for (const body of alerts) {
            if (killAfter !== undefined && posted === killAfter) child.kill('SIGKILL');
            try {
              await postWebhook(url, body);
            } catch {
              // The bridge is gone: the rest are lost, as Alertmanager would retry them.
            }
            posted++;
          }
        } finally {
          child.kill('SIGKILL');
          await exited;
        }
      };
      await runOnce(5 + Math.floor(Math.random() * 30));
      const before = github.requests.length;
      assert.ok(before > 0 && before < alerts.length, `dispatched ${before} before the crash`);
      await runOnce();
      const queues = github.requests.map((r) => (r.body as { inputs: { QUEUE: string } }).inputs.QUEUE);
      assert.equal(new Set(queues).size, queues.length, `an alert was dispatched twice: ${queues.join(' ')}`);
      assert.equal(queues.length, alerts.length, 'after the restart every alert not decided before is dispatched');
    });
  });

  it('saves on close what it decided but did not dispatch, so a new bridge knows it', async () => {
    const first = await start();
    await postWebhook(first.url, payload([{ name: 'Unknown' }, { name: 'QueueStuck', labels: { queue: 'BAD QUEUE' } }]));
    await first.close();
    bridge = await startBridge(loadBridgeConfig(sandbox.configFile), { env: TEST_ENV });
    await postWebhook(bridge.url, payload([{ name: 'Unknown' }, { name: 'QueueStuck', labels: { queue: 'BAD QUEUE' } }]));
    assert.deepEqual(sandbox.decisions().map((d) => d.rule), ['no-runbook', 'invalid-input', 'duplicate', 'duplicate']);
  });

  describe('runbook bridge explain', () => {
    it('prints the decisions for a payload and changes nothing', async () => {
      sandbox.writeConfig(bridgeConfig(sandbox, { type: 'github', api: github.url, repository: 'acme/ops', tokenEnv: 'TEST_GITHUB_TOKEN' }));
      const file = join(sandbox.dir, 'payload.json');
      writeFileSync(file, JSON.stringify(payload([{ name: 'QueueStuck', labels: { queue: 'emails' } }, { name: 'QueueStuck', labels: { queue: 'NOT OK' } }, { name: 'Nobody' }])));
      let stdout = '';
      let stderr = '';
      const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
      assert.equal(await runBridge(['explain', '--config', sandbox.configFile, file], io), 0, stderr);
      assert.match(stdout, /firing QueueStuck .*\n {2}runbook: {2}runbooks\/requeue\.runbook\.md, automation: auto\n {2}inputs: {3}QUEUE="emails"\n {2}decision: dispatch \(ok\)/);
      assert.match(stdout, /decision: rejected \(invalid-input\): the value "NOT OK" for QUEUE is refused/);
      assert.match(stdout, /firing Nobody .*\n {2}decision: unmatched \(no-runbook\)/);
      stdout = '';
      assert.equal(await runBridge(['explain', '--json', '--config', sandbox.configFile, file], io), 0);
      assert.deepEqual((JSON.parse(stdout) as Array<{ outcome: string }>).map((d) => d.outcome), ['dispatch', 'rejected', 'unmatched']);
      assert.equal(github.requests.length, 0);
      assert.equal(existsSync(sandbox.state), false);
      assert.equal(existsSync(sandbox.audit), false);
      writeFileSync(file, '{"version":"4"}');
      assert.equal(await runBridge(['explain', '--config', sandbox.configFile, file], io), 2);
      assert.match(stderr, /not an Alertmanager webhook payload: status must be/);
    });

    it('explains the example payload with the example configuration', async () => {
      let stdout = '';
      const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stdout += t) } };
      assert.equal(await runBridge(['explain', '--json', '--config', join(PROJECT, 'examples/bridge.yaml'), join(PROJECT, 'examples/alert-payload.json')], io), 0, stdout);
      const decisions = JSON.parse(stdout) as Array<{ runbook: string; outcome: string; inputs?: Record<string, string> }>;
      assert.deepEqual(
        decisions.map((d) => [d.runbook, d.outcome, d.inputs]),
        [
          ['requeue-stuck-jobs.runbook.md', 'dispatch', { QUEUE: 'emails' }],
          ['requeue-stuck-jobs.runbook.md', 'rejected', undefined],
        ],
      );
    });

    it('exits 2 naming the key of a bad configuration', async () => {
      sandbox.writeConfig({ target: { type: 'github', repository: 'acme/ops', tokenEnv: 'GH' }, policy: { cooldown: 'later' } });
      let stderr = '';
      const io = { stdout: { write: () => undefined }, stderr: { write: (t: string) => (stderr += t) } };
      assert.equal(await runBridge(['--config', sandbox.configFile], io), 2);
      assert.match(stderr, /auth must name bearerTokenEnv/);
      assert.match(stderr, /policy\.cooldown must be a duration/);
    });
  });
});
