// Timeouts and Stop end the step and everything it started: the process table is checked after
// the result arrives, so a leftover process fails the test.

import { strict as assert } from 'node:assert';
import { RunbookSession } from '../../../src/core/run/runbookSession';
import { describeResult, fence, killLeftovers, makeTempDir, processesWith, removeDir, runbookIn, runOnly, stepNamed, uniqueDigits, waitFor } from './helpers';

describe('timeouts and Stop: nothing is left running', function () {
  this.timeout(15_000);
  let dir: string;
  let markers: string[];
  beforeEach(() => {
    dir = makeTempDir();
    markers = [];
  });
  afterEach(() => {
    for (const marker of markers) killLeftovers(marker);
    removeDir(dir);
  });

  /** `sleep 30.<digits>`: a sleep whose command line is unique to this test. */
  function sleeper(): { command: string; marker: string } {
    const marker = `30.${uniqueDigits()}`;
    markers.push(marker);
    return { command: `sleep ${marker}`, marker };
  }

  /** A process whose argv[0] is a unique name. */
  function named(): { command: string; marker: string } {
    const marker = `runbook-marker-${uniqueDigits()}`;
    markers.push(marker);
    return { command: `bash -c 'exec -a ${marker} sleep 30'`, marker };
  }

  it('times out `sleep & sleep` and kills both sleeps', async () => {
    const a = sleeper();
    const b = sleeper();
    const runbook = runbookIn(dir, fence('bash {timeout=1}', `${a.command} &`, b.command));
    const started = Date.now();
    const result = await runOnly(runbook);
    assert.equal(result.status, 'timed-out', describeResult(result));
    assert.equal(result.exitCode, undefined);
    assert.match(result.message ?? '', /Timed out after 1s/);
    assert.ok(Date.now() - started >= 1000, 'the timeout came too early');
    assert.deepEqual(processesWith(a.marker), [], 'the background sleep is still running');
    assert.deepEqual(processesWith(b.marker), [], 'the foreground sleep is still running');
  });

  it('times out and kills a child that left the process group with setsid', async () => {
    const a = sleeper();
    const b = named();
    const runbook = runbookIn(dir, fence('bash {timeout=1}', `setsid ${a.command} &`, `${b.command} &`, 'echo started', 'wait'));
    const result = await runOnly(runbook);
    assert.equal(result.status, 'timed-out', describeResult(result));
    assert.equal(result.output, 'started\n');
    assert.deepEqual(processesWith(a.marker), [], 'the setsid sleep is still running');
    assert.deepEqual(processesWith(b.marker), [], 'the exec -a sleep is still running');
  });

  it('times out and kills a double-forked child that left both the tree and the group', async () => {
    const a = sleeper();
    const runbook = runbookIn(dir, fence('bash {timeout=1}', `(setsid ${a.command} &)`, 'echo started', 'sleep 30'));
    const result = await runOnly(runbook);
    assert.equal(result.status, 'timed-out', describeResult(result));
    assert.deepEqual(processesWith(a.marker), [], 'the double-forked sleep is still running');
  });

  it('kills, before it reports, a child that ignores SIGTERM', async () => {
    const marker = `runbook-stubborn-${uniqueDigits()}`;
    markers.push(marker);
    // An ignored signal stays ignored across exec, so this sleep shrugs off SIGTERM.
    const runbook = runbookIn(dir, fence('bash {timeout=1}', `(trap '' TERM; exec -a ${marker} sleep 30) &`, 'sleep 30'));
    const result = await runOnly(runbook);
    assert.equal(result.status, 'timed-out', describeResult(result));
    assert.deepEqual(processesWith(marker), [], 'a SIGTERM-proof child outlived the reported timeout');
  });

  it('times out python and node steps, with their children', async () => {
    const a = sleeper();
    const b = sleeper();
    const runbook = runbookIn(
      dir,
      [
        fence('python {name=py timeout=1}', 'import subprocess, time', `subprocess.Popen(["sleep", "${a.marker}"])`, 'time.sleep(30)'),
        fence('node {name=js timeout=1}', `require('child_process').spawn('sleep', ['${b.marker}'], { stdio: 'inherit' });`, 'setTimeout(() => {}, 30000);'),
      ].join('\n\n'),
    );
    const [py, js] = await Promise.all([runOnly(runbook, { name: 'py' }), runOnly(runbook, { name: 'js' })]);
    assert.equal(py.status, 'timed-out', describeResult(py));
    assert.equal(js.status, 'timed-out', describeResult(js));
    assert.deepEqual(processesWith(a.marker), []);
    assert.deepEqual(processesWith(b.marker), []);
  });

  it('Stop cancels a running step in a session and kills what it started', async () => {
    const a = sleeper();
    const b = named();
    const runbook = runbookIn(dir, fence('bash {name=long}', `${a.command} &`, `setsid ${b.command} &`, 'echo ready', 'sleep 30'));
    const session = new RunbookSession();
    try {
      let output = '';
      const running = session.run({ runbook, step: stepNamed(runbook, 'long'), values: {}, onOutput: (text) => (output += text) });
      assert.equal(session.isQueuedOrRunning('long'), true);
      await waitFor(() => output.includes('ready') && processesWith(a.marker).length === 1 && processesWith(b.marker).length === 1, 5000, 'the step to start');
      const stoppedAt = Date.now();
      assert.equal(session.stop('long'), true);
      const result = await running;
      assert.equal(result.status, 'cancelled', describeResult(result));
      assert.match(result.message ?? '', /Stopped/);
      assert.ok(Date.now() - stoppedAt < 3000, 'Stop took too long');
      assert.match(result.output, /^ready\n/); // bash may add `Terminated` for its killed foreground child
      assert.deepEqual(processesWith(a.marker), []);
      assert.deepEqual(processesWith(b.marker), []);
      assert.equal(session.isQueuedOrRunning('long'), false);
      assert.equal(session.stop('long'), false);
    } finally {
      await session.dispose();
    }
  });

  it('Stop on a queued step cancels it without starting it; the step before still runs', async () => {
    const runbook = runbookIn(dir, [fence('bash {name=first}', 'sleep 0.3', 'echo first'), fence('bash {name=second}', 'echo second')].join('\n\n'));
    const session = new RunbookSession();
    try {
      const first = session.run({ runbook, step: stepNamed(runbook, 'first'), values: {} });
      const second = session.run({ runbook, step: stepNamed(runbook, 'second'), values: {} });
      assert.equal(session.stop('second'), true);
      const [r1, r2] = await Promise.all([first, second]);
      assert.equal(r1.status, 'passed', describeResult(r1));
      assert.equal(r1.output, 'first\n');
      assert.equal(r2.status, 'cancelled');
      assert.equal(r2.notStarted, true);
      assert.equal(r2.output, '');
    } finally {
      await session.dispose();
    }
  });

  it('stopAll stops the running step and the queued ones', async () => {
    const a = sleeper();
    const runbook = runbookIn(dir, [fence('bash {name=one}', 'echo go', a.command), fence('bash {name=two}', 'echo two')].join('\n\n'));
    const session = new RunbookSession();
    try {
      let output = '';
      const one = session.run({ runbook, step: stepNamed(runbook, 'one'), values: {}, onOutput: (t) => (output += t) });
      const two = session.run({ runbook, step: stepNamed(runbook, 'two'), values: {} });
      await waitFor(() => output.includes('go') && processesWith(a.marker).length === 1, 5000, 'step one to start');
      session.stopAll();
      const [r1, r2] = await Promise.all([one, two]);
      assert.equal(r1.status, 'cancelled');
      assert.equal(r2.status, 'cancelled');
      assert.equal(r2.notStarted, true);
      assert.deepEqual(processesWith(a.marker), []);
    } finally {
      await session.dispose();
    }
  });

  it('does not wait for a background child that keeps the output pipe open after a step ends', async () => {
    const a = sleeper();
    const runbook = runbookIn(dir, fence('bash', `${a.command} &`, 'echo done'));
    const started = Date.now();
    const result = await runOnly(runbook);
    assert.equal(result.status, 'passed', describeResult(result));
    assert.equal(result.output, 'done\n');
    assert.ok(Date.now() - started < 5000, 'the step waited for its background child');
  });
});
