// `runbook run` as a real process with stdin closed: every flag, every exit code, never a wait.

import { strict as assert } from 'node:assert';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { killLeftovers, makeTempDir, processesWith, removeDir, uniqueDigits, waitFor } from '../run/helpers';
import { buildCli, runCli } from './runCli';

const FIXTURES = resolve(__dirname, '../../fixtures/cli');

describe('runbook run (the CLI, stdin closed)', function () {
  this.timeout(60_000);
  let dir: string;
  let history: string;
  const run = (args: string[], options: Parameters<typeof runCli>[1] = {}) => runCli(['run', ...args, '--history', history], { cwd: dir, ...options });
  const readHistory = () => readFileSync(history, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

  before(() => buildCli());
  beforeEach(() => {
    dir = makeTempDir('runbook-cli-test-');
    cpSync(FIXTURES, dir, { recursive: true });
    history = join(dir, 'history.jsonl');
  });
  afterEach(() => removeDir(dir));

  it('runs every step in order with the session carried over, and exits 0', async () => {
    const result = await run(['pass.md'], { watchdogMs: 15_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /hello from the cli/);
    assert.match(result.stdout, /carried=yes token=none dir=\/tmp/);
    assert.equal(existsSync(join(dir, 'skipped.marker')), false, 'a skip step is not part of Run all');
    const lines = readHistory();
    assert.deepEqual(lines.map((line) => [line.step, line.result, line.where, line.kind]), [
      ['hello', 'passed', 'cli', 'code'],
      ['export', 'passed', 'cli', 'code'],
      ['read-back', 'passed', 'cli', 'code'],
    ]);
    assert.equal(new Set(lines.map((line) => line.runId)).size, 1, 'one run id');
    assert.equal(lines[0].runbook, 'pass.md');
  });

  it('says where it ran: ci under a CI engine, the bridge\'s origin and run id when it starts the run', async () => {
    await run(['pass.md', '--only', 'hello'], { env: { CI: 'true' }, watchdogMs: 15_000 });
    await run(['pass.md', '--only', 'hello'], { env: { RUNBOOK_WHERE: 'alert', RUNBOOK_RUN_ID: 'corr-42' }, watchdogMs: 15_000 });
    const lines = readHistory();
    assert.deepEqual(lines.map((line) => line.where), ['ci', 'alert']);
    assert.equal(lines[1].runId, 'corr-42');
  });

  it('exits 1 at the first failing step and runs nothing after it', async () => {
    const result = await run(['fail.md'], { watchdogMs: 15_000 });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /about to fail/);
    assert.match(result.stdout, /exit 4/);
    assert.equal(existsSync(join(dir, 'after.marker')), false);
  });

  it('exits 1 when the output does not match and shows the difference', async () => {
    const result = await run(['mismatch.md'], { watchdogMs: 15_000 });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /- expected line/);
    assert.match(result.stdout, /\+ actual line/);
  });

  it('exits 124 when a step times out (--timeout for steps that set none)', async () => {
    const result = await run(['slow.md', '--timeout', '1s'], { watchdogMs: 15_000 });
    assert.equal(result.code, 124, result.stdout + result.stderr);
    assert.equal(existsSync(join(dir, 'after-slow.marker')), false);
  });

  it('never waits for a missing value: exits 2 at once naming every one and how to give it', async () => {
    const result = await run(['placeholder.md']);
    assert.equal(result.hung, false, 'it waited on a prompt');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--input POD_NAME=/);
    assert.match(result.stderr, /--input REGION_X=/);
    assert.match(result.stderr, /--input ID=/);
    assert.equal(existsSync(history), false, 'nothing ran');
  });

  it('takes placeholders and unset variables as inputs, from flags or the environment, never as code', async () => {
    const hostile = `$(touch ${join(dir, 'pwned')})`;
    const result = await run(['placeholder.md', '--input', `POD_NAME=${hostile}`, '--input', 'ID=7'], { env: { REGION_X: 'eu-1' } });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes(`pod=${hostile} region=eu-1`));
    assert.match(result.stdout, /consumer: storageconsumer-7/);
    assert.equal(existsSync(join(dir, 'pwned')), false);
  });

  it('needs --yes for a step that asks for confirmation: exits 3 before running anything', async () => {
    const refused = await run(['confirm.md']);
    assert.equal(refused.hung, false);
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /--yes/);
    assert.doesNotMatch(refused.stdout, /safe/, 'not even the step before it ran');
    assert.equal(existsSync(join(dir, 'confirmed.marker')), false);
    const yes = await run(['confirm.md', '--yes'], { watchdogMs: 15_000 });
    assert.equal(yes.code, 0);
    assert.equal(existsSync(join(dir, 'confirmed.marker')), true);
  });

  it('needs --yes for a production runbook', async () => {
    assert.equal((await run(['production.md'])).code, 3);
    assert.equal(existsSync(join(dir, 'prod.marker')), false);
    assert.equal((await run(['production.md', '--yes'], { watchdogMs: 15_000 })).code, 0);
    assert.equal(existsSync(join(dir, 'prod.marker')), true);
  });

  it('a manual step needs a person: exits 3 at once, or with --skip-manual is listed as left for a person', async () => {
    const stopped = await run(['manual.md']);
    assert.equal(stopped.hung, false);
    assert.equal(stopped.code, 3);
    assert.match(stopped.stderr, /--skip-manual/);
    const skipped = await run(['manual.md', '--skip-manual'], { watchdogMs: 15_000 });
    assert.equal(skipped.code, 0);
    assert.match(skipped.stdout, /Left for a person:\n\s+☐ Page the database on-call/);
    assert.equal(existsSync(join(dir, 'after-manual.marker')), true);
    const manual = readHistory().find((line) => line.kind === 'manual');
    assert.equal(manual?.result, 'skipped', 'never counted as done');
  });

  it('stops before an interactive step with exit 3 and says how to go on', async () => {
    const result = await run(['interactive.md'], { watchdogMs: 15_000 });
    assert.equal(result.code, 3);
    assert.match(result.stderr, /interactive/);
  });

  it('refuses a secret given as a flag, takes it from the environment and masks it everywhere', async () => {
    const flag = await run(['pass.md', '--input', 'TOKEN=abc123secret']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /TOKEN is a secret: set the environment variable TOKEN/);
    const report = join(dir, 'report.md');
    const env = await run(['pass.md', '--reporter', 'markdown', '--report', report], { env: { TOKEN: 'abc123secret' }, watchdogMs: 15_000 });
    assert.equal(env.code, 0, env.stderr);
    assert.match(env.stdout, /token=••••/);
    for (const text of [env.stdout, env.stderr, readFileSync(report, 'utf8'), readFileSync(history, 'utf8')]) assert.doesNotMatch(text, /abc123secret/);
    const jsonl = await run(['pass.md', '--reporter', 'jsonl'], { env: { TOKEN: 'abc123secret' }, watchdogMs: 15_000 });
    assert.doesNotMatch(jsonl.stdout, /abc123secret/);
  });

  it('takes values from flags, then the inputs file, then the environment, then defaults; checks them all first', async () => {
    writeFileSync(join(dir, 'inputs.yaml'), 'GREETING: from file\n');
    const file = await run(['pass.md', '--only', 'hello', '--inputs-file', 'inputs.yaml'], { env: { GREETING: 'from env' }, watchdogMs: 15_000 });
    assert.match(file.stdout, /from file from the cli/);
    const flag = await run(['pass.md', '--only', 'hello', '--inputs-file', 'inputs.yaml', '--input', 'GREETING=from flag'], { watchdogMs: 15_000 });
    assert.match(flag.stdout, /from flag from the cli/);
    const env = await run(['pass.md', '--only', 'hello'], { env: { GREETING: 'from env' }, watchdogMs: 15_000 });
    assert.match(env.stdout, /from env from the cli/);
    const invalid = await run(['pass.md', '--input', 'GREETING=NOT VALID 1']);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /GREETING/);
    assert.equal(readFileSync(history, 'utf8').split('\n').filter(Boolean).length, 3, 'the invalid run ran nothing');
    const unknown = await run(['pass.md', '--input', 'NOPE=1']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown input NOPE/);
  });

  it('--from and --only choose steps by id or number; an unknown one is a usage error', async () => {
    const from = await run(['fail.md', '--from', '3'], { watchdogMs: 15_000 });
    assert.equal(from.code, 0);
    assert.equal(existsSync(join(dir, 'after.marker')), true);
    const only = await run(['pass.md', '--only', 'optional'], { watchdogMs: 15_000 });
    assert.equal(only.code, 0);
    assert.equal(existsSync(join(dir, 'skipped.marker')), true, '--only runs even a skip step');
    const unknown = await run(['pass.md', '--from', 'nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no such step/);
  });

  it('--dry-run prints what would run and runs nothing', async () => {
    const result = await run(['confirm.md', '--dry-run']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /touch confirmed\.marker/);
    assert.match(result.stdout, /asks for confirmation/);
    assert.equal(existsSync(join(dir, 'confirmed.marker')), false);
    assert.equal(existsSync(history), false);
  });

  it('--dry-run checks the values given as the run would: a refused one exits 2, naming it', async () => {
    writeFileSync(join(dir, 'count.md'), ['---', 'inputs:', '  COUNT:', '    type: number', '---', '# Count', '', '```bash', 'echo "$COUNT" > count.txt', '```', ''].join('\n'));
    const refused = await run(['count.md', '--dry-run', '--input', 'COUNT=$(touch pwned)']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /COUNT/);
    assert.match(refused.stderr, /would stop before its first step/);
    const fine = await run(['count.md', '--dry-run', '--input', 'COUNT=3']);
    assert.equal(fine.code, 0, fine.stderr);
    assert.equal(existsSync(join(dir, 'count.txt')), false);
    assert.equal(existsSync(join(dir, 'pwned')), false);
  });

  it('refuses a runbook whose front matter does not parse, run or dry run: exit 2, nothing run', async () => {
    writeFileSync(join(dir, 'broken.md'), ['---', 'environment: [production', '---', '# Broken', '', '```bash', 'touch ran.marker', '```', ''].join('\n'));
    for (const args of [['broken.md', '--yes'], ['broken.md', '--dry-run']]) {
      const result = await run(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /broken\.md: The front matter of Broken has errors.*line 2/);
      assert.match(result.stderr, /Nothing was run/);
      assert.doesNotMatch(result.stdout, /touch ran\.marker/, 'a dry run shows no plan for it');
    }
    assert.equal(existsSync(join(dir, 'ran.marker')), false);
  });

  it('jsonl: one event per line, in order, ending with run-end and the exit code', async () => {
    const result = await run(['pass.md', '--reporter', 'jsonl'], { watchdogMs: 15_000 });
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; stepId?: string; exitCode?: number });
    const types = events.map((event) => event.type).filter((type) => type !== 'output');
    assert.deepEqual(types.slice(0, 4), ['run-start', 'step-queued', 'step-start', 'step-end']);
    assert.equal(types.at(-1), 'run-end');
    assert.equal(events.at(-1)?.exitCode, 0);
    assert.ok(events.some((event) => event.type === 'output'));
    assert.ok(events.some((event) => event.type === 'step-skipped' && event.stepId === 'optional'));
  });

  it('junit: one test case per step, parsed back with a real XML parser, matching the run', async () => {
    const report = join(dir, 'junit.xml');
    const result = await run(['fail.md', '--reporter', 'junit', '--report', report], { watchdogMs: 15_000 });
    assert.equal(result.code, 1);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(report, 'utf8'));
    const suite = xml.testsuites.testsuite;
    const cases = [suite.testcase].flat() as Array<{ name: string; failure?: { type: string }; skipped?: unknown }>;
    assert.deepEqual(cases.map((c) => c.name), ['first', 'breaks', 'after']);
    assert.equal(cases[0].failure, undefined);
    assert.equal(cases[1].failure?.type, 'failed');
    assert.ok(cases[2].skipped !== undefined, 'the step never reached is skipped, not passed');
    assert.equal(xml.testsuites.failures, '1');
  });

  it('Ctrl-C stops the running step and everything it started, writes the report and exits 130', async () => {
    const report = join(dir, 'report.md');
    let pid: number | undefined;
    const result = await runCli(['run', 'slow.md', '--reporter', 'markdown', '--report', report, '--history', history], {
      cwd: dir,
      watchdogMs: 20_000,
      started: (child) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          const found = /started (\d+)/.exec(String(chunk));
          if (found && pid === undefined) {
            pid = Number(found[1]);
            child.kill('SIGINT');
          }
        });
      },
    });
    assert.equal(result.code, 130, result.stdout + result.stderr);
    assert.ok(pid);
    assert.throws(() => process.kill(pid!, 0), 'the step\'s shell is gone');
    assert.match(readFileSync(report, 'utf8'), /cancelled/);
    assert.equal(existsSync(join(dir, 'after-slow.marker')), false);
  });

  // The step starts a child in a session of its own (setsid: outside the step's process group) and a
  // plain one, then waits; the signal must leave neither behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} stops children that left the step's process group (setsid), writes the report and exits 130`, async () => {
      const marker = uniqueDigits();
      writeFileSync(
        join(dir, 'escape.md'),
        ['# CLI escape', '', '```bash {name=spawn}', `setsid sleep 30.${marker} &`, `sleep 31.${marker} &`, 'echo "spawned $$"', 'wait', '```', '', '```bash {name=after-spawn}', 'touch after-spawn.marker', '```', ''].join('\n'),
      );
      const report = join(dir, 'report.md');
      let seen: number[] = [];
      try {
        const result = await runCli(['run', 'escape.md', '--reporter', 'markdown', '--report', report, '--history', history], {
          cwd: dir,
          watchdogMs: 20_000,
          started: (child) => {
            let sent = false;
            child.stdout?.on('data', (chunk: Buffer) => {
              if (sent || !/spawned \d+/.test(String(chunk))) return;
              sent = true;
              // Both sleeps exist (exec'd, so their command lines carry the marker) before the signal.
              void waitFor(() => processesWith(marker).length === 2, 5_000, 'both sleeps').then(
                () => {
                  seen = processesWith(marker);
                  child.kill(signal);
                },
                () => child.kill('SIGKILL'),
              );
            });
          },
        });
        assert.equal(seen.length, 2, `both children were running before the ${signal}: ${result.stdout}${result.stderr}`);
        assert.equal(result.hung, false, 'the watchdog had to kill it');
        assert.equal(result.code, 130, result.stdout + result.stderr);
        // A SIGKILL just sent may take a moment to land; a survivor sleeps 30 s and fails this.
        await waitFor(() => processesWith(marker).length === 0, 2_000, `no process left with the marker (left: ${processesWith(marker).join(', ')})`);
        assert.match(readFileSync(report, 'utf8'), /cancelled/);
        assert.equal(existsSync(join(dir, 'after-spawn.marker')), false, 'nothing ran after the stop');
      } finally {
        killLeftovers(marker);
      }
    });
  }

  it('--inputs-file takes JSON too (a number as its text); a secret or bad JSON in it is refused, naming the file', async () => {
    writeFileSync(join(dir, 'inputs.json'), JSON.stringify({ GREETING: 'from json' }));
    const file = await run(['pass.md', '--only', 'hello', '--inputs-file', 'inputs.json'], { env: { GREETING: 'from env' }, watchdogMs: 15_000 });
    assert.equal(file.code, 0, file.stderr);
    assert.match(file.stdout, /from json from the cli/);
    writeFileSync(join(dir, 'count.md'), ['---', 'inputs:', '  COUNT:', '    type: number', '---', '# Count', '', '```bash {name=count}', 'echo "count=$COUNT"', '```', ''].join('\n'));
    writeFileSync(join(dir, 'count.json'), '{"COUNT": 3}');
    const number = await run(['count.md', '--inputs-file', 'count.json'], { watchdogMs: 15_000 });
    assert.equal(number.code, 0, number.stderr);
    assert.match(number.stdout, /count=3\b/);
    writeFileSync(join(dir, 'secret.json'), JSON.stringify({ TOKEN: 'abc123secret' }));
    const secret = await run(['pass.md', '--inputs-file', 'secret.json']);
    assert.equal(secret.code, 2);
    assert.match(secret.stderr, /secret\.json: TOKEN\b.*is a secret/);
    writeFileSync(join(dir, 'broken.json'), '{"GREETING": "cut');
    const broken = await run(['pass.md', '--inputs-file', 'broken.json']);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /--inputs-file .*broken\.json: not valid JSON/);
    assert.equal(readFileSync(history, 'utf8').split('\n').filter(Boolean).length, 2, 'the refused runs ran nothing');
  });

  it('junit: a secret from the environment that steps print (stdout, stderr, a failure) is masked in the report', async () => {
    const secret = 'junit-s3cret-42';
    writeFileSync(
      join(dir, 'leak.md'),
      ['---', 'inputs:', '  API_KEY: { secret: true }', '---', '# CLI leak', '', '```bash {name=prints}', 'echo "key=$API_KEY"', 'echo "err=$API_KEY" >&2', '```', '', '```bash {name=fails}', 'echo "failing with $API_KEY" >&2', 'exit 5', '```', ''].join('\n'),
    );
    const report = join(dir, 'leak.xml');
    const result = await run(['leak.md', '--reporter', 'junit', '--report', report], { env: { API_KEY: secret }, watchdogMs: 15_000 });
    assert.equal(result.code, 1, result.stderr);
    const text = readFileSync(report, 'utf8');
    assert.ok(!text.includes(secret), `the secret is in the JUnit report:\n${text}`);
    for (const shown of [result.stdout, result.stderr, readFileSync(history, 'utf8')]) assert.ok(!shown.includes(secret));
    // The output is in the report, masked: the check above looked where the secret would be.
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text);
    const cases = [xml.testsuites.testsuite.testcase].flat() as Array<{ name: string; 'system-out'?: string; failure?: { '#text'?: string } }>;
    assert.deepEqual(cases.map((c) => c.name), ['prints', 'fails']);
    assert.match(cases[0]['system-out'] ?? '', /key=••••/);
    assert.match(cases[0]['system-out'] ?? '', /err=••••/);
    assert.match(`${cases[1].failure?.['#text'] ?? ''}${cases[1]['system-out'] ?? ''}`, /failing with ••••/);
  });

  it('bad usage is exit 2 with a hint', async () => {
    assert.equal((await runCli(['run'], { cwd: dir })).code, 2);
    assert.equal((await runCli(['run', 'missing.md'], { cwd: dir })).code, 2);
    assert.match((await runCli(['run', 'missing.md'], { cwd: dir })).stderr, /no such file: missing\.md/);
    assert.equal((await runCli(['run', 'pass.md', '--bogus'], { cwd: dir })).code, 2);
    assert.equal((await runCli(['frobnicate'], { cwd: dir })).code, 2);
    const help = await runCli(['--help'], { cwd: dir });
    assert.equal(help.code, 0);
    for (const command of ['run', 'list', 'check', 'test']) assert.match(help.stdout, new RegExp(`\\n  ${command} `));
  });
});
