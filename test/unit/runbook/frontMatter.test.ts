import { strict as assert } from 'node:assert';
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
});
