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
import { buildCli, runCli } from './runCli';

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
    // The same problems the editor's Problems panel computes, file by file.
    const files = markdownFilesUnder(CORPUS);
    let expected = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
      expected += runbookProblems(parseRunbook(text, { path: file }), lines, { available: (name) => process.env[name] !== undefined }).length;
    }
    const printed = result.stdout.split('\n').filter((line) => /^\S.*:\d+:\d+: (error|warning|info) \[/.test(line)).length;
    assert.equal(printed, expected);
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
