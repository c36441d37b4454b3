import { strict as assert } from 'node:assert';
import { formatDuration, parseDuration } from '../../../src/core/runbook';

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
});
