import { strict as assert } from 'node:assert';
import { hoverAt, runbookOutline, type OutlineNode } from '../../../src/core/authoring';
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
  });
});

describe('runbookOutline', () => {
  it('nests sections by level with named steps inside, in document order', () => {
    const text = md(
      '# Restart', // 0
      '```bash {name=check}', // 1
      'echo', // 2
      '```', // 3
      '## Drain', // 4
      '```bash', // 5 unnamed: not in the outline
      'echo', // 6
      '```', // 7
      '```bash {name=drain}', // 8
      'echo', // 9
      '```', // 10
      '### Details', // 11
      '## Verify', // 12
      'text', // 13
    );
    const shape = (nodes: OutlineNode[]): unknown => nodes.map((n) => [n.kind, n.name, n.line, n.endLine, shape(n.children)]);
    assert.deepEqual(shape(runbookOutline(load(text).runbook)), [
      ['section', 'Restart', 0, 13, [
        ['step', 'check', 1, 3, []],
        ['section', 'Drain', 4, 11, [['step', 'drain', 8, 10, []], ['section', 'Details', 11, 11, []]]],
        ['section', 'Verify', 12, 13, []],
      ]],
    ]);
  });

  it('puts steps before the first heading at the top level', () => {
    const nodes = runbookOutline(load(md('```bash {name=first}', 'echo', '```', '# Later')).runbook);
    assert.deepEqual(nodes.map((n) => [n.kind, n.name]), [['step', 'first'], ['section', 'Later']]);
  });
});
