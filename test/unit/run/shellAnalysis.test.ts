// analyzeShell, implicitInputs and replacePlaceholders: what a shell step needs from outside.

import { strict as assert } from 'node:assert';
import { analyzeShell, implicitInputs, placeholderVariable, replacePlaceholders, type ImplicitInputContext } from '../../../src/core/runbook';

const placeholders = (code: string) => analyzeShell(code).placeholders.map((p) => p.text);
const references = (code: string) => analyzeShell(code).references;
const nothingAvailable: ImplicitInputContext = { declared: [], available: () => false };
const implicit = (code: string, context: Partial<ImplicitInputContext> = {}) =>
  implicitInputs(analyzeShell(code), { ...nothingAvailable, ...context }).map((i) => `${i.kind}:${i.name}:${i.label}`);

describe('shellAnalysis', () => {
  it('records every expansion with its offsets, and a fallback\'s variables as not needed', () => {
    const code = 'echo "${X:-$FALLBACK}" $NEEDED \'$QUOTED\' ${#LEN}';
    const analysis = analyzeShell(code);
    assert.deepEqual(analysis.expansions.map((e) => [e.name, code.slice(e.start, e.end)]), [['X', 'X'], ['FALLBACK', 'FALLBACK'], ['NEEDED', 'NEEDED'], ['LEN', 'LEN']]);
    assert.deepEqual(analysis.references, ['NEEDED', 'LEN']);
  });

  describe('placeholders', () => {
    it('finds <name> placeholders outside quotes, with positions and variables', () => {
      const code = 'kubectl delete pod <pod-name> -n <NAMESPACE>';
      const found = analyzeShell(code).placeholders;
      assert.deepEqual(
        found.map((p) => [p.text, p.variable, code.slice(p.start, p.end)]),
        [
          ['<pod-name>', 'POD_NAME', '<pod-name>'],
          ['<NAMESPACE>', 'NAMESPACE', '<NAMESPACE>'],
        ],
      );
    });

    it('ignores placeholders inside single or double quotes', () => {
      assert.deepEqual(placeholders(`echo '<a>' "<b>" "x <c> y" '<d' <e>`), ['<e>']);
    });

    it('ignores an escaped < and placeholders in comments', () => {
      assert.deepEqual(placeholders('echo \\<a> # see <b>\necho <c>'), ['<c>']);
    });

    it('does not take redirections, here-documents, here-strings or process substitution for placeholders', () => {
      assert.deepEqual(placeholders('cat <<EOF\nhello\nEOF'), []);
      assert.deepEqual(placeholders('cat <<-EOF\n\thello\n\tEOF'), []);
      assert.deepEqual(placeholders('cat <<<word'), []);
      assert.deepEqual(placeholders('diff <(ls a) <(ls b)'), []);
      assert.deepEqual(placeholders('sort <in.txt >out.txt'), []);
      assert.deepEqual(placeholders('wc -l < file'), []);
      assert.deepEqual(placeholders('if [ 1 -lt 2 ]; then :; fi'), []);
    });

    it('keeps reading after a here-document whose body has an apostrophe', () => {
      const code = ['cat <<EOF', "Don't panic", 'EOF', 'kubectl logs <pod-name>'].join('\n');
      assert.deepEqual(placeholders(code), ['<pod-name>']);
    });

    it('does not read a quoted here-document body for placeholders or variables', () => {
      const code = ["cat > script.sh <<'EOF'", 'echo "$INSIDE_ONLY" <not-me>', 'EOF', 'echo <me>'].join('\n');
      assert.deepEqual(placeholders(code), ['<me>']);
      assert.deepEqual(references(code), []);
    });

    it('still reads variables in an unquoted here-document body', () => {
      const code = ['cat <<EOF', 'name: $APP_NAME', "it's fine", 'EOF', 'echo "$AFTER"'].join('\n');
      assert.deepEqual(references(code), ['APP_NAME', 'AFTER']);
    });

    it('reads <<-, quoted and escaped delimiters, and two here-documents on one line', () => {
      assert.deepEqual(placeholders(['cat <<-END', "\tit's <a>", '\tEND', 'echo <b>'].join('\n')), ['<b>']);
      assert.deepEqual(placeholders(['cat << "END"', "it's <a>", 'END', 'echo <b>'].join('\n')), ['<b>']);
      assert.deepEqual(references(['cat <<\\END', '$A', 'END', 'echo $B'].join('\n')), ['B']);
      assert.deepEqual(placeholders(['paste <<ONE <<TWO # comment <x>', "one's", 'ONE', "two's", 'TWO', 'echo <c>'].join('\n')), ['<c>']);
    });

    it('does not end a here-document at a line that only contains its delimiter', () => {
      assert.deepEqual(placeholders(['cat <<EOF', ' EOF', "EOFx it's", 'EOF', 'echo <after>'].join('\n')), ['<after>']);
    });

    it('treats an unterminated here-document as running to the end', () => {
      assert.deepEqual(placeholders(['cat <<EOF', '<a>', "it's"].join('\n')), []);
    });

    it('maps placeholder names to environment variable names', () => {
      assert.equal(placeholderVariable('pod-name'), 'POD_NAME');
      assert.equal(placeholderVariable('node.name'), 'NODE_NAME');
      assert.equal(placeholderVariable('NAMESPACE'), 'NAMESPACE');
      assert.equal(placeholderVariable('a--b__c-'), 'A_B_C');
    });
  });

  describe('references and assignments', () => {
    it('finds $X and ${X} in first-use order, once each, also inside double quotes', () => {
      assert.deepEqual(references('echo $B "${A}" $B "$C-suffix"'), ['B', 'A', 'C']);
    });

    it('does not read variables inside single quotes or after a backslash', () => {
      assert.deepEqual(references(`echo '$A' \\$B "\\$C" $D`), ['D']);
    });

    it('does not count ${X:-d}, ${X-d}, ${X:=d}, ${X=d}, ${X:+a} or ${X+a}', () => {
      assert.deepEqual(references('echo ${A:-d} ${B-d} ${C:=d} ${D=d} ${E:+a} ${F+a}'), []);
    });

    it('counts ${#X}, ${X:?msg}, ${X%suffix} and ${X/a/b}', () => {
      assert.deepEqual(references('echo ${#A} ${B:?B is required} ${C%.txt} ${D/a/b}'), ['A', 'B', 'C', 'D']);
    });

    it('ignores ${!X} indirection, positional and special parameters', () => {
      assert.deepEqual(references('echo ${!A} $1 $@ $# $? $$ $! ${2}'), []);
    });

    it('ignores variables in comments', () => {
      assert.deepEqual(references('# uses $COMMENTED\necho hi # and $ALSO'), []);
      assert.deepEqual(references('echo a#$NOT_A_COMMENT'), ['NOT_A_COMMENT']);
    });

    it('records NAME=, export, local/declare/readonly, read, for, select and getopts', () => {
      const { assigned, exported } = analyzeShell(
        [
          'A=1; B+=2 C[0]=x',
          'export D E=1 F="two words"',
          'local G; declare -r H=1; readonly I',
          'read -r -p "prompt: " J K',
          'for L in 1 2; do :; done',
          'select M in a b; do break; done',
          'getopts ab: N',
          '((O=0))',
        ].join('\n'),
      );
      for (const name of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O']) assert.ok(assigned.has(name), `${name} should be assigned`);
      assert.deepEqual([...exported].sort(), ['D', 'E', 'F']);
      assert.equal(assigned.has('two'), false);
    });

    it('does not run an export, local or read on into the next line', () => {
      const { assigned, exported } = analyzeShell('export A=1\nkubectl get pods\nread -r B\necho done');
      assert.deepEqual([...exported], ['A']);
      assert.deepEqual([...assigned].sort(), ['A', 'B']);
    });
  });

  describe('implicitInputs', () => {
    it('asks for placeholders first, then variables nothing provides', () => {
      assert.deepEqual(implicit('echo $CLUSTER <pod-name> $CLUSTER <pod-name>'), ['placeholder:POD_NAME:<pod-name>', 'variable:CLUSTER:$CLUSTER']);
    });

    it('does not ask for assigned variables, even when used before the assignment in the text', () => {
      assert.deepEqual(implicit('X=1; echo $X; for Y in a; do echo $Y; done; read Z; echo $Z'), []);
    });

    it('does not ask for shell variables like HOME, PATH, PWD, RANDOM', () => {
      assert.deepEqual(implicit('echo $HOME $PATH $PWD $RANDOM $USER $IFS $BASH_SOURCE $LINENO'), []);
    });

    it('does not ask for declared inputs, as variables or as placeholders', () => {
      assert.deepEqual(implicit('echo $NAMESPACE <NAMESPACE> <other>', { declared: ['NAMESPACE'] }), ['placeholder:OTHER:<other>']);
    });

    it('asks `available` about variables, never about placeholders', () => {
      const asked: string[] = [];
      const found = implicit('echo <pod-name> $IN_ENV $MISSING', {
        available: (name) => {
          asked.push(name);
          return name === 'IN_ENV' || name === 'POD_NAME';
        },
      });
      assert.deepEqual(found, ['placeholder:POD_NAME:<pod-name>', 'variable:MISSING:$MISSING']);
      assert.deepEqual(asked, ['IN_ENV', 'MISSING']);
    });

    it('does not ask for variables exported earlier', () => {
      assert.deepEqual(implicit('echo $EARLIER $LATER', { exportedEarlier: ['EARLIER'] }), ['variable:LATER:$LATER']);
    });

    it('does not ask for ${X:-default} or ${X:=default}, but does for ${X:?msg}', () => {
      assert.deepEqual(implicit('echo ${A:-x} ${B:=y} ${C:?needed}'), ['variable:C:$C']);
    });
  });

  describe('replacePlaceholders', () => {
    it('replaces each placeholder with a quoted variable reference and keeps the rest', () => {
      const code = "kubectl logs <pod-name> -n <NAMESPACE> | grep '<pod-name>'";
      assert.equal(replacePlaceholders(code, analyzeShell(code).placeholders), `kubectl logs "\${POD_NAME}" -n "\${NAMESPACE}" | grep '<pod-name>'`);
    });

    it('leaves code without placeholders unchanged', () => {
      const code = 'echo "<x>" && cat <<EOF\nbody\nEOF';
      assert.equal(replacePlaceholders(code, analyzeShell(code).placeholders), code);
    });

    it('handles a placeholder at the very start and end', () => {
      const code = '<cmd> <arg>';
      assert.equal(replacePlaceholders(code, analyzeShell(code).placeholders), '"${CMD}" "${ARG}"');
    });
  });
});
