// The one-box target with the real `runbook` command: an alert makes the bridge run the example
// runbook examples/requeue-stuck-jobs.runbook.md headless, as a real process. Needs the CLI bundle
// (dist/cli.js, from `node scripts/build.mjs`); pending with the reason when it is not built.

import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBridgeConfig, startBridge, type BridgeHandle } from '../../src/cli/bridge';
import { bridgeConfig, makeSandbox, payload, postWebhook, PROJECT, TEST_ENV, waitFor, type Sandbox } from './harness';

const CLI = join(PROJECT, 'dist/cli.js');
const EXAMPLE = 'examples/requeue-stuck-jobs.runbook.md';

describe('local runs with the real runbook command', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let bridge: BridgeHandle | undefined;
  // A queue of its own, so the example's sandbox folder is this test's alone.
  const queue = `bridge-test-${randomBytes(3).toString('hex')}`;
  const queueDir = join(process.env.TMPDIR || tmpdir(), 'runbook-examples', `queue-${queue}`);

  before(function () {
    if (!existsSync(CLI)) {
      console.log(`      pending: ${CLI} is not built (node scripts/build.mjs builds it from src/cli/main.ts)`);
      this.skip();
    }
  });

  beforeEach(() => {
    sandbox = makeSandbox();
    copyFileSync(join(PROJECT, EXAMPLE), join(sandbox.dir, 'runbooks', 'requeue-stuck-jobs.runbook.md'));
  });

  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
    sandbox?.remove();
    rmSync(queueDir, { recursive: true, force: true });
  });

  it('runs the example runbook when its alert fires: steps pass, history and events are written', async () => {
    const history = join(sandbox.dir, 'history.jsonl');
    const logs = join(sandbox.dir, 'runs');
    sandbox.writeConfig(bridgeConfig(sandbox, { type: 'local', command: [process.execPath, CLI], history, logs }));
    bridge = await startBridge(loadBridgeConfig(sandbox.configFile), { env: TEST_ENV });
    const answer = await postWebhook(bridge.url, payload([{ name: 'WorkQueueStuck', labels: { queue, severity: 'warning' } }, { name: 'WorkQueueStuck', labels: { queue: '../../etc', severity: 'warning' } }]));
    assert.equal(answer.status, 200);
    await bridge.idle();
    const end = await waitFor('the run-end audit line', () => sandbox.auditRecords().find((r) => r.kind === 'run-end'));
    const events = readFileSync(String(end.log), 'utf8');
    assert.equal(end.exitCode, 0, `the run failed:\n${events}\n${readFileSync(String(end.log).replace(/\.jsonl$/, '.log'), 'utf8')}`);
    const decisions = sandbox.decisions();
    assert.deepEqual(decisions.map((d) => d.outcome), ['dispatch', 'rejected']);
    // The run did what the runbook says, in the example's sandbox queue.
    assert.equal(readdirSync(join(queueDir, 'pending')).length, 23);
    assert.deepEqual(readdirSync(join(queueDir, 'running')).sort(), ['job-22.json', 'job-22.lock', 'job-24.json', 'job-24.lock']);
    const lines = readFileSync(history, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { step: string; kind: string; result: string; inputs: Record<string, string>; where: string; runId: string });
    assert.deepEqual(lines.filter((l) => l.result === 'passed').map((l) => l.step), ['open-queue', 'find-stale-locks', 'requeue-stuck-jobs', 'verify-no-stale-locks']);
    assert.ok(lines.filter((l) => l.kind === 'code').every((l) => l.inputs.QUEUE === queue));
    // The history says an alert started it, under the decision's correlation id.
    assert.ok(lines.every((l) => l.where === 'alert'));
    assert.equal(new Set(lines.map((l) => l.runId)).size, 1);
    assert.equal(lines[0].runId, decisions[0].correlationId);
    assert.ok(events.split('\n').filter(Boolean).every((line) => JSON.parse(line)), 'the events are JSON lines');
  });
});
