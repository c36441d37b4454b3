// `runbook list`, `check` and `test` as real processes, and the bundle installed from `npm pack`.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { runbookProblems } from '../../../src/core/authoring';
import { parseRunbook } from '../../../src/core/runbook';
import { makeTempDir, removeDir } from '../run/helpers';
import { CORPUS, markdownFilesUnder } from '../../support/corpus';
import { buildCli, runCli, runIntoClosedPipe } from './runCli';

const ROOT = resolve(__dirname, '../../..');
const FIXTURES = join(ROOT, 'test/fixtures/cli');

describe('runbook list, check and test (the CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => buildCli());
  beforeEach(() => {
    dir = makeTempDir('runbook-cli-commands-');
  });
  afterEach(() => removeDir(dir));

  it('output into a pipe that closed (`runbook list | head`) is dropped quietly: no EPIPE stack trace', async () => {
    for (const args of [['list', FIXTURES], ['run', join(FIXTURES, 'pass.md'), '--dry-run']]) {
      const { code, stderr } = await runIntoClosedPipe(args, { cwd: dir });
      assert.equal(code, 0, `${args[0]}: ${stderr}`);
      assert.doesNotMatch(stderr, /EPIPE|at .*\.js:\d+/, args[0]);
    }
  });

  it('list: the runbooks found by the Runbooks view\'s rules, with steps and inputs, as JSON when not a TTY', async () => {
    mkdirSync(join(dir, 'runbooks'));
    cpSync(join(FIXTURES, 'pass.md'), join(dir, 'runbooks', 'pass.md'));
    writeFileSync(join(dir, 'README.md'), '# Readme\n```bash\necho not a runbook\n```\n');
    writeFileSync(join(dir, 'ops.md'), '---\nrunbook: true\nenvironment: production\n---\n# Ops\n- [ ] Check\n');
    const result = await runCli(['list'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const { runbooks } = JSON.parse(result.stdout) as { runbooks: Array<{ path: string; title: string; environment: string | null; inputs: Array<{ name: string; secret: boolean }>; steps: Array<{ id: string; kind: string }> }> };
    assert.deepEqual(runbooks.map((r) => r.path), ['ops.md', 'runbooks/pass.md']);
    assert.equal(runbooks[0].environment, 'production');
    assert.deepEqual(runbooks[1].steps.map((s) => s.id), ['hello', 'export', 'read-back', 'optional']);
    assert.deepEqual(runbooks[1].inputs.map((i) => [i.name, i.secret]), [['GREETING', false], ['TOKEN', true]]);
  });

  it('check: errors fail, warnings show, --strict fails on warnings, GitHub gets annotations', async () => {
    writeFileSync(join(dir, 'good.runbook.md'), '# Good\n\nSay hi.\n\n```bash {name=hi}\necho hi\n```\n');
    const clean = await runCli(['check', 'good.runbook.md'], { cwd: dir });
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    writeFileSync(join(dir, 'warn.runbook.md'), '# Warn\n\n```bash {name=w timout=5s}\necho "$UNDECLARED_THING"\n```\n');
    const warned = await runCli(['check', 'warn.runbook.md'], { cwd: dir });
    assert.equal(warned.code, 0);
    assert.match(warned.stdout, /warn\.runbook\.md:3:\d+: warning \[unknown-attribute\]/);
    assert.equal((await runCli(['check', 'warn.runbook.md', '--strict'], { cwd: dir })).code, 1);
    writeFileSync(join(dir, 'bad.runbook.md'), '---\ntitle: [unclosed\n---\n# Bad\n');
    const bad = await runCli(['check', '.'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /::error file=bad\.runbook\.md,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=yaml::/);
    const report = join(dir, 'check.xml');
    await runCli(['check', '.', '--reporter', 'junit', '--report', report], { cwd: dir });
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(report, 'utf8'));
    const cases = [xml.testsuites.testsuite.testcase].flat() as Array<{ name: string; failure?: unknown }>;
    assert.deepEqual(cases.map((c) => [c.name, c.failure !== undefined]), [['bad.runbook.md', true], ['good.runbook.md', false], ['warn.runbook.md', false]]);
  });

  it('check over ../shared/corpus: no crash, and the editor\'s diagnostics (skipped without the corpus)', async function () {
    if (!existsSync(CORPUS)) this.skip();
    const result = await runCli(['check', CORPUS, '--include', '**/*.md'], { cwd: dir, watchdogMs: 60_000 });
    assert.equal(result.hung, false);
    assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}: ${result.stderr.slice(0, 500)}`);
    assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack trace');
    // The same problems the editor's Problems panel computes, file by file: each one's file, line,
    // code, severity and message (its first line: the rest of a long one prints on lines of its own).
    const files = markdownFilesUnder(CORPUS);
    const expected: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
      for (const problem of runbookProblems(parseRunbook(text, { path: file }), lines, { available: (name) => process.env[name] !== undefined })) {
        expected.push([file, problem.line + 1, problem.severity, problem.code, problem.message.split('\n')[0]].join(' | '));
      }
    }
    const printed: string[] = [];
    for (const line of result.stdout.split('\n')) {
      const found = /^(\S.*?):(\d+):\d+: (error|warning|info) \[([^\]]+)\] (.*)$/.exec(line);
      if (found) printed.push([resolve(dir, found[1]), Number(found[2]), found[3], found[4], found[5]].join(' | '));
    }
    assert.ok(expected.length > 0, 'the corpus has problems to compare');
    assert.deepEqual(printed.sort(), expected.sort());
    assert.match(result.stderr, new RegExp(`^${files.length} runbooks checked`, 'm'));
  });

  it('test: runs a runbook with a test: block against a stand-in kubectl, in a fresh HOME, with JUnit', async () => {
    cpSync(FIXTURES, dir, { recursive: true });
    const report = join(dir, 'test.xml');
    const result = await runCli(['test', 'tested.md', '--report', report], { cwd: dir, watchdogMs: 30_000 });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /stand-in kubectl get pods -n test-ns|web-1/);
    assert.match(result.stdout, /home is fresh/);
    assert.match(result.stdout, /2 passed, 0 failed, 1 skipped\n$/);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(report, 'utf8'));
    const cases = [xml.testsuites.testsuite.testcase].flat() as Array<{ name: string; skipped?: { message: string } }>;
    assert.equal(cases.length, 3);
    assert.match(cases[2].skipped?.message ?? '', /manual step/);
    assert.equal(existsSync(join(dir, 'written')), false, 'the test wrote in its own HOME, not here');
    // Without the stand-in, kubectl is not found (or prints something else): the test fails.
    writeFileSync(join(dir, 'bin', 'kubectl'), '#!/usr/bin/env bash\necho "no pods"\n');
    const failing = await runCli(['test', 'tested.md'], { cwd: dir, watchdogMs: 30_000 });
    assert.equal(failing.code, 1);
    assert.match(failing.stdout, /0 passed, 1 failed, 2 skipped\n$/, 'the steps after the failure are skipped, never passed');
  });

  it('extract and export: the tool, then its workflow; --check and check find drift like a stale lockfile', async () => {
    execFileSync('git', ['init', '-q'], { cwd: dir });
    mkdirSync(join(dir, 'runbooks'));
    cpSync(join(FIXTURES, 'pass.md'), join(dir, 'runbooks', 'pass.md'));
    const before = await runCli(['export', 'github', 'runbooks/pass.md'], { cwd: dir });
    assert.equal(before.code, 2, 'no script yet');
    assert.match(before.stderr, /runbook extract runbooks\/pass\.md/);
    const extract = await runCli(['extract', 'runbooks/pass.md'], { cwd: dir, watchdogMs: 15_000 });
    assert.equal(extract.code, 0, extract.stderr);
    assert.ok(existsSync(join(dir, 'scripts', 'cli-pass.ts')));
    assert.equal((await runCli(['extract', 'runbooks/pass.md'], { cwd: dir })).code, 2, 'never replaces a script without --force');
    for (const engine of ['github', 'gitlab']) {
      const written = await runCli(['export', engine, 'runbooks/pass.md'], { cwd: dir, watchdogMs: 15_000 });
      assert.equal(written.code, 0, written.stderr);
    }
    const workflow = readFileSync(join(dir, '.github/workflows/runbook-pass.yml'), 'utf8');
    assert.match(workflow, /workflow_dispatch/);
    assert.doesNotMatch(workflow.split('\n').filter((line) => /^\s*run:/.test(line)).join('\n'), /\$\{\{/);
    assert.ok(existsSync(join(dir, '.gitlab/runbooks/pass.yml')));
    assert.equal((await runCli(['export', 'github', 'runbooks/pass.md', '--check'], { cwd: dir })).code, 0);
    assert.equal((await runCli(['check', '.'], { cwd: dir })).code, 0);
    writeFileSync(join(dir, 'runbooks', 'pass.md'), `${readFileSync(join(dir, 'runbooks', 'pass.md'), 'utf8')}\nAn edit.\n`);
    const drifted = await runCli(['export', 'github', 'runbooks/pass.md', '--check'], { cwd: dir });
    assert.equal(drifted.code, 1);
    assert.match(drifted.stderr, /changed since/);
    const checked = await runCli(['check', '.'], { cwd: dir });
    assert.equal(checked.code, 1);
    assert.match(checked.stdout, /error \[export-drift\]/);
  });

  it('extract --out and export --out write where asked; export --check finds drift there, `runbook check` does not look there', async () => {
    execFileSync('git', ['init', '-q'], { cwd: dir });
    mkdirSync(join(dir, 'runbooks'));
    const runbookFile = join(dir, 'runbooks', 'pass.md');
    cpSync(join(FIXTURES, 'pass.md'), runbookFile);
    const extract = await runCli(['extract', 'runbooks/pass.md', '--out', 'tools/pass-tool.ts'], { cwd: dir, watchdogMs: 15_000 });
    assert.equal(extract.code, 0, extract.stderr);
    assert.match(extract.stdout, /Wrote tools\/pass-tool\.ts \(4 steps\)/);
    assert.match(readFileSync(join(dir, 'tools', 'pass-tool.ts'), 'utf8'), /echo "\$GREETING from the cli"|GREETING/);
    assert.equal(existsSync(join(dir, 'scripts')), false, 'nothing at the default place');
    // The export looks for the script where an earlier export, the tool note or the default name
    // says: a script at another path is not found until the runbook's tool note names it.
    const unfound = await runCli(['export', 'github', 'runbooks/pass.md'], { cwd: dir });
    assert.equal(unfound.code, 2);
    assert.match(unfound.stderr, /has no extracted script yet/);
    writeFileSync(runbookFile, readFileSync(runbookFile, 'utf8').replace('# CLI pass\n', '# CLI pass\n\n> **Automated:** the steps "hello" and "export" are now done by the script `tools/pass-tool.ts`.\n'));
    // The note changed the runbook, so the script is extracted again from this version.
    assert.equal((await runCli(['extract', 'runbooks/pass.md', '--out', 'tools/pass-tool.ts', '--force'], { cwd: dir, watchdogMs: 15_000 })).code, 0);
    const written = await runCli(['export', 'github', 'runbooks/pass.md', '--out', 'ci/pass.yml'], { cwd: dir, watchdogMs: 15_000 });
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stdout, /Wrote ci\/pass\.yml: it runs tools\/pass-tool\.ts/);
    assert.match(readFileSync(join(dir, 'ci', 'pass.yml'), 'utf8'), /workflow_dispatch/);
    assert.equal(existsSync(join(dir, '.github')), false, 'nothing at the default place');
    const outside = await runCli(['export', 'github', 'runbooks/pass.md', '--out', join(dir, '..', 'elsewhere.yml')], { cwd: dir });
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /is outside the repository/);
    assert.equal((await runCli(['export', 'github', 'runbooks/pass.md', '--out', 'ci/pass.yml', '--check'], { cwd: dir })).code, 0);
    assert.equal((await runCli(['check', '.'], { cwd: dir })).code, 0);
    writeFileSync(runbookFile, `${readFileSync(runbookFile, 'utf8')}\nAn edit.\n`);
    const drifted = await runCli(['export', 'github', 'runbooks/pass.md', '--out', 'ci/pass.yml', '--check'], { cwd: dir });
    assert.equal(drifted.code, 1);
    assert.match(drifted.stderr, /changed since/);
    // `runbook check` looks for a runbook's workflows only at their default paths
    // (.github/workflows/runbook-<name>.yml, .gitlab/runbooks/<name>.yml): a workflow written
    // elsewhere with --out is not checked, so its drift passes. (Reported to the lead as a gap.)
    const checked = await runCli(['check', '.'], { cwd: dir });
    assert.equal(checked.code, 0, checked.stdout);
    assert.doesNotMatch(checked.stdout, /export-drift/);
  });

  describe('stats over test/fixtures/insights', () => {
    const INSIGHTS = join(ROOT, 'test/fixtures/insights');
    const EDITOR_HISTORY = join(INSIGHTS, 'history/editor.jsonl');
    const RANKED = ['runbooks/restart-api.runbook.md', 'runbooks/rotate-certs.md', 'runbooks/clear-queue.md', 'runbooks/restart.md'];
    const DAY = 24 * 60 * 60 * 1000;
    /** `--since` reaching back to just before `date`: the fixtures are dated 2025, the CLI counts back from now. */
    const sinceBefore = (date: string) => `${Math.ceil((Date.now() - Date.parse(date)) / DAY)}d`;
    // From 2025-05-10: the fixtures' last 30 days (every line from 2025-05-20 on); from 2025-04-01: carol's run of 2025-04-10 too.
    const RECENT = sinceBefore('2025-05-10T00:00:00Z');
    const LONGER = sinceBefore('2025-04-01T00:00:00Z');
    let repo: string;
    const stats = (args: string[]) =>
      runCli(
        ['stats', '--history', EDITOR_HISTORY, '--history', join(INSIGHTS, 'history/ci.jsonl'), '--issues', join(INSIGHTS, 'issues/github.json'), '--issues', join(INSIGHTS, 'issues/gitlab.json'), '--runbook-url', 'https://runbooks.example.com/runbooks/=runbooks/', ...args],
        { cwd: repo, watchdogMs: 15_000 },
      );
    type Row = { path: string; runs: number; people: number; handsOnMs: number; failedRuns: number; mentions: number; ladder: { badge: string } };
    beforeEach(() => {
      // A copy outside this checkout, so the repository root is the fixture repository.
      repo = join(dir, 'repo');
      cpSync(join(INSIGHTS, 'repo'), repo, { recursive: true });
    });

    it('--format json: the ranking of the fixture runbooks, its numbers and the bad history lines, per --since', async () => {
      const result = await stats(['--since', RECENT, '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '', 'JSON carries the problems itself');
      const insights = JSON.parse(result.stdout) as { period: { label: string }; runbooks: Row[]; totals: { runs: number; people: number }; problems: Array<{ file: string; line: number; message: string }>; unknownRunbooks: Array<{ path: string }> };
      assert.equal(insights.period.label, RECENT);
      assert.deepEqual(insights.runbooks.map((r) => r.path), RANKED);
      const [api, certs, queue, restart] = insights.runbooks;
      assert.deepEqual([api.runs, api.people, api.handsOnMs, api.failedRuns, api.mentions, api.ladder.badge], [3, 3, 507_000, 1, 3, 'runbook']);
      assert.deepEqual([certs.runs, certs.handsOnMs, certs.ladder.badge], [1, 150_000, 'tool 2/4']);
      assert.deepEqual([queue.runs, queue.mentions, queue.ladder.badge], [3, 2, 'service'], 'the runbook_url mention needs --runbook-url');
      assert.equal(restart.runs, 0);
      assert.deepEqual([insights.totals.runs, insights.totals.people], [7, 4]);
      assert.deepEqual(insights.unknownRunbooks.map((r) => r.path), ['runbooks/old-runbook.md']);
      assert.deepEqual(insights.problems.map((p) => [p.file, p.line]), [[EDITOR_HISTORY, 12], [EDITOR_HISTORY, 15]]);
      // A longer period takes in carol's run of April.
      const longer = JSON.parse((await stats(['--since', LONGER, '--format', 'json'])).stdout) as { runbooks: Row[] };
      assert.equal(longer.runbooks.find((r) => r.path === RANKED[0])?.runs, 4);
    });

    it('--format table (the default), csv and markdown: a table, a CSV with a header and a row per runbook, a Markdown table', async () => {
      for (const args of [[], ['--format', 'table']]) {
        const table = await stats(['--since', RECENT, ...args]);
        assert.equal(table.code, 0, table.stderr);
        assert.throws(() => JSON.parse(table.stdout), 'a table, not JSON');
        const lines = table.stdout.split('\n');
        const header = lines.findIndex((line) => /^#\s+runbook\s+runs\s+people\s+hands-on\s+failed\s+issues\s+stage\s+why$/.test(line));
        assert.ok(header > 0, table.stdout);
        assert.match(lines[header + 1], /^-+( +-+){8}$/);
        assert.deepEqual(lines.slice(header + 2, header + 6).map((line) => line.split(/\s+/).slice(0, 3)), RANKED.map((path, i) => [String(i + 1), path, ['3', '1', '3', '0'][i]]));
        assert.match(table.stderr, new RegExp(`^${EDITOR_HISTORY}:12: not a history line`, 'm'));
        assert.match(table.stderr, new RegExp(`^${EDITOR_HISTORY}:15: not JSON: the last line is cut short`, 'm'));
      }
      const csv = await stats(['--since', RECENT, '--format', 'csv']);
      assert.equal(csv.code, 0, csv.stderr);
      const records = csv.stdout.split('\r\n');
      assert.equal(records.pop(), '', 'CRLF after every record');
      assert.equal(records[0].split(',').slice(0, 4).join(','), 'rank,path,title,runs');
      assert.equal(records.length, 1 + RANKED.length);
      assert.deepEqual(records.slice(1).map((record) => record.split(',').slice(0, 4)), [
        ['1', RANKED[0], 'Restart the payments API', '3'],
        ['2', RANKED[1], 'Rotate the ingress certificates', '1'],
        ['3', RANKED[2], 'Clear the dead letter queue', '3'],
        ['4', RANKED[3], 'Restart', '0'],
      ]);
      assert.match(csv.stderr, new RegExp(`^${EDITOR_HISTORY}:15: `, 'm'), 'problems go to stderr, not into the CSV');
      const markdown = await stats(['--since', RECENT, '--format', 'markdown']);
      assert.equal(markdown.code, 0, markdown.stderr);
      const md = markdown.stdout.split('\n');
      const head = md.indexOf('| # | Runbook | Runs | People | Hands-on | Failed | Issues | Stage | Why |');
      assert.ok(head > 0, markdown.stdout);
      assert.match(md[head + 1], /^\|(-+:?|:?-+:?)(\|(-+:?|:?-+:?))+\|$/);
      const rows = md.slice(head + 2, head + 2 + RANKED.length);
      rows.forEach((row, i) => assert.match(row, new RegExp(`^\\| ${i + 1} \\| .*\`${RANKED[i].replace(/\./g, '\\.')}\` \\|`), row));
      assert.doesNotMatch(md[head + 2 + RANKED.length], /^\|/, 'one row per runbook');
      assert.match(markdown.stdout, /## Input problems\n\n- `[^`]*editor\.jsonl:12`/);
    });

    it('a history file with a bad line and a cut-short last line: each named file:line on stderr, the rest still counted', async () => {
      const line = (who: string, at: string) => JSON.stringify({ runbook: 'runbooks/restart.md', runbookTitle: 'Restart', step: 'step-1', kind: 'code', who, where: 'cli', runId: `run-${who}`, at, durationMs: 1000, result: 'passed', exitCode: 0, inputs: {} });
      const file = join(dir, 'cut.jsonl');
      writeFileSync(file, [line('zed', '2025-05-21T08:00:00.000Z'), '{"runbook": "runbooks/restart.md", oops}', line('yan', '2025-05-22T08:00:00.000Z'), line('xia', '2025-05-23T08:00:00.000Z').slice(0, 40)].join('\n'));
      const result = await runCli(['stats', '--history', file, '--since', RECENT], { cwd: repo, watchdogMs: 15_000 });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, `${file}:2: not JSON\n${file}:4: not JSON: the last line is cut short (a write that did not finish?)\n`);
      const json = JSON.parse((await runCli(['stats', '--history', file, '--since', RECENT, '--format', 'json'], { cwd: repo, watchdogMs: 15_000 })).stdout) as { runbooks: Row[]; problems: Array<{ line: number }> };
      const restart = json.runbooks.find((r) => r.path === 'runbooks/restart.md');
      assert.deepEqual([restart?.runs, restart?.people], [2, 2], 'the two good lines count');
      assert.deepEqual(json.problems.map((p) => p.line), [2, 4]);
    });

    it('a bad --since or --format is a usage error naming the value', async () => {
      const since = await stats(['--since', '5x']);
      assert.equal(since.code, 2);
      assert.match(since.stderr, /--since: "5x" is not a period/);
      const format = await stats(['--format', 'xml']);
      assert.equal(format.code, 2);
      assert.match(format.stderr, /--format xml: use table, json, csv, markdown/);
    });
  });

  it('npm pack gives a tarball that installs a working global `runbook`', async function () {
    const pack = join(dir, 'pack');
    mkdirSync(pack);
    execFileSync('node', [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'ignore' });
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', pack], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    const prefix = join(dir, 'global');
    execFileSync('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(pack, tarball)], { stdio: 'ignore' });
    const bin = join(prefix, 'bin', 'runbook');
    assert.ok(existsSync(bin));
    assert.match(execFileSync(bin, ['--help'], { encoding: 'utf8' }), /Usage: runbook <command>/);
    cpSync(join(FIXTURES, 'pass.md'), join(dir, 'pass.md'));
    const out = execFileSync(bin, ['run', 'pass.md', '--only', 'hello', '--history', join(dir, 'h.jsonl')], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.match(out, /hello from the cli/);
  });
});
