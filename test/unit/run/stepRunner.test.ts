// runStep against real interpreters: exit codes, output, errexit/pipefail, interpreters and
// working directories that are missing, and the other steps that must not start.

import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStep } from '../../../src/core/run/stepRunner';
import { assertPassed, describeResult, fence, makeTempDir, md, removeDir, runbookIn, runOnly } from './helpers';

describe('runStep: real processes', function () {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  describe('exit status and output', () => {
    it('passes a step that exits 0 and reports its output, exit code and timing', async () => {
      const before = Date.now();
      const result = await runOnly(runbookIn(dir, fence('bash', 'echo hello', 'echo world')));
      assertPassed(result);
      assert.equal(result.exitCode, 0);
      assert.equal(result.output, 'hello\nworld\n');
      assert.equal(result.totalBytes, 12);
      assert.equal(result.droppedBytes, 0);
      assert.equal(result.message, undefined);
      assert.equal(result.notStarted, undefined);
      assert.ok(result.startedAt >= before && result.startedAt <= Date.now());
      assert.ok(result.durationMs >= 0);
    });

    it('fails a step that exits 3, with the exit code in the result and the message', async () => {
      const result = await runOnly(runbookIn(dir, fence('bash', 'echo before', 'exit 3')));
      assert.equal(result.status, 'failed', describeResult(result));
      assert.equal(result.exitCode, 3);
      assert.equal(result.output, 'before\n');
      assert.equal(result.message, 'The step exited with code 3.');
      assert.equal(result.notStarted, undefined);
    });

    it('captures stderr and interleaves it with stdout in the order it was written', async () => {
      const result = await runOnly(
        runbookIn(dir, fence('bash', 'echo out-1', 'sleep 0.05', 'echo err-1 >&2', 'sleep 0.05', 'echo out-2', 'sleep 0.05', 'echo err-2 >&2')),
      );
      assertPassed(result);
      assert.equal(result.output, 'out-1\nerr-1\nout-2\nerr-2\n');
    });

    it('streams output to onOutput with the stream it came from', async () => {
      const seen: Array<[string, string]> = [];
      const result = await runOnly(runbookIn(dir, fence('bash', 'echo to-out', 'sleep 0.05', 'echo to-err >&2')), {
        onOutput: (text, stream) => seen.push([stream, text]),
      });
      assertPassed(result);
      assert.equal(seen.filter(([s]) => s === 'stdout').map(([, t]) => t).join(''), 'to-out\n');
      assert.equal(seen.filter(([s]) => s === 'stderr').map(([, t]) => t).join(''), 'to-err\n');
    });

    it('keeps multi-byte characters whole when they are split across chunks', async () => {
      // "é" is two bytes in UTF-8: print the first, wait, print the second.
      const result = await runOnly(runbookIn(dir, fence('bash', "printf '\\303'", 'sleep 0.1', "printf '\\251\\n'")));
      assertPassed(result);
      assert.equal(result.output, 'é\n');
    });

    it('reports a step killed by a signal as failed with the signal', async () => {
      const result = await runOnly(runbookIn(dir, fence('bash', 'kill -KILL $$')));
      assert.equal(result.status, 'failed', describeResult(result));
      assert.equal(result.signal, 'SIGKILL');
      assert.equal(result.exitCode, undefined);
      assert.match(result.message ?? '', /killed by SIGKILL/);
    });

    it('gives the step no stdin, so a command reading it does not hang', async () => {
      const result = await runOnly(runbookIn(dir, fence('bash {timeout=5}', 'cat', 'echo after-cat')));
      assertPassed(result);
      assert.equal(result.output, 'after-cat\n');
    });
  });

  describe('errexit and pipefail', () => {
    it('stops at the first failing command by default', async () => {
      const result = await runOnly(runbookIn(dir, fence('bash', 'false', 'echo x')));
      assert.equal(result.status, 'failed', describeResult(result));
      assert.equal(result.exitCode, 1);
      assert.equal(result.output, '');
    });

    it('stops on `false; echo x` on one line too', async () => {
      const result = await runOnly(runbookIn(dir, fence('bash', 'false; echo x')));
      assert.equal(result.status, 'failed');
      assert.doesNotMatch(result.output, /x/);
    });

    it('fails a pipeline whose first command fails (pipefail)', async () => {
      const result = await runOnly(runbookIn(dir, fence('bash', 'false | true', 'echo after')));
      assert.equal(result.status, 'failed', describeResult(result));
      assert.notEqual(result.exitCode, 0);
      assert.equal(result.output, '');
    });

    it('turns both off with {errexit=false}', async () => {
      const result = await runOnly(runbookIn(dir, fence('bash {errexit=false}', 'false', 'echo x', 'false | true', 'echo "pipe $?"')));
      assertPassed(result);
      assert.equal(result.output, 'x\npipe 0\n');
    });

    it('with {errexit=false}, the exit status is the last command’s', async () => {
      const result = await runOnly(runbookIn(dir, fence('bash {errexit=false}', 'echo x', 'false')));
      assert.equal(result.status, 'failed');
      assert.equal(result.exitCode, 1);
      assert.equal(result.output, 'x\n');
    });

    it('applies errexit to sh steps too', async () => {
      const result = await runOnly(runbookIn(dir, fence('sh', 'false', 'echo x')));
      assert.equal(result.status, 'failed');
      assert.equal(result.output, '');
    });
  });

  describe('interpreters', () => {
    it('runs python steps with python3, unbuffered, inputs in os.environ', async () => {
      const runbook = runbookIn(
        dir,
        md('---', 'inputs:', '  NAMESPACE: { default: payments }', '---', '', fence('python', 'import os, sys', 'print(os.environ["NAMESPACE"])', 'print("err", file=sys.stderr)', 'sys.exit(3)')),
      );
      const result = await runOnly(runbook);
      assert.equal(result.status, 'failed', describeResult(result));
      assert.equal(result.exitCode, 3);
      assert.match(result.output, /^payments\n/);
      assert.match(result.output, /err\n/);
    });

    it('runs node steps with node, inputs in process.env', async () => {
      const runbook = runbookIn(dir, md('---', 'inputs:', '  TARGET: { choices: [staging, production] }', '---', '', fence('js', 'console.log(process.env.TARGET, typeof require)')));
      const result = await runOnly(runbook, { values: { TARGET: 'staging' } });
      assertPassed(result);
      assert.equal(result.output, 'staging function\n');
    });

    it('uses the front matter `shell` for `shell` blocks', async () => {
      const runbook = runbookIn(dir, md('---', 'shell: sh', '---', '', fence('shell', 'echo "$BASH_VERSION|"')));
      assert.equal(runbook.steps[0].interpreter, 'sh');
      const result = await runOnly(runbook);
      assertPassed(result);
      // sh (dash) is not bash, so it has no BASH_VERSION… unless sh is bash, in which case skip the check.
      if (!result.output.startsWith('|')) assert.match(result.output, /\|\n$/);
    });

    it('does not start when the interpreter is not installed, and names it', async () => {
      const runbook = runbookIn(dir, fence('python', 'print(1)'));
      const result = await runOnly(runbook, { interpreter: 'definitely-not-installed-xyz' });
      assert.equal(result.status, 'failed');
      assert.equal(result.notStarted, true);
      assert.equal(result.exitCode, undefined);
      assert.match(result.message ?? '', /definitely-not-installed-xyz/);
      assert.match(result.message ?? '', /not installed|not on PATH/);
    });

    it('does not start when an absolute interpreter path does not exist', async () => {
      const result = await runOnly(runbookIn(dir, fence('bash', 'echo 1')), { interpreter: join(dir, 'no-such-shell') });
      assert.equal(result.notStarted, true);
      assert.match(result.message ?? '', /no-such-shell/);
    });

    it('does not start a zsh or pwsh step when the program is absent from PATH', async () => {
      const runbook = runbookIn(dir, md(fence('zsh {name=z}', 'echo z'), '', fence('pwsh {name=p}', 'Write-Output p')));
      const emptyPath = { ...process.env, PATH: join(dir, 'empty-bin') };
      for (const [name, program] of [['z', 'zsh'], ['p', 'pwsh']]) {
        const result = await runOnly(runbook, { name, baseEnv: emptyPath });
        assert.equal(result.notStarted, true, describeResult(result));
        assert.match(result.message ?? '', new RegExp(`^${program} is not installed`));
      }
    });

    it('takes extra interpreter arguments from the override', async () => {
      const result = await runOnly(runbookIn(dir, fence('bash', 'echo "$-"')), { interpreter: 'bash -x' });
      assertPassed(result);
      assert.match(result.output, /\+ echo/); // bash -x traces to stderr, interleaved into output
    });
  });

  describe('working directory', () => {
    it("runs in the runbook's folder by default", async () => {
      const result = await runOnly(runbookIn(dir, fence('bash', 'pwd')));
      assert.equal(result.output, `${dir}\n`);
    });

    it('runs in {cwd=…} relative to the runbook folder', async () => {
      mkdirSync(join(dir, 'k8s'));
      const result = await runOnly(runbookIn(dir, fence('bash {cwd=./k8s}', 'pwd')));
      assert.equal(result.output, `${join(dir, 'k8s')}\n`);
    });

    it('runs in the front matter cwd, and a step cwd is relative to it', async () => {
      mkdirSync(join(dir, 'deploy', 'sub'), { recursive: true });
      const runbook = runbookIn(dir, md('---', 'cwd: ./deploy', '---', '', fence('bash {name=a}', 'pwd'), '', fence('python {name=b cwd=sub}', 'import os; print(os.getcwd())')));
      assert.equal((await runOnly(runbook, { name: 'a' })).output, `${join(dir, 'deploy')}\n`);
      assert.equal((await runOnly(runbook, { name: 'b' })).output, `${join(dir, 'deploy', 'sub')}\n`);
    });

    it('tells python and node steps where they run through PWD, like a shell would', async () => {
      mkdirSync(join(dir, 'sub'));
      const runbook = runbookIn(dir, md(fence('python {name=py cwd=sub}', 'import os; print(os.environ.get("PWD") == os.getcwd(), os.getcwd())'), '', fence('node {name=js cwd=sub}', 'console.log(process.env.PWD === process.cwd())')));
      const baseEnv = { ...process.env, PWD: '/somewhere/else' };
      assert.equal((await runOnly(runbook, { name: 'py', baseEnv })).output, `True ${join(dir, 'sub')}\n`);
      assert.equal((await runOnly(runbook, { name: 'js', baseEnv })).output, 'true\n');
    });

    it('does not start when {cwd=./nope} does not exist, and names the directory', async () => {
      const result = await runOnly(runbookIn(dir, fence('bash {cwd=./nope}', 'echo should-not-run')));
      assert.equal(result.status, 'failed');
      assert.equal(result.notStarted, true);
      assert.equal(result.output, '');
      assert.ok(result.message?.includes(join(dir, 'nope')), result.message);
      assert.match(result.message ?? '', /does not exist/);
    });

    it('does not start when cwd is a file', async () => {
      writeFileSync(join(dir, 'afile'), '');
      const result = await runOnly(runbookIn(dir, fence('bash {cwd=afile}', 'echo no')));
      assert.equal(result.notStarted, true);
      assert.match(result.message ?? '', /afile.*is not a directory/);
    });
  });

  describe('timeouts come from the step, else the runbook, else the option', () => {
    it('uses the front matter timeout when the step has none', async () => {
      const runbook = runbookIn(dir, md('---', 'timeout: 500ms', '---', '', fence('bash', 'sleep 5')));
      const result = await runOnly(runbook);
      assert.equal(result.status, 'timed-out', describeResult(result));
    });

    it('uses defaultTimeoutMs when neither sets one', async () => {
      const result = await runOnly(runbookIn(dir, fence('bash', 'sleep 5')), { defaultTimeoutMs: 300 });
      assert.equal(result.status, 'timed-out', describeResult(result));
      assert.match(result.message ?? '', /^Timed out after/);
    });
  });

  describe('cancellation before the start', () => {
    it('does not start a step whose signal is already aborted', async () => {
      const marker = join(dir, 'ran');
      const controller = new AbortController();
      controller.abort();
      const runbook = runbookIn(dir, fence('bash', `touch '${marker}'`));
      const result = await runStep({ runbook, step: runbook.steps[0], values: {}, signal: controller.signal });
      assert.equal(result.status, 'cancelled');
      assert.equal(result.notStarted, true);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(existsSync(marker), false);
    });
  });
});
