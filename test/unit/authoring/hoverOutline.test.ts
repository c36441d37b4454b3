import { strict as assert } from 'node:assert';
import { hoverAt, stepSymbols } from '../../../src/core/authoring';
import { cursor, load, md } from './helpers';

function hover(textWithCursor: string) {
  const { text, line, character } = cursor(textWithCursor);
  const { runbook, lines } = load(text);
  return hoverAt(runbook, lines, line, character);
}

const FRONT = ['---', 'inputs:', '  REGION: { description: Region to deploy, default: eu }', '  TOKEN: { secret: true, description: API token }', '---'];

describe('hoverAt', () => {
  it('finds a declared input under $NAME, ${NAME}, a bare name and os.environ in a step', () => {
    for (const code of ['```bash\necho "$RE|GION"\n```', '```bash\necho ${REG|ION}\n```', '```python\nimport os; os.environ["REGIO|N"]\n```']) {
      const target = hover(`${md(...FRONT)}\n${code}`);
      assert.equal(target?.kind, 'input', code);
      assert.equal(target.kind === 'input' && target.input.name, 'REGION');
    }
    const target = hover(`${md(...FRONT)}\n\`\`\`bash\ncurl -H "$TO|KEN"\n\`\`\``);
    assert.ok(target?.kind === 'input' && target.input.secret);
    assert.deepEqual([target.column, target.endColumn], [10, 15]);
  });

  it('finds a reference on the last line of a fence not closed yet', () => {
    const target = hover(`${md(...FRONT)}\n\`\`\`bash\necho $REG|ION`);
    assert.ok(target?.kind === 'input' && target.input.name === 'REGION');
  });

  it('finds an undeclared variable or placeholder as an implicit input', () => {
    const target = hover('```bash\nkubectl logs <pod-|name>\n```');
    assert.deepEqual(target, { kind: 'implicit-input', name: 'POD_NAME', label: '<pod-name>', column: 13, endColumn: 23 });
    assert.equal(hover('```bash\necho $CLUS|TER\n```')?.kind, 'implicit-input');
    assert.equal(hover('```bash\necho $HO|ME\n```'), undefined);
  });

  it('describes fence attributes and front matter keys, not prose', () => {
    const attribute = hover('```bash {name=x time|out=2m}\necho\n```');
    assert.ok(attribute?.kind === 'term' && attribute.term.name === 'timeout' && /duration|90s/.test(attribute.term.description));
    const key = hover('---\nenviron|ment: prod\n---');
    assert.ok(key?.kind === 'term' && key.term.name === 'environment');
    const field = hover('---\ninputs:\n  A: { description: x, sec|ret: true }\n---');
    assert.ok(field?.kind === 'term' && field.term.name === 'secret');
    assert.equal(hover(md(...FRONT, 'The REG|ION is eu.')), undefined);
    // Keys that only look like input fields: another tool's nested key, an input named `type`.
    assert.equal(hover('---\nmeta:\n  descrip|tion: x\n---'), undefined);
    const inputNamedType = hover('---\ninputs:\n  ty|pe: { description: Kind }\n---');
    assert.equal(inputNamedType, undefined);
    // The list form of inputs, block and flow.
    const listField = hover('---\ninputs:\n- name: A\n  sec|ret: true\n---');
    assert.ok(listField?.kind === 'term' && listField.term.name === 'secret');
    const flowItem = hover('---\ninputs:\n  - { name: A, descr|iption: a }\n---');
    assert.ok(flowItem?.kind === 'term' && flowItem.term.name === 'description');
  });
});

describe('stepSymbols', () => {
  it('lists the named steps with their sections, not the unnamed ones', () => {
    const text = md('# Restart', '```bash {name=check}', 'echo', '```', '## Drain', '```bash', 'echo', '```', '```bash {name=drain}', 'echo', '```', '## Verify');
    assert.deepEqual(stepSymbols(load(text).runbook), [
      { name: 'check', detail: 'Restart', line: 1, endLine: 3 },
      { name: 'drain', detail: 'Restart › Drain', line: 8, endLine: 10 },
    ]);
  });

  it('lists a step before the first heading without a section', () => {
    assert.deepEqual(stepSymbols(load(md('```bash {name=first}', 'echo', '```', '# Later')).runbook), [{ name: 'first', detail: '', line: 0, endLine: 2 }]);
  });
});
