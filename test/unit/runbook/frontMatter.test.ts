import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as yaml from 'yaml';
import { renderRunbook } from '../../../src/core/runbook';
import { MAX_FRONT_MATTER_ALIASES, MAX_FRONT_MATTER_CHARS, MAX_FRONT_MATTER_DEPTH } from '../../../src/core/runbook/frontMatter';
import { assertNoDiagnostics, diagnosticsOf, md, onlyDiagnostic, parse, textLines } from './helpers';

describe('runbook front matter', () => {
  const full = md(
    '---', //                                                     0
    'title: Restart the payments API', //                         1
    'description: Rolling restart when p99 latency alerts fire', // 2
    'owner: team-payments', //                                    3
    'tags: [payments, kubernetes]', //                            4
    'environment: production', //                                 5
    'shell: zsh', //                                              6
    'cwd: ../deploy', //                                          7
    'timeout: 10m', //                                            8
    '---', //                                                     9
    '# Ignored heading', //                                       10
    '',
    '```shell',
    'kubectl get pods',
    '```',
    '',
  );

  it('reads every documented field into meta', () => {
    const runbook = parse(full, { path: 'runbooks/restart.md' });
    assertNoDiagnostics(runbook);
    assert.equal(runbook.title, 'Restart the payments API');
    assert.deepEqual(runbook.meta, {
      description: 'Rolling restart when p99 latency alerts fire',
      owner: 'team-payments',
      tags: ['payments', 'kubernetes'],
      environment: 'production',
      shell: 'zsh',
      cwd: '../deploy',
      timeoutMs: 600_000,
      declaredRunbook: false,
    });
    assert.deepEqual(runbook.frontMatterRange, { startLine: 0, endLine: 9 });
    assert.equal(runbook.frontMatter?.owner, 'team-payments');
  });

  it('keeps line numbers of the body equal to the document lines', () => {
    const runbook = parse(full);
    assert.equal(runbook.sections[0].line, 10);
    assert.equal(runbook.steps[0].startLine, 12);
    assert.equal(runbook.steps[0].endLine, 14);
    assert.equal(runbook.lineCount, textLines(full).length);
  });

  it('accepts tags as a comma-separated string', () => {
    const runbook = parse(md('---', 'tags: "a, b ,, c"', '---', ''));
    assert.deepEqual(runbook.meta.tags, ['a', 'b', 'c']);
  });

  it('stringifies numeric text fields and defaults tags to []', () => {
    const runbook = parse(md('---', 'owner: 42', 'environment: 7', '---', ''));
    assert.equal(runbook.meta.owner, '42');
    assert.equal(runbook.meta.environment, '7');
    assert.deepEqual(runbook.meta.tags, []);
    assert.equal(runbook.meta.timeoutMs, undefined);
  });

  for (const [written, ms] of [
    ['90', 90_000],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5', 1_500],
  ] as const) {
    it(`reads timeout: ${written} as ${ms} ms`, () => {
      const runbook = parse(md('---', `timeout: ${written}`, '---', ''));
      assertNoDiagnostics(runbook);
      assert.equal(runbook.meta.timeoutMs, ms);
    });
  }

  it('reports a bad front matter timeout at its line, naming the value', () => {
    const runbook = parse(md('---', 'title: T', 'timeout: whenever', '---', '```bash', 'ls', '```'));
    const diagnostic = onlyDiagnostic(runbook, 'bad-timeout');
    assert.equal(diagnostic.severity, 'error');
    assert.equal(diagnostic.line, 2);
    assert.match(diagnostic.message, /"whenever"/);
    assert.equal(runbook.meta.timeoutMs, undefined);
    assert.equal(runbook.title, 'T');
    assert.equal(runbook.steps.length, 1);
  });

  for (const bad of ['0', '-5', '10x', '"m"']) {
    it(`rejects timeout: ${bad}`, () => {
      const runbook = parse(md('---', `timeout: ${bad}`, '---', ''));
      assert.equal(onlyDiagnostic(runbook, 'bad-timeout').line, 1);
      assert.equal(runbook.meta.timeoutMs, undefined);
    });
  }

  it('warns about fields of the wrong shape and ignores them', () => {
    const runbook = parse(md('---', 'title: [a, b]', 'owner: { team: x }', 'tags: { a: 1 }', 'runbook: maybe', '---', '# Heading'));
    const warnings = diagnosticsOf(runbook, 'front-matter-value');
    assert.deepEqual(
      warnings.map((d) => [d.line, d.severity]),
      [
        [1, 'warning'],
        [2, 'warning'],
        [3, 'warning'],
        [4, 'warning'],
      ],
    );
    assert.match(warnings[0].message, /"title"/);
    assert.match(warnings[1].message, /"owner"/);
    assert.match(warnings[2].message, /"tags"/);
    assert.match(warnings[3].message, /"runbook"/);
    assert.equal(runbook.meta.owner, undefined);
    assert.deepEqual(runbook.meta.tags, []);
    assert.equal(runbook.meta.declaredRunbook, false);
    assert.equal(runbook.title, 'Heading', 'a non-text title falls back to the first H1');
  });

  it('reads runbook: true', () => {
    assert.equal(parse(md('---', 'runbook: true', '---', '')).meta.declaredRunbook, true);
  });

  it('accepts `...` as the closing line', () => {
    const runbook = parse(md('---', 'title: Dots', '...', '# H', '```bash', 'ls', '```'));
    assertNoDiagnostics(runbook);
    assert.equal(runbook.title, 'Dots');
    assert.deepEqual(runbook.frontMatterRange, { startLine: 0, endLine: 2 });
    assert.equal(runbook.steps[0].startLine, 4);
  });

  it('treats an empty front matter block as an empty mapping', () => {
    const runbook = parse(md('---', '---', '# Title', ''));
    assertNoDiagnostics(runbook);
    assert.deepEqual(runbook.frontMatter, {});
    assert.deepEqual(runbook.frontMatterRange, { startLine: 0, endLine: 1 });
    assert.equal(runbook.title, 'Title');
  });

  it('does not take a `---` later in the file for front matter', () => {
    const text = md('# Title', '', '---', 'title: Not front matter', '---', '');
    const runbook = parse(text);
    assert.equal(runbook.frontMatter, undefined);
    assert.equal(runbook.frontMatterRange, undefined);
    assert.equal(runbook.title, 'Title');
  });

  it('warns when the file opens with --- that is never closed, and still parses the body', () => {
    const runbook = parse(md('---', 'title: x', '', '# Body', '```bash', 'ls', '```'));
    const diagnostic = onlyDiagnostic(runbook, 'front-matter-unclosed');
    assert.equal(diagnostic.line, 0);
    assert.equal(diagnostic.severity, 'warning');
    assert.equal(runbook.frontMatter, undefined);
    assert.equal(runbook.steps.length, 1);
    assert.equal(runbook.steps[0].startLine, 4);
  });

  describe('title fallback', () => {
    it('prefers the front matter title', () => {
      assert.equal(parse(md('---', 'title: From YAML', '---', '# From H1'), { path: 'x.md' }).title, 'From YAML');
    });

    it('uses the first H1 when the front matter has no title', () => {
      const text = md('---', 'owner: me', '---', '## Not an h1', '# First *H1* `code`', '# Second H1');
      assert.equal(parse(text, { path: 'x.md' }).title, 'First H1 code');
    });

    it('uses a setext H1', () => {
      assert.equal(parse(md('Setext title', '============', '')).title, 'Setext title');
    });

    it('ignores a blank front matter title', () => {
      assert.equal(parse(md('---', 'title: "  "', '---', '# H1'), { path: 'x.md' }).title, 'H1');
    });

    for (const [path, title] of [
      ['docs/restart-api.md', 'restart-api'],
      ['docs/restart-api.runbook.md', 'restart-api'],
      ['C:\\runbooks\\Drain Node.MD', 'Drain Node'],
      ['notes.markdown', 'notes'],
    ] as const) {
      it(`uses the file name of ${path} when there is no title or H1`, () => {
        assert.equal(parse(md('## Only h2', 'text'), { path }).title, title);
      });
    }

    it('falls back to a fixed title without path, title or H1', () => {
      assert.equal(parse('plain text').title, 'Untitled runbook');
    });

    it('uses the H1 when the front matter is broken', () => {
      assert.equal(parse(md('---', 'title: [unclosed', 'x: y: z', '---', '# Rescue'), { path: 'a.md' }).title, 'Rescue');
    });
  });

  describe('degenerate files', () => {
    it('parses an empty file', () => {
      const runbook = parse('', { path: 'empty.md' });
      assertNoDiagnostics(runbook);
      assert.equal(runbook.title, 'empty');
      assert.equal(runbook.lineCount, 0);
      assert.deepEqual(runbook.steps, []);
      assert.deepEqual(runbook.sections, []);
      assert.deepEqual(runbook.items, []);
      assert.equal(runbook.frontMatter, undefined);
    });

    it('parses a file that is only front matter (no trailing newline)', () => {
      const text = md('---', 'title: Only', 'owner: me', '---');
      const runbook = parse(text);
      assertNoDiagnostics(runbook);
      assert.equal(runbook.title, 'Only');
      assert.deepEqual(runbook.frontMatterRange, { startLine: 0, endLine: 3 });
      assert.equal(runbook.lineCount, 4);
      assert.deepEqual(runbook.steps, []);
    });

    it('parses a file that is only front matter (with trailing newline)', () => {
      const text = md('---', 'title: Only', '---', '');
      const runbook = parse(text);
      assert.equal(runbook.title, 'Only');
      assert.equal(runbook.lineCount, textLines(text).length);
    });

    it('parses a lone BOM as an empty file', () => {
      const runbook = parse('\uFEFF');
      assert.equal(runbook.lineCount, 0);
      assert.deepEqual(runbook.items, []);
    });
  });

  describe('BOM and line endings', () => {
    it('reads front matter after a BOM', () => {
      const runbook = parse('\uFEFF' + md('---', 'title: With BOM', '---', '```bash', 'ls', '```'));
      assertNoDiagnostics(runbook);
      assert.equal(runbook.title, 'With BOM');
      assert.equal(runbook.steps[0].startLine, 3);
      assert.equal(runbook.steps[0].code, 'ls');
    });

    it('reads a first-line fence after a BOM', () => {
      const runbook = parse('\uFEFF```bash\nls\n```\n');
      assert.equal(runbook.steps.length, 1);
      assert.equal(runbook.steps[0].startLine, 0);
    });

    it('handles CRLF line endings throughout', () => {
      const lf = md(
        '---',
        'title: CRLF',
        'tags: [a]',
        'timeout: 2m',
        '---',
        '# Section',
        '',
        'Check the pods.',
        '',
        '```bash {name=pods}',
        'kubectl get pods \\',
        '  -A',
        '```',
        '```output',
        'NAME',
        '```',
        '',
        '- [ ] Tell the team',
        '',
      );
      const crlf = lf.replace(/\n/g, '\r\n');
      const a = parse(lf);
      const b = parse(crlf);
      assertNoDiagnostics(b);
      assert.deepEqual(b, a);
      assert.equal(b.steps[0].code, 'kubectl get pods \\\n  -A');
      assert.ok(!b.steps[0].code.includes('\r'));
      assert.equal(b.steps[0].expected?.text, 'NAME');
      assert.equal(b.lineCount, textLines(crlf).length);
    });

    it('reports YAML errors at the right line with CRLF', () => {
      const runbook = parse(['---', 'title: a', 'key: value: other', '---', '# H', ''].join('\r\n'));
      assert.equal(onlyDiagnostic(runbook, 'yaml').line, 2);
      assert.equal(runbook.title, 'H');
    });
  });

  describe('diagnostics', () => {
    for (const [label, badLine] of [
      ['a nested compact mapping', 'key: value: other'],
      ['a duplicate key', 'title: again'],
      ['tab indentation', '\towner: b'],
    ] as const) {
      it(`reports ${label} at the bad line and still parses the body`, () => {
        const text = md('---', 'title: first', 'owner: me', badLine, 'tags: [x]', '---', '# Body title', '', '```bash', 'ls', '```');
        const runbook = parse(text, { path: 'r.md' });
        const errors = diagnosticsOf(runbook, 'yaml');
        assert.ok(errors.length >= 1, JSON.stringify(runbook.diagnostics));
        assert.equal(errors[0].line, 3, JSON.stringify(errors));
        assert.equal(errors[0].severity, 'error');
        assert.match(errors[0].message, /^Front matter YAML: /);
        assert.equal(runbook.frontMatter, undefined, 'a broken front matter is not used');
        assert.deepEqual(runbook.frontMatterRange, { startLine: 0, endLine: 5 });
        assert.equal(runbook.title, 'Body title');
        assert.equal(runbook.steps.length, 1);
        assert.equal(runbook.steps[0].startLine, 8);
        assert.equal(runbook.sections[0].line, 6);
      });
    }

    for (const [label, body] of [
      ['a list', ['- a', '- b']],
      ['a scalar', ['just some text']],
    ] as const) {
      it(`reports front matter that is ${label} and still parses the body`, () => {
        const text = md('---', ...body, '---', '# Title', '```bash', 'ls', '```');
        const runbook = parse(text);
        const diagnostic = onlyDiagnostic(runbook, 'front-matter-shape');
        assert.equal(diagnostic.severity, 'error');
        assert.equal(diagnostic.line, 1);
        assert.equal(diagnostic.endLine, body.length);
        assert.equal(runbook.frontMatter, undefined);
        assert.equal(runbook.title, 'Title');
        assert.equal(runbook.steps.length, 1);
        assert.equal(runbook.steps[0].startLine, body.length + 3);
      });
    }

    it('sorts diagnostics by line', () => {
      const text = md('---', 'timeout: bad', 'inputs:', '  1X: {}', '---', '```bash {foo}', 'ls', '```', '```bash {timeout=never}', 'ls', '```');
      const lines = parse(text).diagnostics.map((d) => d.line);
      assert.ok(lines.length >= 4);
      assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
    });
  });

  describe('hostile YAML', () => {
    /** The body after the front matter, to check that it still parses whatever the YAML did. */
    const body = ['# Still here', '', '```bash', 'echo ok', '```'];

    /** Parses (and renders) `yamlLines` as front matter: the runbook must come back, with its body. */
    function parseHostile(...yamlLines: string[]) {
      const text = md('---', ...yamlLines, '---', ...body);
      const runbook = parse(text);
      assert.doesNotThrow(() => JSON.stringify(runbook), 'the model is plain data');
      assert.equal(runbook.title, 'Still here');
      assert.equal(runbook.steps.length, 1);
      assert.equal(runbook.steps[0].startLine, yamlLines.length + 4);
      assert.match(renderRunbook(text, runbook), /echo ok/);
      return runbook;
    }

    for (const [label, lines, line, message] of [
      ['an alias with no anchor (`*draft*`)', ['owner: me', 'title: *draft*'], 2, /alias \*draft\* has no anchor &draft\* before it/],
      ['an unresolved alias', ['title: *a', 'x: &a 1'], 1, /alias \*a has no anchor/],
      ['an alias used as a key', ['*key : value'], 1, /alias \*key has no anchor/],
      ['an alias inside the value it names', ['owner: me', 'tags: &t [a, [b, *t]]'], 2, /inside the value anchored &t/],
      ['an alias inside a mapping it names', ['inputs: &i', '  A: { default: *i }'], 2, /inside the value anchored &i/],
    ] as const) {
      it(`reports ${label} on its line instead of throwing`, () => {
        const runbook = parseHostile(...lines);
        const diagnostic = onlyDiagnostic(runbook, 'yaml');
        assert.equal(diagnostic.severity, 'error');
        assert.equal(diagnostic.line, line);
        assert.match(diagnostic.message, /^Front matter YAML: /);
        assert.match(diagnostic.message, message);
        assert.equal(runbook.frontMatter, undefined);
      });
    }

    it(`refuses more than ${MAX_FRONT_MATTER_ALIASES} aliases, at the first one too many`, () => {
      const aliases = Array.from({ length: MAX_FRONT_MATTER_ALIASES + 5 }, (_, i) => `k${i}: *b`);
      const runbook = parseHostile('base: &b value', ...aliases);
      const diagnostic = onlyDiagnostic(runbook, 'front-matter-limit');
      assert.equal(diagnostic.line, MAX_FRONT_MATTER_ALIASES + 2);
      assert.match(diagnostic.message, new RegExp(`more than ${MAX_FRONT_MATTER_ALIASES} YAML aliases`));
      assert.equal(runbook.frontMatter, undefined);
    });

    it('reports aliases that expand into too many copies (an alias bomb)', () => {
      const list = (name: string, of: string) => `${name}: &${name} [${Array(10).fill(of).join(', ')}]`;
      const runbook = parseHostile(list('a', 'x'), list('b', '*a'), list('c', '*b'), list('d', '*c'));
      const diagnostic = onlyDiagnostic(runbook, 'yaml');
      assert.equal(diagnostic.line, 2, 'at the first alias');
      assert.match(diagnostic.message, /aliases expand to more than 1000 copies/);
    });

    it('still reads aliases that are fine', () => {
      const runbook = parse(md('---', 'owner: &team payments', 'description: *team', 'inputs:', '  A: &spec { default: x, description: the A }', '  B: *spec', '---', '# T'));
      assertNoDiagnostics(runbook);
      assert.equal(runbook.meta.description, 'payments');
      assert.deepEqual(runbook.inputs.map((i) => [i.name, i.default, i.description]), [['A', 'x', 'the A'], ['B', 'x', 'the A']]);
    });

    for (const [shape, nest] of [
      ['flow sequences', (n: number) => [`a: ${'['.repeat(n)}${']'.repeat(n)}`]],
      ['flow mappings', (n: number) => [`a: ${'{a: '.repeat(n)}1${'}'.repeat(n)}`]],
      ['compact block sequences', (n: number) => ['a:', `  ${'- '.repeat(n)}x`]],
      ['indented block mappings', (n: number) => ['a:', ...Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}k${i}:`), `${' '.repeat(n + 1)}x`]],
    ] as const) {
      it(`reads ${shape} nested ${MAX_FRONT_MATTER_DEPTH} deep and refuses one level more, saying where`, () => {
        // `a:` is the first level: the front matter itself is a mapping.
        const deepest = parseHostile('owner: Deep', ...nest(MAX_FRONT_MATTER_DEPTH - 1));
        assert.deepEqual(diagnosticsOf(deepest, 'front-matter-limit'), []);
        assert.equal(deepest.meta.owner, 'Deep');
        const tooDeep = parseHostile('owner: Deep', ...nest(MAX_FRONT_MATTER_DEPTH));
        const diagnostic = onlyDiagnostic(tooDeep, 'front-matter-limit');
        assert.equal(diagnostic.severity, 'error');
        assert.match(diagnostic.message, new RegExp(`more than ${MAX_FRONT_MATTER_DEPTH} levels deep`));
        assert.ok(diagnostic.line >= 2 && diagnostic.line <= MAX_FRONT_MATTER_DEPTH + 2, JSON.stringify(diagnostic));
        assert.equal(tooDeep.frontMatter, undefined);
        assert.equal(tooDeep.title, 'Still here');
      });
    }

    it('refuses deep nesting on the line and column where it goes too deep', () => {
      // 200 levels, not 2,000: before the bound, 2,000 could abort the test runner itself.
      const runbook = parseHostile(`a: ${'['.repeat(200)}${']'.repeat(200)}`);
      const diagnostic = onlyDiagnostic(runbook, 'front-matter-limit');
      assert.equal(diagnostic.line, 1);
      assert.equal(diagnostic.column, 3 + MAX_FRONT_MATTER_DEPTH - 1, 'at the bracket that goes one level too deep');
    });

    it('survives 2,000 levels of nesting parsed again and again, as an editor does (in a child process)', async function () {
      // Before the bound, this aborted the whole Node process (V8 "RegExpCompiler Allocation
      // failed") in most runs; a child process keeps the test runner alive to report it.
      this.timeout(120_000);
      const script = `
        const { parseRunbook } = require('./src/core/runbook');
        const shapes = ['a: ' + '['.repeat(2000) + ']'.repeat(2000), 'a: ' + '{a: '.repeat(1000) + '1' + '}'.repeat(1000), 'a:\\n  ' + '- '.repeat(2000) + 'x'];
        let limited = 0;
        for (let i = 0; i < 30; i++) for (const yaml of shapes) {
          const runbook = parseRunbook('---\\n' + yaml + '\\n---\\n# T\\n');
          if (runbook.diagnostics.some((d) => d.code === 'front-matter-limit')) limited++;
        }
        console.log('limited ' + limited);
      `;
      const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { cwd: path.resolve(__dirname, '../../..') }).catch((error: { code?: number; signal?: string; stderr?: string }) => {
        assert.fail(`the child process died (code ${error.code}, signal ${error.signal}): ${error.stderr?.split('\n').slice(0, 5).join('\n')}`);
      });
      assert.equal(run.stdout.trim(), 'limited 90');
    });

    it(`refuses front matter over ${MAX_FRONT_MATTER_CHARS / 1024} KiB, on the line where it passes the limit`, () => {
      const line = `description${'x'.repeat(1000)}: y`;
      const count = Math.ceil(MAX_FRONT_MATTER_CHARS / (line.length + 1)) + 10;
      const lines = Array.from({ length: count }, (_, i) => `${i}${line}`);
      const runbook = parseHostile(...lines);
      const diagnostic = onlyDiagnostic(runbook, 'front-matter-limit');
      let chars = 0;
      let expected = 1;
      for (const l of lines) {
        if (chars + l.length >= MAX_FRONT_MATTER_CHARS) break;
        chars += l.length + 1;
        expected++;
      }
      assert.equal(diagnostic.line, expected);
      assert.match(diagnostic.message, /more than the 1\.0 MiB it may be/);
      assert.equal(runbook.frontMatter, undefined);
    });

    it('finds duplicate keys at any depth, in block and flow mappings, with the YAML library\'s wording', () => {
      const runbook = parseHostile('inputs:', '  A: { default: x }', '  B: { default: y, default: z }', '  A: 1', 'flow: { k: 1, j: 2, k: 3 }', 'list:', '  - { a: 1 }', '  - a: 1', '    a: 2');
      const errors = diagnosticsOf(runbook, 'yaml');
      assert.deepEqual(errors.map((d) => [d.line, d.message]), [
        [3, 'Front matter YAML: Map keys must be unique'],
        [4, 'Front matter YAML: Map keys must be unique'],
        [5, 'Front matter YAML: Map keys must be unique'],
        [9, 'Front matter YAML: Map keys must be unique'],
      ]);
      assert.equal(runbook.frontMatter, undefined);
    });

    it('does not take keys of different types, or in different mappings, for duplicates', () => {
      const runbook = parse(md('---', '1: number', '"1": text', 'a: { k: 1 }', 'b: { k: 1 }', 'true: yes', '"true": text', '---', '# T'));
      assertNoDiagnostics(runbook);
    });

    it('reads 70,000 keys and finds a duplicate among them (the check is linear)', function () {
      // With the YAML library's own check (each key compared with every key before it) this took
      // minutes; here it takes seconds. The timeout is only a generous bound: the fuzz report times it.
      this.timeout(60_000);
      const keys = Array.from({ length: 70_000 }, (_, i) => `k${i}: ${i}`);
      const runbook = parse(['---', keys.join('\n'), 'k12345: again', '---', '# T'].join('\n'));
      const diagnostic = onlyDiagnostic(runbook, 'yaml');
      assert.equal(diagnostic.line, keys.length + 1);
      assert.equal(diagnostic.message, 'Front matter YAML: Map keys must be unique');
      const clean = parse(['---', keys.join('\n'), '---', '# T'].join('\n'));
      assertNoDiagnostics(clean);
      assert.equal(Object.keys(clean.frontMatter ?? {}).length, 70_000);
    });

    it('reports 200,000 duplicate keys one by one (more problems than a call can take arguments)', function () {
      this.timeout(120_000);
      const runbook = parse(['---', Array<string>(200_000).fill('a: 1').join('\n'), '---', '# T'].join('\n'));
      const duplicates = diagnosticsOf(runbook, 'yaml');
      assert.equal(duplicates.length, 199_999);
      assert.ok(duplicates.every((d, i) => d.line === i + 2 && d.message === 'Front matter YAML: Map keys must be unique'));
    });

    it('reports a second YAML document instead of reading part of it', () => {
      const runbook = parseHostile('title: One', '--- # two', 'title: Two');
      const diagnostic = onlyDiagnostic(runbook, 'yaml');
      assert.equal(diagnostic.line, 2);
      assert.match(diagnostic.message, /second YAML document/);
    });

    it('reads tags, complex keys and merge-like keys without throwing or warning on the console', () => {
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(warning.message);
      process.on('warning', onWarning);
      try {
        const runbook = parseHostile('? [a, b]', ': complex', '<<: 5', 'x: !!binary aGk=', 'y: !custom z', '__proto__: { polluted: true }');
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.equal(diagnosticsOf(runbook, 'yaml').every((d) => d.severity === 'warning'), true, JSON.stringify(runbook.diagnostics));
      } finally {
        process.off('warning', onWarning);
      }
      assert.deepEqual(warnings, []);
    });

    it('turns an exception from the YAML library into a diagnostic on the front matter', () => {
      // Nothing known throws any more; this breaks the library on purpose to prove the last guard.
      const toJS = yaml.Document.prototype.toJS;
      yaml.Document.prototype.toJS = () => {
        throw new TypeError('broken on purpose');
      };
      try {
        const runbook = parseHostile('title: x');
        const diagnostic = onlyDiagnostic(runbook, 'yaml');
        assert.equal(diagnostic.line, 0);
        assert.match(diagnostic.message, /could not be read \(broken on purpose\); it is ignored/);
      } finally {
        yaml.Document.prototype.toJS = toJS;
      }
    });

    it('turns an exception while reading the fields into a diagnostic on the front matter', () => {
      const toJS = yaml.Document.prototype.toJS;
      yaml.Document.prototype.toJS = () => ({
        get title(): string {
          throw new Error('a field that throws');
        },
      });
      try {
        const runbook = parseHostile('title: x');
        const diagnostic = onlyDiagnostic(runbook, 'yaml');
        assert.equal(diagnostic.line, 0);
        assert.match(diagnostic.message, /a field that throws/);
        assert.equal(runbook.frontMatter, undefined);
      } finally {
        yaml.Document.prototype.toJS = toJS;
      }
    });
  });

  describe('values the engine could not pass on', () => {
    it('reports a default with a NUL character, showing it escaped, and drops the input', () => {
      const runbook = parse(md('---', 'inputs:', '  A: { default: "a\\0b" }', '  B: ok', '---', '# T'));
      const diagnostic = onlyDiagnostic(runbook, 'invalid-input');
      assert.equal(diagnostic.line, 2);
      assert.match(diagnostic.message, /^Input A: the default "a\\0b" is invalid: the value contains a NUL character/);
      assert.ok(!diagnostic.message.includes('\0'));
      assert.deepEqual(runbook.inputs.map((i) => i.name), ['B']);
    });

    it('reports a default too long for an environment variable, without quoting all of it', () => {
      const runbook = parse(md('---', 'inputs:', `  A: { default: ${'x'.repeat(70_000)} }`, '---', '# T'));
      const diagnostic = onlyDiagnostic(runbook, 'invalid-input');
      assert.match(diagnostic.message, /the value is too long \(more than 64 KiB\)/);
      assert.ok(diagnostic.message.length < 400, diagnostic.message);
      assert.deepEqual(runbook.inputs, []);
    });

    for (const written of ['600h', '596h32m', '2147484', '1e12']) {
      it(`reports timeout: ${written} as longer than a timer can wait`, () => {
        const runbook = parse(md('---', 'title: T', `timeout: ${written}`, '---', ''));
        const diagnostic = onlyDiagnostic(runbook, 'bad-timeout');
        assert.equal(diagnostic.line, 2);
        assert.match(diagnostic.message, /longer than the longest timeout, 596h 31m/);
        assert.equal(runbook.meta.timeoutMs, undefined);
      });
    }

    it('reads timeout: 596h, just under the limit', () => {
      const runbook = parse(md('---', 'timeout: 596h', '---', ''));
      assertNoDiagnostics(runbook);
      assert.equal(runbook.meta.timeoutMs, 596 * 3_600_000);
    });
  });
});
