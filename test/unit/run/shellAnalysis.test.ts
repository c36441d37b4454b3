// analyzeShell, implicitInputs and replacePlaceholders: what a shell step needs from outside. Where
// behaviour matters the substituted code runs in real bash, with hostile values.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  analyzeShell,
  implicitInputs,
  isReservedVariable,
  isShellVariable,
  NOT_PLACEHOLDERS,
  parseRunbook,
  placeholderVariable,
  replacePlaceholders,
  type ImplicitInputContext,
} from '../../../src/core/runbook';
import { corpusRunbooks } from '../../support/corpus';

const placeholders = (code: string) => analyzeShell(code).placeholders.map((p) => p.text);
const references = (code: string) => analyzeShell(code).references;
const arithmetic = (code: string) => [...new Set(analyzeShell(code).arithmetic.map((use) => use.name))];
const nothingAvailable: ImplicitInputContext = { declared: [], available: () => false };
const implicit = (code: string, context: Partial<ImplicitInputContext> = {}) =>
  implicitInputs(analyzeShell(code), { ...nothingAvailable, ...context }).map((i) => `${i.kind}:${i.name}:${i.label}`);
const replaced = (code: string) => replacePlaceholders(code, analyzeShell(code).placeholders);

/** Runs `code` with real bash in a fresh folder, with only PATH and `env` in its environment. */
function bash(code: string, env: Record<string, string> = {}): { stdout: string; stderr: string; status: number | null; pwned: boolean } {
  const dir = mkdtempSync(path.join(tmpdir(), 'runbook-shell-analysis-'));
  try {
    writeFileSync(path.join(dir, 'step.sh'), code);
    const result = spawnSync('bash', ['step.sh'], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { stdout: result.stdout, stderr: result.stderr, status: result.status, pwned: readdirSync(dir).some((name) => name.startsWith('pwned')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Values that would run `touch pwned` if they were ever pasted into code or evaluated. */
const HOSTILE = ['$(touch pwned)', '"; touch pwned; "', "'; touch pwned; '", '`touch pwned`', 'a\nb; touch pwned', '* ?', '${IFS}$(touch pwned)', 'a[$(touch pwned)]'];

describe('shellAnalysis', () => {
  it("records every expansion with its offsets, and a fallback's variables as not needed", () => {
    const code = 'echo "${X:-$FALLBACK}" $NEEDED \'$QUOTED\' ${#LEN}';
    const analysis = analyzeShell(code);
    assert.deepEqual(
      analysis.expansions.map((e) => [e.name, code.slice(e.start, e.end), e.needed]),
      [
        ['X', 'X', false],
        ['FALLBACK', 'FALLBACK', false],
        ['NEEDED', 'NEEDED', true],
        ['LEN', 'LEN', true],
      ],
    );
    assert.deepEqual(analysis.references, ['NEEDED', 'LEN']);
  });

  describe('placeholder rules', () => {
    // [code, placeholders found (quoted ones marked "q:"), the code after replacePlaceholders]
    const table: Array<[string, string, string[], string?]> = [
      ['bare', 'kubectl describe pod <pod-name> -n <NAMESPACE>', ['<pod-name>', '<NAMESPACE>'], 'kubectl describe pod "${POD_NAME}" -n "${NAMESPACE}"'],
      ['inside double quotes', 'oc get storageconsumer "storageconsumer-<ID>"', ['q:<ID>'], 'oc get storageconsumer "storageconsumer-${ID}"'],
      ['a URL in double quotes', 'curl "https://<deployment-id>.example.com/health"', ['q:<deployment-id>'], 'curl "https://${DEPLOYMENT_ID}.example.com/health"'],
      ['in a word', 'echo storageconsumer-<ID>.yaml', ['<ID>'], 'echo storageconsumer-"${ID}".yaml'],
      ['in "$( … )": unquoted again', 'echo "pod: $(kubectl get pod <pod> -o name)"', ['<pod>'], 'echo "pod: $(kubectl get pod "${POD}" -o name)"'],
      ['in double quotes inside "$( … )"', 'echo "a $(printf "b-<x>") c"', ['q:<x>'], 'echo "a $(printf "b-${X}") c"'],
      ['in backticks', 'echo `hostname <h>`', ['<h>'], 'echo `hostname "${H}"`'],
      ['in a default', 'echo ${NS:-<namespace>} "${NS:-<namespace>}"', ['<namespace>', 'q:<namespace>'], 'echo ${NS:-"${NAMESPACE}"} "${NS:-${NAMESPACE}}"'],
      ['in arithmetic', 'echo $(( <count> + 1 ))', ['<count>'], 'echo $(( "${COUNT}" + 1 ))'],
      ['in a here-string', 'cat <<< "<x>"', ['q:<x>'], 'cat <<< "${X}"'],
      ['in an unquoted here-document body', 'kubectl apply -f - <<EOF\nmetadata:\n  namespace: <namespace>\nEOF\necho <after>', ['q:<namespace>', '<after>'], 'kubectl apply -f - <<EOF\nmetadata:\n  namespace: ${NAMESPACE}\nEOF\necho "${AFTER}"'],
      ['in a <<- body', 'cat <<-END\n\tit\'s <a>\n\tEND\necho <c>', ['q:<a>', '<c>']],
      ['in a here-document opened in "$( … )"', 'x="$(cat <<EOF\nname: <in>\nEOF\n)"\necho <out>', ['q:<in>', '<out>']],
      ['not in single quotes', `echo '<a>' 'x <b> y' '<c' <d>`, ['<d>']],
      ['not in $\'…\'', "echo $'<a>\\n' <z>", ['<z>']],
      ['not in a jq program in single quotes', `jq '.items[] | select(.name == "<SA>")' <file>`, ['<file>']],
      ['not in comments', 'echo hi # see <a>\n# <b>\necho <c>', ['<c>']],
      ['not after a backslash', 'echo \\<a> <z>', ['<z>']],
      ['not in a quoted here-document', "cat > s.sh <<'EOF'\necho \"$X\" <a>\nEOF\ncat <<\"E\"\n<b>\nE\ncat <<\\E\n<c>\nE\necho <d>", ['<d>']],
      ['not in an unterminated quoted here-document', "cat <<'EOF'\n<a>\nit's", []],
      ['not output tokens', 'kubectl get pods | grep -v "<none>" | grep -v <nil> | grep "<unknown>\\|<pending>"', []],
      ['not HTML tags', 'echo "<br>" "<b>bold</b>" "</details>" "<img src=x.png>" "<code>x</code>"', []],
      ['not HTML in a here-document', 'cat > index.html <<EOF\n<html><body><p>Hi <name></p><table><tr><td>1</td></tr></table></body></html>\nEOF', ['q:<name>']],
      ['a tag word that is not closed is a placeholder', 'psql -c "select * from <table>" && echo <code>', ['q:<table>', '<code>']],
      ['not redirections and operators', 'sort <in.txt >out.txt; cat <<<word; diff <(ls a) <(ls b) 2>&1; read x <&3; exec 3<>file {fd}<f; cmd &>log >&2 <&-', []],
      ['not a comparison in [[ ]] or a test', '[[ $a < $b ]] && [ 1 -lt 2 ] && echo ok', []],
      ['after a here-document whose body has an apostrophe', "cat <<EOF\nDon't panic\nEOF\nkubectl logs <pod-name>", ['<pod-name>']],
      ['two here-documents on one line', "paste <<ONE <<'TWO' # comment <x>\none's <a>\nONE\ntwo's <b>\nTWO\necho <c>", ['q:<a>', '<c>']],
      ['a line that only contains the delimiter ends the body, nothing else', 'cat <<EOF\n EOF\nEOFx it\'s\nEOF\necho <after>', ['<after>']],
    ];
    for (const [what, code, expected, substituted] of table) {
      it(`${what}: ${JSON.stringify(code).slice(0, 70)}`, () => {
        const found = analyzeShell(code).placeholders;
        assert.deepEqual(
          found.map((p) => `${p.quoted ? 'q:' : ''}${p.text}`),
          expected,
        );
        for (const p of found) assert.equal(code.slice(p.start, p.end), p.text);
        if (substituted !== undefined) assert.equal(replaced(code), substituted);
      });
    }

    it('lists the same names that are never placeholders as the editor grammar', () => {
      const grammar = JSON.parse(readFileSync(path.resolve(__dirname, '../../../syntaxes/runbook-placeholders.tmLanguage.json'), 'utf8'));
      const pattern: string = grammar.patterns[0].match;
      const words = /\(\?!\(\?:([^)]+)\)>\)/.exec(pattern)?.[1].split('|') ?? [];
      assert.deepEqual([...words].sort(), [...NOT_PLACEHOLDERS].sort());
    });

    it('maps placeholder names to environment variable names', () => {
      assert.equal(placeholderVariable('pod-name'), 'POD_NAME');
      assert.equal(placeholderVariable('node.name'), 'NODE_NAME');
      assert.equal(placeholderVariable('NAMESPACE'), 'NAMESPACE');
      assert.equal(placeholderVariable('a--b__c-'), 'A_B_C');
      assert.equal(placeholderVariable('1st'), '_1ST');
    });

    it('leaves code without placeholders unchanged, and handles one at the very start and end', () => {
      const code = "echo '<x>' && cat <<'EOF'\n<body>\nEOF";
      assert.equal(replaced(code), code);
      assert.equal(replaced('<cmd> <arg>'), '"${CMD}" "${ARG}"');
    });
  });

  describe('substitution in real bash', () => {
    // Every context a placeholder can be in; each line prints the value in brackets.
    const code = [
      "printf '[%s]\\n' <v>",
      "printf '[%s]\\n' \"pre-<v>-post\"",
      "printf '[%s]\\n' \"$(printf '%s' <v>)\"",
      "printf '[%s]\\n' \"$(printf '%s' \"in-<v>\")\"",
      "printf '[%s]\\n' \"`printf '%s' <v>`x\"",
      "printf '[%s]\\n' ${UNSET_X:-<v>} \"${UNSET_X:-<v>}\"",
      "printf '[%s]\\n' \"$(cat <<< <v>)\"",
      'cat <<EOF',
      'body:<v>',
      'EOF',
      "printf '[%s]\\n' '<v>' \"<none>\"",
    ].join('\n');
    const expected = (v: string) =>
      `[${v}]\n[pre-${v}-post]\n[${v}]\n[in-${v}]\n[${v.replace(/\n+$/, '')}x]\n[${v}]\n[${v}]\n[${v.replace(/\n+$/, '')}]\nbody:${v}\n[<v>]\n[<none>]\n`;

    it('finds the placeholder in every context and nothing else', () => {
      assert.deepEqual(
        analyzeShell(code).placeholders.map((p) => `${p.quoted ? 'q:' : ''}${p.text}`),
        ['<v>', 'q:<v>', '<v>', 'q:<v>', '<v>', '<v>', 'q:<v>', '<v>', 'q:<v>'],
      );
    });

    for (const value of ['web-1', 'two words', ...HOSTILE]) {
      it(`prints ${JSON.stringify(value)} where the placeholder was, and runs nothing in it`, () => {
        const ran = bash(replaced(code), { V: value });
        assert.equal(ran.stderr, '');
        assert.equal(ran.stdout, expected(value));
        assert.equal(ran.pwned, false, 'a value was executed');
      });
    }
  });

  describe('colliding placeholders', () => {
    it('gives a placeholder whose variable is reserved or set by the shell a safe name', () => {
      const names: Record<string, string> = {
        path: 'PATH_VALUE',
        home: 'HOME_VALUE',
        user: 'USER_VALUE',
        uid: 'UID_VALUE',
        hostname: 'HOSTNAME_VALUE',
        IFS: 'IFS_VALUE',
        'bash-env': 'BASH_ENV_VALUE',
        'node-options': 'NODE_OPTIONS_VALUE',
        'ld-preload': 'PLACEHOLDER_LD_PRELOAD',
        'python-version': 'PLACEHOLDER_PYTHON_VERSION',
        'runbook-id': 'PLACEHOLDER_RUNBOOK_ID',
        'pod-name': 'POD_NAME',
      };
      for (const [name, variable] of Object.entries(names)) assert.equal(placeholderVariable(name), variable, name);
      assert.deepEqual(implicit('ls <path>'), ['placeholder:PATH_VALUE:<path>']);
    });

    it('never carries a placeholder in a reserved or shell-owned variable (property)', () => {
      const words = ['path', 'home', 'shell', 'pwd', 'lang', 'term', 'ps4', 'ld', 'ld-x', 'dyld-x', 'python', 'pythonpath', 'runbook', 'runbook-x', 'bash-func-x', 'npm-config-x', 'git-ssh', 'x', 'pod'];
      for (const a of words) {
        for (const b of ['', '-value', '_1', '.name']) {
          const variable = placeholderVariable(`${a}${b}`);
          assert.ok(!isReservedVariable(variable) && !isShellVariable(variable), `${a}${b} → ${variable}`);
        }
      }
    });

    it('keeps PATH intact in real bash: <path> reaches the step as PATH_VALUE', () => {
      const code = replaced('echo <path>; command -v ls >/dev/null && echo "ls still found"');
      const ran = bash(code, { PATH_VALUE: '/nowhere' });
      assert.equal(ran.stdout, '/nowhere\nls still found\n');
    });

    it('never asks for undeclared $VARIABLES that are reserved or set by the shell', () => {
      const code = 'echo $LD_PRELOAD $PYTHONPATH $NODE_OPTIONS $RUNBOOK_STEP_RUN $BASH_ENV $GIT_SSH_COMMAND $HOME $UID $PATH $BASHPID $MAPFILE "$CLUSTER"';
      assert.deepEqual(implicit(code), ['variable:CLUSTER:$CLUSTER']);
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

    it('counts ${#X}, ${X:?msg}, ${X%suffix}, ${X/a/b} and ${X[@]}', () => {
      assert.deepEqual(references('echo ${#A} ${B:?B is required} ${C%.txt} ${D/a/b} ${E[@]} ${F^^}'), ['A', 'B', 'C', 'D', 'E', 'F']);
    });

    it('ignores ${!X} indirection, positional and special parameters', () => {
      assert.deepEqual(references('echo ${!A} ${!B*} $1 $@ $# $? $$ $! ${2} ${#} ${#@}'), []);
    });

    it('ignores variables in comments, but not after a # inside a word', () => {
      assert.deepEqual(references('# uses $COMMENTED\necho hi # and $ALSO'), []);
      assert.deepEqual(references('echo a#$NOT_A_COMMENT'), ['NOT_A_COMMENT']);
    });

    it('reads variables in an unquoted here-document body, not in a quoted one', () => {
      assert.deepEqual(references(['cat <<EOF', 'name: $APP_NAME', "it's fine", 'EOF', 'echo "$AFTER"'].join('\n')), ['APP_NAME', 'AFTER']);
      assert.deepEqual(references(['cat <<\\END', '$A', 'END', 'echo $B'].join('\n')), ['B']);
    });

    it('reads inside $( … ), backticks and nested quotes', () => {
      assert.deepEqual(references('x="$(kubectl get pod "$POD" -n `echo $NS`)" && echo "${x}" $(( $N + 1 ))'), ['POD', 'NS', 'x', 'N']);
    });

    it('records NAME=, export, local/declare/readonly, read, for, select, getopts, mapfile and printf -v', () => {
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
          'mapfile -t P < file; readarray -d , Q',
          "printf -v R '%s' x",
          'declare -x S=1',
          'arr=(one two)',
        ].join('\n'),
      );
      for (const name of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'arr']) {
        assert.ok(assigned.has(name), `${name} should be assigned`);
      }
      assert.deepEqual([...exported].sort(), ['D', 'E', 'F', 'S']);
      assert.equal(assigned.has('two'), false);
    });

    it('does not take words of other commands, quotes or comments for assignments', () => {
      const { assigned } = analyzeShell('echo A=1 "B=2" # C=3\nenv D=4 cmd\ngrep -e E=5 \'F=6\'');
      assert.deepEqual([...assigned], []);
    });

    it('does not run an export, local or read on into the next line', () => {
      const { assigned, exported } = analyzeShell('export A=1\nkubectl get pods\nread -r B\necho done');
      assert.deepEqual([...exported], ['A']);
      assert.deepEqual([...assigned].sort(), ['A', 'B']);
    });
  });

  describe('read options', () => {
    // Each reads into the names after its options; none of them is asked for.
    const cases: Array<[string, string[]]> = [
      ['while IFS= read -r line; do echo "$line"; done < file', ['IFS', 'line']],
      ['read -s -r pw; echo "$pw"', ['pw']],
      ['read -n 1 -r key; echo "$key"', ['key']],
      ['read -r a b; echo "$a $b"', ['a', 'b']],
      ['read -p "Name: " -r x; echo "$x"', ['x']],
      ['read -a arr; echo "${arr[0]}"', ['arr']],
      ["read -d '' x; echo \"$x\"", ['x']],
      ['read -d "" -r x; echo "$x"', ['x']],
      ['read -t 5 x; echo $x', ['x']],
      ['read -u 3 x; echo $x', ['x']],
      ['read -rs pw; echo $pw', ['pw']],
      ['read -rn1 key; echo $key', ['key']],
      ['read -N 2 -i def -e x; echo $x', ['x']],
      ['read -ra parts <<< "x y"; echo "${parts[1]}"', ['parts']],
      ['read -r -- x; echo $x', ['x']],
      ['builtin read -r y; echo $y', ['y']],
      ['if read -r -t 1 answer < /dev/tty; then echo "$answer"; fi', ['answer']],
      ['mapfile -t lines < file; echo "${lines[0]}"', ['lines']],
      ['readarray -d , -t items <<< "a,b"; echo "${items[0]}"', ['items']],
    ];
    for (const [code, names] of cases) {
      it(`${code.slice(0, 50)} reads ${names.join(', ')} and asks for nothing`, () => {
        const analysis = analyzeShell(code);
        assert.deepEqual([...analysis.assigned].sort(), [...names].sort());
        assert.deepEqual(implicit(code), []);
      });
    }

    it('still asks for variables used as option arguments', () => {
      assert.deepEqual(implicit('read -p "$PROMPT" -t "$WAIT" -r x; echo "$x"'), ['variable:PROMPT:$PROMPT', 'variable:WAIT:$WAIT']);
    });

    it('agrees with real bash on which names read sets', () => {
      const ran = bash(
        [
          "printf 'l1\\nk\\nw1 w2\\n' > in.txt",
          'exec 3< in.txt',
          'IFS= read -r line <&3; read -n 1 -r key <&3; read -r _ <&3; read -r a b <&3 || true',
          "read -d '' -r rest <<< 'r1'",
          'echo "$line|$key|$a|$b|$rest"',
        ].join('\n'),
      );
      assert.equal(ran.stdout, 'l1|k|w1|w2|r1\n');
      assert.deepEqual(implicit('IFS= read -r line; read -n 1 -r key; read -r a b; read -d \'\' -r rest; echo "$line|$key|$a|$b|$rest"'), []);
    });
  });

  describe('arithmetic contexts', () => {
    const cases: Array<[string, string[]]> = [
      ['echo $(( <n> + 1 ))', ['N']],
      ['echo $(( X + 1 )) $(( $Y * 2 )) $(( ${Z:-0} ))', ['X', 'Y', 'Z']],
      ['(( x > 1 )) && echo big', ['x']],
      ['[[ $V -eq 1 ]]', ['V']],
      ['[[ "${A}" -ne 1 || 2 -lt $B || $C -le 3 || $D -gt 4 || $E -ge 5 ]]', ['A', 'B', 'C', 'D', 'E']],
      ['[[ V -eq 1 ]]', ['V']],
      ['[[ <count> -gt 3 ]]', ['COUNT']],
      ['let "y = $V + 1" z=W+1', ['y', 'V', 'z', 'W']],
      ['a[$i]=1', ['i']],
      ['echo "${a[$j]}" ${a[k]}', ['j', 'k']],
      ['echo "${s:$off:$len}" "${s:start}"', ['off', 'len', 'start']],
      ['declare -i n; n=$V', ['V']],
      ['declare -i n=$V', ['V']],
      ['f() { local -i z=$V; }', ['V']],
      ['arr=([$i]=x)', ['i']],
      ['for (( i = 0; i < $N; i++ )); do :; done', ['i', 'N']],
      ['echo $[ $V + 1 ]', ['V']],
      ['x=$(( <n> * 2 ))', ['N']],
    ];
    for (const [code, names] of cases) {
      it(`${code} evaluates ${names.join(', ')} as arithmetic`, () => {
        assert.deepEqual(arithmetic(code), names);
      });
    }

    const notArithmetic = [
      '[ "$V" -eq 1 ]',
      'test "$V" -gt 1',
      'printf "%d" "$V"',
      '[[ ${#V} -gt 3 ]]',
      '[[ $(wc -l < "$V") -gt 3 ]]',
      '[[ $A == $B ]]',
      'declare -A m; m[$k]=1; echo "${m[$k]}"',
      'echo "${a[@]}" "${#a[@]}"',
      'n=$V; echo $n',
      'echo "${s: -1}"',
      "echo '$(( V ))'",
    ];
    for (const code of notArithmetic) {
      it(`${code} evaluates nothing given as arithmetic`, () => {
        assert.deepEqual(
          arithmetic(code).filter((name) => name !== 'a'),
          [],
        );
      });
    }

    it('marks the implicit inputs it concerns', () => {
      const inputs = implicitInputs(analyzeShell('echo $(( <n> + $COUNT )) $NAME'), nothingAvailable);
      assert.deepEqual(
        inputs.map((input) => [input.name, input.arithmetic ?? false]),
        [
          ['N', true],
          ['COUNT', true],
          ['NAME', false],
        ],
      );
    });
  });

  describe('linear and iterative', function () {
    // Generous: these are sizes, not timings (the time ratios are in `npm run fuzz`).
    this.timeout(60_000);
    for (const depth of [8_000, 80_000]) {
      it(`reads \${a:-\${a:-… ${depth} deep without overflowing the stack`, () => {
        const code = `echo ${'${a:-'.repeat(depth)}$LAST${'}'.repeat(depth)} $AFTER`;
        const analysis = analyzeShell(code);
        assert.equal(analysis.expansions.length, depth + 2);
        assert.deepEqual(analysis.references, ['AFTER']);
        assert.equal(replaced(code), code);
      });

      it(`reads "$( … ${depth} deep, and finds the placeholder at the bottom`, () => {
        const code = `${'echo "$('.repeat(depth)}echo <deep> $X${')"'.repeat(depth)}`;
        const analysis = analyzeShell(code);
        assert.deepEqual(analysis.placeholders.map((p) => [p.text, p.quoted]), [['<deep>', false]]);
        assert.deepEqual(analysis.references, ['X']);
        assert.ok(replaced(code).includes('echo "${DEEP}" $X)'));
      });

      it(`reads $(( and \${a[ … ${depth} deep`, () => {
        const arith = analyzeShell(`echo ${'$(( 1 + '.repeat(depth)}$N${' ))'.repeat(depth)}`);
        assert.deepEqual(arith.references, ['N']);
        assert.deepEqual([...new Set(arith.arithmetic.map((u) => u.name))], ['N']);
        const subscripts = analyzeShell(`echo ${'${a['.repeat(depth)}$i${']}'.repeat(depth)}`);
        assert.deepEqual([...new Set(subscripts.arithmetic.map((u) => u.name))], ['a', 'i']);
      });
    }

    it('reads an unclosed ${ repeated over 800 KB, and what comes before it', () => {
      const code = `echo $FIRST <pod> ${'${'.repeat(400_000)}`;
      const analysis = analyzeShell(code);
      assert.deepEqual(analysis.references, ['FIRST']);
      assert.deepEqual(placeholders(code), ['<pod>']);
    });

    it('reads 100,000 lines with a placeholder, a variable and a here-document each', () => {
      const lines: string[] = [];
      for (let k = 0; k < 20_000; k++) lines.push(`echo <p${k}> $V${k}`, 'cat <<EOF', `$W${k} <q${k}>`, 'EOF', `echo "${'$'}{X${k}:-d}"`);
      const analysis = analyzeShell(lines.join('\n'));
      assert.equal(analysis.placeholders.length, 40_000);
      assert.equal(analysis.references.length, 40_000);
      assert.equal(analysis.placeholders.filter((p) => p.quoted).length, 20_000);
    });

    it('reads many here-documents that never end, and long runs of << and <', () => {
      const code = `${'cat <<EOF\n$(cat <<EOF\n'.repeat(20_000)}echo <x>\n${'<'.repeat(100_000)} ${'<<'.repeat(50_000)}`;
      const analysis = analyzeShell(code);
      assert.deepEqual(analysis.placeholders.map((p) => p.text), ['<x>']);
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

  describe('on the runbook corpus', function () {
    const steps = corpusRunbooks().flatMap((file) =>
      parseRunbook(readFileSync(file, 'utf8'), { path: file })
        .steps.filter((step) => step.family === 'shell')
        .map((step) => ({ file, step })),
    );

    before(function () {
      if (steps.length === 0) this.skip();
    });

    it('never asks for an output or markup token like <none>', () => {
      const literal = new Set(NOT_PLACEHOLDERS.map((name) => `<${name}>`));
      let asked = 0;
      for (const { file, step } of steps) {
        for (const input of implicitInputs(analyzeShell(step.code), nothingAvailable)) {
          asked++;
          assert.ok(!literal.has(input.label), `${path.basename(file)}: "${step.title}" asks for ${input.label}`);
        }
      }
      assert.ok(asked > 100, `only ${asked} implicit inputs in the corpus`);
    });

    it('asks for every double-quoted <name> on a command line', () => {
      // An independent reading: on a line of a step without here-documents, a "…<name>…" with an
      // even number of single quotes before it in the step (so not inside them) and no comment.
      let quoted = 0;
      const singleQuotes = (text: string) => text.split("'").length - 1;
      for (const { file, step } of steps) {
        if (step.code.includes('<<')) continue;
        const asked = new Set(implicitInputs(analyzeShell(step.code), nothingAvailable).map((input) => input.label));
        let before = 0;
        for (const line of step.code.split('\n')) {
          const quotesBefore = before;
          before += singleQuotes(line);
          if (line.includes('#')) continue;
          for (const match of line.matchAll(/"[^"]*?<([A-Za-z][A-Za-z0-9_.-]*)>[^"]*"/g)) {
            if (NOT_PLACEHOLDERS.includes(match[1]) || (quotesBefore + singleQuotes(line.slice(0, match.index))) % 2 === 1) continue;
            quoted++;
            assert.ok(asked.has(`<${match[1]}>`), `${path.basename(file)}: ${line.trim()} does not ask for <${match[1]}>`);
          }
        }
      }
      assert.ok(quoted >= 5, `only ${quoted} double-quoted placeholders found`);
    });
  });
});
