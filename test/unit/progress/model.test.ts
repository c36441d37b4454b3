// The progress model: transitions, stale detection, reconcile, summary, where Continue resumes.

import { strict as assert } from 'node:assert';
import {
  INTERRUPTED_MESSAGE,
  codeHash,
  emptyProgress,
  manualChecked,
  manualState,
  nextItem,
  outputTail,
  recordManual,
  recordResult,
  recordSkip,
  recordStart,
  reconcile,
  resetStep,
  stepState,
  summarize,
  tailOf,
  type RunbookProgress,
} from '../../../src/core/progress';
import { drainStep, fence, manual, md, parse, result, sample, step } from './helpers';

/** Deep-freezes a value so a transition that mutates its input throws. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

describe('progress model', () => {
  const runbook = sample();
  const check = step(runbook, 'check');
  const health = step(runbook, 'health');
  const rollback = step(runbook, 'rollback');
  const drain = drainStep(runbook);
  const page = manual(runbook, 'Page the on-call');
  const tell = manual(runbook, 'Tell the channel');

  describe('codeHash', () => {
    it('is 16 hex digits, stable, and changes with the code or language', () => {
      const hash = codeHash(check);
      assert.match(hash, /^[0-9a-f]{16}$/);
      assert.equal(codeHash(step(sample(), 'check')), hash, 'a new parse of the same text hashes the same');
      assert.notEqual(codeHash(step(sample({ checkCode: 'kubectl get nodes' }), 'check')), hash);
      const python = parse(fence('python {name=check}', 'kubectl get pods -n "$NAMESPACE"'));
      assert.notEqual(codeHash(step(python, 'check')), hash, 'the same text in another language is other code');
    });

    it('ignores trailing spaces and blank lines, as step identity does', () => {
      const spaced = sample({ checkCode: 'kubectl get pods -n "$NAMESPACE"   \n\n' });
      assert.equal(codeHash(step(spaced, 'check')), codeHash(check));
    });
  });

  describe('transitions', () => {
    it('starts empty: every step pending, nothing checked', () => {
      const p = emptyProgress();
      assert.deepEqual(p, { steps: {}, manual: {} });
      for (const s of runbook.steps) assert.equal(stepState(p, s), 'pending');
      assert.equal(manualChecked(p, page), false);
      assert.equal(manualState(p, page), 'pending');
    });

    it('recordStart marks the step running without touching its input', () => {
      const before = frozen(emptyProgress());
      const p = recordStart(before, check, 1000);
      assert.notEqual(p, before);
      assert.deepEqual(before, { steps: {}, manual: {} });
      assert.deepEqual(p.steps.check, { state: 'running', startedAt: 1000, codeHash: codeHash(check) });
      assert.equal(stepState(p, check), 'running');
      assert.equal(p.lastRunAt, 1000);
    });

    for (const status of ['passed', 'failed', 'timed-out', 'cancelled'] as const) {
      it(`recordResult records a ${status} result with its exit code, timing and output tail`, () => {
        const started = frozen(recordStart(emptyProgress(), check, 1000));
        const exitCode = status === 'passed' ? 0 : status === 'failed' ? 3 : undefined;
        const p = recordResult(
          started,
          check,
          result('check', { status, exitCode, startedAt: 1000, durationMs: 250, output: 'line 1\nline 2\n', message: status === 'cancelled' ? 'stopped' : undefined }),
        );
        assert.equal(started.steps.check.state, 'running', 'the input is unchanged');
        assert.equal(stepState(p, check), status);
        const expected: Record<string, unknown> = { state: status, startedAt: 1000, durationMs: 250, outputTail: 'line 1\nline 2', codeHash: codeHash(check) };
        if (exitCode !== undefined) expected.exitCode = exitCode;
        if (status === 'cancelled') expected.message = 'stopped';
        assert.deepEqual(p.steps.check, expected);
        assert.equal(p.lastRunAt, 1250, 'lastRunAt is when the step ended');
      });
    }

    it('recordResult keeps the signal, the expected-output message and that output was cut', () => {
      const p = recordResult(
        emptyProgress(),
        check,
        result('check', {
          status: 'failed',
          exitCode: undefined,
          signal: 'SIGKILL',
          output: Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n'),
          expected: { ok: false, message: 'The output does not contain "ready".' },
        }),
      );
      const record = p.steps.check;
      assert.equal(record.signal, 'SIGKILL');
      assert.equal(record.exitCode, undefined);
      assert.equal(record.message, 'The output does not contain "ready".');
      assert.equal(record.outputTruncated, true);
      assert.equal(record.outputTail?.split('\n').length, 20);
      assert.ok(record.outputTail?.startsWith('line 30\n') && record.outputTail.endsWith('line 49'));
    });

    it('recordResult marks the tail as cut when the engine dropped output', () => {
      const p = recordResult(emptyProgress(), check, result('check', { output: 'end\n', droppedBytes: 10_000 }));
      assert.equal(p.steps.check.outputTruncated, true);
      assert.equal(p.steps.check.outputTail, 'end');
    });

    it('recordResult stores no tail for a step that printed nothing', () => {
      const p = recordResult(emptyProgress(), check, result('check', { output: '' }));
      assert.equal('outputTail' in p.steps.check, false);
    });

    it('lastRunAt never goes back in time', () => {
      let p = recordResult(emptyProgress(), check, result('check', { startedAt: 5000, durationMs: 1000 }));
      p = recordResult(p, health, result('health', { startedAt: 1000, durationMs: 10 }));
      assert.equal(p.lastRunAt, 6000);
    });

    it('recordSkip skips a code step and a manual step, both counting as done', () => {
      let p = frozen(emptyProgress());
      p = recordSkip(p, check, 2000);
      p = recordSkip(p, page, 2100);
      assert.equal(stepState(p, check), 'skipped');
      assert.deepEqual(p.steps.check, { state: 'skipped', startedAt: 2000, codeHash: codeHash(check) });
      assert.deepEqual(p.manual[page.id], { checked: false, skipped: true, at: 2100 });
      assert.equal(manualState(p, page), 'skipped');
      assert.equal(manualChecked(p, page), false);
      assert.equal(summarize(p, runbook).done, 2);
    });

    it('recordManual checks with the time and unchecks back to pending', () => {
      const checked = recordManual(frozen(emptyProgress()), page, true, 3000);
      assert.deepEqual(checked.manual[page.id], { checked: true, at: 3000 });
      assert.equal(manualChecked(checked, page), true);
      assert.equal(manualState(checked, page), 'checked');
      const unchecked = recordManual(frozen(checked), page, false, 4000);
      assert.equal(manualChecked(unchecked, page), false);
      assert.equal(page.id in unchecked.manual, false);
      assert.equal(manualChecked(checked, page), true, 'the earlier state is unchanged');
    });

    it('checking a skipped manual step replaces the skip', () => {
      const p = recordManual(recordSkip(emptyProgress(), page, 1), page, true, 2);
      assert.equal(manualState(p, page), 'checked');
    });

    it('resetStep forgets a code or manual record and returns the same object when there is none', () => {
      let p = recordResult(emptyProgress(), check, result('check'));
      p = recordManual(p, page, true, 10);
      const frozenP = frozen(p);
      const withoutCheck = resetStep(frozenP, 'check');
      assert.equal(stepState(withoutCheck, check), 'pending');
      assert.equal(manualChecked(withoutCheck, page), true);
      const withoutPage = resetStep(withoutCheck, page.id);
      assert.equal(manualChecked(withoutPage, page), false);
      assert.equal(resetStep(withoutPage, 'nothing-here'), withoutPage);
      assert.equal(stepState(frozenP, check), 'passed');
    });

    it('a step can run again after a result: start, then a new result replaces the old one', () => {
      let p = recordResult(emptyProgress(), check, result('check', { status: 'failed', exitCode: 2, output: 'boom' }));
      p = recordStart(p, check, 9000);
      assert.deepEqual(p.steps.check, { state: 'running', startedAt: 9000, codeHash: codeHash(check) });
      p = recordResult(p, check, result('check', { startedAt: 9000, durationMs: 5 }));
      assert.equal(stepState(p, check), 'passed');
      assert.equal(p.steps.check.message, undefined);
    });
  });

  describe('stale detection', () => {
    it('a named step whose code changed shows stale; trailing whitespace does not count', () => {
      const p = recordResult(emptyProgress(), check, result('check'));
      const edited = sample({ checkCode: 'kubectl get pods -A' });
      assert.equal(step(edited, 'check').id, 'check', 'a named step keeps its id');
      assert.equal(stepState(p, step(edited, 'check')), 'stale');
      assert.equal(stepState(p, step(sample({ checkCode: 'kubectl get pods -n "$NAMESPACE"  ' }), 'check')), 'passed');
      assert.equal(reconcile(p, edited), p, 'reconcile keeps the record of a step that still exists');
    });

    it('a skipped step whose code changed is stale too, and stale is not done', () => {
      const p = recordSkip(emptyProgress(), check, 1);
      const edited = sample({ checkCode: 'kubectl get nodes' });
      assert.equal(stepState(p, step(edited, 'check')), 'stale');
      assert.equal(nextItem(p, edited)?.id, 'check');
      assert.equal(summarize(p, edited).stale, 1);
    });

    it('a running step shows running even when its code was edited meanwhile', () => {
      const p = recordStart(emptyProgress(), check, 1);
      assert.equal(stepState(p, step(sample({ checkCode: 'true' }), 'check')), 'running');
    });

    it('an unnamed step whose code changed gets a new id: pending, and reconcile drops the old record', () => {
      const p = recordResult(emptyProgress(), drain, result(drain.id));
      const edited = sample({ drainCode: 'kubectl drain node-2' });
      const newDrain = drainStep(edited);
      assert.notEqual(newDrain.id, drain.id);
      assert.equal(stepState(p, newDrain), 'pending');
      const reconciled = reconcile(p, edited);
      assert.equal(drain.id in reconciled.steps, false);
      assert.deepEqual(Object.keys(reconciled.steps), []);
    });
  });

  describe('reconcile', () => {
    it('drops records of steps and manual steps that no longer exist and keeps the rest', () => {
      let p = recordResult(emptyProgress(), check, result('check'));
      p = recordResult(p, health, result('health'));
      p = recordManual(p, page, true, 5);
      p = recordManual(p, tell, true, 6);
      const smaller = parse(
        md('# Restart', '', '## Prepare', '', 'Check the cluster.', '', fence('bash {name=check}', 'kubectl get pods -n "$NAMESPACE"'), '', '- [ ] Page the on-call'),
      );
      const reconciled = reconcile(frozen(p), smaller);
      assert.deepEqual(Object.keys(reconciled.steps), ['check']);
      assert.deepEqual(Object.keys(reconciled.manual), [manual(smaller, 'Page the on-call').id]);
      assert.equal(reconciled.lastRunAt, p.lastRunAt);
      assert.equal(Object.keys(p.steps).length, 2, 'the input is unchanged');
    });

    it('returns the same object when nothing changes', () => {
      const p = recordManual(recordResult(emptyProgress(), check, result('check')), page, true, 1);
      assert.equal(reconcile(p, runbook), p);
      assert.equal(reconcile(p, runbook, { activeStepIds: [] }), p);
    });

    it('turns a running record restored after a reload into cancelled: interrupted', () => {
      const p = frozen(recordStart(recordStart(emptyProgress(), check, 7000), health, 7100));
      const reconciled = reconcile(p, runbook, { activeStepIds: [] });
      assert.deepEqual(reconciled.steps.check, { state: 'cancelled', startedAt: 7000, message: INTERRUPTED_MESSAGE, codeHash: codeHash(check) });
      assert.equal(stepState(reconciled, health), 'cancelled');
      assert.equal(INTERRUPTED_MESSAGE, 'interrupted (the window was reloaded or closed)');
    });

    it('leaves running records alone when no active ids are given, and keeps the active ones', () => {
      const p = recordStart(recordStart(emptyProgress(), check, 7000), health, 7100);
      assert.equal(reconcile(p, runbook), p);
      const reconciled = reconcile(p, runbook, { activeStepIds: new Set(['health']) });
      assert.equal(stepState(reconciled, health), 'running');
      assert.equal(stepState(reconciled, check), 'cancelled');
    });
  });

  describe('summarize and nextItem', () => {
    it('counts done, total and failed; names the running step; ignores an untouched skip step', () => {
      let p: RunbookProgress = emptyProgress();
      assert.deepEqual(summarize(p, runbook), { done: 0, total: 5, failed: 0, stale: 0 });
      p = recordResult(p, check, result('check', { startedAt: 100, durationMs: 10 }));
      p = recordManual(p, page, true, 200);
      p = recordResult(p, drain, result(drain.id, { status: 'failed', exitCode: 1, startedAt: 300, durationMs: 10 }));
      p = recordStart(p, health, 400);
      assert.deepEqual(summarize(p, runbook), { done: 2, total: 5, failed: 1, stale: 0, running: health.title, lastRunAt: 400 });
      p = recordResult(p, health, result('health', { status: 'timed-out', startedAt: 400, durationMs: 100 }));
      p = recordSkip(p, tell, 600);
      assert.deepEqual(summarize(p, runbook), { done: 3, total: 5, failed: 2, stale: 0, lastRunAt: 600 });
    });

    it('counts a skip step once it has a record', () => {
      const p = recordResult(emptyProgress(), rollback, result('rollback'));
      assert.deepEqual(summarize(p, runbook), { done: 1, total: 6, failed: 0, stale: 0, lastRunAt: p.lastRunAt });
    });

    it('nextItem walks the items in document order, passing over done items and skip steps', () => {
      let p: RunbookProgress = emptyProgress();
      assert.equal(nextItem(p, runbook), check);
      p = recordResult(p, check, result('check'));
      assert.equal(nextItem(p, runbook), page);
      p = recordManual(p, page, true, 1);
      assert.equal(nextItem(p, runbook), drain);
      p = recordResult(p, drain, result(drain.id, { status: 'failed', exitCode: 1 }));
      assert.equal(nextItem(p, runbook), drain, 'a failed step is where Continue resumes');
      p = recordSkip(p, drain, 2);
      assert.equal(nextItem(p, runbook), health, 'the skip step (rollback) is passed over');
      p = recordStart(p, health, 3);
      assert.equal(nextItem(p, runbook), health, 'a running step is not done');
      p = recordResult(p, health, result('health', { status: 'cancelled', exitCode: undefined }));
      assert.equal(nextItem(p, runbook), health, 'a cancelled step is not done');
      p = recordResult(p, health, result('health'));
      assert.equal(nextItem(p, runbook), tell);
      p = recordSkip(p, tell, 4);
      assert.equal(nextItem(p, runbook), undefined);
      assert.equal(summarize(p, runbook).done, summarize(p, runbook).total);
    });
  });

  describe('outputTail', () => {
    it('keeps the last 20 lines by default, not counting a final newline', () => {
      const output = Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n') + '\n';
      const tail = outputTail(output);
      assert.equal(tail.split('\n').length, 20);
      assert.ok(tail.startsWith('l10\n') && tail.endsWith('l29'));
      assert.equal(outputTail('a\nb\n'), 'a\nb');
      assert.equal(outputTail('a\r\nb\r\n'), 'a\r\nb');
      assert.equal(outputTail(''), '');
      assert.deepEqual(tailOf('a\nb\n'), { tail: 'a\nb', truncated: false });
    });

    it('honours maxLines and maxChars, whichever cuts more', () => {
      assert.equal(outputTail('1\n2\n3\n4', 2), '3\n4');
      assert.equal(outputTail('abcdef\nghijkl', 20, 4), 'ijkl');
      assert.deepEqual(tailOf('x'.repeat(5000)), { tail: 'x'.repeat(4000), truncated: true });
      assert.equal(outputTail('one line, short', 1, 100), 'one line, short');
    });

    it('never starts with half a surrogate pair', () => {
      const tail = outputTail('a😀😀', 20, 3);
      assert.equal(tail, '😀');
      assert.equal(tail.charCodeAt(0), 0xd83d);
    });
  });
});
