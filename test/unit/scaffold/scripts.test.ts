// Generated scripts as programs: they type-check under --strict, --help and --dry-run describe them,
// real runs match the engine, values never become code, and every failure has its message and
// exit code. Scripts live under test-results/ so that Node's types resolve from the project.

import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkInputValue, type Runbook, type Step } from '../../../src/core/runbook';
import { RunbookSession } from '../../../src/core/run';
import { scriptInputs } from '../../../src/core/scaffold/generate';
import { killLeftovers, processesWith, uniqueDigits } from '../run/helpers';
import {
  PROJECT,
  TSC,
  describeRun,
  limited,
  makeScratch,
  readRunbook,
  removeScratch,
  run,
  runScript,
  scriptName,
  withoutTimings,
  writeRunbook,
  writeScript,
  type Ran,
} from './helpers';
import { STOPPED_WHAT } from './stopMessages';

const FIXTURES = join(PROJECT, 'test/fixtures/workspace');
const EXAMPLES = join(PROJECT, 'examples');
const ALL_RUNBOOKS = [
  ...readdirSync(FIXTURES).filter((f) => f.endsWith('.runbook.md')).map((f) => join(FIXTURES, f)),
  ...readdirSync(EXAMPLES).filter((f) => f.endsWith('.runbook.md')).map((f) => join(EXAMPLES, f)),
];
const fence = (info: string, ...code: string[]) => ['```' + info, ...code, '```'].join('\n');
const lines = (...text: string[]) => text.join('\n');

/** A copy of a fixture in its own folder, so running it touches nothing shared. */
function copyFixture(dir: string, folder: string, name: string): Runbook {
  mkdirSync(join(dir, folder), { recursive: true });
  copyFileSync(join(FIXTURES, `${name}.runbook.md`), join(dir, folder, `${name}.runbook.md`));
  return readRunbook(join(dir, folder, `${name}.runbook.md`));
}

/** What the script prints for a run of `items` given the engine's outputs (with --skip-manual for manual steps). */
function expectedTranscript(runbook: Runbook, outputs: Map<string, string>, last?: string): string {
  let text = '';
  const manual: string[] = [];
  for (const [i, item] of runbook.items.entries()) {
    if (!outputs.has(item.id) && item.kind === 'code') break;
    text += `[${i + 1}/${runbook.items.length}] ${item.title}\n`;
    if (item.kind === 'manual') {
      text += `  Manual step: ${item.title}\n  ⏭ left for a person (--skip-manual)\n`;
      manual.push(item.title);
    } else text += `${outputs.get(item.id)}${item.id === last ? '' : '  ✓ passed in <t>\n'}`;
    if (item.id === last) break;
  }
  if (manual.length > 0) text += `Left for a person:\n${manual.map((title) => `  - [ ] ${title}\n`).join('')}`;
  return text;
}

/** Runs `steps` through the engine in one session, in order, stopping at the first failure. */
async function engineRun(runbook: Runbook, steps: Step[], values: Record<string, string>, env: Record<string, string | undefined> = process.env) {
  const session = new RunbookSession();
  const outputs = new Map<string, string>();
  try {
    for (const step of steps) {
      const result = await session.run({ runbook, step, values, baseEnv: env });
      outputs.set(step.id, result.output);
      if (result.status !== 'passed') return { outputs, failed: step, result };
    }
    return { outputs, failed: undefined, result: undefined };
  } finally {
    await session.dispose();
  }
}

describe('scaffold: generated scripts', function () {
  this.timeout(60_000);
  let dir: string;
  const scripts = new Map<string, string>();
  let typecheck: Ran;

  before(async function () {
    // One tsc over every script (each holds the whole runtime): minutes on a busy machine.
    this.timeout(300_000);
    dir = makeScratch();
    for (const file of ALL_RUNBOOKS) scripts.set(scriptName(file), writeScript(dir, scriptName(file), readRunbook(file)));
    // Runbooks made to break the generator: every kind of quote and comment end in titles and code.
    const evil = writeRunbook(
      dir,
      'evil',
      'evil',
      lines(
        '---',
        'title: "Evil */ title ${process.exit(9)} `x` \'q\'"',
        'inputs:',
        '  "X_1": { description: "*/ ${oops} `bt` \\"dq\\" \'sq\'", default: "a\'b" }',
        '---',
        '# Evil',
        '',
        'Step `one` */ with ${x}.',
        '',
        fence('bash {name=delete}', 'echo "${X_1}" \'`id`\' "\\\\n" */ /*', 'printf "%s\\n" "$(echo nested)"'),
        '',
        fence('node {name=main}', 'console.log(`template ${1 + 1}`);'),
      ),
    );
    scripts.set('evil', writeScript(dir, 'evil', evil));
    typecheck = await run(TSC, ['--strict', '--noEmit', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--skipLibCheck', ...scripts.values()]);
  });
  after(() => removeScratch(dir));

  it('type-checks every generated script with tsc --strict (one invocation for all)', () => {
    assert.equal(typecheck.code, 0, describeRun(typecheck));
    assert.ok(scripts.size >= ALL_RUNBOOKS.length + 1);
  });

  describe('--help and --dry-run for every fixture and example', () => {
    const outputs = new Map<string, { help: Ran; dry: Ran }>();
    before(async () => {
      const names = [...scripts.keys()];
      const results = await limited(
        names.flatMap((name) => {
          // Implicit inputs need a value even for a dry run.
          const runbook = name === 'evil' ? undefined : readRunbook(ALL_RUNBOOKS.find((f) => scriptName(f) === name)!);
          // Every value a run needs: implicit inputs, and required declared ones without a default.
          const needed = runbook ? scriptInputs(runbook, runbook.items).filter((input) => !input.spec || (input.spec.required && input.spec.default === undefined)) : [];
          const options = needed.filter((input) => !input.spec?.secret).flatMap((input) => [`--${input.option}`, 'x']);
          const env = Object.fromEntries(needed.filter((input) => input.spec?.secret).map((input) => [input.name, 'xyz']));
          return [() => runScript(scripts.get(name)!, ['--help']), () => runScript(scripts.get(name)!, ['--dry-run', ...options], { env: { ...process.env, ...env } })];
        }),
      );
      names.forEach((name, i) => outputs.set(name, { help: results[2 * i], dry: results[2 * i + 1] }));
    });

    for (const file of ALL_RUNBOOKS) {
      const name = scriptName(file);
      it(`${basename(file)}: --help lists its inputs and steps, --dry-run prints its steps and runs nothing`, () => {
        const runbook = readRunbook(file);
        const { help, dry } = outputs.get(name)!;
        assert.equal(help.code, 0, describeRun(help));
        assert.equal(help.stderr, '');
        for (const input of scriptInputs(runbook, runbook.items)) {
          if (input.spec?.secret) assert.match(help.stdout, new RegExp(`^  ${input.name} \\(environment\\) .*secret: from the environment variable ${input.name}`, 'm'));
          else assert.match(help.stdout, new RegExp(`^  --${input.option} <(value|number)> `, 'm'));
          if (input.spec?.description) assert.ok(help.stdout.includes(input.spec.description), `${input.name}: ${help.stdout}`);
          if (input.spec?.default !== undefined) assert.ok(help.stdout.includes(`default: ${input.spec.default}`), help.stdout);
          if (input.spec?.choices) assert.ok(help.stdout.includes(`one of: ${input.spec.choices.join(', ')}`), help.stdout);
        }
        for (const option of ['--dry-run', '--yes', '--from <step>', '--only <step>', '--help']) assert.ok(help.stdout.includes(`  ${option} `), option);
        runbook.items.forEach((item, i) => assert.ok(help.stdout.includes(`  ${i + 1}. ${item.id}: ${item.title}`), `${item.id} in ${help.stdout}`));

        assert.equal(dry.code, 0, describeRun(dry));
        assert.equal(dry.stderr, '');
        runbook.items.forEach((item, i) => {
          if (item.kind === 'code' && item.attributes.skip) {
            assert.ok(!dry.stdout.includes(`] ${item.title}\n`), `skip step ${item.id} is not part of the run`);
            return;
          }
          assert.ok(dry.stdout.includes(`[${i + 1}/${runbook.items.length}] ${item.title}\n`), `${item.title} in ${dry.stdout}`);
          if (item.kind === 'code') {
            assert.ok(dry.stdout.includes(`  ${item.interpreter}`), item.interpreter);
            for (const line of item.code.split('\n')) if (!line.includes('<')) assert.ok(dry.stdout.includes(`  | ${line}`.trimEnd()), `${line} in ${dry.stdout}`);
          }
        });
        assert.doesNotMatch(dry.stdout, /✓ passed/);
      });
    }

    it('the dry run of run.runbook.md shows the confirmation reasons, the working directory and the quoted placeholder', () => {
      const { dry } = outputs.get('run')!;
      assert.match(dry.stdout, /\[6\/9\] marker\n {2}asks for confirmation: the step is marked confirm\n {2}bash in \/.*\/test\/fixtures\/workspace, timeout 15m\n {2}\| touch confirmed\.marker\n/);
      assert.match(dry.stdout, /\[7\/9\] dangerous\n {2}asks for confirmation: its code contains "rm -rf"\n/);
      assert.ok(dry.stdout.includes('  | echo "value: " "${POD_NAME}"\n'), dry.stdout);
      assert.ok(!existsSync(join(FIXTURES, 'confirmed.marker')));
    });

    it('the dry run of the evil runbook prints its code exactly as written', () => {
      const { dry, help } = outputs.get('evil')!;
      assert.equal(dry.code, 0, describeRun(dry));
      assert.ok(dry.stdout.includes(`  | echo "\${X_1}" '\`id\`' "\\\\n" */ /*\n  | printf "%s\\n" "$(echo nested)"\n`), dry.stdout);
      assert.ok(dry.stdout.includes('  | console.log(`template ${1 + 1}`);\n'), dry.stdout);
      assert.match(help.stdout, /^Evil \*\/ title \$\{process\.exit\(9\)\} `x` 'q': steps from /);
      assert.ok(help.stdout.includes(`--x-1 <value>     */ \${oops} \`bt\` "dq" 'sq' (default: a'b; or the environment variable X_1)`), help.stdout);
    });
  });

  describe('real runs print what the engine prints and exit as it ends', () => {
    it('basic.runbook.md: the default input, every step, and the manual step left for a person with --skip-manual', async () => {
      const runbook = copyFixture(dir, 'basic-run', 'basic');
      const script = writeScript(dir, 'basic-run', runbook);
      const engine = await engineRun(runbook, runbook.steps, {});
      assert.equal(engine.failed, undefined);
      const ran = await runScript(script, ['--skip-manual']);
      assert.equal(ran.code, 0, describeRun(ran));
      assert.equal(ran.stderr, '');
      assert.equal(withoutTimings(ran.stdout), expectedTranscript(runbook, engine.outputs));
      assert.ok(ran.stdout.includes('Hello, world!\n') && ran.stdout.includes('verified: world\n'));
    });

    it('basic.runbook.md with --name Ada: both fail the greeting on its expected output, the script with exit 1 and the same diff', async () => {
      const runbook = copyFixture(dir, 'basic-ada', 'basic');
      const script = writeScript(dir, 'basic-ada', runbook);
      const engine = await engineRun(runbook, runbook.steps, { NAME: 'Ada' });
      assert.equal(engine.failed?.id, 'greet');
      assert.equal(engine.result?.expected?.ok, false);
      const ran = await runScript(script, ['--name', 'Ada', '--skip-manual']);
      assert.equal(ran.code, 1, describeRun(ran));
      assert.equal(withoutTimings(ran.stdout), expectedTranscript(runbook, engine.outputs, 'greet'));
      const diff = engine.result!.expected!.diff!.replace(/^/gm, '  ');
      assert.equal(ran.stderr, `✗ Step "greet": Output does not contain the expected output. (- expected, + printed)\n${diff}\n`);
      assert.match(diff, /^ {2}- Hello, world!$/m);
    });

    it('runs where tsx treats the script as CommonJS too (a package without "type": "module")', async () => {
      const cjs = join(dir, 'cjs');
      mkdirSync(cjs);
      writeFileSync(join(cjs, 'package.json'), '{}\n');
      const ran = await runScript(writeScript(cjs, 'basic', copyFixture(cjs, 'runbook', 'basic')), ['--only', 'greet']);
      assert.equal(ran.code, 0, describeRun(ran));
      assert.equal(withoutTimings(ran.stdout), '[1/4] greet\nHello, world!\n  ✓ passed in <t>\n');
    });

    it('run.runbook.md --only fails: the same output and message as the engine, and exit code 1 (a step failed)', async () => {
      const runbook = copyFixture(dir, 'run-fails', 'run');
      const script = writeScript(dir, 'run-fails', runbook);
      const engine = await engineRun(runbook, runbook.steps.filter((s) => s.id === 'fails'), {});
      assert.equal(engine.result?.exitCode, 3);
      for (const only of ['fails', '3']) {
        const ran = await runScript(script, ['--only', only]);
        assert.equal(ran.code, 1, describeRun(ran));
        assert.equal(ran.stdout, '[3/9] fails\n');
        assert.equal(ran.stderr, `${engine.outputs.get('fails')}✗ Step "fails": ${engine.result?.message}\n`);
      }
    });

    it('session.runbook.md: exports and cd carry over to later shell steps, and the run stops at exit 4', async () => {
      const runbook = copyFixture(dir, 'session-engine', 'session');
      const engine = await engineRun(runbook, runbook.steps, {});
      assert.equal(engine.failed?.id, 'stop-here');
      assert.equal(engine.outputs.get('read-back'), 'value=carried dir=sub\n');
      const copy = copyFixture(dir, 'session-script', 'session');
      const ran = await runScript(writeScript(dir, 'session-script', copy));
      assert.equal(ran.code, 1, describeRun(ran));
      assert.equal(withoutTimings(ran.stdout), expectedTranscript(copy, engine.outputs, 'stop-here'));
      assert.equal(ran.stderr, `✗ Step "stop-here": ${engine.result?.message}\n`);
      assert.ok(!existsSync(join(dir, 'session-script', 'after-failure.marker')));
    });

    it('log-triage.runbook.md: python, node, an exported variable, expected outputs and a confirmed cleanup', async () => {
      const runbook = readRunbook(join(EXAMPLES, 'log-triage.runbook.md'));
      const tmp = join(dir, 'tmp-log-triage');
      mkdirSync(tmp);
      const env = { ...process.env, TMPDIR: tmp };
      const engine = await engineRun(runbook, runbook.steps, {}, env);
      assert.equal(engine.failed, undefined, JSON.stringify(engine.result));
      const ran = await runScript(scripts.get('log-triage')!, ['--yes', '--skip-manual'], { env });
      assert.equal(ran.code, 0, describeRun(ran));
      assert.equal(ran.stderr, '');
      assert.equal(withoutTimings(ran.stdout), expectedTranscript(runbook, engine.outputs));
      assert.match(ran.stdout, /^burst: 09:42-09:47 UTC/m);
      assert.deepEqual(readdirSync(join(tmp, 'runbook-examples')), [], 'the cleanup step ran');
      assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('runbook-script-')), [], 'the script removed its scratch files');
    });
  });

  describe('values never become code', () => {
    const VALUE = 'a $(touch pwned-1) `touch pwned-2`; touch pwned-3 && "dq" \'sq\' \\ $HOME ${PATH}\nsecond line; touch pwned-4';
    let caseDir: string;
    let script: string;
    before(() => {
      const runbook = writeRunbook(
        dir,
        'inject',
        'inject',
        lines(
          '---',
          'inputs:',
          '  MESSAGE: { description: Any text }',
          '---',
          fence('bash {name=declared}', "printf '[%s]\\n' \"$MESSAGE\""),
          '',
          fence('console {name=placeholder}', "$ printf '[%s]\\n' <message-text>"),
          '',
          fence('python {name=py}', 'import os', 'print("[" + os.environ["MESSAGE"] + "]")'),
        ),
      );
      caseDir = join(dir, 'inject');
      script = writeScript(dir, 'inject', runbook);
    });

    const pwned = () => readdirSync(caseDir).filter((f) => f.startsWith('pwned')).concat(readdirSync(dir).filter((f) => f.startsWith('pwned')));

    it('passes a hostile declared input and placeholder value through unchanged, as options', async () => {
      const ran = await runScript(script, ['--message', VALUE, '--message-text', VALUE], { cwd: caseDir });
      assert.equal(ran.code, 0, describeRun(ran));
      assert.equal(ran.stdout.split(`[${VALUE}]\n`).length - 1, 3, ran.stdout);
      assert.deepEqual(pwned(), []);
    });

    it('passes them through unchanged from the environment too, and in a dry run', async () => {
      const [fromEnv, dry] = await Promise.all([
        runScript(script, ['--message', VALUE], { cwd: caseDir, env: { ...process.env, MESSAGE_TEXT: VALUE } }),
        runScript(script, ['--dry-run', '--message', VALUE, '--message-text', VALUE], { cwd: caseDir }),
      ]);
      assert.equal(fromEnv.code, 0, describeRun(fromEnv));
      assert.equal(fromEnv.stdout.split(`[${VALUE}]\n`).length - 1, 3, fromEnv.stdout);
      assert.equal(dry.code, 0, describeRun(dry));
      assert.ok(!dry.stdout.includes('pwned'), 'values are not part of the code shown');
      assert.deepEqual(pwned(), []);
    });
  });

  describe('failures: message and exit code', () => {
    let runScriptCase: string;
    let requiredScript: string;
    let timeoutScript: string;
    const digits = uniqueDigits();
    before(() => {
      runScriptCase = writeScript(dir, 'run-errors', copyFixture(dir, 'run-errors', 'run'));
      requiredScript = writeScript(
        dir,
        'required',
        writeRunbook(
          dir,
          'required',
          'required',
          lines(
            '---',
            'inputs:',
            '  TARGET: { choices: [staging, production] }',
            '  API_TOKEN: { secret: true }',
            '  REPLICAS: { type: number, default: 3, min: 1, max: 20 }',
            '---',
            fence('bash {name=deploy}', 'echo "deploy $TARGET x$REPLICAS ${#API_TOKEN}"'),
            '',
            fence('bash {name=other}', 'echo other'),
            '',
            '- [ ] Tell the team',
          ),
        ),
      );
      timeoutScript = writeScript(
        dir,
        'timeout',
        writeRunbook(dir, 'timeout', 'timeout', fence('bash {name=slow timeout=1s}', 'echo started', `sleep 30.${digits} &`, `sleep 30.${digits}`)),
      );
    });
    after(() => killLeftovers(`sleep 30.${digits}`));

    const cases: Array<{ what: string; script: () => string; args: string[]; env?: Record<string, string>; code: number; stderr: string | RegExp }> = [
      { what: 'a missing required input', script: () => requiredScript, args: [], env: { API_TOKEN: 'sekret' }, code: 2, stderr: 'error: --target: a value is required. Give --target or set the environment variable TARGET.\n' },
      { what: 'an invalid choice', script: () => requiredScript, args: ['--target', 'qa'], env: { API_TOKEN: 'sekret' }, code: 2, stderr: 'error: --target: must be one of staging, production. Got "qa".\n' },
      { what: 'an invalid choice from the environment', script: () => requiredScript, args: [], env: { API_TOKEN: 's', TARGET: 'qa' }, code: 2, stderr: 'error: --target: must be one of staging, production. Got "qa".\n' },
      { what: 'a pattern mismatch', script: () => runScriptCase, args: ['--greeting', 'HELLO', '--only', 'hello'], code: 2, stderr: 'error: --greeting: does not match the pattern ^[a-z ]+$. Got "HELLO".\n' },
      { what: 'a number out of range', script: () => requiredScript, args: ['--target', 'staging', '--replicas', '21'], env: { API_TOKEN: 'sekret' }, code: 2, stderr: 'error: --replicas: 21 is above the maximum 20.\n' },
      { what: 'a missing secret', script: () => requiredScript, args: ['--target', 'staging'], env: { API_TOKEN: '' }, code: 2, stderr: 'error: API_TOKEN: a value is required. Set the environment variable API_TOKEN.\n' },
      { what: 'a secret given as an option', script: () => requiredScript, args: ['--api-token', 'x'], code: 2, stderr: 'error: --api-token is a secret: set the environment variable API_TOKEN instead\n' },
      { what: 'an unknown option', script: () => requiredScript, args: ['--bogus'], code: 2, stderr: 'error: unknown option --bogus (see --help)\n' },
      { what: 'an unknown step', script: () => requiredScript, args: ['--only', 'nope'], code: 2, stderr: /^error: --only: no step "nope"; give a number from 1 to 3 or one of: deploy, other, [\w-]+\n$/ },
      { what: 'a step number out of range', script: () => requiredScript, args: ['--from', '4'], code: 2, stderr: /^error: --from: no step "4"; give a number from 1 to 3/ },
      { what: 'a missing placeholder value', script: () => runScriptCase, args: ['--only', 'placeholder'], env: { POD_NAME: '' }, code: 2, stderr: 'error: --pod-name: a value is required. Give --pod-name or set the environment variable POD_NAME.\n' },
      { what: 'a refused confirmation (no terminal, no --yes)', script: () => runScriptCase, args: ['--only', 'marker'], code: 3, stderr: '✗ "marker" needs confirmation (the step is marked confirm): rerun with --yes or in a terminal\n' },
      { what: 'a manual step without a terminal', script: () => requiredScript, args: ['--only', '3'], code: 3, stderr: '✗ Manual step "Tell the team" needs a person: run in a terminal, or pass --skip-manual to leave it for a person\n' },
      { what: 'a manual step with --yes: --yes answers confirmations only', script: () => requiredScript, args: ['--only', '3', '--yes'], code: 3, stderr: '✗ Manual step "Tell the team" needs a person: run in a terminal, or pass --skip-manual to leave it for a person\n' },
      { what: 'an expected-output mismatch', script: () => runScriptCase, args: ['--only', 'mismatch'], code: 1, stderr: '✗ Step "mismatch": Output does not equal the expected output. (- expected, + printed)\n  + actual line\n  - expected line\n' },
      { what: 'a timeout', script: () => timeoutScript, args: [], code: 124, stderr: new RegExp(`(^|\\n)✗ Step "slow": Timed out after 1s; ${STOPPED_WHAT}\\.\\n$`) },
    ];

    const results = new Map<string, Ran>();
    before(async () => {
      const ran = await limited(cases.map((c) => () => runScript(c.script(), c.args, { cwd: join(dir, 'run-errors'), env: { ...process.env, ...c.env } })));
      cases.forEach((c, i) => results.set(c.what, ran[i]));
    });

    for (const c of cases) {
      it(`${c.what}: exit ${c.code}`, () => {
        const ran = results.get(c.what)!;
        assert.equal(ran.code, c.code, describeRun(ran));
        if (typeof c.stderr === 'string') assert.equal(ran.stderr, c.stderr);
        else assert.match(ran.stderr, c.stderr);
      });
    }

    it('runs nothing when the input is invalid or the confirmation refused, and stops the whole process group on timeout', () => {
      assert.equal(results.get('an invalid choice')!.stdout, '');
      assert.equal(results.get('a refused confirmation (no terminal, no --yes)')!.stdout, '[6/9] marker\n');
      assert.ok(!existsSync(join(dir, 'run-errors', 'confirmed.marker')));
      assert.equal(results.get('a timeout')!.stdout, '[1/1] slow\nstarted\n');
      assert.deepEqual(processesWith(`sleep 30.${digits}`), [], 'the step and its background child are gone');
    });

    it('runs a confirmed step with --yes, and --from runs the rest of the steps', async () => {
      const [confirmed, from] = await Promise.all([
        runScript(runScriptCase, ['--only', 'marker', '--yes']),
        runScript(requiredScript, ['--from', 'other', '--yes', '--skip-manual']),
      ]);
      assert.equal(confirmed.code, 0, describeRun(confirmed));
      assert.ok(existsSync(join(dir, 'run-errors', 'confirmed.marker')));
      assert.equal(from.code, 0, describeRun(from));
      assert.equal(
        withoutTimings(from.stdout),
        '[2/3] other\nother\n  ✓ passed in <t>\n[3/3] Tell the team\n  Manual step: Tell the team\n  ⏭ left for a person (--skip-manual)\nLeft for a person:\n  - [ ] Tell the team\n',
      );
    });
  });

  it('validates inputs with the same rules as checkInputValue', async () => {
    const runbook = writeRunbook(
      dir,
      'validate',
      'validate',
      lines(
        '---',
        'inputs:',
        '  N: { type: number, default: 3, min: 1, max: 20 }',
        '  B: { type: boolean, default: "true" }',
        '  C: { choices: [staging, production], default: staging }',
        '  P: { pattern: "^[a-z0-9-]+$", default: abc }',
        '---',
        fence('bash {name=use}', 'echo "$N $B $C $P"'),
      ),
    );
    const script = writeScript(dir, 'validate', runbook);
    const values: Array<[string, string]> = [
      ['N', '0'], ['N', '1'], ['N', '20'], ['N', '20.5'], ['N', 'abc'], ['N', '1e1'], ['N', ' 5'], ['N', ''],
      ['B', 'yes'], ['B', 'false'], ['C', 'qa'], ['C', 'production'], ['P', 'A B'], ['P', 'ok-1'],
    ];
    const ran = await limited(values.map(([name, value]) => () => runScript(script, ['--dry-run', `--${name.toLowerCase()}`, value])));
    values.forEach(([name, value], i) => {
      const spec = runbook.inputs.find((input) => input.name === name)!;
      const problem = checkInputValue(spec, value);
      assert.equal(ran[i].code, problem ? 2 : 0, `${name}=${JSON.stringify(value)}: ${problem} ${describeRun(ran[i])}`);
      if (problem) assert.ok(ran[i].stderr.startsWith(`error: --${name.toLowerCase()}: ${problem}`), `${problem} in ${ran[i].stderr}`);
    });
  });
});
