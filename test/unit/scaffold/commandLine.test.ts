// The generated script's command-line contract, which CI workflows call exactly: inputs from
// options, else environment variables of the same name, else defaults; --skip-manual; --report,
// --junit (parsed back with a real XML parser) and --history; the exit codes; the runbook version it
// records; and the engine's hardening (tree kill, spawn failures, sessions, background processes)
// in scripts, compared with the engine where both run the same step.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { HistoryEntry } from '../../../src/core/progress/types';
import type { HistoryLine } from '../../../src/core/report/historyLine';
import { RunbookSession } from '../../../src/core/run';
import type { Runbook } from '../../../src/core/runbook';
import { runbookDigest } from '../../../src/core/scaffold/generate';
import { killLeftovers, processesWith, uniqueDigits } from '../run/helpers';
import { PROJECT, TSX, describeRun, makeScratch, removeScratch, runScript, withoutTimings, writeRunbook, writeScript, type Ran } from './helpers';
import { STOPPED_WHAT } from './stopMessages';

const fence = (info: string, ...code: string[]) => ['```' + info, ...code, '```'].join('\n');
const lines = (...text: string[]) => text.join('\n');

// A history line of a script is a HistoryEntry: this fails to compile if the two formats part.
const sameFormat = (line: HistoryLine): HistoryEntry => line;
void sameFormat;

describe('scaffold: the generated script\'s command line', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = makeScratch();
  });
  after(() => removeScratch(dir));

  const readJson = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as HistoryEntry);

  describe('inputs', () => {
    let script: string;
    before(() => {
      const runbook = writeRunbook(
        dir,
        'inputs',
        'inputs',
        lines(
          '---',
          'inputs:',
          '  REGION: { default: eu }',
          '  COUNT: { type: number, default: 1 }',
          '  TOKEN: { secret: true }',
          '---',
          fence('bash {name=show}', 'echo "region=$REGION count=$COUNT token=${#TOKEN} pod=$POD_NAME"', 'kubectl-ish <pod-name> 2>/dev/null || true'),
        ),
      );
      script = writeScript(dir, 'inputs', runbook);
    });

    it('takes each input from its option, else its environment variable, else its default; an empty variable counts as unset', async () => {
      const env = { ...process.env, TOKEN: 'sekret', POD_NAME: 'from-env', REGION: 'us', COUNT: '' };
      const [fromEnv, fromOptions, defaults] = await Promise.all([
        runScript(script, [], { env }),
        runScript(script, ['--region', 'ap', '--count', '7', '--pod-name', 'from-option'], { env }),
        runScript(script, ['--pod-name', 'p'], { env: { ...process.env, TOKEN: 'sekret', REGION: '' } }),
      ]);
      assert.equal(fromEnv.code, 0, describeRun(fromEnv));
      assert.match(fromEnv.stdout, /^region=us count=1 token=6 pod=from-env$/m);
      assert.equal(fromOptions.code, 0, describeRun(fromOptions));
      assert.match(fromOptions.stdout, /^region=ap count=7 token=6 pod=from-option$/m);
      assert.equal(defaults.code, 0, describeRun(defaults));
      assert.match(defaults.stdout, /^region=eu count=1 token=6 pod=p$/m);
    });

    it('masks a secret the step prints', async () => {
      const runbook = writeRunbook(dir, 'mask', 'mask', lines('---', 'inputs:', '  TOKEN: { secret: true }', '---', fence('bash {name=leak}', 'echo "token is $TOKEN"')));
      const ran = await runScript(writeScript(dir, 'mask', runbook), [], { env: { ...process.env, TOKEN: 'hunter2-secret' } });
      assert.equal(ran.code, 0, describeRun(ran));
      assert.match(ran.stdout, /^token is ••••$/m);
      assert.ok(!ran.stdout.includes('hunter2'));
    });
  });

  describe('manual steps, reports and history', () => {
    let script: string;
    let runbook: Runbook;
    let runbookFile: string;
    before(() => {
      runbook = writeRunbook(
        dir,
        'reports',
        'reports',
        lines(
          '---',
          'title: Report <fixture> & "quotes"',
          'inputs:',
          '  WHO: { default: ops }',
          '  TOKEN: { secret: true }',
          '---',
          fence('bash {name=first}', 'echo "first for $WHO"', "printf 'ctrl:\\001\\033[31mred\\033[0m end ]]> <b>&amp;\\n'"),
          '',
          '- [ ] Page the on-call',
          '',
          fence('bash {name=second}', 'echo "second $TOKEN"', 'exit 5'),
          '',
          fence('bash {name=third}', 'echo never'),
        ),
      );
      runbookFile = runbook.path!;
      script = writeScript(dir, 'reports', runbook);
    });

    it('records which runbook version it came from', () => {
      const text = readFileSync(script, 'utf8');
      assert.ok(text.includes(`const RUNBOOK_PATH = '${relative(PROJECT, runbookFile)}';`), text.slice(0, 3000));
      assert.ok(text.includes(`const RUNBOOK_SHA256 = '${runbookDigest(readFileSync(runbookFile, 'utf8'))}';`));
    });

    it('--skip-manual, --report, --junit and --history describe the run; a failed step exits 1', async () => {
      const out = join(dir, 'reports-out');
      const ran = await runScript(script, ['--skip-manual', '--report', join(out, 'report.md'), '--junit', join(out, 'junit.xml'), '--history', join(out, 'history.jsonl')], {
        env: { ...process.env, TOKEN: 'sekret-value', CI: 'true' },
      });
      assert.equal(ran.code, 1, describeRun(ran));
      assert.match(ran.stderr, /✗ Step "second": The step exited with code 5\.\n$/);
      assert.match(ran.stdout, /Manual step: Page the on-call\n {2}⏭ left for a person \(--skip-manual\)\n/);

      const report = readFileSync(join(out, 'report.md'), 'utf8');
      assert.match(report, /^# Report \\<fixture\\> & "quotes": ❌ failed at "second"$/m);
      assert.match(report, /^- Runbook: `.*reports\.runbook\.md` \(sha256 `[0-9a-f]{12}`\)$/m);
      assert.match(report, /^\| 1 \| first \| ✅ passed \| \d+\.\ds \| 0 \|$/m);
      assert.match(report, /^\| 2 \| Page the on-call \| ☐ left for a person \| 0\.0s \| {2}\|$/m);
      assert.match(report, /^\| 3 \| second \| ❌ failed \(exit 5\) \| \d+\.\ds \| 5 \|$/m);
      assert.match(report, /^\| 4 \| third \| ○ not run \| {2}\| {2}\|$/m);
      assert.match(report, /^## Left for a person\n\n- \[ \] Page the on-call$/m);
      assert.match(report, /^second ••••$/m, 'the secret is masked in the output tail');
      assert.ok(!report.includes('sekret-value'));
      assert.match(report, /- Inputs: `WHO` = `ops`$/m);

      const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
      const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
        testsuites: { tests: string; failures: string; skipped: string; testsuite: { name: string; testcase: Array<Record<string, unknown>> } };
      };
      assert.equal(parsed.testsuites.tests, '4');
      assert.equal(parsed.testsuites.failures, '1');
      assert.equal(parsed.testsuites.skipped, '2');
      const cases = parsed.testsuites.testsuite.testcase;
      assert.equal(parsed.testsuites.testsuite.name, 'Report <fixture> & "quotes"');
      // Named as the runner's JUnit reporter names them: the title, and the id where the two differ.
      assert.deepEqual(cases.map((c) => c.name), ['first', `Page the on-call (${runbook.manualSteps[0].id})`, 'second', 'third']);
      assert.equal(cases[0].failure, undefined);
      assert.match(String(cases[0]['system-out']), /end \]\]> <b>&amp;$/m, 'markup in output survives as text');
      assert.match(String(cases[0]['system-out']), /ctrl:\uFFFDred end/, 'control characters replaced, colour codes dropped');
      assert.deepEqual(cases[1].skipped, { message: 'manual step: left for a person' });
      assert.equal((cases[2].failure as { type: string }).type, 'failed');
      assert.match((cases[2].failure as { message: string }).message, /exited with code 5/);
      assert.match(String((cases[2].failure as { '#text': string })['#text']), /second ••••/);
      assert.deepEqual(cases[3].skipped, { message: 'not run: the run ended before it' });

      const history = readJson(join(out, 'history.jsonl'));
      assert.deepEqual(history.map((h) => [h.step, h.kind, h.result, h.exitCode]), [
        ['first', 'code', 'passed', 0],
        [runbook.manualSteps[0].id, 'manual', 'skipped', undefined],
        ['second', 'code', 'failed', 5],
      ]);
      assert.equal(new Set(history.map((h) => h.runId)).size, 1);
      for (const h of history) {
        assert.equal(h.where, 'ci');
        assert.deepEqual(h.inputs, { WHO: 'ops' });
        assert.equal(h.runbookTitle, 'Report <fixture> & "quotes"');
        assert.ok(!JSON.stringify(h).includes('sekret-value'));
      }
    });

    it('appends to the history with where: cli outside CI and a new runId per invocation', async () => {
      const file = join(dir, 'reports-out', 'cli-history.jsonl');
      const env: Record<string, string | undefined> = { ...process.env, TOKEN: 'sekret-value' };
      delete env.CI;
      for (let i = 0; i < 2; i++) await runScript(script, ['--only', 'first', '--history', file], { env });
      const history = readJson(file);
      assert.equal(history.length, 2);
      assert.deepEqual(history.map((h) => h.where), ['cli', 'cli']);
      assert.notEqual(history[0].runId, history[1].runId);
    });

    it("takes the starter's run id: RUNBOOK_RUN_ID, else an exported workflow's RUNBOOK_CORRELATION_ID", async () => {
      const env: Record<string, string | undefined> = { ...process.env, TOKEN: 'sekret-value', RUNBOOK_RUN_ID: undefined, RUNBOOK_CORRELATION_ID: undefined };
      const given: Array<Record<string, string>> = [{ RUNBOOK_CORRELATION_ID: ' INC-42 ' }, { RUNBOOK_CORRELATION_ID: 'INC-42', RUNBOOK_RUN_ID: 'bridge-7' }, { RUNBOOK_CORRELATION_ID: 'x'.repeat(201) }];
      const ids = await Promise.all(
        given.map(async (extra, i) => {
          const file = join(dir, 'reports-out', `correlated-${i}.jsonl`);
          const ran = await runScript(script, ['--only', 'first', '--history', file], { env: { ...env, ...extra } });
          assert.equal(ran.code, 0, describeRun(ran));
          return readJson(file).map((h) => h.runId);
        }),
      );
      assert.deepEqual(ids.slice(0, 2), [['INC-42'], ['bridge-7']]);
      assert.match(String(ids[2][0]), /^[0-9a-f]{8}-[0-9a-f]{4}-/, 'too long to be an id: one of its own');
    });

    it('without --skip-manual, a manual step on a non-terminal ends the run with exit 3, the report says so', async () => {
      const file = join(dir, 'reports-out', 'manual.md');
      const ran = await runScript(script, ['--report', file], { env: { ...process.env, TOKEN: 'sekret-value' } });
      assert.equal(ran.code, 3, describeRun(ran));
      assert.match(ran.stderr, /pass --skip-manual/);
      assert.match(readFileSync(file, 'utf8'), /❌ stopped: "Page the on-call" needs a person/);
    });
  });

  describe('what the reports say of skip steps and refused values, as the runner reports them', () => {
    let script: string;
    before(() => {
      const runbook = writeRunbook(
        dir,
        'skips',
        'skips',
        lines(
          '---',
          'inputs:',
          '  NAME: { required: true, pattern: "^[a-z]+$" }',
          '---',
          fence('bash {name=greet}', 'echo "hello $NAME"'),
          '',
          fence('bash {name=optional skip}', 'echo "only when asked"'),
          '',
          fence('bash {name=last}', 'echo last'),
        ),
      );
      script = writeScript(dir, 'skips', runbook);
    });
    const casesOf = (file: string) => {
      const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(readFileSync(file, 'utf8')) as { testsuites: { testsuite: { testcase: Array<Record<string, unknown>> } } };
      return parsed.testsuites.testsuite.testcase.map((c) => [c.name, c.failure ? 'failure' : c.skipped ? `skipped: ${(c.skipped as { message: string }).message}` : 'passed']);
    };

    it('a skip step is reported skipped ("marked skip"), never run, unless named with --only', async () => {
      const junit = join(dir, 'skips-out', 'all.xml');
      const ran = await runScript(script, ['--name', 'ada', '--junit', junit]);
      assert.equal(ran.code, 0, describeRun(ran));
      assert.doesNotMatch(ran.stdout, /only when asked/);
      assert.deepEqual(casesOf(junit), [['greet', 'passed'], ['optional', 'skipped: marked skip'], ['last', 'passed']]);
      const only = join(dir, 'skips-out', 'only.xml');
      const once = await runScript(script, ['--name', 'ada', '--only', 'optional', '--junit', only]);
      assert.match(once.stdout, /only when asked/);
      assert.deepEqual(casesOf(only), [['optional', 'passed']]);
    });

    it('a refused value runs nothing (exit 2) and still writes the reports: every step not run, and why', async () => {
      const [junit, report] = [join(dir, 'skips-out', 'refused.xml'), join(dir, 'skips-out', 'refused.md')];
      const ran = await runScript(script, ['--name', 'Ada', '--junit', junit, '--report', report]);
      assert.equal(ran.code, 2, describeRun(ran));
      assert.equal(ran.stderr, 'error: --name: does not match the pattern ^[a-z]+$. Got "Ada".\n');
      assert.equal(ran.stdout, '');
      const notRun = 'skipped: not run: the run ended before it';
      assert.deepEqual(casesOf(junit), [['greet', notRun], ['optional', notRun], ['last', notRun]]);
      assert.match(readFileSync(report, 'utf8'), /not run: --name: does not match the pattern/);
    });
  });

  describe('exit codes for timeouts and interrupts, and the tree kill', () => {
    it('a step over the generator\'s default timeout exits 124 and leaves no process, 5 runs', async () => {
      const digits = uniqueDigits();
      try {
        const runbook = writeRunbook(dir, 'timeout', 'timeout', fence('bash {name=slow}', `( setsid sleep 30.${digits} & ) &`, `setsid sleep 30.${digits} &`, 'echo started', 'sleep 30'));
        const script = writeScript(dir, 'timeout', runbook, { defaultTimeoutMs: 1000 });
        for (let run = 0; run < 5; run++) {
          const ran = await runScript(script);
          assert.equal(ran.code, 124, describeRun(ran));
          assert.match(ran.stderr, new RegExp(`Timed out after 1s; ${STOPPED_WHAT}\\.\\n$`));
          assert.deepEqual(processesWith(`sleep 30.${digits}`), [], `run ${run + 1}: a setsid child survived`);
        }
      } finally {
        killLeftovers(`sleep 30.${digits}`);
      }
    });

    it('SIGINT stops the running step and everything it started, writes the report, and exits 130', async () => {
      const digits = uniqueDigits();
      const runbook = writeRunbook(dir, 'interrupt', 'interrupt', fence('bash {name=long}', `setsid sleep 30.${digits} &`, 'echo ready', 'sleep 30'));
      const script = writeScript(dir, 'interrupt', runbook);
      const report = join(dir, 'interrupt', 'report.md');
      try {
        const ran = await new Promise<Ran>((resolveRun) => {
          // Its own process group, signalled as a whole: what Ctrl+C in a terminal does.
          const child = spawn(TSX, [script, '--report', report], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
          let stdout = '';
          let stderr = '';
          let sent = false;
          child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
          const poll = setInterval(() => {
            if (sent || !stdout.includes('ready') || processesWith(`sleep 30.${digits}`).length === 0) return;
            sent = true;
            clearInterval(poll);
            process.kill(-child.pid!, 'SIGINT');
          }, 50);
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.on('close', (code) => {
            clearInterval(poll);
            resolveRun({ code, stdout, stderr });
          });
        });
        assert.equal(ran.code, 130, describeRun(ran));
        assert.match(ran.stderr, new RegExp(`✗ Step "long": Stopped; ${STOPPED_WHAT}\\.`));
        assert.deepEqual(processesWith(`sleep 30.${digits}`), []);
        assert.match(readFileSync(report, 'utf8'), /\| long \| ⏹ cancelled \|/);
      } finally {
        killLeftovers(`sleep 30.${digits}`);
      }
    });
  });

  describe('the engine\'s hardening, in scripts', () => {
    it('an environment too large for a process fails the step at once with the engine\'s message and exit 1 (it used to exit 0)', async () => {
      // 40 inputs of 60 KiB each: every value passes the input rules, together they are over ARG_MAX.
      const names = Array.from({ length: 40 }, (_, i) => `BIG_${i}`);
      const runbook = writeRunbook(
        dir,
        'e2big',
        'e2big',
        lines('---', 'inputs:', ...names.map((name) => `  ${name}: { default: small }`), '---', fence('bash {name=use}', 'echo "$BIG_0"'), '', fence('bash {name=never}', 'echo never')),
      );
      const script = writeScript(dir, 'e2big', runbook);
      // A person edited the script's table: the defaults are now large.
      writeFileSync(script, readFileSync(script, 'utf8').replaceAll("default: 'small'", "default: 'x'.repeat(60 * 1024)"));
      const session = new RunbookSession();
      try {
        const values = Object.fromEntries(names.map((name) => [name, 'x'.repeat(60 * 1024)]));
        const engine = await session.run({ runbook, step: runbook.steps[0], values });
        assert.equal(engine.notStarted, true, JSON.stringify({ ...engine, output: '' }));
        assert.match(engine.message ?? '', /E2BIG/);
        const ran = await runScript(script);
        assert.equal(ran.code, 1, describeRun(ran));
        assert.equal(ran.stderr, `✗ Step "use": ${engine.message}\n`);
        assert.ok(!ran.stdout.includes('never'));
      } finally {
        await session.dispose();
      }
    });

    it('a removed directory, a step that sets its own EXIT trap and one that unsets PATH: the same results and warnings as the engine', async () => {
      const folder = join(dir, 'edges');
      const runbook = writeRunbook(
        dir,
        'edges',
        'edges',
        lines(
          fence('bash {name=enter}', 'mkdir -p sub && cd sub'),
          '',
          fence('bash {name=remove}', 'rm -rf "$PWD" && echo removed'),
          '',
          fence('bash {name=where}', 'pwd'),
          '',
          fence('bash {name=trapper}', 'export LOST=1', "trap 'echo bye' EXIT"),
          '',
          fence('bash {name=nopath}', 'unset PATH', 'echo no-path-fine'),
        ),
      );
      const session = new RunbookSession();
      const engine: string[] = [];
      let transcript = '';
      try {
        for (const [i, step] of runbook.steps.entries()) {
          const result = await session.run({ runbook, step, values: {} });
          assert.equal(result.status, 'passed', JSON.stringify(result));
          engine.push(...(result.warnings ?? []));
          transcript += `[${i + 1}/5] ${step.title}\n${result.output}  ✓ passed in <t>\n`;
        }
      } finally {
        await session.dispose();
      }
      assert.match(transcript, new RegExp(`\\[3/5\\] where\\n${folder}\\n`));
      const ran = await runScript(writeScript(dir, 'edges', runbook), ['--yes']);
      assert.equal(ran.code, 0, describeRun(ran));
      assert.equal(withoutTimings(ran.stdout), transcript);
      assert.equal(ran.stderr, engine.map((warning) => `  ⚠ ${warning}\n`).join(''));
      assert.equal(engine.length, 2, engine.join('\n'));
      assert.match(engine[0], /changed to, .*\/sub, no longer exists; this step runs in .*edges instead/);
      assert.match(engine[1], /its own `trap … EXIT`/);
    });

    it('stops at exit what the steps left running in the background, after it kept answering', async () => {
      const port = 20000 + Math.floor(Math.random() * 20000);
      const runbook = writeRunbook(
        dir,
        'background',
        'background',
        lines(
          fence('bash {name=serve}', `python3 -u -m http.server ${port} --bind 127.0.0.1 &`, 'for i in $(seq 1 100); do python3 -c \'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()\' ' + port + ' 2>/dev/null && break; sleep 0.1; done', 'echo serving'),
          '',
          fence('python {name=ask}', 'import urllib.request', 'opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))', `for i in range(3): print(opener.open("http://127.0.0.1:${port}/", timeout=5).status)`),
        ),
      );
      const ran = await runScript(writeScript(dir, 'background', runbook));
      assert.equal(ran.code, 0, describeRun(ran));
      assert.match(ran.stdout, /↳ left running in the background: \d+ \S*python3 -u -m http\.server/);
      assert.match(ran.stdout, /^200\n200\n200\n/m);
      assert.match(ran.stdout, /Stopping 1 background process the steps left running: \d+ \S*python3 -u -m http\.server/);
      assert.match(ran.stderr, /"GET \/ HTTP\/1\.1" 200/, 'the server\'s log reached the terminal');
      assert.deepEqual(processesWith(`http.server ${port}`), []);
    });
  });
});
