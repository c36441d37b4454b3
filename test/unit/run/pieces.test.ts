// The engine's building blocks on their own: the output buffer, the secret masker, the expected
// output check, and the process-tree killer against real processes.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { checkExpected, lineDiff } from '../../../src/core/run/expected';
import { OutputBuffer } from '../../../src/core/run/outputBuffer';
import { descendants, isAlive, killTree } from '../../../src/core/run/processTree';
import { MASK, SecretMasker } from '../../../src/core/run/secretMasker';
import { killLeftovers, processesWith, uniqueDigits, waitFor } from './helpers';

describe('engine pieces', () => {
  describe('OutputBuffer', () => {
    it('keeps everything under the limit', () => {
      const buffer = new OutputBuffer(10);
      buffer.append(Buffer.from('abc'));
      buffer.append(Buffer.from('def'));
      assert.equal(buffer.text(), 'abcdef');
      assert.equal(buffer.total, 6);
      assert.equal(buffer.dropped, 0);
    });

    it('keeps the newest bytes and counts the rest as dropped', () => {
      const buffer = new OutputBuffer(5);
      for (const piece of ['abc', 'defg', 'h', 'ijklmnop']) buffer.append(Buffer.from(piece));
      assert.equal(buffer.text(), 'lmnop');
      assert.equal(buffer.total, 16);
      assert.equal(buffer.dropped, 11);
    });

    it('takes the tail of a chunk larger than the limit', () => {
      const buffer = new OutputBuffer(4);
      buffer.append(Buffer.from('xy'));
      buffer.append(Buffer.from('0123456789'));
      assert.equal(buffer.text(), '6789');
      assert.equal(buffer.dropped, 8);
    });

    it('drops a character cut in half at the front', () => {
      const buffer = new OutputBuffer(3);
      buffer.append(Buffer.from('éé')); // 4 bytes: the first é loses its first byte
      assert.equal(buffer.text(), 'é');
    });
  });

  describe('SecretMasker', () => {
    it('masks every occurrence in a whole text', () => {
      assert.equal(new SecretMasker(['hunter2']).mask('a hunter2 b hunter2'), `a ${MASK} b ${MASK}`);
    });

    it('masks a secret split over many pushes, and holds back only a possible prefix', () => {
      const masker = new SecretMasker(['abcdef']);
      const shown = ['x a', 'b', 'cd', 'ef y a', 'bcdef'].map((piece) => masker.push(piece));
      const all = shown.join('') + masker.flush();
      assert.equal(all, `x ${MASK} y ${MASK}`);
      for (const piece of shown) assert.doesNotMatch(piece, /ab|bc|cd|de|ef/);
    });

    it('masks the longer of two overlapping secrets whole', () => {
      assert.equal(new SecretMasker(['pass', 'password1']).mask('password1 pass'), `${MASK} ${MASK}`);
    });

    it('leaves values shorter than 3 characters alone and is inactive without secrets', () => {
      const masker = new SecretMasker(['ab', '']);
      assert.equal(masker.active, false);
      assert.equal(masker.push('abab'), 'abab');
    });
  });

  describe('checkExpected', () => {
    const expected = (text: string, match: 'contains' | 'exact' | 'regex') => ({ text, match, startLine: 0, endLine: 0 });

    it('ignores CRLF, trailing spaces and blank lines around the output', () => {
      assert.equal(checkExpected('\r\nhello   \r\nworld\r\n\r\n', expected('hello\nworld\n', 'exact')).ok, true);
    });

    it('compares exact output exactly otherwise', () => {
      const check = checkExpected('hello\nworld\n', expected('hello', 'exact'));
      assert.equal(check.ok, false);
      assert.equal(check.diff, '  hello\n+ world');
    });

    it('matches a regex on any line', () => {
      assert.equal(checkExpected('a\nready: 3/3\nb', expected('^ready: (\\d+)/\\1$', 'regex')).ok, true);
      assert.equal(checkExpected('a\nready: 2/3\nb', expected('^ready: (\\d+)/\\1$', 'regex')).ok, false);
    });

    it('lineDiff marks missing expected lines with - and extra lines with +', () => {
      assert.equal(lineDiff('a\nb\nc', 'a\nc\nd'), '  a\n- b\n  c\n+ d');
      assert.equal(lineDiff('same', 'same'), '  same');
    });
  });

  describe('processTree', function () {
    this.timeout(10_000);
    let marker: string;
    beforeEach(() => {
      marker = `30.${uniqueDigits()}`;
    });
    afterEach(() => killLeftovers(marker));

    it('finds descendants, including one in its own session, and kills them all', async () => {
      // The marker travels in the environment, so only the sleeps have it on their command line.
      const env = { ...process.env, MARKER: marker };
      const child = spawn('bash', ['-c', 'sleep "$MARKER" & setsid sleep "$MARKER" & (sleep "$MARKER"; true) & wait'], { detached: true, stdio: 'ignore', env });
      const pid = child.pid as number;
      await waitFor(() => processesWith(marker).length === 3, 5000, 'three sleeps');
      const found = descendants(pid);
      for (const sleeper of processesWith(marker)) assert.ok(found.includes(sleeper), `${sleeper} is not among the descendants ${found}`);
      assert.equal(isAlive(pid), true);
      await killTree(pid, 1000);
      await waitFor(() => !isAlive(pid), 2000, 'the parent to end');
      assert.deepEqual(processesWith(marker), []);
    });

    it('follows SIGTERM with SIGKILL for a process that ignores it', async () => {
      const env = { ...process.env, MARKER: marker };
      const child = spawn('bash', ['-c', `trap '' TERM; sleep "$MARKER"; true`], { detached: true, stdio: 'ignore', env });
      const pid = child.pid as number;
      await waitFor(() => processesWith(marker).length === 1, 5000, 'the sleep');
      const started = Date.now();
      await killTree(pid, 300);
      assert.ok(Date.now() - started >= 250, 'killTree returned before its grace period');
      assert.deepEqual(processesWith(marker), []);
      await waitFor(() => !isAlive(pid), 2000, 'the parent to end');
    });

    it('says a zombie is not alive', async () => {
      // A child of ours that exited but is not reaped yet is a zombie until Node reaps it; a
      // long-gone pid is not alive either.
      assert.equal(isAlive(2 ** 22 + 12345), false);
      assert.equal(isAlive(process.pid), true);
    });
  });
});
