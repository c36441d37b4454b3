import { strict as assert } from 'node:assert';
import { durationProblem, formatDuration, MAX_TIMEOUT_MS, parseDuration } from '../../../src/core/runbook';

describe('runbook durations', () => {
  for (const [value, ms] of [
    [90, 90_000],
    [1.5, 1_500],
    ['90', 90_000],
    [' 45 ', 45_000],
    ['2.5', 2_500],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1h30m15s', 5_415_000],
    ['2m30s', 150_000],
    ['500ms', 500],
    ['1s500ms', 1_500],
    ['1.5h', 5_400_000],
    ['10M', 600_000],
  ] as const) {
    it(`parses ${JSON.stringify(value)} as ${ms} ms`, () => {
      assert.equal(parseDuration(value), ms);
    });
  }

  for (const value of [0, -1, Number.NaN, Infinity, '0', '0s', '', ' ', 'm', 'soon', '10 minutes', '1d', '-5s', '5m1h', true, null, undefined, {}, []]) {
    it(`rejects ${JSON.stringify(value) ?? String(value)}`, () => {
      assert.equal(parseDuration(value), undefined);
    });
  }

  for (const [ms, text] of [
    [250, '250ms'],
    [1_500, '1.5s'],
    [12_000, '12s'],
    [60_000, '1m'],
    [90_000, '1m 30s'],
    [3_600_000, '1h 0m'],
    [5_400_000, '1h 30m'],
  ] as const) {
    it(`formats ${ms} ms as ${text}`, () => {
      assert.equal(formatDuration(ms), text);
    });
  }

  describe('the longest timeout', () => {
    // Node's timers fire at once for more than 2^31 - 1 ms: `timeout=600h` timed out after 126 ms.
    it('is what a Node timer can hold', () => {
      assert.equal(MAX_TIMEOUT_MS, 2 ** 31 - 1);
      assert.equal(formatDuration(MAX_TIMEOUT_MS), '596h 31m');
    });

    for (const value of ['596h', '596h31m', '2147483', '2147483.647', 2_147_483, 2_147_483.647]) {
      it(`accepts ${JSON.stringify(value)}`, () => {
        const ms = parseDuration(value);
        assert.ok(ms !== undefined && ms <= MAX_TIMEOUT_MS, String(ms));
        assert.equal(durationProblem(value), undefined);
      });
    }

    for (const value of ['600h', '596h32m', '2147484', '2147483.648', 2_147_484, 1e12, '99999999999999999999h', '1e400']) {
      it(`refuses ${JSON.stringify(value)}, saying it is too long`, () => {
        assert.equal(parseDuration(value), undefined);
        assert.match(durationProblem(value) ?? '', value === '1e400' ? /is not a duration/ : /longer than the longest timeout, 596h 31m/);
      });
    }

    it('refuses a duration that rounds to 0 ms', () => {
      assert.equal(parseDuration(0.0004), undefined);
      assert.equal(parseDuration('0.0004'), undefined);
      assert.equal(parseDuration('0.001'), 1);
    });

    it('says why a value is not a duration, naming it', () => {
      assert.equal(durationProblem('soon'), 'Timeout "soon" is not a duration: write seconds (90) or 90s, 10m, 1h.');
      assert.equal(durationProblem(' 600h '), 'Timeout "600h" is longer than the longest timeout, 596h 31m: write a shorter one.');
    });
  });
});
