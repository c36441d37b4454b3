import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunbook } from '../../../src/core/runbook';
import { exitCodeOf } from '../../../src/core/runner';
import { fence, makeTempDir, md, removeDir, runbookIn } from '../run/helpers';
import { eventTrail, scriptedRunner } from './scripted';

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

describe('core run orchestration', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('runbook-runner-test-');
  });
  afterEach(() => removeDir(dir));

  describe('one step', () => {
    it('reports the events in order and records the result to progress and history before they fire', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=hello}', 'echo hello; echo oops >&2')));
      const { runner, events, history, progress } = scriptedRunner();
      const seenAtEnd: string[] = [];
      runner.events.on((event) => {
        if (event.type === 'step-end') seenAtEnd.push(progress.get(runner.key)?.steps.hello?.state ?? 'none', String(history.length));
      });
      const outcome = await runner.runStep(runbook, 'hello');
      assert.equal(outcome.status, 'passed');
      assert.equal(exitCodeOf(outcome), 0);
      assert.deepEqual(eventTrail(events), ['run-start', 'step-queued:hello', 'step-start:hello', 'step-end:hello', 'run-end']);
      const output = events.filter((e) => e.type === 'output').map((e) => (e.type === 'output' ? e.text : '')).join('');
      assert.match(output, /hello/);
      assert.match(output, /oops/);
      assert.deepEqual(seenAtEnd, ['passed', '1']);
      assert.equal(history[0].where, 'cli');
      assert.equal(history[0].kind, 'code');
      assert.equal(history[0].runId, outcome.runId);
      assert.equal(history[0].result, 'passed');
      assert.equal(runner.snapshot(runbook.steps[0]).status, 'passed');
      assert.match(runner.output('hello') ?? '', /hello/);
    });

    it('runs a step once however many requests arrive while its confirmation is open', async () => {
      const ledger = join(dir, 'ledger');
      const runbook = runbookIn(dir, md('# R', fence('bash {name=append confirm}', `echo ran >> '${ledger}'`)));
      let answer!: (yes: boolean) => void;
      const dialog = new Promise<boolean>((resolve) => (answer = resolve));
      const { runner, frontEnd } = scriptedRunner({ confirm: () => dialog });
      // A double click and one more click, then a CodeLens and a tree request: all before any await.
      const requests = [runner.runStep(runbook, 'append'), runner.runStep(runbook, 'append'), runner.runStep(runbook, 'append'), runner.runStep(runbook, 'append')];
      answer(true);
      const outcomes = await Promise.all(requests);
      assert.deepEqual(outcomes.map((o) => o.status), ['passed', 'blocked', 'blocked', 'blocked']);
      assert.deepEqual(outcomes.slice(1).map((o) => o.reason), ['busy', 'busy', 'busy']);
      assert.equal(frontEnd.asked.confirm.length, 1);
      assert.deepEqual(lines(ledger), ['ran']);
      // Once it has ended, it can run again.
      const again = runner.runStep(runbook, 'append');
      assert.equal((await again).status, 'passed');
      assert.deepEqual(lines(ledger), ['ran', 'ran']);
    });

    it('Stop while the confirmation is open runs nothing', async () => {
      const ledger = join(dir, 'ledger');
      const runbook = runbookIn(dir, md('# R', fence('bash {name=append confirm}', `echo ran >> '${ledger}'`)));
      let answer!: (yes: boolean) => void;
      const { runner, events } = scriptedRunner({ confirm: () => new Promise<boolean>((resolve) => (answer = resolve)) });
      const running = runner.runStep(runbook, 'append');
      await new Promise((r) => setImmediate(r));
      assert.equal(runner.stop('append'), true);
      answer(true);
      const outcome = await running;
      assert.equal(outcome.status, 'cancelled');
      assert.deepEqual(lines(ledger), []);
      assert.ok(!events.some((e) => e.type === 'step-start'));
    });

    it('Stop reaches the step that is really running', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=long}', 'echo started; sleep 30')));
      const { runner, events } = scriptedRunner();
      const running = runner.runStep(runbook, 'long');
      await waitFor(() => events.some((e) => e.type === 'output'));
      assert.equal(runner.snapshot(runbook.steps[0]).status, 'running');
      runner.stop('long');
      const outcome = await running;
      assert.equal(outcome.status, 'cancelled');
      assert.equal(exitCodeOf(outcome), 130);
      assert.equal(runner.snapshot(runbook.steps[0]).status, 'cancelled');
      assert.deepEqual(runner.activeStepIds(), []);
    });

    it('a refused confirmation runs nothing and says why it asked', async () => {
      const ledger = join(dir, 'ledger');
      const runbook = runbookIn(dir, md('---', 'environment: production', '---', '# R', fence('bash {name=append}', `echo ran >> '${ledger}'`)));
      const { runner, history } = scriptedRunner({ confirm: false });
      const outcome = await runner.runStep(runbook, 'append');
      assert.equal(outcome.status, 'blocked');
      assert.equal(outcome.reason, 'not-confirmed');
      assert.equal(exitCodeOf(outcome), 3);
      assert.match(outcome.confirmReasons?.join(' ') ?? '', /production/);
      assert.deepEqual(lines(ledger), []);
      assert.equal(history.length, 0);
    });

    it('asks for placeholder values, passes them in the environment, and remembers them', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=pod}', 'echo "pod is" <pod-name>')));
      const { runner, frontEnd } = scriptedRunner({ answers: { POD_NAME: '$(touch pwned) web-1' } });
      const outcome = await runner.runStep(runbook, 'pod');
      assert.equal(outcome.status, 'passed');
      assert.match(runner.output('pod') ?? '', /pod is \$\(touch pwned\) web-1/);
      assert.equal(existsSync(join(dir, 'pwned')), false);
      assert.deepEqual(frontEnd.asked.values, ['<pod-name>']);
      assert.equal(frontEnd.remembered.POD_NAME, '$(touch pwned) web-1');
      await runner.runStep(runbook, 'pod');
      assert.deepEqual(frontEnd.asked.values, ['<pod-name>'], 'asked only once');
    });

    it('a missing value stops the step before it starts, naming the input', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=pod}', 'kubectl describe pod <pod-name> -n "$CLUSTER_NS"')));
      const { runner, events } = scriptedRunner();
      const outcome = await runner.runStep(runbook, 'pod');
      assert.equal(outcome.reason, 'missing-input');
      assert.equal(exitCodeOf(outcome), 2);
      assert.deepEqual(outcome.missing?.map((m) => m.label), ['<pod-name>', '$CLUSTER_NS']);
      assert.ok(!events.some((e) => e.type === 'step-queued'));
    });

    it('an invalid declared value ends the step as failed without starting it', async () => {
      const runbook = runbookIn(dir, md('---', 'inputs:', '  NS: { pattern: "^[a-z]+$" }', '---', '# R', fence('bash {name=ns}', 'echo "$NS"')));
      const { runner } = scriptedRunner({ values: { NS: 'Bad Value' } });
      const outcome = await runner.runStep(runbook, 'ns');
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.results[0].notStarted, true);
      assert.match(outcome.message, /NS/);
      assert.equal(runner.snapshot(runbook.steps[0]).status, 'failed');
    });

    it('a step whose interpreter is missing ends failed with the reason, and nothing stays queued', async () => {
      const runbook = runbookIn(dir, md('# R', fence('python {name=py}', 'print(1)')));
      const { runner } = scriptedRunner({}, { settings: () => ({ interpreters: { python: 'no-such-python-xyz' }, defaultTimeoutMs: 60_000 }) });
      const outcome = await runner.runStep(runbook, 'py');
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.message, /no-such-python-xyz/);
      assert.deepEqual(runner.activeStepIds(), []);
    });

    it('a front end that throws blocks the run with the reason; no unhandled rejection', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=c confirm}', 'echo hi')));
      const { runner } = scriptedRunner({ confirm: () => Promise.reject(new Error('dialog broke')) });
      const outcome = await runner.runStep(runbook, 'c');
      assert.equal(outcome.reason, 'front-end-error');
      assert.match(outcome.message, /dialog broke/);
      assert.deepEqual(runner.activeStepIds(), []);
      assert.equal((await runner.runStep(runbook, 'c')).reason, 'front-end-error', 'the claim was released');
    });

    it('a listener that throws does not stop the run from being recorded', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=a}', 'echo a')));
      const { runner, errors, history } = scriptedRunner();
      runner.events.on(() => {
        throw new Error('broken view');
      });
      assert.equal((await runner.runStep(runbook, 'a')).status, 'passed');
      assert.equal(history.length, 1);
      assert.ok(errors.length > 0);
    });

    it('leaves secrets out of history and masks them in output', async () => {
      const runbook = runbookIn(dir, md('---', 'inputs:', '  TOKEN: { secret: true }', '  NS: { default: web }', '---', '# R', fence('bash {name=a}', 'echo "token=$TOKEN ns=$NS"')));
      const { runner, history } = scriptedRunner({ values: { TOKEN: 's3cr3t-value' }, secrets: ['s3cr3t-value'] });
      await runner.runStep(runbook, 'a');
      assert.doesNotMatch(runner.output('a') ?? '', /s3cr3t-value/);
      assert.deepEqual(history[0].inputs, { NS: 'web' });
      assert.doesNotMatch(JSON.stringify(history), /s3cr3t/);
    });
  });

  describe('Run all', () => {
    const steps = (ledger: string) =>
      md(
        '# R',
        fence('bash {name=one}', `echo one >> '${ledger}'`),
        fence('bash {name=optional skip}', `echo optional >> '${ledger}'`),
        fence('bash {name=two}', `echo two >> '${ledger}'`),
        '- [ ] Tell the on-call',
        fence('bash {name=three}', `echo three >> '${ledger}'`),
      );

    it('runs in order, passes over skip steps, and waits at an unchecked manual step', async () => {
      const ledger = join(dir, 'ledger');
      const runbook = runbookIn(dir, steps(ledger));
      const { runner, events } = scriptedRunner({ manual: 'stop' });
      const outcome = await runner.runAll(runbook);
      assert.equal(outcome.status, 'blocked');
      assert.equal(outcome.reason, 'manual-step');
      assert.equal(outcome.stepTitle, 'Tell the on-call');
      assert.equal(exitCodeOf(outcome), 3);
      assert.deepEqual(lines(ledger), ['one', 'two']);
      assert.ok(eventTrail(events).includes('step-skipped:optional'));
      // Checked off by hand, Continue goes on from the manual step.
      const manual = runbook.manualSteps[0];
      runner.setManual(runbook, manual, true);
      const next = await runner.runAll(runbook, { from: manual.id });
      assert.equal(next.status, 'passed');
      assert.deepEqual(lines(ledger), ['one', 'two', 'three']);
    });

    it('logs a manual step checked off, with how long it waited for the person', async () => {
      const runbook = runbookIn(dir, steps(join(dir, 'ledger')));
      const { runner, history } = scriptedRunner({ manual: 'stop' });
      await runner.runAll(runbook);
      await new Promise((r) => setTimeout(r, 30));
      runner.setManual(runbook, runbook.manualSteps[0], true);
      const line = history.find((entry) => entry.kind === 'manual');
      assert.equal(line?.result, 'checked');
      assert.ok((line?.durationMs ?? 0) >= 25, `waited ${line?.durationMs} ms`);
    });

    it('a front end may say a manual step is done, or skip it and leave it for a person', async () => {
      const ledger = join(dir, 'ledger');
      const runbook = runbookIn(dir, steps(ledger));
      const skipped = scriptedRunner({ manual: 'skip' });
      const outcome = await skipped.runner.runAll(runbook);
      assert.equal(outcome.status, 'passed');
      assert.deepEqual(outcome.manualSkipped, [runbook.manualSteps[0].id]);
      assert.equal(skipped.history.find((e) => e.kind === 'manual')?.result, 'skipped');
      const done = scriptedRunner({ manual: 'done' });
      assert.equal((await done.runner.runAll(runbook)).manualSkipped.length, 0);
    });

    it('stops at the first step that does not pass', async () => {
      const ledger = join(dir, 'ledger');
      const runbook = runbookIn(dir, md('# R', fence('bash {name=a}', `echo a >> '${ledger}'`), fence('bash {name=b}', 'exit 4'), fence('bash {name=c}', `echo c >> '${ledger}'`)));
      const { runner } = scriptedRunner();
      const outcome = await runner.runAll(runbook);
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.stepId, 'b');
      assert.equal(exitCodeOf(outcome), 1);
      assert.deepEqual(outcome.results.map((r) => r.status), ['passed', 'failed']);
      assert.deepEqual(lines(ledger), ['a']);
    });

    it('stops before an interactive step', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=a}', 'true'), fence('bash {name=shell interactive}', 'bash'), fence('bash {name=c}', 'true')));
      const outcome = await scriptedRunner().runner.runAll(runbook);
      assert.equal(outcome.reason, 'interactive-step');
      assert.equal(outcome.stepId, 'shell');
    });

    it('stops when the runbook changed while it ran', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=a}', 'true'), fence('bash {name=b}', 'true')));
      let current = runbook;
      const { runner, events } = scriptedRunner();
      runner.events.on((event) => {
        if (event.type === 'step-end' && event.stepId === 'a') current = runbookIn(dir, md('# R', fence('bash {name=a}', 'true'), fence('bash {name=b}', 'echo edited')));
      });
      const outcome = await runner.runAll(runbook, { current: () => current });
      assert.equal(outcome.reason, 'document-changed');
      assert.ok(!eventTrail(events).includes('step-start:b'));
    });

    it('checks every value and asks for every implicit input before the first step starts', async () => {
      const ledger = join(dir, 'ledger');
      const runbook = runbookIn(
        dir,
        md('---', 'inputs:', '  NS: { pattern: "^[a-z]+$" }', '---', '# R', fence('bash {name=a}', `echo a >> '${ledger}'`), fence('bash {name=b}', 'echo "$NS" <pod> "$REGION_X"')),
      );
      const invalid = scriptedRunner({ values: { NS: 'NOT OK' } });
      const refused = await invalid.runner.runAll(runbook);
      assert.equal(refused.reason, 'invalid-input');
      assert.deepEqual(refused.problems?.map((p) => p.name), ['NS']);
      assert.deepEqual(lines(ledger), []);
      const missing = scriptedRunner({ values: { NS: 'ok' } });
      const outcome = await missing.runner.runAll(runbook);
      assert.equal(outcome.reason, 'missing-input');
      assert.deepEqual(outcome.missing?.map((m) => m.label), ['<pod>', '$REGION_X']);
      assert.deepEqual(lines(ledger), [], 'nothing ran');
      assert.ok(!missing.events.some((e) => e.type === 'step-start'));
    });

    it('does not ask for a variable an earlier step exports', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=a}', 'export CLUSTER=blue'), fence('bash {name=b}', 'echo "cluster=$CLUSTER"')));
      const { runner, frontEnd } = scriptedRunner();
      const outcome = await runner.runAll(runbook);
      assert.equal(outcome.status, 'passed');
      assert.deepEqual(frontEnd.asked.values, []);
      assert.match(runner.output('b') ?? '', /cluster=blue/);
    });

    it('--only runs the named steps in document order, even a skip step', async () => {
      const ledger = join(dir, 'ledger');
      const runbook = runbookIn(dir, steps(ledger));
      const outcome = await scriptedRunner().runner.runAll(runbook, { only: ['three', 'optional'] });
      assert.equal(outcome.status, 'passed');
      assert.deepEqual(lines(ledger), ['optional', 'three']);
      assert.equal((await scriptedRunner().runner.runAll(runbook, { only: ['nope'] })).reason, 'no-such-step');
    });

    it('a second Run all while one runs is refused; a click on a step Run all reaches is not run twice', async () => {
      const ledger = join(dir, 'ledger');
      const runbook = runbookIn(dir, md('# R', fence('bash {name=slow}', `sleep 0.3; echo slow >> '${ledger}'`), fence('bash {name=b}', `echo b >> '${ledger}'`)));
      const { runner } = scriptedRunner();
      const all = runner.runAll(runbook);
      const second = await runner.runAll(runbook);
      assert.equal(second.reason, 'busy');
      // While "slow" runs, someone clicks Run on "b": it queues once, and Run all waits for that run.
      await new Promise((r) => setTimeout(r, 50));
      const click = runner.runStep(runbook, 'b');
      const [outcome, clicked] = await Promise.all([all, click]);
      assert.equal(outcome.status, 'passed');
      assert.equal(clicked.status, 'passed');
      assert.deepEqual(lines(ledger), ['slow', 'b']);
    });

    it('stopAll ends Run all as cancelled', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=a}', 'sleep 30'), fence('bash {name=b}', 'true')));
      const { runner, events } = scriptedRunner();
      const all = runner.runAll(runbook);
      await waitFor(() => events.some((e) => e.type === 'step-start'));
      runner.stopAll();
      const outcome = await all;
      assert.equal(outcome.status, 'cancelled');
      assert.ok(!eventTrail(events).includes('step-start:b'));
    });
  });

  describe('what runs at all', () => {
    it('refuses to run a runbook whose front matter did not parse: its environment may be hidden', async () => {
      const broken = parseRunbook(md('---', 'environment: production', 'title: [unclosed', '---', '# R', fence('bash {name=a}', `touch '${join(dir, 'ran.marker')}'`)), { path: join(dir, 'x.md') });
      const { runner } = scriptedRunner();
      for (const outcome of [await runner.runStep(broken, 'a'), await runner.runAll(broken)]) {
        assert.equal(outcome.reason, 'invalid-runbook');
        assert.equal(exitCodeOf(outcome), 2);
        assert.match(outcome.message, /front matter/);
      }
      const terminal = await runner.prepareTerminal(broken, 'a');
      assert.ok('outcome' in terminal && terminal.outcome.reason === 'invalid-runbook');
      assert.equal(existsSync(join(dir, 'ran.marker')), false);
    });

    it('previews Run all: the steps it would run, those that ask and why, the manual steps left', () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=a}', 'true'), fence('bash {name=b confirm}', 'true'), fence('bash {name=c skip}', 'true'), '- [ ] Check it'));
      const { runner } = scriptedRunner();
      const plan = runner.preview(runbook);
      assert.ok(!('error' in plan));
      assert.deepEqual(plan.steps.map((step) => step.id), ['a', 'b']);
      assert.deepEqual(plan.confirmations.map((entry) => [entry.step.id, entry.reasons.length > 0]), [['b', true]]);
      assert.equal(plan.manual.length, 1);
      const only = runner.preview(runbook, { only: ['c'] });
      assert.ok(!('error' in only) && only.steps[0].id === 'c');
      assert.ok('error' in runner.preview(runbook, { from: 'nope' }));
    });
  });

  describe('records by hand', () => {
    it('reset drops the record and the output kept for the step', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=a}', 'echo a')));
      const { runner, events } = scriptedRunner();
      await runner.runStep(runbook, 'a');
      runner.resetItem('a');
      assert.equal(runner.snapshot(runbook.steps[0]).status, 'pending');
      assert.equal(runner.output('a'), undefined);
      assert.deepEqual(events.at(-1), { type: 'progress', stepIds: ['a'] });
    });

    it('a step skipped by hand is passed over by Run all', async () => {
      const ledger = join(dir, 'ledger');
      const runbook = runbookIn(dir, md('# R', fence('bash {name=a}', `echo a >> '${ledger}'`), fence('bash {name=b}', `echo b >> '${ledger}'`)));
      const { runner, events } = scriptedRunner();
      runner.skip(runbook, runbook.steps[0]);
      await runner.runAll(runbook);
      assert.deepEqual(lines(ledger), ['b']);
      assert.ok(eventTrail(events).includes('step-skipped:a'));
    });

    it('reconcile closes a record left running by a reload', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=a}', 'echo a')));
      const { runner, progress } = scriptedRunner();
      progress.update(runner.key, (p) => ({ ...p, steps: { a: { state: 'running', startedAt: 1, codeHash: 'x' } } }));
      runner.reconcile(runbook);
      assert.equal(progress.get(runner.key)?.steps.a.state, 'cancelled');
    });
  });

  describe('Run in terminal', () => {
    it('writes a launcher that takes values from a file it deletes, never from its text', async () => {
      const runbook = runbookIn(dir, md('---', 'inputs:', '  NS: { default: web }', '---', '# R', fence('bash {name=a}', 'echo "ns=$NS pod=" <pod>')));
      const hostile = `$(touch ${join(dir, 'pwned')}) 'x' "y"`;
      const { runner } = scriptedRunner({ answers: { POD: hostile } });
      const prepared = await runner.prepareTerminal(runbook, 'a');
      assert.ok('launch' in prepared);
      const launcher = prepared.launch.command.replace(/^bash /, '');
      const folder = join(launcher, '..');
      // Only the values file holds values; the launcher and the code are text with none in them.
      for (const file of readdirSync(folder).filter((name) => !name.endsWith('.values'))) {
        assert.doesNotMatch(readFileSync(join(folder, file), 'utf8'), /touch|=web/, file);
      }
      const run = spawnSync('bash', ['-c', prepared.launch.command], { encoding: 'utf8', cwd: dir });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim(), `ns=web pod= ${hostile}`);
      assert.equal(existsSync(join(dir, 'pwned')), false);
      assert.ok(!readdirSync(folder).some((file) => file.endsWith('.values')), 'the values file is gone');
      await runner.dispose();
      assert.equal(existsSync(folder), false);
    });

    it('uses the interpreter setting and the current values each time', async () => {
      const runbook = runbookIn(dir, md('# R', fence('python {name=py}', 'import os; print("v=" + os.environ["GREETING"])')));
      const { runner, frontEnd } = scriptedRunner({ values: { GREETING: 'one' } }, { settings: () => ({ interpreters: { python: 'python3 -B' }, defaultTimeoutMs: 60_000 }) });
      const first = await runner.prepareTerminal(runbook, 'py');
      frontEnd.script.values = { GREETING: 'two' };
      const second = await runner.prepareTerminal(runbook, 'py');
      assert.ok('launch' in first && 'launch' in second);
      assert.match(readFileSync(first.launch.command.replace(/^bash /, ''), 'utf8'), /'python3' '-B' '-u'/);
      assert.equal(spawnSync('bash', ['-c', first.launch.command], { encoding: 'utf8' }).stdout.trim(), 'v=one');
      assert.equal(spawnSync('bash', ['-c', second.launch.command], { encoding: 'utf8' }).stdout.trim(), 'v=two');
      await runner.dispose();
    });

    it('works from a shell that is not bash (sh, and fish or zsh where installed)', async () => {
      const runbook = runbookIn(dir, md('# R', fence('bash {name=a}', 'echo "in bash: $BASH_VERSION" | cut -c1-8')));
      const { runner } = scriptedRunner();
      const prepared = await runner.prepareTerminal(runbook, 'a');
      assert.ok('launch' in prepared);
      for (const shell of ['sh', 'zsh', 'fish', 'pwsh']) {
        if (spawnSync('sh', ['-c', `command -v ${shell}`]).status !== 0) continue;
        const again = await runner.prepareTerminal(runbook, 'a');
        assert.ok('launch' in again);
        const run = spawnSync(shell, ['-c', again.launch.command], { encoding: 'utf8' });
        assert.equal(run.stdout.trim(), 'in bash:', `${shell}: ${run.stderr}`);
      }
      await runner.dispose();
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
