// What a step's output becomes: transcripts run only their commands, secrets are masked however
// the output is chunked, huge output costs bounded memory, and expected output is checked.

import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { DEFAULT_OUTPUT_LIMIT } from '../../../src/core/run/outputBuffer';
import { MASK } from '../../../src/core/run/secretMasker';
import type { StepResult } from '../../../src/core/run/types';
import { emptyProgress, historyEntry, recordResult, renderRunReport } from '../../../src/core/progress';
import { assertPassed, describeResult, fence, makeTempDir, md, removeDir, runbookIn, runOnly } from './helpers';

describe('runStep: output', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  describe('console transcripts', () => {
    it('runs only the `$ ` commands, never the output lines', async () => {
      const trap = join(dir, 'output-line-ran');
      const runbook = runbookIn(
        dir,
        fence('console', '$ echo one', 'one', `touch ${trap}`, '$ echo two', 'two', 'exit 7'),
      );
      assert.equal(runbook.steps[0].transcript, true);
      const result = await runOnly(runbook);
      assertPassed(result);
      assert.equal(result.output, 'one\ntwo\n');
      assert.equal(existsSync(trap), false, 'an output line of the transcript was executed');
    });

    it('keeps `\\` continuation lines of a command', async () => {
      const runbook = runbookIn(dir, fence('console', '$ echo first \\', '    second \\', '    third', 'first second third', '$ echo done', 'done'));
      const result = await runOnly(runbook);
      assertPassed(result);
      assert.equal(result.output, 'first second third\ndone\n');
    });

    it('runs a bash block with prompts as a transcript too', async () => {
      const runbook = runbookIn(dir, fence('bash', '$ printf "%s\\n" a', 'a', 'false'));
      const result = await runOnly(runbook);
      assertPassed(result);
      assert.equal(result.output, 'a\n');
    });

    it('runs a console block without prompts as it stands', async () => {
      const result = await runOnly(runbookIn(dir, fence('console', 'echo plain')));
      assertPassed(result);
      assert.equal(result.output, 'plain\n');
    });
  });

  describe('secret masking', () => {
    const SECRET = 'abcdef';

    it('masks a secret split across chunks in the result and in what onOutput sees', async () => {
      const runbook = runbookIn(dir, fence('bash', "printf 'token=ab'", 'sleep 0.1', "printf 'cdef;\\n'", 'sleep 0.1', "printf 'again abc'", 'sleep 0.1', "printf 'def\\n' >&2"));
      const chunks: string[] = [];
      const result = await runOnly(runbook, { secrets: [SECRET], onOutput: (text) => chunks.push(text) });
      assertPassed(result);
      assert.ok(chunks.length >= 2, `expected several chunks, got ${JSON.stringify(chunks)}`);
      for (const chunk of chunks) assert.ok(!chunk.includes('ab') || !chunk.includes('cdef'), `chunk shows the secret: ${chunk}`);
      const streamed = chunks.join('');
      assert.doesNotMatch(streamed, /abcdef/);
      assert.doesNotMatch(result.output, /abcdef/);
      assert.equal(result.output, `token=${MASK};\nagain ${MASK}\n`);
      assert.equal(streamed, result.output);
    });

    it('never shows the start of a secret before the rest has arrived', async () => {
      const runbook = runbookIn(dir, fence('bash', "printf 'x abc'", 'sleep 0.2', "printf 'def y\\n'"));
      const seen: Array<{ at: number; text: string }> = [];
      const start = Date.now();
      const result = await runOnly(runbook, { secrets: [SECRET], onOutput: (text) => seen.push({ at: Date.now() - start, text }) });
      assertPassed(result);
      const shown = seen.map((s) => s.text).join('');
      assert.equal(shown, `x ${MASK} y\n`);
      assert.ok(!seen.some((s) => s.text.includes('abc')), JSON.stringify(seen));
    });

    it('masks several secrets, the longest first', async () => {
      const runbook = runbookIn(dir, fence('bash', 'echo "$API_TOKEN / $PASSWORD_XYZ / secret-token-long"'));
      const result = await runOnly(runbook, {
        values: { API_TOKEN: 'secret-token', PASSWORD_XYZ: 'secret-token-long' },
        secrets: ['secret-token', 'secret-token-long'],
      });
      assertPassed(result);
      assert.equal(result.output, `${MASK} / ${MASK} / ${MASK}\n`);
    });

    it('masks a secret printed by python, with multi-byte text around it', async () => {
      const runbook = runbookIn(dir, fence('python', 'import os, sys, time', 'sys.stdout.write("é " + os.environ["API_TOKEN"][:3]); sys.stdout.flush()', 'time.sleep(0.1)', 'print(os.environ["API_TOKEN"][3:] + " ü")'));
      const result = await runOnly(runbook, { values: { API_TOKEN: 'sëcrét-välue' }, secrets: ['sëcrét-välue'] });
      assertPassed(result);
      assert.equal(result.output, `é ${MASK} ü\n`);
    });

    describe('as the README promises: with colour codes inside the secret, and printed trimmed', () => {
      const PASSWORD = 'hunter2';
      const SECRET_INPUT = md('---', 'inputs:', '  API_TOKEN: { secret: true }', '---', '');
      /** What a terminal shows: the text without its escape sequences. */
      const visible = stripVTControlCharacters;

      /** Runs the step with the secret and checks every text the engine and its records give: none shows it. */
      async function runMasked(code: string[], value: string): Promise<StepResult> {
        const runbook = runbookIn(dir, md(SECRET_INPUT, fence('bash {name=leak}', ...code)));
        const chunks: string[] = [];
        const result = await runOnly(runbook, { values: { API_TOKEN: value }, secrets: [value], onOutput: (text) => chunks.push(text) });
        assertPassed(result);
        const step = runbook.steps[0];
        const progress = recordResult(emptyProgress(), step, result);
        const history = historyEntry({ runbookKey: 'x.runbook.md', runbook, where: 'cli', step, result, inputs: { API_TOKEN: value }, secretNames: new Set(['API_TOKEN']) });
        const report = renderRunReport({ runbook, runbookPath: 'x.runbook.md', progress, inputs: { API_TOKEN: value }, secretNames: new Set(['API_TOKEN']), now: Date.now() });
        const texts: Record<string, string> = {
          output: result.output,
          streamed: chunks.join(''),
          message: result.message ?? '',
          progress: `${progress.steps[step.id]?.outputTail ?? ''}\n${progress.steps[step.id]?.message ?? ''}`,
          history: JSON.stringify(history),
          report,
        };
        for (const [where, text] of Object.entries(texts)) assert.ok(!visible(text).includes(PASSWORD), `${where} shows the secret: ${JSON.stringify(text)}`);
        assert.equal(chunks.join(''), result.output);
        return result;
      }

      it('masks a secret with a colour code inside it (printf, grep --color) in the output, the stream, progress, history and the report', async () => {
        const result = await runMasked(["printf 'hun\\033[31mter2\\n'", 'echo "token=$API_TOKEN;" | grep --color=always ter'], PASSWORD);
        // The mask, then the escape sequences that were inside the secret, so the colours still switch as printed.
        const [first, second] = result.output.split('\n');
        assert.equal(first, `${MASK}\x1b[31m`);
        assert.equal(visible(second), `token=${MASK};`);
        assert.ok(second.includes('\x1b['), `grep did not colour the line: ${JSON.stringify(second)}`);
      });

      it('masks a secret given with spaces around it where the step prints it trimmed, and with them', async () => {
        const result = await runMasked(['echo $API_TOKEN', 'echo "[$API_TOKEN]"', 'printf "%s\\n" "${API_TOKEN// /}"'], `  ${PASSWORD}\t`);
        assert.equal(result.output, `${MASK}\n[${MASK}]\n${MASK}\t\n`);
      });
    });

    it('masks secrets in expected-output differences too', async () => {
      const runbook = runbookIn(dir, md(fence('bash', 'echo "key=$API_TOKEN"'), fence('output {match=exact}', 'key=other')));
      const result = await runOnly(runbook, { values: { API_TOKEN: 'hunter2-secret' }, secrets: ['hunter2-secret'] });
      assert.equal(result.status, 'failed');
      assert.doesNotMatch(JSON.stringify(result), /hunter2/);
      assert.match(result.expected?.diff ?? '', /\+ key=••••/);
    });
  });

  describe('huge output', function () {
    this.timeout(60_000);

    it('streams 50 MiB with bounded memory, keeping only the newest 2 MiB', async () => {
      const size = 50 * 1024 * 1024;
      const runbook = runbookIn(dir, fence('bash', `head -c ${size} /dev/zero | tr '\\0' 'a'`, 'printf "\\nthe end\\n"'));
      global.gc?.();
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakBuffers = before.arrayBuffers;
      let streamed = 0;
      const sampler = setInterval(() => {
        const now = process.memoryUsage();
        peakRss = Math.max(peakRss, now.rss);
        peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
      }, 10);
      let result;
      try {
        result = await runOnly(runbook, { onOutput: (text) => (streamed += text.length) });
      } finally {
        clearInterval(sampler);
      }
      const after = process.memoryUsage();
      peakRss = Math.max(peakRss, after.rss);
      peakBuffers = Math.max(peakBuffers, after.arrayBuffers);
      assertPassed(result);
      const total = size + '\nthe end\n'.length;
      assert.equal(result.totalBytes, total);
      assert.equal(streamed, total, 'onOutput did not see every byte');
      assert.ok(result.output.length <= DEFAULT_OUTPUT_LIMIT, `output is ${result.output.length} characters`);
      assert.ok(result.output.length >= DEFAULT_OUTPUT_LIMIT - 16, 'the newest 2 MiB should be kept');
      assert.ok(result.output.endsWith('aaaa\nthe end\n'));
      assert.equal(result.droppedBytes, total - result.output.length);
      const MiB = 1024 * 1024;
      assert.ok(peakRss - before.rss < 200 * MiB, `rss grew by ${Math.round((peakRss - before.rss) / MiB)} MiB`);
      // Keeping every chunk would hold 50 MiB of buffers; the engine keeps ~2 MiB plus chunks in flight.
      assert.ok(peakBuffers - before.arrayBuffers < 32 * MiB, `buffers grew by ${Math.round((peakBuffers - before.arrayBuffers) / MiB)} MiB`);
    });

    it('masks secrets in 20 MiB of output without holding it all', async () => {
      const size = 20 * 1024 * 1024;
      const runbook = runbookIn(dir, fence('bash', `head -c ${size} /dev/zero | tr '\\0' 'b'`, 'echo " $API_TOKEN"'));
      const before = process.memoryUsage().arrayBuffers;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 10);
      let result;
      try {
        result = await runOnly(runbook, { values: { API_TOKEN: 'sekrit-value' }, secrets: ['sekrit-value'] });
      } finally {
        clearInterval(sampler);
      }
      assertPassed(result);
      assert.ok(result.output.endsWith(`bbbb ${MASK}\n`), result.output.slice(-50));
      assert.ok(result.output.length <= DEFAULT_OUTPUT_LIMIT);
      assert.equal(result.totalBytes, result.droppedBytes + Buffer.byteLength(result.output));
      assert.equal(result.totalBytes, size + Buffer.byteLength(` ${MASK}\n`)); // counted after masking
      assert.ok(peak - before < 32 * 1024 * 1024, `buffers grew by ${Math.round((peak - before) / 1024 / 1024)} MiB`);
    });

    it('honours a smaller outputLimit and notes truncation in the expected-output check', async () => {
      const runbook = runbookIn(dir, md(fence('bash', 'seq 1 20000'), fence('output', '1\n2\n3')));
      const result = await runOnly(runbook, { outputLimit: 1000 });
      assert.equal(result.status, 'failed', describeResult(result));
      assert.ok(result.output.length <= 1000);
      assert.ok(result.droppedBytes > 0);
      assert.equal(result.totalBytes, result.output.length + result.droppedBytes);
      assert.match(result.output, /\n20000\n$/);
      assert.match(result.expected?.message ?? '', /only the newest output was kept/);
    });
  });

  describe('expected output', () => {
    const cases: Array<{ match: string; expected: string[]; ok: boolean }> = [
      { match: 'contains', expected: ['world'], ok: true },
      { match: 'contains', expected: ['hello', 'world'], ok: true },
      { match: 'contains', expected: ['mars'], ok: false },
      { match: 'exact', expected: ['hello', 'world'], ok: true },
      { match: 'exact', expected: ['hello'], ok: false },
      { match: 'regex', expected: ['^hel+o$'], ok: true },
      { match: 'regex', expected: ['^world\\d+$'], ok: false },
    ];
    for (const { match, expected, ok } of cases) {
      it(`${ok ? 'passes' : 'fails'} ${match} ${JSON.stringify(expected.join('\n'))}`, async () => {
        const runbook = runbookIn(dir, md(fence('bash', 'echo hello', 'echo "world  "'), fence(`output {match=${match}}`, ...expected)));
        assert.equal(runbook.steps[0].expected?.match, match);
        const result = await runOnly(runbook);
        assert.equal(result.exitCode, 0);
        assert.equal(result.status, ok ? 'passed' : 'failed', describeResult(result));
        assert.equal(result.expected?.ok, ok);
        if (ok) {
          assert.equal(result.expected?.diff, undefined);
          assert.equal(result.message, undefined);
        } else {
          assert.match(result.message ?? '', /^Output does not (contain|equal|match the pattern) the expected output\.$/);
          assert.equal(result.message, result.expected?.message);
          assert.ok(result.expected?.diff);
        }
      });
    }

    it('shows the difference line by line', async () => {
      const runbook = runbookIn(dir, md(fence('bash', 'printf "alpha\\nbeta\\ngamma\\n"'), fence('expected {match=exact}', 'alpha', 'BETA', 'gamma')));
      const result = await runOnly(runbook);
      assert.equal(result.status, 'failed');
      assert.equal(result.expected?.diff, ['  alpha', '+ beta', '- BETA', '  gamma'].join('\n'));
    });

    it('is not checked when the step fails anyway', async () => {
      const runbook = runbookIn(dir, md(fence('bash', 'echo hello', 'exit 3'), fence('output', 'hello')));
      const result = await runOnly(runbook);
      assert.equal(result.status, 'failed');
      assert.equal(result.message, 'The step exited with code 3.');
      assert.equal(result.expected, undefined);
    });
  });
});
