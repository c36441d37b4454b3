import { strict as assert } from 'node:assert';
import { diagnosticRange, lintRunbook } from '../../../src/core/authoring';
import type { RunbookDiagnostic } from '../../../src/core/runbook';
import { load, md } from './helpers';

function lint(text: string, available: (name: string) => boolean = () => false): RunbookDiagnostic[] {
  const { runbook, lines } = load(text);
  return lintRunbook(runbook, lines, { available });
}

function codes(found: RunbookDiagnostic[]): string[] {
  return found.map((d) => `${d.code}:${d.subject ?? ''}@${d.line}`);
}

describe('lintRunbook', () => {
  it('reports a variable a shell step reads that no input, step or environment provides, at the reference', () => {
    const text = md('# Deploy', '', '```bash', 'echo start', 'kubectl -n "$NAMESPACE" rollout restart deploy/api', '```');
    const [found] = lint(text);
    assert.equal(found.code, 'undeclared-input');
    assert.equal(found.severity, 'warning');
    assert.equal(found.subject, 'NAMESPACE');
    assert.deepEqual([found.line, found.column, found.endColumn], [4, 12, 22]);
    assert.match(found.message, /\$NAMESPACE is not a declared input/);
  });

  it('reports what is wrong in the `test:` block that `runbook test` reads, on its line', () => {
    const text = md('---', 'title: T', 'test:', '  inputs: [a, b]', '  folder: bin', '---', '# T', '', '```bash', 'true', '```');
    const found = lint(text).filter((d) => d.subject === 'test');
    assert.deepEqual(found.map((d) => [d.severity, d.line]), [['warning', 2], ['error', 2]]);
    assert.match(found[0].message, /unknown key "folder"/);
    assert.match(found[1].message, /inputs must be a mapping/);
    assert.deepEqual(lint(md('---', 'test: { inputs: { NS: x }, path: bin }', '---', '# T')).filter((d) => d.subject === 'test'), []);
  });

  it('does not report declared inputs, shell variables, assigned or earlier-exported variables, defaults, or what the environment has', () => {
    const text = md(
      '---',
      'inputs:',
      '  NAMESPACE: { description: Namespace, default: payments }',
      '---',
      '```bash',
      'export CLUSTER=eu-1',
      'echo "$NAMESPACE $HOME $PWD"',
      'for pod in a b; do echo "$pod"; done',
      'echo "${REGION:-eu}"',
      '```',
      '',
      '```bash',
      'echo "$CLUSTER $KUBECONFIG"',
      '```',
    );
    assert.deepEqual(codes(lint(text, (name) => name === 'KUBECONFIG')), []);
    assert.deepEqual(codes(lint(text)), ['undeclared-input:KUBECONFIG@12']);
  });

  it('reports placeholders as information under the variable that carries them', () => {
    const text = md('```bash', 'kubectl logs <pod-name> -n prod', '```');
    const [found] = lint(text);
    assert.deepEqual([found.code, found.severity, found.subject, found.line, found.column, found.endColumn], ['undeclared-placeholder', 'info', 'POD_NAME', 1, 13, 23]);
  });

  it('reports a declared input no step uses, and not one used by a python step or a placeholder', () => {
    const text = md(
      '---',
      'inputs:',
      '  UNUSED: { description: Nothing uses it, default: x }',
      '  REGION: { description: Region, default: eu }',
      '  POD_NAME: { description: Pod, default: api-0 }',
      '---',
      '```python',
      'import os; print(os.environ["REGION"])',
      '```',
      '```bash',
      'kubectl logs <pod-name>',
      '```',
    );
    const found = lint(text);
    assert.deepEqual(codes(found), ['unused-input:UNUSED@2']);
    const { lines } = load(text);
    assert.deepEqual(diagnosticRange(found[0], lines), { line: 2, column: 2, endLine: 2, endColumn: 8 });
  });

  it('reports a required input without a description, not an optional one', () => {
    const text = md('---', 'inputs:', '  TOKEN: { secret: true }', '  REPLICAS: { default: 3 }', '  TARGET:', '---', '```bash', 'echo $TOKEN $REPLICAS $TARGET', '```');
    assert.deepEqual(codes(lint(text)), ['input-without-description:TOKEN@2', 'input-without-description:TARGET@4']);
  });

  it('reports a confirm step in a runbook without environment, at the attribute', () => {
    const without = md('# Drop', '```bash {name=drop confirm}', 'echo drop', '```', '```bash {"confirm": true}', 'echo again', '```');
    const found = lint(without);
    assert.deepEqual(codes(found), ['confirm-without-environment:confirm@1', 'confirm-without-environment:confirm@4']);
    const { lines } = load(without);
    assert.deepEqual(diagnosticRange(found[0], lines), { line: 1, column: 19, endLine: 1, endColumn: 26 });
    assert.deepEqual(diagnosticRange(found[1], lines), { line: 4, column: 9, endLine: 4, endColumn: 24 });
    assert.deepEqual(lint(md('---', 'environment: staging', '---', '```bash {confirm}', 'echo x', '```')), []);
  });

  it('finds nothing to say about a clean runbook', () => {
    const text = md(
      '---',
      'environment: production',
      'inputs:',
      '  SERVICE: { description: The service to restart, pattern: "^[a-z-]+$" }',
      '---',
      '# Restart',
      '```bash {name=restart confirm timeout=2m}',
      'systemctl restart "$SERVICE"',
      '```',
    );
    assert.deepEqual(lint(text), []);
  });
});

describe('diagnosticRange', () => {
  it('underlines the attribute, the bad value or the name the parser reported', () => {
    const text = md('```bash {name=a timout=2m}', 'x', '```', '```bash {name=a timeout=soon}', 'y', '```');
    const { runbook, lines } = load(text);
    const ranges = Object.fromEntries(runbook.diagnostics.map((d) => [d.code, diagnosticRange(d, lines)]));
    assert.deepEqual(ranges['unknown-attribute'], { line: 0, column: 16, endLine: 0, endColumn: 25 });
    assert.deepEqual(ranges['duplicate-name'], { line: 3, column: 14, endLine: 3, endColumn: 15 });
    assert.deepEqual(ranges['bad-timeout'], { line: 3, column: 24, endLine: 3, endColumn: 28 });
  });

  it('falls back to the line from its first character when there is nothing narrower', () => {
    const text = md('---', 'title: [unclosed', '---');
    const { runbook, lines } = load(text);
    const range = diagnosticRange(runbook.diagnostics[0], lines);
    assert.equal(range.line, runbook.diagnostics[0].line);
    assert.ok(range.endColumn > range.column);
  });
});
