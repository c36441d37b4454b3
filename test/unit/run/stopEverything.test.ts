// Stop means stopped: a loop that forks faster than one sweep, and a double fork that leaves the
// session, the process tree and the environment mark (`setsid env -i`), leave nothing running after
// the timeout or Stop, five or ten runs each. Without a container (cgroup v2) only the first can be caught;
// the second is what the README says remains there.

import { strict as assert } from 'node:assert';
import { createContainer, removeContainer } from '../../../src/core/run/processTree';
import { RunbookSession } from '../../../src/core/run/runbookSession';
import { describeResult, fence, killLeftovers, makeTempDir, processesWith, removeDir, runbookIn, runOnly, stepNamed, uniqueDigits, waitFor } from './helpers';

const RUNS = 10;
/** The fork loops make thousands of processes a run (≈ 6 s each on 2 cores): five runs each. */
const FORK_LOOP_RUNS = 5;

/** Whether this system gives us a cgroup v2 container (probed the way the engine does). */
function containersAvailable(): boolean {
  const probe = createContainer();
  if (probe) removeContainer(probe);
  return probe !== undefined;
}

describe('Stop and timeouts leave no process behind, however the step forks', function () {
  // Thousands of processes per run, ten runs per test: minutes on a busy machine.
  this.timeout(400_000);
  let dir: string;
  const markers: string[] = [];
  before(() => {
    dir = makeTempDir();
  });
  after(() => {
    for (const marker of markers) killLeftovers(marker);
    removeDir(dir);
  });

  /**
   * A bounded loop that ignores SIGTERM and forks, as fast as bash can, sleeps that each leave the
   * process group (setsid): a single sweep finds some, and the loop has made more by the time it
   * signals them.
   */
  function forkLoop(marker: string): string {
    return fence('bash {timeout=1}', "trap '' TERM", 'i=0', `while [ $i -lt 20000 ]; do setsid sleep ${marker} & i=$((i + 1)); done`, 'wait');
  }

  for (const processContainer of [true, false]) {
    const how = processContainer ? 'in a container where the system has one' : 'by the marker sweep alone';
    it(`times out a fork loop and kills every child, ${FORK_LOOP_RUNS} runs, ${how}`, async () => {
      const left: number[] = [];
      for (let run = 0; run < FORK_LOOP_RUNS; run++) {
        const marker = `30.${uniqueDigits()}`;
        markers.push(marker);
        const result = await runOnly(runbookIn(dir, forkLoop(marker)), { processContainer });
        assert.equal(result.status, 'timed-out', describeResult(result));
        left.push(processesWith(marker).length);
        killLeftovers(marker);
      }
      assert.deepEqual(left, new Array(FORK_LOOP_RUNS).fill(0), 'processes left per run');
    });
  }

  describe('without a container, the message claims only what the sweep can find', () => {
    const honest = 'the step and every process it started that could be found were stopped';

    it('a timeout says "every process it started that could be found", and the setsid child is gone', async () => {
      const marker = `30.${uniqueDigits()}`;
      markers.push(marker);
      try {
        const result = await runOnly(runbookIn(dir, fence('bash {timeout=1}', `setsid sleep ${marker} &`, 'echo started', 'sleep 30')), { processContainer: false });
        assert.equal(result.status, 'timed-out', describeResult(result));
        assert.equal(result.message, `Timed out after 1s; ${honest}.`);
        assert.deepEqual(processesWith(marker), []);
      } finally {
        killLeftovers(marker);
      }
    });

    it('Stop in a session says the same, and the setsid child is gone', async () => {
      const marker = `30.${uniqueDigits()}`;
      markers.push(marker);
      const runbook = runbookIn(dir, fence('bash {name=long}', 'setsid sleep "$SLEEP_FOR" &', 'echo ready', 'sleep 30'));
      const session = new RunbookSession();
      try {
        let output = '';
        const running = session.run({ runbook, step: stepNamed(runbook, 'long'), values: { SLEEP_FOR: marker }, processContainer: false, onOutput: (text) => (output += text) });
        await waitFor(() => output.includes('ready') && processesWith(marker).length === 1, 5000, 'the setsid sleep');
        session.stop('long');
        const result = await running;
        assert.equal(result.status, 'cancelled', describeResult(result));
        assert.equal(result.message, `Stopped; ${honest}.`);
        assert.deepEqual(processesWith(marker), []);
      } finally {
        await session.dispose();
        killLeftovers(marker);
      }
    });
  });

  it(`times out \`( setsid env -i sleep & ) &\` and kills it, ${RUNS} runs`, async function () {
    if (!containersAvailable()) this.skip(); // nothing can find it without a container: see the README
    const left: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const marker = `30.${uniqueDigits()}`;
      markers.push(marker);
      const result = await runOnly(runbookIn(dir, fence('bash {timeout=1}', `( setsid env -i /bin/sleep ${marker} & ) &`, 'echo started', 'sleep 30')));
      assert.equal(result.status, 'timed-out', describeResult(result));
      assert.equal(result.output, 'started\n');
      assert.match(result.message ?? '', /everything it started were stopped/);
      left.push(processesWith(marker).length);
      killLeftovers(marker);
    }
    assert.deepEqual(left, new Array(RUNS).fill(0), 'processes left per run');
  });

  it(`Stop in a session kills a setsid env -i grandchild, ${RUNS} runs`, async function () {
    if (!containersAvailable()) this.skip();
    const runbook = runbookIn(dir, fence('bash {name=escape}', 'for n in 1 2 3; do ( setsid env -i /bin/sleep "$SLEEP_FOR" & ) & done', 'echo ready', 'sleep 30'));
    const left: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const marker = `30.${uniqueDigits()}`;
      markers.push(marker);
      const session = new RunbookSession();
      try {
        let output = '';
        const running = session.run({ runbook, step: stepNamed(runbook, 'escape'), values: { SLEEP_FOR: marker }, onOutput: (text) => (output += text) });
        await waitFor(() => output.includes('ready') && processesWith(marker).length === 3, 5000, 'the three escaped sleeps');
        session.stop('escape');
        const result = await running;
        assert.equal(result.status, 'cancelled', describeResult(result));
        left.push(processesWith(marker).length);
      } finally {
        await session.dispose();
        killLeftovers(marker);
      }
    }
    assert.deepEqual(left, new Array(RUNS).fill(0), 'processes left per run');
  });
});
