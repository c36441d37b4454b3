import { strict as assert } from 'node:assert';
import { lintRunbook, quickFixes, type QuickFix } from '../../../src/core/authoring';
import type { RunbookDiagnostic } from '../../../src/core/runbook';
import { applyEdits, load, md } from './helpers';

/** All problems of `text` (parser and lint) with the given code. */
function problems(text: string, code: RunbookDiagnostic['code']): RunbookDiagnostic[] {
  const { runbook, lines } = load(text);
  return [...runbook.diagnostics, ...lintRunbook(runbook, lines)].filter((d) => d.code === code);
}

function fixesFor(text: string, code: RunbookDiagnostic['code']): QuickFix[] {
  const [problem] = problems(text, code);
  assert.ok(problem, `no ${code} in ${text}`);
  const { runbook, lines } = load(text);
  return quickFixes(problem, runbook, lines);
}

function applyFix(text: string, fix: QuickFix): string {
  return applyEdits(text, fix.edits);
}

describe('quick fixes', () => {
  describe('declare the missing input', () => {
    const step = ['# Restart', '```bash', 'systemctl restart "$SERVICE"', '```'];

    it('adds a front matter when there is none, and the warning goes away', () => {
      const text = md(...step);
      const [fix] = fixesFor(text, 'undeclared-input');
      assert.equal(fix.title, 'Declare input SERVICE in the front matter');
      assert.ok(fix.preferred);
      const fixed = applyFix(text, fix);
      assert.equal(fixed, md('---', 'inputs:', '  SERVICE: { description: Service }', '---', '', ...step));
      const { runbook } = load(fixed);
      assert.deepEqual(runbook.diagnostics, []);
      assert.deepEqual(runbook.inputs.map((i) => [i.name, i.description]), [['SERVICE', 'Service']]);
      assert.deepEqual(problems(fixed, 'undeclared-input'), []);
    });

    it('adds an inputs key to a front matter without one', () => {
      const text = md('---', 'title: Restart', '---', ...step);
      const fixed = applyFix(text, fixesFor(text, 'undeclared-input')[0]);
      assert.equal(fixed, md('---', 'title: Restart', 'inputs:', '  SERVICE: { description: Service }', '---', ...step));
    });

    it('adds a line at the end of the inputs mapping, with its indentation, before the next key', () => {
      const text = md('---', 'inputs:', '    REGION:', '      description: Region', '', '    ZONE: { description: Zone }', 'owner: sre', '---', ...step, '```bash', 'echo $REGION $ZONE', '```');
      const fixed = applyFix(text, fixesFor(text, 'undeclared-input')[0]);
      assert.equal(fixed.split('\n').slice(0, 8).join('\n'), md('---', 'inputs:', '    REGION:', '      description: Region', '', '    ZONE: { description: Zone }', '    SERVICE: { description: Service }', 'owner: sre'));
      assert.deepEqual(load(fixed).runbook.inputs.map((i) => i.name), ['REGION', 'ZONE', 'SERVICE']);
    });

    it('adds to the list form, and declares a placeholder by its variable', () => {
      const text = md('---', 'inputs:', '  - name: REGION', '    description: Region', '---', '```bash', 'kubectl logs <pod-name> -n "$REGION"', '```');
      const [fix] = fixesFor(text, 'undeclared-placeholder');
      assert.equal(fix.title, 'Declare input POD_NAME in the front matter');
      const fixed = applyFix(text, fix);
      const { runbook } = load(fixed);
      assert.deepEqual(runbook.diagnostics, []);
      assert.deepEqual(runbook.inputs.map((i) => [i.name, i.description]), [['REGION', 'Region'], ['POD_NAME', 'Pod name']]);
      assert.deepEqual(problems(fixed, 'undeclared-placeholder'), []);
    });

    it('adds to a list written at the key\'s own indentation, keeping every setting', () => {
      const text = md('---', 'environment: production', 'inputs:', '- name: DB_PASSWORD', '  secret: true', '  description: Password', 'owner: dba', '---', '```bash', 'psql "$DB_URL" -c "select 1"', 'echo $DB_PASSWORD', '```');
      const fixed = applyFix(text, fixesFor(text, 'undeclared-input')[0]);
      assert.equal(fixed.split('\n')[6], '- { name: DB_URL, description: Db url }');
      const { runbook } = load(fixed);
      assert.deepEqual(runbook.diagnostics, []);
      assert.equal(runbook.meta.environment, 'production');
      assert.deepEqual(runbook.inputs.map((i) => [i.name, i.secret]), [['DB_PASSWORD', true], ['DB_URL', false]]);
    });

    it('quotes a description YAML would read as something else', () => {
      for (const [variable, description] of [['TRUE', 'True'], ['_0X1F', '0x1f'], ['NULL', 'Null']]) {
        const text = md('```bash', `echo "$${variable}"`, '```');
        const [fix] = fixesFor(text, 'undeclared-input');
        assert.ok(fix, variable);
        assert.deepEqual(load(applyFix(text, fix)).runbook.inputs.map((i) => [i.name, i.description]), [[variable, description]]);
      }
    });

    it('offers nothing where no one edit is obviously right: inputs in flow style, an unclosed front matter', () => {
      assert.deepEqual(fixesFor(md('---', 'inputs: { A: { description: a } }', '---', ...step, '```bash', 'echo $A', '```'), 'undeclared-input'), []);
      assert.deepEqual(fixesFor(md('---', 'title: x', ...step), 'undeclared-input'), []);
    });
  });

  describe('unknown attribute', () => {
    it('offers the known key it looks like first, then removing it', () => {
      const text = md('```bash {name=restart timout=2m}', 'echo', '```');
      const fixes = fixesFor(text, 'unknown-attribute');
      assert.deepEqual(fixes.map((f) => [f.title, f.preferred]), [['Change "timout" to "timeout"', true], ['Remove attribute "timout"', false]]);
      assert.equal(applyFix(text, fixes[0]).split('\n')[0], '```bash {name=restart timeout=2m}');
      assert.equal(applyFix(text, fixes[1]).split('\n')[0], '```bash {name=restart}');
      for (const fix of fixes) assert.deepEqual(load(applyFix(text, fix)).runbook.diagnostics, []);
    });

    it('removes a key with its separator wherever it is, and the braces with the last one', () => {
      const cases: Array<[string, string]> = [
        ['```bash {owner=me name=a}', '```bash {name=a}'],
        ['```bash {name=a owner="x y" skip}', '```bash {name=a skip}'],
        ['```bash {owner=me}', '```bash'],
        ['```bash {"owner": "me", "name": "a"}', '```bash {"name": "a"}'],
        ['```bash {"name": "a", "owner": "me"}', '```bash {"name": "a"}'],
        ['```output {match=exact color=red}', '```output {match=exact}'],
      ];
      for (const [line, expected] of cases) {
        const text = md('```bash', 'echo', '```', line, 'x', '```');
        const fixes = fixesFor(text, 'unknown-attribute');
        const removal = fixes.find((f) => f.title.startsWith('Remove'));
        assert.ok(removal, line);
        assert.equal(applyFix(text, removal).split('\n')[3], expected, line);
      }
    });

    it('changes a misspelt JSON key keeping its quotes', () => {
      const text = md('```bash {"name": "a", "confrim": true}', 'echo', '```');
      const [change] = fixesFor(text, 'unknown-attribute');
      assert.equal(applyFix(text, change).split('\n')[0], '```bash {"name": "a", "confirm": true}');
    });
  });

  it('renames a duplicate written in the JSON form, keeping it JSON', () => {
    const text = md('```bash {name=a}', '1', '```', '```bash {"name": "a", "confirm": true}', '2', '```');
    const fixed = applyFix(text, fixesFor(text, 'duplicate-name')[0]);
    assert.equal(fixed.split('\n')[3], '```bash {"name": "a-2", "confirm": true}');
    const { runbook } = load(fixed);
    assert.deepEqual(runbook.diagnostics, []);
    assert.equal(runbook.steps[1].attributes.confirm, true);
  });

  it('renames a duplicate to a name no step in the file has, so no other step changes identity', () => {
    const text = md('```bash {name=a}', '1', '```', '```bash {name=a}', '2', '```', '```bash {name=a-2}', '3', '```');
    const before = load(text).runbook.steps.map((s) => s.id);
    const fixed = applyFix(text, fixesFor(text, 'duplicate-name')[0]);
    const { runbook } = load(fixed);
    assert.deepEqual(runbook.diagnostics, []);
    assert.deepEqual(runbook.steps.map((s) => s.id), before, 'every step keeps the id it ran under');
  });

  it('renames a duplicate step to the name it runs under', () => {
    const text = md('```bash {name=restart}', 'a', '```', '', '```bash {name="restart" confirm}', 'b', '```');
    const [fix] = fixesFor(text, 'duplicate-name');
    assert.equal(fix.title, 'Rename this step to "restart-2"');
    const fixed = applyFix(text, fix);
    assert.equal(fixed.split('\n')[4], '```bash {name="restart-2" confirm}');
    assert.deepEqual(load(fixed).runbook.diagnostics, []);
  });

  it('offers nothing for problems without an obvious fix', () => {
    const text = md('---', 'inputs:', '  TOKEN: { secret: true }', '---', '```bash', 'echo $TOKEN', '```');
    assert.deepEqual(fixesFor(text, 'input-without-description'), []);
  });
});
