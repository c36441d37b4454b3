import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import schema from '../../../schemas/runbook-front-matter.schema.json';
import { completionsAt, FRONT_MATTER_KEYS, lintRunbook } from '../../../src/core/authoring';
import { lintAlerts, readRunbookAlerts } from '../../../src/core/alerts';
import { parseRunbook } from '../../../src/core/runbook';
import { md } from './helpers';

const PROJECT = path.resolve(__dirname, '../../..');

function load(text: string) {
  return { runbook: parseRunbook(text, { path: '/tmp/test.runbook.md' }), lines: text.split('\n') };
}

const RUNBOOK = md(
  '---', // 0
  'environment: local', // 1
  'automation: sometimes', // 2
  'inputs:', // 3
  '  QUEUE: { description: q, pattern: "^[a-z]+$" }', // 4
  '  TOKEN: { description: t, secret: true }', // 5
  '  REQUIRED: { description: r }', // 6
  'alerts:', // 7
  '  QueueStuck:', // 8
  '    match: { severity: critical }', // 9
  '    inputs:', // 10
  '      QUEUE: "{{ labels.queue }}"', // 11
  '      TYPO: "{{ labels.queue }}"', // 12
  '      CONST: fixed', // 13
  '    labels: {}', // 14
  '  Broken: { inputs: { QUEUE: "{{ .Labels.queue }}", TOKEN: "{{ labels.t }}" } }', // 15
  '---', // 16
  '# Requeue', // 17
  '',
  '```bash',
  'echo "$QUEUE $TOKEN $REQUIRED"',
  '```',
);

describe('alerts in the editor', () => {
  it('lint reports each problem on the line and columns it is about', () => {
    const { runbook, lines } = load(RUNBOOK);
    const found = lintAlerts(runbook, lines).map((d) => ({ line: d.line, code: d.code, severity: d.severity, text: lines[d.line].slice(d.column, d.endColumn), message: d.message }));
    const summary = found.map((d) => `${d.line} ${d.code} ${d.severity} ${d.text}`).sort();
    assert.deepEqual(summary, [
      '12 alert-unknown-input warning TYPO',
      '13 alert-template warning fixed',
      '13 alert-unknown-input warning CONST',
      '14 alerts-shape warning labels',
      '15 alert-template error "{{ .Labels.queue }}"',
      '15 alert-unknown-input error TOKEN',
      '2 bad-automation error sometimes',
      '8 alert-unfilled-input warning QueueStuck',
    ]);
    assert.match(found.find((d) => d.code === 'alert-unfilled-input')!.message, /needs REQUIRED/);
    assert.match(found.find((d) => d.line === 15 && d.code === 'alert-unknown-input')!.message, /secret input/);
  });

  it('is part of the editor lint, and silent for runbooks without alerts', () => {
    const { runbook, lines } = load(RUNBOOK);
    assert.ok(lintRunbook(runbook, lines).some((d) => d.code === 'bad-automation'));
    const plain = load(md('---', 'inputs:', '  A: { description: a }', '---', '# X', '```bash', 'echo $A', '```'));
    assert.deepEqual(lintAlerts(plain.runbook, plain.lines), []);
  });

  it('warns that approve without a production environment only notifies', () => {
    const { runbook, lines } = load(md('---', 'environment: staging', 'automation: approve', 'alerts: [A]', '---', '# X'));
    const [warning] = lintAlerts(runbook, lines);
    assert.equal(warning.code, 'bad-automation');
    assert.equal(warning.line, 2);
    assert.match(warning.message, /"staging", so alerts only notify/);
    const prod = load(md('---', 'environment: production', 'automation: approve', 'alerts: [A]', '---', '# X'));
    assert.deepEqual(lintAlerts(prod.runbook, prod.lines), []);
  });

  it('the example runbook with alerts: is clean and its entry reads as intended', () => {
    const file = path.join(PROJECT, 'examples/requeue-stuck-jobs.runbook.md');
    const { runbook, lines } = load(readFileSync(file, 'utf8'));
    assert.deepEqual(lintRunbook(runbook, lines), []);
    const alerts = readRunbookAlerts(runbook.frontMatter);
    assert.equal(alerts.automation, 'auto');
    assert.deepEqual(alerts.rules, [{ alert: 'WorkQueueStuck', match: { severity: ['warning', 'critical'] }, inputs: { QUEUE: '{{ labels.queue }}' } }]);
  });

  it('completions offer alerts and automation at the top, and the entry keys and inputs inside', () => {
    assert.ok(FRONT_MATTER_KEYS.some((term) => term.name === 'alerts'));
    assert.deepEqual(FRONT_MATTER_KEYS.find((term) => term.name === 'automation')?.values, ['auto', 'approve']);
    const text = md('---', 'inputs:', '  QUEUE: { description: q }', '  TOKEN: { secret: true, description: t }', 'automation: ', 'alerts:', '  QueueStuck:', '    ', '    inputs:', '      ', '      QUEUE: ', '---', '# X', '```bash', 'echo "$QUEUE $TOKEN" <pod-name>', '```');
    const { runbook, lines } = load(text);
    const labels = (line: number, character: number) => completionsAt(runbook, lines, line, character)?.suggestions.map((s) => s.insertText);
    assert.deepEqual(labels(4, 12), ['auto', 'approve']);
    assert.deepEqual(labels(7, 4), ['match: ']);
    assert.deepEqual(labels(9, 6), ['POD_NAME: "{{ labels.pod_name }}"'], 'declared non-secret inputs not yet there, and implicit ones');
    assert.deepEqual(labels(10, 13), ['"{{ labels.queue }}"']);
  });

  it('the schema documents alerts: and automation: as the reader reads them', () => {
    const validate = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true }).compile(schema);
    const good = [
      md('automation: auto', 'alerts:', '  A: { inputs: { X: "{{ labels.x }}" }, match: { severity: [warning, critical], team: ops } }'),
      md('automation: approve', 'alerts: [A, B]'),
      md('alerts:', '  A:'),
    ];
    const bad = [md('automation: yes'), md('alerts: 5'), md('alerts:', '  A: { inputs: [x] }'), md('alerts:', '  A: { match: { severity: [] } }'), md('alerts:', '  A: { inputs: { X: { nested: 1 } } }')];
    for (const yaml of good) {
      const { runbook } = load(md('---', yaml, '---', '# X'));
      assert.deepEqual(readRunbookAlerts(runbook.frontMatter).problems, [], yaml);
      assert.ok(validate(runbook.frontMatter), `${yaml}: ${JSON.stringify(validate.errors)}`);
    }
    for (const yaml of bad) {
      const { runbook } = load(md('---', yaml, '---', '# X'));
      assert.ok(readRunbookAlerts(runbook.frontMatter).problems.some((p) => p.severity === 'error'), yaml);
      assert.equal(validate(runbook.frontMatter), false, yaml);
    }
  });
});
