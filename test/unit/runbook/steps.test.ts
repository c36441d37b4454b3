import { strict as assert } from 'node:assert';
import { DEFAULT_LANGUAGES, fenceLanguage } from '../../../src/core/runbook';
import { assertFenceLines, assertNoDiagnostics, diagnosticsOf, md, onlyDiagnostic, parse, textLines } from './helpers';

const RUNNABLE = ['bash', 'sh', 'shell', 'zsh', 'console', 'python', 'python3', 'py', 'node', 'js', 'javascript', 'pwsh', 'powershell'];

describe('runbook steps', () => {
  describe('languages', () => {
    it('has exactly the documented runnable languages by default', () => {
      assert.deepEqual(Object.keys(DEFAULT_LANGUAGES).sort(), [...RUNNABLE].sort());
    });

    for (const language of RUNNABLE) {
      it(`makes a \`${language}\` fence a step`, () => {
        const runbook = parse(md(`\`\`\`${language}`, 'do-something', '```'));
        assert.equal(runbook.steps.length, 1);
        assert.equal(runbook.steps[0].language, language);
        assert.equal(runbook.steps[0].kind, 'code');
      });
    }

    for (const info of ['yaml', 'json', 'promql', 'text', '', 'shell-session', 'bashx', 'mermaid']) {
      it(`does not make a \`${info || '(no language)'}\` fence a step`, () => {
        const runbook = parse(md(`\`\`\`${info}`, 'key: value', '```'));
        assert.equal(runbook.steps.length, 0);
        assert.deepEqual(runbook.items, []);
        assertNoDiagnostics(runbook);
      });
    }

    it('does not make indented code blocks steps', () => {
      assert.equal(parse(md('Text', '', '    ls -la', '')).steps.length, 0);
    });

    it('lower-cases the language and reads it when attributes follow without a space', () => {
      const runbook = parse(md('```BASH{name=up}', 'ls', '```', '```Python', 'print(1)', '```'));
      assert.deepEqual(
        runbook.steps.map((s) => [s.language, s.family, s.interpreter, s.id]),
        [
          ['bash', 'shell', 'bash', 'up'],
          ['python', 'python', 'python3', runbook.steps[1].id],
        ],
      );
    });

    it('fenceLanguage takes the first word, lower-cased', () => {
      assert.equal(fenceLanguage('  Bash {name=x}'), 'bash');
      assert.equal(fenceLanguage('sh{a=1}'), 'sh');
      assert.equal(fenceLanguage('console title'), 'console');
      assert.equal(fenceLanguage(''), '');
      assert.equal(fenceLanguage('{name=x}'), '');
    });

    it('maps languages to families and interpreters', () => {
      const text = RUNNABLE.map((l) => md(`\`\`\`${l}`, `code-${l}`, '```')).join('\n');
      const runbook = parse(text);
      const got = Object.fromEntries(runbook.steps.map((s) => [s.language, `${s.family}:${s.interpreter}`]));
      assert.deepEqual(got, {
        bash: 'shell:bash',
        sh: 'shell:sh',
        shell: 'shell:bash',
        zsh: 'shell:zsh',
        console: 'shell:bash',
        python: 'python:python3',
        python3: 'python:python3',
        py: 'python:python3',
        node: 'node:node',
        js: 'node:node',
        javascript: 'node:node',
        pwsh: 'powershell:pwsh',
        powershell: 'powershell:pwsh',
      });
    });

    it('gives `shell` and `console` blocks the front matter shell, and no other block', () => {
      const text = md('---', 'shell: zsh', '---', '```shell', 'a', '```', '```console', 'b', '```', '```bash', 'c', '```', '```sh', 'd', '```', '```python', 'e', '```');
      assert.deepEqual(
        parse(text).steps.map((s) => s.interpreter),
        ['zsh', 'zsh', 'bash', 'sh', 'python3'],
      );
    });

    it('accepts a custom language table', () => {
      const languages = { ruby: { family: 'shell' as const, interpreter: 'ruby' }, shell: { family: 'shell' as const, interpreter: '' } };
      const runbook = parse(md('```ruby', 'puts 1', '```', '```bash', 'ls', '```', '```shell', 'ls', '```'), { languages });
      assert.deepEqual(
        runbook.steps.map((s) => [s.language, s.interpreter]),
        [
          ['ruby', 'ruby'],
          ['shell', 'bash'],
        ],
      );
    });
  });

  describe('fences and line ranges', () => {
    it('uses 0-based opening and closing fence lines', () => {
      const text = md(
        '# Title', //       0
        '', //              1
        'Intro.', //        2
        '', //              3
        '```bash', //       4
        'echo one', //      5
        'echo two', //      6
        '```', //           7
        '', //              8
        '~~~python', //     9
        'print(1)', //      10
        '~~~', //           11
      );
      const runbook = parse(text);
      assertNoDiagnostics(runbook);
      assert.deepEqual(
        runbook.steps.map((s) => [s.startLine, s.codeStartLine, s.endLine]),
        [
          [4, 5, 7],
          [9, 10, 11],
        ],
      );
      for (const step of runbook.steps) assertFenceLines(text, step);
      assert.equal(runbook.steps[0].code, 'echo one\necho two');
      assert.equal(runbook.steps[0].source, 'echo one\necho two');
      assert.equal(runbook.lineCount, textLines(text).length);
    });

    it('reads `~~~` fences, including ones that contain ``` lines', () => {
      const text = md('~~~bash', 'cat <<EOF', '```', 'EOF', '~~~');
      const runbook = parse(text);
      assert.equal(runbook.steps.length, 1);
      assert.equal(runbook.steps[0].code, 'cat <<EOF\n```\nEOF');
      assert.deepEqual([runbook.steps[0].startLine, runbook.steps[0].endLine], [0, 4]);
    });

    it('needs a closing fence at least as long as the opening one', () => {
      const text = md('````bash', 'echo a', '```', 'echo b', '`````', 'after');
      const runbook = parse(text);
      assertNoDiagnostics(runbook);
      assert.equal(runbook.steps[0].code, 'echo a\n```\necho b');
      assert.equal(runbook.steps[0].endLine, 4);
    });

    it('reads an empty step', () => {
      const runbook = parse(md('```bash', '```'));
      assert.equal(runbook.steps.length, 1);
      assert.equal(runbook.steps[0].code, '');
      assert.deepEqual([runbook.steps[0].startLine, runbook.steps[0].endLine], [0, 1]);
    });

    it('finds fences inside list items, with their own lines', () => {
      const text = md(
        '1. Drain the node:', //     0
        '', //                       1
        '   ```bash', //             2
        '   kubectl drain node-1', // 3
        '   ```', //                 4
        '', //                       5
        '2. Uncordon it:', //        6
        '   ```bash', //             7
        '   kubectl uncordon node-1', // 8
        '   ```', //                 9
        '   - nested:', //           10
        '     ```sh', //             11
        '     echo nested', //       12
        '     ```', //               13
      );
      const runbook = parse(text);
      assertNoDiagnostics(runbook);
      assert.deepEqual(
        runbook.steps.map((s) => [s.startLine, s.endLine, s.code, s.title]),
        [
          [2, 4, 'kubectl drain node-1', 'Drain the node'],
          [7, 9, 'kubectl uncordon node-1', 'Uncordon it'],
          [11, 13, 'echo nested', 'nested'],
        ],
      );
      for (const step of runbook.steps) assertFenceLines(text, step);
    });

    it('finds fences inside block quotes, including nested quotes and lists', () => {
      const text = md(
        '> Note:', //                0
        '>', //                      1
        '> ```bash', //              2
        '> echo quoted', //          3
        '> ```', //                  4
        '', //                       5
        '> > ~~~sh', //              6
        '> > echo deeper', //        7
        '> > ~~~', //                8
        '', //                       9
        '> - item', //               10
        '>   ```console', //         11
        '>   $ ls', //               12
        '>   file', //               13
        '>   ```', //                14
      );
      const runbook = parse(text);
      assertNoDiagnostics(runbook);
      assert.deepEqual(
        runbook.steps.map((s) => [s.startLine, s.endLine, s.code]),
        [
          [2, 4, 'echo quoted'],
          [6, 8, 'echo deeper'],
          [11, 14, 'ls'],
        ],
      );
      for (const step of runbook.steps) assertFenceLines(text, step);
    });

    it('warns about an unclosed fence at the end of the file and keeps the step', () => {
      const text = md('# H', '```bash', 'echo a', 'echo b', '');
      const runbook = parse(text);
      const diagnostic = onlyDiagnostic(runbook, 'unclosed-fence');
      assert.equal(diagnostic.severity, 'warning');
      assert.equal(diagnostic.line, 1);
      assert.match(diagnostic.message, /line 2/);
      assert.equal(runbook.steps.length, 1);
      assert.equal(runbook.steps[0].code, 'echo a\necho b');
      assert.equal(runbook.steps[0].startLine, 1);
      assert.ok(runbook.steps[0].endLine < runbook.lineCount);
      assert.ok(runbook.steps[0].endLine >= 3);
    });

    it('warns about an unclosed fence without a trailing newline', () => {
      const runbook = parse(md('```bash', 'ls'));
      assert.equal(onlyDiagnostic(runbook, 'unclosed-fence').line, 0);
      assert.deepEqual([runbook.steps[0].startLine, runbook.steps[0].endLine], [0, 1]);
      assert.equal(runbook.steps[0].code, 'ls');
    });

    it('warns about a fence opened on the last line', () => {
      const runbook = parse(md('text', '', '```bash'));
      assert.equal(onlyDiagnostic(runbook, 'unclosed-fence').line, 2);
      assert.equal(runbook.steps.length, 1);
      assert.deepEqual([runbook.steps[0].startLine, runbook.steps[0].endLine], [2, 2]);
    });

    it('warns about a fence unclosed inside a list item and ends it with the item', () => {
      const text = md('- step', '  ```bash', '  ls', '- next item', '', 'After.');
      const runbook = parse(text);
      assert.equal(onlyDiagnostic(runbook, 'unclosed-fence').line, 1);
      assert.equal(runbook.steps[0].code, 'ls');
      assert.equal(runbook.steps[0].endLine, 2);
    });

    it('does not take a fence indented four spaces for a closing fence', () => {
      const text = md('```bash', 'echo a', '    ```', '');
      const runbook = parse(text);
      assert.equal(runbook.steps[0].code, 'echo a\n    ```');
      assert.equal(onlyDiagnostic(runbook, 'unclosed-fence').line, 0);
    });

    it('does not take a quoted fence for the closing fence of an unquoted block', () => {
      const runbook = parse(md('```bash', 'echo a', '> ```', ''));
      assert.equal(runbook.steps[0].code, 'echo a\n> ```');
      assert.equal(onlyDiagnostic(runbook, 'unclosed-fence').line, 0);
    });

    it('warns about a quoted fence whose last line is a bare `>` at the end of the file', () => {
      for (const text of ['> ```bash\n>', '> > ```bash \n> > ', '- ```bash\n  ']) {
        const runbook = parse(text);
        assert.equal(runbook.steps.length, 1, JSON.stringify(text));
        assert.equal(onlyDiagnostic(runbook, 'unclosed-fence').line, 0, JSON.stringify(text));
      }
    });

    it('does not warn about closed fences anywhere', () => {
      const text = md('- a', '  ```bash', '  ls', '  ```', '> ```bash', '> ls', '> ```', '````', '```', '````', '~~~', '~~~');
      assertNoDiagnostics(parse(text));
    });

    it('parses the rest of the file after a fence closed with the wrong character', () => {
      const runbook = parse(md('# A', '```bash', 'ls', '~~~', '# B'));
      assert.equal(runbook.steps.length, 1);
      assert.equal(runbook.steps[0].code, 'ls\n~~~\n# B');
      assert.equal(diagnosticsOf(runbook, 'unclosed-fence').length, 1);
      assert.equal(runbook.sections.length, 1, 'the heading was swallowed by the open fence');
    });
  });

  describe('sections', () => {
    const text = md(
      '```bash', //            0
      'echo before', //        1
      '```', //                2
      '# Runbook', //          3
      '## Prepare', //         4
      '```bash', //            5
      'echo prepare', //       6
      '```', //                7
      '#### Deep', //          8
      '```bash', //            9
      'echo deep', //          10
      '```', //                11
      '### Check', //          12
      '```bash', //            13
      'echo check', //         14
      '```', //                15
      '## Prepare', //         16
      '```bash', //            17
      'echo again', //         18
      '```', //                19
      'Setext `h2`', //        20
      '-----------', //        21
    );

    it('lists headings with level, line, parent and unique GitHub slugs', () => {
      const runbook = parse(text);
      assert.deepEqual(runbook.sections, [
        { title: 'Runbook', slug: 'runbook', level: 1, line: 3, parent: -1 },
        { title: 'Prepare', slug: 'prepare', level: 2, line: 4, parent: 0 },
        { title: 'Deep', slug: 'deep', level: 4, line: 8, parent: 1 },
        { title: 'Check', slug: 'check', level: 3, line: 12, parent: 1 },
        { title: 'Prepare', slug: 'prepare-1', level: 2, line: 16, parent: 0 },
        { title: 'Setext h2', slug: 'setext-h2', level: 2, line: 20, parent: 0 },
      ]);
    });

    it('puts each step in the nearest heading above it', () => {
      const runbook = parse(text);
      assert.deepEqual(
        runbook.steps.map((s) => [s.code, s.sectionIndex, s.sectionPath]),
        [
          ['echo before', -1, []],
          ['echo prepare', 1, ['Runbook', 'Prepare']],
          ['echo deep', 2, ['Runbook', 'Prepare', 'Deep']],
          ['echo check', 3, ['Runbook', 'Prepare', 'Check']],
          ['echo again', 4, ['Runbook', 'Prepare']],
        ],
      );
    });

    it('slugs headings like GitHub', () => {
      const runbook = parse(md('# Restart the API (v2)!', '## Café & Ünïcode', '## step_1 - two', '#', ''));
      assert.deepEqual(
        runbook.sections.map((s) => s.slug),
        ['restart-the-api-v2', 'café--ünïcode', 'step_1---two', 'untitled-h1'],
      );
      assert.equal(runbook.sections[3].title, '(untitled h1)');
    });
  });

  describe('step titles', () => {
    it('uses the name attribute first', () => {
      const runbook = parse(md('# H', 'Drain the node first.', '```bash {name=drain}', 'ls', '```'));
      assert.equal(runbook.steps[0].title, 'drain');
    });

    it('uses the first sentence of the paragraph before', () => {
      const text = md(
        '# Restart',
        '',
        'Scale the **deployment** down. Then wait a bit!',
        '```bash',
        'a',
        '```',
        'Check the `pods`:',
        '```bash',
        'b',
        '```',
        'Is it up? Maybe.',
        '```bash',
        'c',
        '```',
        'Wait for [the rollout](https://example.com)',
        'to finish',
        '```bash',
        'd',
        '```',
      );
      assert.deepEqual(
        parse(text).steps.map((s) => s.title),
        ['Scale the deployment down', 'Check the pods', 'Is it up?', 'Wait for the rollout to finish'],
      );
    });

    it('shortens a long first sentence to 80 characters', () => {
      const long = 'word '.repeat(40).trim();
      const title = parse(md(long, '', '```bash', 'ls', '```')).steps[0].title;
      assert.equal(title.length, 80);
      assert.ok(title.endsWith('…'));
      assert.ok(long.startsWith(title.slice(0, -1)));
    });

    it('falls back to `<heading> · step N`, counting only runnable steps of the section', () => {
      const text = md(
        '# Deploy',
        '```bash',
        'a',
        '```',
        '```yaml',
        'k: v',
        '```',
        '```bash',
        'b',
        '```',
        '## Verify',
        '```bash',
        'c',
        '```',
        'Now a paragraph.',
        '```bash',
        'd',
        '```',
        '```bash',
        'e',
        '```',
      );
      assert.deepEqual(
        parse(text).steps.map((s) => s.title),
        ['Deploy · step 1', 'Deploy · step 2', 'Verify · step 1', 'Now a paragraph', 'Verify · step 3'],
      );
    });

    it('does not take a paragraph that belongs to a non-runnable block or an earlier step', () => {
      const text = md('# H', 'This is the config.', '```yaml', 'k: v', '```', '```bash', 'a', '```', '```bash', 'b', '```');
      assert.deepEqual(
        parse(text).steps.map((s) => s.title),
        ['H · step 1', 'H · step 2'],
      );
    });

    it('does not take a paragraph from the section above', () => {
      const text = md('Intro text.', '# H', '```bash', 'a', '```');
      assert.equal(parse(text).steps[0].title, 'H · step 1');
    });

    it('uses `Step · step N` before any heading', () => {
      assert.equal(parse(md('```bash', 'a', '```')).steps[0].title, 'Step · step 1');
    });
  });

  describe('manual steps', () => {
    const text = md(
      '# On-call', //                       0
      '', //                                1
      '- [ ] Page the database on-call', // 2
      '- [x] Open an incident', //          3
      '* [X] Post in **#ops**', //          4
      '- [ ] Write the', //                 5
      '  post-mortem', //                   6
      '- not a task', //                    7
      '1. [ ] Numbered task', //            8
      '', //                                9
      '[ ] Not in a list', //               10
      '', //                                11
      '- [ ]no space', //                   12
      '- [] empty brackets', //             13
      '', //                                14
      '- [ ] Outer', //                     15
      '  - [ ] Inner', //                   16
    );

    it('reads GFM task items as manual steps with their lines and checkbox', () => {
      const runbook = parse(text);
      assertNoDiagnostics(runbook);
      assert.deepEqual(
        runbook.manualSteps.map((m) => [m.title, m.checkedInFile, m.startLine, m.endLine, m.kind]),
        [
          ['Page the database on-call', false, 2, 2, 'manual'],
          ['Open an incident', true, 3, 3, 'manual'],
          ['Post in #ops', true, 4, 4, 'manual'],
          ['Write the post-mortem', false, 5, 6, 'manual'],
          ['Numbered task', false, 8, 8, 'manual'],
          ['Outer', false, 15, 15, 'manual'],
          ['Inner', false, 16, 16, 'manual'],
        ],
      );
      for (const step of runbook.manualSteps) {
        assert.deepEqual(step.sectionPath, ['On-call']);
        assert.equal(step.sectionIndex, 0);
      }
      assert.equal(runbook.steps.length, 0);
    });

    it('takes only task items whose list item starts with the checkbox paragraph', () => {
      for (const other of [md('-', '', '[ ] after an empty item'), md('- # Heading', '', '[ ] after a heading item'), md('- > [ ] quoted in an item'), md('- ```', '  x', '  ```', '', '[ ] after a fence item')]) {
        assert.deepEqual(parse(other).manualSteps, [], other);
      }
    });

    it('keeps steps and manual steps in document order in items', () => {
      const runbook = parse(md('- [ ] First', '', '```bash', 'ls', '```', '', '- [ ] Third', '  ```bash', '  ls -a', '  ```'));
      assert.deepEqual(
        runbook.items.map((i) => [i.kind, i.startLine]),
        [
          ['manual', 0],
          ['code', 2],
          ['manual', 6],
          ['code', 7],
        ],
      );
      assert.equal(runbook.items.length, runbook.steps.length + runbook.manualSteps.length);
    });

    it('does not give a step the text of a task item as its title', () => {
      const runbook = parse(md('# H', '- [ ] Check by hand', '', '```bash', 'ls', '```'));
      assert.equal(runbook.steps[0].title, 'H · step 1');
    });
  });

  describe('expected output', () => {
    it('attaches an `output` fence right after a step (default match contains)', () => {
      const text = md('```bash', 'echo hi', '```', '```output', 'hi', '```');
      const step = parse(text).steps[0];
      assert.deepEqual(step.expected, { text: 'hi', match: 'contains', startLine: 3, endLine: 5 });
    });

    for (const mode of ['exact', 'contains', 'regex'] as const) {
      it(`reads match=${mode} on an \`expected\` fence`, () => {
        const runbook = parse(md('```sh', 'date', '```', '', `\`\`\`expected {match=${mode}}`, '^\\w+', '```'));
        assertNoDiagnostics(runbook);
        assert.equal(runbook.steps[0].expected?.match, mode);
        assert.equal(runbook.steps[0].expected?.text, '^\\w+');
      });
    }

    it('reads match in JSON style', () => {
      assert.equal(parse(md('```sh', 'x', '```', '```output {"match": "exact"}', 'x', '```')).steps[0].expected?.match, 'exact');
    });

    it('is never a step itself', () => {
      const runbook = parse(md('```bash', 'a', '```', '```output', 'a', '```'));
      assert.equal(runbook.steps.length, 1);
      assert.equal(runbook.items.length, 1);
    });

    it('works inside list items', () => {
      const runbook = parse(md('1. Run:', '   ```bash', '   echo ok', '   ```', '   ```output', '   ok', '   ```'));
      assert.deepEqual(runbook.steps[0].expected, { text: 'ok', match: 'contains', startLine: 4, endLine: 6 });
    });

    for (const [label, between] of [
      ['a paragraph', ['Some prose.']],
      ['a heading', ['## Next']],
      ['a non-runnable block', ['```yaml', 'a: b', '```']],
      ['a table', ['| a |', '|---|', '| b |']],
      ['a thematic break', ['***']],
      ['an HTML block', ['<details>', '</details>']],
    ] as const) {
      it(`warns about an expected block separated from its step by ${label}`, () => {
        const text = md('```bash', 'echo hi', '```', '', ...between, '', '```output', 'hi', '```');
        const runbook = parse(text);
        const diagnostic = onlyDiagnostic(runbook, 'orphan-expected');
        assert.equal(diagnostic.severity, 'warning');
        const start = 5 + between.length;
        assert.deepEqual([diagnostic.line, diagnostic.endLine], [start, start + 2]);
        assert.equal(runbook.steps[0].expected, undefined);
      });
    }

    it('warns about an expected block at the top of the file and about a second one', () => {
      const runbook = parse(md('```output', 'x', '```', '```bash', 'ls', '```', '```output', 'a', '```', '```output', 'b', '```'));
      assert.deepEqual(
        diagnosticsOf(runbook, 'orphan-expected').map((d) => d.line),
        [0, 9],
      );
      assert.equal(runbook.steps[0].expected?.text, 'a');
    });

    it('reports a bad regular expression and keeps the step without it', () => {
      const text = md('# H', '```bash', 'ls', '```', '```output {match=regex}', 'pods: (', '```', '```bash', 'echo next', '```');
      const runbook = parse(text);
      const diagnostic = onlyDiagnostic(runbook, 'bad-attribute-value');
      assert.equal(diagnostic.severity, 'error');
      assert.deepEqual([diagnostic.line, diagnostic.endLine], [4, 6]);
      assert.match(diagnostic.message, /regular expression/);
      assert.match(diagnostic.message, /pods: \(/);
      assert.equal(runbook.steps[0].expected, undefined);
      assert.equal(runbook.steps.length, 2);
    });

    it('reports an unknown match mode, naming it, and falls back to contains', () => {
      const runbook = parse(md('```bash', 'ls', '```', '```output {match=fuzzy}', 'x', '```'));
      const diagnostic = onlyDiagnostic(runbook, 'bad-attribute-value');
      assert.match(diagnostic.message, /"fuzzy"/);
      assert.equal(diagnostic.line, 3);
      assert.equal(runbook.steps[0].expected?.match, 'contains');
    });

    it('warns about unknown attributes on an expected block', () => {
      const runbook = parse(md('```bash', 'ls', '```', '```output {match=exact trim}', 'x', '```'));
      const diagnostic = onlyDiagnostic(runbook, 'unknown-attribute');
      assert.equal(diagnostic.severity, 'warning');
      assert.match(diagnostic.message, /"trim"/);
      assert.equal(runbook.steps[0].expected?.match, 'exact');
    });
  });
});
