import { strict as assert } from 'node:assert';
import { declaredInputReferences } from '../../../src/core/authoring';
import { load, md } from './helpers';

const FRONT = ['---', 'inputs:', '  REGION: { description: Region, default: eu }', '  POD_NAME: { description: Pod, default: api-0 }', '---'];

/** Each reference as `line:column text`, read back from the document. */
function references(...body: string[]): string[] {
  const { runbook, lines } = load(md(...FRONT, ...body));
  return declaredInputReferences(runbook, lines).map((r) => `${r.line - FRONT.length}:${r.column} ${lines[r.line].slice(r.column, r.column + r.length)}`);
}

describe('declaredInputReferences', () => {
  it('finds declared inputs the shell expands, not undeclared variables, single quotes or comments', () => {
    assert.deepEqual(
      references('```bash', 'echo "$REGION ${REGION:-x} ${#REGION}" $CLUSTER', "echo '$REGION' # $REGION", 'kubectl logs <pod-name>', '```'),
      ['1:7 REGION', '1:16 REGION', '1:30 REGION', '3:13 <pod-name>'],
    );
  });

  it('finds a declared input in the default of another expansion', () => {
    assert.deepEqual(references('```bash', 'echo "${X:-$REGION}"', '```'), ['1:12 REGION']);
  });

  it('follows here-documents: expanded when the delimiter is bare, not when quoted', () => {
    assert.deepEqual(references('```sh', 'cat <<EOF', 'in $REGION', 'EOF', "cat <<'EOF'", 'not $REGION', 'EOF', '```'), ['2:4 REGION']);
  });

  it('finds them in fences inside list items and block quotes, at the document column', () => {
    assert.deepEqual(references('1. Step:', '', '   ```bash', '   echo $REGION', '   ```'), ['3:9 REGION']);
    assert.deepEqual(references('> ```bash', '> echo ${REGION}', '> ```'), ['1:9 REGION']);
    // A tab in the indentation, which markdown-it turns into spaces in part.
    assert.deepEqual(references('- item', '', '  ```sh', '\techo $REGION', '  ```'), ['3:7 REGION']);
    assert.deepEqual(references('1. item', '', '   ```sh', '\t\techo\t$REGION', '   ```'), ['3:8 REGION']);
  });

  it('finds them only in the commands of a transcript, not in its output', () => {
    assert.deepEqual(references('```console', '$ echo $REGION', 'REGION is $REGION in the output', '$ echo \\', '    "$REGION"', '```'), ['1:8 REGION', '4:6 REGION']);
  });

  it('finds the environment accessors of Python, Node and PowerShell steps', () => {
    assert.deepEqual(references('```python', 'import os', 'print(os.environ["REGION"], os.getenv("REGION"), os.environ.get(\'X\'))', '```'), ['2:18 REGION', '2:39 REGION']);
    assert.deepEqual(references('```node', 'console.log(process.env.REGION, process.env["REGION"], process.env.HOME)', '```'), ['1:24 REGION', '1:45 REGION']);
    assert.deepEqual(references('```pwsh', 'Write-Output $env:REGION', '```'), ['1:18 REGION']);
  });

  it('finds nothing where nothing is declared or outside steps', () => {
    assert.deepEqual(references('Prose with $REGION.', '```yaml', 'region: $REGION', '```'), []);
    const { runbook, lines } = load(md('```bash', 'echo $REGION', '```'));
    assert.deepEqual(declaredInputReferences(runbook, lines), []);
  });
});
