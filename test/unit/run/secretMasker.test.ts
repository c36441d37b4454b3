import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { MASK, SecretMasker } from '../../../src/core/run/secretMasker';

// What a terminal shows of a text: without CSI, OSC and two-character escape sequences.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]/g;
const shown = (text: string) => text.replace(ESCAPES, '');
const escapesOf = (text: string) => text.match(ESCAPES) ?? [];

/** Streams `text` through a masker in pieces cut at `cuts` (offsets), as output arrives. */
function streamed(secrets: string[], text: string, cuts: number[]): { pieces: string[]; all: string } {
  const masker = new SecretMasker(secrets);
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const point of [...points, text.length]) {
    pieces.push(masker.push(text.slice(from, point)));
    from = point;
  }
  pieces.push(masker.flush());
  return { pieces, all: pieces.join('') };
}

describe('SecretMasker', () => {
  // `grep --color=always hunt` paints the part of the secret it matched.
  const painted = 'token: \x1b[01;31m\x1b[Khunt\x1b[m\x1b[Ker2 (from grep)';

  it('masks a secret with escape sequences inside it, keeping the escape sequences', () => {
    const masked = new SecretMasker(['hunter2']).mask(painted);
    assert.equal(masked, `token: \x1b[01;31m\x1b[K${MASK}\x1b[m\x1b[K (from grep)`);
  });

  it('masks it live whatever the chunks, a secret or an escape sequence split across them', () => {
    for (let size = 1; size <= painted.length; size++) {
      const cuts = Array.from({ length: Math.ceil(painted.length / size) }, (_, i) => i * size);
      const { pieces, all } = streamed(['hunter2'], painted, cuts);
      assert.equal(all, `token: \x1b[01;31m\x1b[K${MASK}\x1b[m\x1b[K (from grep)`, `chunks of ${size}`);
      for (const piece of pieces) assert.doesNotMatch(shown(piece), /hun|unt|nte|ter|er2/, `chunks of ${size}`);
    }
  });

  it('holds back an unfinished escape sequence until it ends, then shows it as it was', () => {
    const masker = new SecretMasker(['abc']);
    assert.equal(masker.push('ok then \x1b[3'), 'ok the', 'the last 2 visible characters and the escape wait');
    assert.equal(masker.push('1mred\x1b[0m done') + masker.flush(), 'n \x1b[31mred\x1b[0m done');
  });

  it('masks OSC and two-character escape sequences inside a secret too', () => {
    const masker = new SecretMasker(['password']);
    assert.equal(masker.mask('pass\x1b]8;;http://x\x07word'), `${MASK}\x1b]8;;http://x\x07`);
    assert.equal(masker.mask('pass\x1b(Bword'), `${MASK}\x1b(B`);
    assert.equal(masker.mask('pass\x1b]0;title\x1b\\word'), `${MASK}\x1b]0;title\x1b\\`);
  });

  it('shows an ESC that starts no escape sequence as it is, and masks around it', () => {
    const masker = new SecretMasker(['abc']);
    assert.equal(masker.mask('\x1b\x01abc'), `\x1b\x01${MASK}`);
    assert.equal(masker.mask('abc\x1b'), `${MASK}\x1b`);
  });

  it('masks every part of two secrets that overlap', () => {
    assert.equal(new SecretMasker(['abcd', 'dxy']).mask('-abcdxy-'), `-${MASK}-`);
    assert.equal(new SecretMasker(['aba']).mask('ababa ab'), `${MASK} ab`);
    assert.equal(streamed(['abcd', 'dxy'], '-abcdxy-', [2, 4, 5, 6]).all, `-${MASK}-`);
  });

  it('masks a value printed without the spaces around it', () => {
    const masker = new SecretMasker(['  s3cr3t\n']);
    assert.equal(masker.mask('echo -n $TOKEN → s3cr3t.'), `echo -n $TOKEN → ${MASK}.`);
    assert.equal(masker.mask('quoted:   s3cr3t\n'), `quoted: ${MASK}`, 'the whole value, spaces and all, where it is printed whole');
    const { all } = streamed(['  s3cr3t\n'], 'a s3cr3t b', [1, 3, 5, 7]);
    assert.equal(all, `a ${MASK} b`);
  });

  it('does not hold output back for ever behind escape sequences that never end a secret', () => {
    const masker = new SecretMasker(['abcdef']);
    let out = masker.push('ab');
    for (let i = 0; i < 2000; i++) out += masker.push('\x1b[K');
    assert.ok(out.length > 1000, 'most of it was shown before the stream ended');
    assert.equal(out + masker.flush(), `ab${'\x1b[K'.repeat(2000)}`);
  });

  it('masks what a whole-text mask masks, and keeps every escape sequence, for any text and chunks', () => {
    const secrets = ['hunter2', 'abc', 'pass word', 'cde'];
    const piece = fc.oneof(
      fc.constantFrom(...secrets, ...secrets.map((s) => ` ${s} `), 'hun', 'ter2', 'ab', 'c', 'de', 'pass', ' word', 'x', '\n', ' '),
      fc.constantFrom('\x1b[01;31m', '\x1b[m', '\x1b[K', '\x1b]8;;u\x07', '\x1b(B', '\x1b[38;5;196m'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 8 }), (pieces, cuts) => {
        const text = pieces.join('');
        const whole = new SecretMasker(secrets).mask(text);
        const { all } = streamed(secrets, text, cuts);
        assert.equal(all, whole);
        assert.deepEqual(escapesOf(all), escapesOf(text), 'escape sequences are kept, in order');
        // What a reader sees is the plain text with each secret masked.
        assert.equal(shown(all), new SecretMasker(secrets).mask(shown(text)));
        for (const secret of secrets) assert.ok(!shown(all).includes(secret), `${JSON.stringify(secret)} in ${JSON.stringify(all)}`);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps text without secrets or escapes exactly, however it is cut', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        fc.pre(!text.includes('\x1b') && !text.includes('zzz'));
        assert.equal(streamed(['zzz'], text, cuts).all, text);
      }),
    );
  });
});
