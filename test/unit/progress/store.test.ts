// The progress store: round trip across restarts, atomic writes under SIGKILL, corrupt and foreign
// files set aside, serialized saves.

import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PROGRESS_FORMAT,
  ProgressStore,
  emptyProgress,
  recordManual,
  recordResult,
  recordStart,
  reconcile,
  stepState,
  type ProgressFile,
} from '../../../src/core/progress';
import { bigState } from './children/bigState';
import { makeTempDir, manual, removeDir, result, sample, sleep, spawnChild, step, waitForExit, waitForOutput } from './helpers';

describe('progress store', () => {
  let dir: string;
  let file: string;
  let warnings: string[];
  const newStore = (): ProgressStore => new ProgressStore(file, { onWarning: (w) => warnings.push(w) });

  beforeEach(() => {
    dir = makeTempDir();
    file = join(dir, 'storage', 'nested', 'progress.json');
    warnings = [];
  });
  afterEach(() => removeDir(dir));

  const setAsideFiles = (): string[] => readdirSync(join(dir, 'storage', 'nested')).filter((n) => n.startsWith('progress.json.corrupt-'));

  it('a missing file loads as empty progress without a warning', async () => {
    const store = newStore();
    const loaded = await store.load();
    assert.deepEqual(loaded, { format: PROGRESS_FORMAT, version: 1, runbooks: {} });
    assert.deepEqual(store.get('runbooks/restart.md'), emptyProgress());
    assert.deepEqual(warnings, []);
  });

  it('round-trips across two instances (a window reload), creating the directory', async () => {
    const runbook = sample();
    const check = step(runbook, 'check');
    const page = manual(runbook, 'Page the on-call');
    const first = newStore();
    await first.load();
    await first.update('runbooks/restart.md', (p) => recordResult(p, check, result('check', { output: 'pods ok\n' })));
    await first.update('runbooks/restart.md', (p) => recordManual(p, page, true, 42));
    await first.update('runbooks/other.md', (p) => recordStart(p, step(runbook, 'health'), 50));

    const second = newStore();
    const loaded = await second.load();
    assert.deepEqual(warnings, []);
    assert.deepEqual(loaded, first.snapshot());
    assert.deepEqual(second.keys().sort(), ['runbooks/other.md', 'runbooks/restart.md']);
    const restored = second.get('runbooks/restart.md');
    assert.equal(stepState(restored, check), 'passed');
    assert.equal(restored.steps.check.outputTail, 'pods ok');
    assert.deepEqual(restored.manual[page.id], { checked: true, at: 42 });

    // After the reload, the step left running is closed as interrupted and that is saved too.
    await second.update('runbooks/other.md', (p) => reconcile(p, runbook, { activeStepIds: [] }));
    const third = newStore();
    await third.load();
    assert.equal(third.get('runbooks/other.md').steps.health.state, 'cancelled');
    assert.deepEqual(readdirSync(join(dir, 'storage', 'nested')), ['progress.json'], 'no temporary files are left');
  });

  it('update loads first when nothing was loaded, so it never overwrites stored progress', async () => {
    const runbook = sample();
    const a = newStore();
    await a.update('one', (p) => recordResult(p, step(runbook, 'check'), result('check')));
    const b = newStore();
    await b.update('two', (p) => recordResult(p, step(runbook, 'health'), result('health')));
    await newStore().save();
    const c = newStore();
    await c.load();
    assert.deepEqual(c.keys().sort(), ['one', 'two'], 'a save without a load keeps what was stored');
  });

  it('removes temporary files of dead writers even when the file itself is missing', async () => {
    mkdirSync(join(dir, 'storage', 'nested'), { recursive: true });
    // A pid that cannot be alive (above the kernel's pid_max) and a file of another name.
    writeFileSync(join(dir, 'storage', 'nested', 'progress.json.tmp-99999999-abcdef'), '{"half');
    writeFileSync(join(dir, 'storage', 'nested', `progress.json.tmp-${process.pid}-abcdef`), '{"mine');
    writeFileSync(join(dir, 'storage', 'nested', 'other.json.tmp-99999999-abcdef'), 'x');
    await newStore().load();
    assert.deepEqual(readdirSync(join(dir, 'storage', 'nested')).sort(), ['other.json.tmp-99999999-abcdef', `progress.json.tmp-${process.pid}-abcdef`]);
    assert.deepEqual(warnings, []);
  });

  it('a change that returns its input writes nothing; progress that becomes empty is removed', async () => {
    const runbook = sample();
    const store = newStore();
    await store.load();
    await store.update('same', (p) => p);
    assert.equal(existsSync(file), false);
    await store.update('gone', (p) => recordResult(p, step(runbook, 'check'), result('check')));
    await store.remove('gone');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).runbooks, {});
  });

  it('concurrent updates are serialized and the last state wins', async () => {
    const store = newStore();
    await store.load();
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.update('k', (p) => ({ ...p, lastRunAt: i }))));
    const again = newStore();
    await again.load();
    assert.equal(again.get('k').lastRunAt, 49);
    assert.deepEqual(readdirSync(join(dir, 'storage', 'nested')), ['progress.json']);
  });

  it('a failed save rejects, leaves no temporary file and does not block later saves', async () => {
    const store = newStore();
    await store.update('k', (p) => ({ ...p, lastRunAt: 1 }));
    // A non-empty directory where the file should be: the rename over it fails.
    rmSync(file);
    mkdirSync(join(file, 'occupied'), { recursive: true });
    await assert.rejects(store.update('k', (p) => ({ ...p, lastRunAt: 2 })));
    assert.deepEqual(readdirSync(join(dir, 'storage', 'nested')), ['progress.json']);
    rmSync(file, { recursive: true });
    await store.update('k', (p) => ({ ...p, lastRunAt: 3 }));
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).runbooks.k.lastRunAt, 3);
  });

  it('keeps the previous state intact when the writer is killed mid-write (SIGKILL)', async function () {
    this.timeout(30_000);
    let previous = 0;
    let midWrite = 0;
    let rounds = 0;
    // Kill at random moments until three kills landed during a write (a temporary file was left).
    for (; rounds < 20 && midWrite < 3; rounds++) {
      const child = spawnChild('storeWriter.ts', [file, 'crash']);
      const exited = waitForExit(child);
      try {
        await waitForOutput(child, 'ready');
        await sleep(5 + Math.floor(Math.random() * 60));
      } finally {
        child.kill('SIGKILL');
      }
      const { signal, stderr } = await exited;
      assert.equal(signal, 'SIGKILL', `the writer should have been killed, not ended: ${stderr}`);
      if (readdirSync(join(dir, 'storage', 'nested')).some((n) => n.includes('.tmp-'))) midWrite++;

      const store = newStore();
      await store.load();
      assert.deepEqual(warnings, [], 'the file after a kill must load cleanly');
      const state = store.get('crash');
      const n = state.lastRunAt;
      assert.ok(typeof n === 'number' && n > previous, `expected a state newer than ${previous}, got ${n}`);
      assert.deepEqual(state, bigState(n), `the file holds exactly state ${n} as written`);
      assert.deepEqual(readdirSync(join(dir, 'storage', 'nested')), ['progress.json'], 'the dead writer’s temporary file is removed');
      previous = n;
    }
    // The kills are meant to hit writes in flight; most should have.
    if (process.env.PROGRESS_TEST_DEBUG) console.log(`kills during a write: ${midWrite}/6`);
    assert.ok(midWrite >= 1, `no kill landed during a write (${midWrite}/6)`);
  });

  it('sets a corrupt file (garbage bytes) aside with a warning and starts empty', async () => {
    mkdirSync(join(dir, 'storage', 'nested'), { recursive: true });
    const garbage = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x00, 0x13, 0x37, 0x0a, 0x80]);
    writeFileSync(file, garbage);
    const store = newStore();
    const loaded = await store.load();
    assert.deepEqual(loaded.runbooks, {});
    assert.equal(warnings.length, 1);
    const moved = setAsideFiles();
    assert.equal(moved.length, 1);
    const movedPath = join(dir, 'storage', 'nested', moved[0]);
    assert.ok(warnings[0].includes(file) && warnings[0].includes(movedPath), warnings[0]);
    assert.match(warnings[0], /not valid JSON/);
    assert.deepEqual(readFileSync(movedPath), garbage, 'the original bytes are kept');
    assert.equal(existsSync(file), false);

    // Saving afterwards writes a fresh file and leaves the set-aside one alone.
    await store.update('k', (p) => ({ ...p, lastRunAt: 1 }));
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).format, PROGRESS_FORMAT);
    assert.deepEqual(readFileSync(movedPath), garbage);
  });

  it('sets a foreign file (valid JSON, another format) aside, and a second one beside the first', async () => {
    mkdirSync(join(dir, 'storage', 'nested'), { recursive: true });
    const foreign = JSON.stringify({ format: 'someone-else', version: 1, runbooks: {} });
    writeFileSync(file, foreign);
    await newStore().load();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /format is "someone-else"/);
    assert.equal(readFileSync(join(dir, 'storage', 'nested', setAsideFiles()[0]), 'utf8'), foreign);

    for (const content of [JSON.stringify({ format: PROGRESS_FORMAT, version: 2, runbooks: {} }), '[1,2,3]', '']) {
      writeFileSync(file, content);
      await newStore().load();
    }
    assert.equal(warnings.length, 4);
    assert.match(warnings[1], /version is 2/);
    assert.match(warnings[2], /not a JSON object/);
    const contents = setAsideFiles().map((n) => readFileSync(join(dir, 'storage', 'nested', n), 'utf8')).sort();
    assert.equal(contents.length, 4, 'every set-aside file is kept under its own name');
    assert.deepEqual(contents, ['', '[1,2,3]', JSON.stringify({ format: PROGRESS_FORMAT, version: 2, runbooks: {} }), foreign].sort());
  });

  it('keeps the good records of a file with a few malformed ones, and says so', async () => {
    mkdirSync(join(dir, 'storage', 'nested'), { recursive: true });
    const good = { state: 'passed', startedAt: 1, durationMs: 2, codeHash: 'abc' };
    const data = {
      format: PROGRESS_FORMAT,
      version: 1,
      runbooks: {
        a: { steps: { good, bad: { state: 'exploded', startedAt: 1, codeHash: 'x' }, worse: 'nope' }, manual: { m: { checked: true, at: 3 }, n: { checked: 'yes' } }, lastRunAt: 5 },
        b: 7,
        ['__proto__']: { steps: {}, manual: {} },
      },
    };
    writeFileSync(file, JSON.stringify(data));
    const store = newStore();
    const loaded: ProgressFile = await store.load();
    assert.deepEqual(store.get('a'), { steps: { good }, manual: { m: { checked: true, at: 3 } }, lastRunAt: 5 });
    assert.equal(Object.getPrototypeOf(loaded.runbooks), Object.prototype, 'a __proto__ key does not change the prototype');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /4 malformed records were left out/);
    assert.deepEqual(setAsideFiles(), []);
  });
});
