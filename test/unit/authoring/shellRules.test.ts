// The editor follows the engine's shell rules: lint, hovers, completions and input references use
// the one shell analysis (placeholders in double quotes and here-documents, not `<none>`; `read`
// options; arithmetic; reserved variables), and stay safe on deeply nested and huge steps.

import { strict as assert } from 'node:assert';
import { completionsAt, declaredInputReferences, diagnosticRange, hoverAt, lintRunbook, quickFixes } from '../../../src/core/authoring';
import type { RunbookDiagnostic } from '../../../src/core/runbook';
import { cursor, load, md } from './helpers';

function lint(text: string, available: (name: string) => boolean = () => false): RunbookDiagnostic[] {
  const { runbook, lines } = load(text);
  return lintRunbook(runbook, lines, { available });
}

/** Each diagnostic as `code:subject` and the text it underlines. */
function found(text: string, available?: (name: string) => boolean): string[] {
  const { lines } = load(text);
  return lint(text, available).map((d) => {
    const range = diagnosticRange(d, lines);
    return `${d.code}:${d.subject} ${lines[range.line].slice(range.column, range.endColumn)}`;
  });
}

function hover(textWithCursor: string) {
  const { text, line, character } = cursor(textWithCursor);
  const { runbook, lines } = load(text);
  return hoverAt(runbook, lines, line, character);
}

const bash = (...code: string[]) => md('```bash', ...code, '```');

describe('editor shell rules', () => {
  describe('lint', () => {
    it('reports placeholders in double quotes, "$( … )" and unquoted here-documents, where they are', () => {
      const text = bash('oc get sc "storageconsumer-<ID>" -o "$(echo <fmt>)"', "echo '<pod>' <pod>", 'cat <<EOF', 'ns: <namespace>', 'EOF');
      assert.deepEqual(found(text), [
        'undeclared-placeholder:ID <ID>',
        'undeclared-placeholder:FMT <fmt>',
        // The first <pod> is in single quotes: the one that is asked for is underlined.
        'undeclared-placeholder:POD <pod>',
        'undeclared-placeholder:NAMESPACE <namespace>',
      ]);
      const { lines } = load(text);
      const pod = lint(text).find((d) => d.subject === 'POD')!;
      assert.equal(diagnosticRange(pod, lines).column, lines[2].lastIndexOf('<pod>'));
    });

    it('reports nothing for output and markup tokens, quoted here-documents and read options', () => {
      const text = bash(
        'kubectl get pods | grep -v "<none>" | grep "<pending>" || echo "<br>"',
        "cat <<'EOF'",
        'echo <not-asked> $NOT_ASKED',
        'EOF',
        'while IFS= read -r line; do echo "$line"; done < file',
        'read -s -r pw; read -n 1 -r key; read -p "Name: " -r who; echo "$pw $key $who"',
      );
      assert.deepEqual(found(text), []);
    });

    it('names a colliding placeholder by the variable that carries it', () => {
      assert.deepEqual(found(bash('ls <path>')), ['undeclared-placeholder:PATH_VALUE <path>']);
    });

    it('says that only whole numbers are accepted where a value is used in arithmetic', () => {
      const text = md(
        '---',
        'inputs:',
        '  LIMIT: { description: Limit, default: "5" }',
        '  REPLICAS: { description: Replicas, type: number, default: 3 }',
        '---',
        bash('echo $(( <n> + 1 ))', '[[ $COUNT -gt $LIMIT ]] && (( REPLICAS > 1 )) && echo many'),
      );
      const arithmetic = found(text).filter((d) => d.startsWith('arithmetic-input'));
      assert.deepEqual(arithmetic, ['arithmetic-input:N <n>', 'arithmetic-input:COUNT COUNT', 'arithmetic-input:LIMIT LIMIT']);
      const info = lint(text).find((d) => d.code === 'arithmetic-input')!;
      assert.equal(info.severity, 'info');
      assert.match(info.message, /^<n> is used in arithmetic here, so only a whole number/);
    });

    it('warns about a reserved variable a step expects someone to set, not one it sets or the environment has', () => {
      const text = bash('node "$NODE_OPTIONS" app.js', 'echo "$HOME $PATH"', 'LD_LIBRARY_PATH=/opt/lib; echo $LD_LIBRARY_PATH', 'echo $PYTHONPATH');
      assert.deepEqual(found(text), ['reserved-variable:NODE_OPTIONS $NODE_OPTIONS', 'reserved-variable:PYTHONPATH $PYTHONPATH']);
      assert.deepEqual(found(text, (name) => name === 'PYTHONPATH'), ['reserved-variable:NODE_OPTIONS $NODE_OPTIONS']);
      const warning = lint(text)[0];
      assert.equal(warning.severity, 'warning');
      assert.match(warning.message, /\$NODE_OPTIONS cannot be given as an input or asked for, because an interpreter reads it/);
      // Never asked for either: the undeclared-input warning would promise a question that never comes.
      assert.ok(!lint(text).some((d) => d.code === 'undeclared-input'));
    });

    it('offers to declare a placeholder found in double quotes', () => {
      const text = bash('curl "https://<deployment-id>.example.com"');
      const { runbook, lines } = load(text);
      const [diagnostic] = lintRunbook(runbook, lines);
      assert.deepEqual(quickFixes(diagnostic, runbook, lines).map((fix) => fix.title), ['Declare input DEPLOYMENT_ID in the front matter']);
    });
  });

  describe('hovers, completions and input references', () => {
    const front = ['---', 'inputs:', '  POD_NAME: { description: Pod, default: api-0 }', '  COUNT: { description: How many, default: "2" }', '---'];

    it('finds a placeholder in double quotes and in a here-document, not in single quotes or comments', () => {
      assert.deepEqual(hover('```bash\necho "pod-<na|me>"\n```'), { kind: 'implicit-input', name: 'NAME', label: '<name>', column: 10, endColumn: 16 });
      assert.equal(hover('```bash\ncat <<EOF\nns: <names|pace>\nEOF\n```')?.kind, 'implicit-input');
      assert.equal(hover("```bash\necho '<na|me>'\n```"), undefined);
      assert.equal(hover('```bash\necho hi # <na|me>\n```'), undefined);
      assert.equal(hover('```bash\ngrep -v "<no|ne>"\n```'), undefined);
      assert.equal(hover(`${md(...front)}\n\`\`\`bash\necho '$POD_N|AME'\n\`\`\``), undefined);
    });

    it('says when a value is used in arithmetic', () => {
      const declared = hover(`${md(...front)}\n\`\`\`bash\n(( CO|UNT > 1 ))\n\`\`\``);
      assert.ok(declared?.kind === 'input' && declared.input.name === 'COUNT' && declared.arithmetic === true);
      const implicit = hover('```bash\necho $(( $TO|TAL + 1 ))\n```');
      assert.ok(implicit?.kind === 'implicit-input' && implicit.arithmetic === true);
      const plain = hover('```bash\necho $TO|TAL\n```');
      assert.ok(plain?.kind === 'implicit-input' && plain.arithmetic === undefined);
    });

    it('offers double-quoted placeholders as input names, not read variables or <none>', () => {
      const { text, line, character } = cursor('---\ninputs:\n  |\n---\n```bash\necho "x-<ID>" "<none>"\nread -r line; echo "$line"\n```');
      const { runbook, lines } = load(text);
      assert.deepEqual(completionsAt(runbook, lines, line, character)?.suggestions.map((s) => s.label), ['ID']);
    });

    it('highlights a declared input filled by a placeholder in double quotes or a here-document', () => {
      const { runbook, lines } = load(md(...front, '```bash', 'echo "pod=<pod-name>"', 'cat <<EOF', 'pod: <pod-name> $POD_NAME', 'EOF', '```'));
      assert.deepEqual(
        declaredInputReferences(runbook, lines).map((r) => `${r.line - front.length}:${lines[r.line].slice(r.column, r.column + r.length)}`),
        ['1:<pod-name>', '3:<pod-name>', '3:POD_NAME'],
      );
    });
  });

  describe('deep and large steps', function () {
    this.timeout(60_000);
    for (const depth of [8_000, 80_000]) {
      it(`lints, hovers, completes and highlights a step nested ${depth} deep`, () => {
        const text = md('---', 'inputs:', '  a: { description: A }', '---', bash(`echo ${'${a:-'.repeat(depth)}<pod> $X${'}'.repeat(depth)} "$(( ${'$(( 1 + '.repeat(depth)}$N${' ))'.repeat(depth)} ))"`));
        const { runbook, lines } = load(text);
        const codes = lintRunbook(runbook, lines).map((d) => `${d.code}:${d.subject}`);
        assert.deepEqual(codes, ['undeclared-placeholder:POD', 'undeclared-input:N', 'arithmetic-input:N']);
        assert.equal(declaredInputReferences(runbook, lines).length, depth);
        assert.equal(hoverAt(runbook, lines, 5, 7)?.kind, 'input');
        assert.ok(completionsAt(runbook, lines, 2, 0) !== undefined);
      });
    }

    it('places diagnostics on the right line of a 20,000-line step', () => {
      const code: string[] = [];
      for (let k = 0; k < 20_000; k++) code.push(k === 19_999 ? 'echo "$LAST"' : `echo ${k}`);
      const { runbook, lines } = load(bash(...code));
      const [diagnostic] = lintRunbook(runbook, lines);
      assert.deepEqual([diagnostic.code, diagnostic.line, diagnostic.column], ['undeclared-input', 20_000, 6]);
    });
  });
});
