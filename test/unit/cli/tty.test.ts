// `runbook run` on a terminal: a real pseudo-terminal from script(1) (util-linux, part of every
// Debian), answered as a person would, only once each prompt is on the screen. It asks for what is
// missing (a secret without echo), shows the live list, and runs the step with the typed values.

import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeDir } from '../run/helpers';
import { buildCli, CLI } from './runCli';

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs the CLI on a pseudo-terminal; `answers` are typed when their prompt text appears. */
function runOnTerminal(args: string[], cwd: string, answers: Array<[prompt: RegExp, text: string]>, watchdogMs = 20_000): Promise<{ code: number | null; screen: string; hung: boolean }> {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolveRun) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1', CI: '', GITHUB_ACTIONS: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let hung = false;
    const pending = [...answers];
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      const next = pending[0];
      if (next && next[0].test(screen)) {
        pending.shift();
        child.stdin.write(`${next[1]}\r`);
      }
    });
    const watchdog = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, watchdogMs);
    child.on('close', (code) => {
      clearTimeout(watchdog);
      child.stdin.destroy();
      resolveRun({ code, screen, hung });
    });
  });
}

describe('runbook run on a terminal (a real pseudo-terminal)', function () {
  this.timeout(60_000);
  let dir: string;
  before(async function () {
    if (!hasScript) this.skip();
    await buildCli();
  });
  beforeEach(() => {
    dir = makeTempDir('runbook-cli-tty-');
    writeFileSync(
      join(dir, 'ask.md'),
      ['---', 'inputs:', '  NAME:', '    description: who to greet', '  TOKEN:', '    secret: true', '---', '# Ask', '', '```bash', 'printf "%s|%s" "$NAME" "${#TOKEN}" > got.txt', 'echo "greeted $NAME"', '```', ''].join('\n'),
    );
  });
  afterEach(() => removeDir(dir));

  it('asks for a missing input and a secret (not echoed), runs with them and shows the list', async () => {
    const secret = 'tty-s3cret-value';
    const result = await runOnTerminal(['run', 'ask.md', '--history', join(dir, 'history.jsonl')], dir, [
      [/NAME \(who to greet\): /, 'web-1'],
      [/TOKEN: /, secret],
    ]);
    assert.equal(result.hung, false, `waited: ${result.screen}`);
    assert.equal(result.code, 0, result.screen);
    assert.equal(readFileSync(join(dir, 'got.txt'), 'utf8'), `web-1|${secret.length}`);
    assert.doesNotMatch(result.screen, new RegExp(secret), 'the secret is never shown');
    assert.match(result.screen, /✓ 1 step passed \(exit 0\)/);
    const history = readFileSync(join(dir, 'history.jsonl'), 'utf8');
    assert.doesNotMatch(history, new RegExp(secret));
    assert.match(history, /"where":"cli"/);
  });

  it('a value that fails its check is asked for again, never run', async () => {
    writeFileSync(join(dir, 'count.md'), ['---', 'inputs:', '  COUNT:', '    type: number', '    description: how many', '---', '# Count', '', '```bash', 'echo "$COUNT" > got.txt', '```', ''].join('\n'));
    const result = await runOnTerminal(['run', 'count.md', '--history', join(dir, 'history.jsonl')], dir, [
      [/COUNT \(how many\): /, '$(touch pwned)'],
      [/COUNT \(how many\): [\s\S]*COUNT \(how many\): /, '3'],
    ]);
    assert.equal(result.code, 0, result.screen);
    assert.match(result.screen, /COUNT: .*number/, 'says why it asks again');
    assert.equal(readFileSync(join(dir, 'got.txt'), 'utf8'), '3\n');
    assert.equal(spawnSync('test', ['-e', join(dir, 'pwned')]).status, 1, 'the refused value never ran');
  });

  describe('a step that asks for confirmation, answered on the terminal', () => {
    beforeEach(() => {
      writeFileSync(
        join(dir, 'confirm.md'),
        ['# Confirm', '', '```bash {name=safe}', 'touch safe.marker', '```', '', '```bash {name=careful confirm}', 'touch careful.marker', '```', '', '```bash {name=after}', 'touch after.marker', '```', ''].join('\n'),
      );
    });
    const ran = (name: string) => existsSync(join(dir, `${name}.marker`));

    it('y runs it and the steps after it', async () => {
      const result = await runOnTerminal(['run', 'confirm.md', '--history', join(dir, 'history.jsonl')], dir, [[/asks for confirmation[\s\S]*\? \[y\/N\] /, 'y']]);
      assert.equal(result.hung, false, `waited: ${result.screen}`);
      assert.equal(result.code, 0, result.screen);
      assert.match(result.screen, /Run "careful"\? \[y\/N\] /, 'it asked');
      assert.deepEqual([ran('safe'), ran('careful'), ran('after')], [true, true, true]);
    });

    it('n runs neither it nor anything after it, and exits 3', async () => {
      const result = await runOnTerminal(['run', 'confirm.md', '--history', join(dir, 'history.jsonl')], dir, [[/asks for confirmation[\s\S]*\? \[y\/N\] /, 'n']]);
      assert.equal(result.hung, false, `waited: ${result.screen}`);
      assert.equal(result.code, 3, result.screen);
      // On a terminal the question comes when the run reaches the step: the step before it ran.
      assert.deepEqual([ran('safe'), ran('careful'), ran('after')], [true, false, false]);
      assert.match(result.screen, /needs confirmation/);
    });
  });

  it('list on a terminal prints a table of runbooks and their steps, not JSON', async () => {
    writeFileSync(join(dir, 'ops.runbook.md'), ['---', 'environment: production', '---', '# Ops', '', '```bash {name=check-disk}', 'df -h', '```', '', '- [ ] Tell the team', ''].join('\n'));
    const result = await runOnTerminal(['list'], dir, []);
    assert.equal(result.code, 0, result.screen);
    assert.doesNotMatch(result.screen, /"runbooks"|^\s*[{[]/m, 'not JSON');
    const screen = result.screen.replace(/\r/g, '');
    assert.match(screen, /^Ask {2}ask\.md$/m);
    assert.match(screen, /^ {2}inputs: NAME \(required\), TOKEN \(secret\)$/m);
    assert.match(screen, /^Ops {2}ops\.runbook\.md {2}production$/m);
    assert.match(screen, /^ {4}1\. check-disk {2}/m);
    assert.match(screen, /^ {4}2\. [\w-]+ +\(manual\) Tell the team$/m);
  });
});
