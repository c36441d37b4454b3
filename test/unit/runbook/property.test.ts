import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseRunbook, type LineRange, type Section } from '../../../src/core/runbook';
import { textLines } from './helpers';

// Property tests: whatever the text, parseRunbook returns a model whose line ranges lie inside the
// document and agree with its lines. Inputs are random strings and Markdown built from runbook-like
// fragments, then mutated.

const NUM_RUNS = 300;

const LANGUAGES = ['bash', 'sh', 'shell', 'console', 'zsh', 'python', 'py', 'node', 'js', 'pwsh', 'yaml', 'json', 'output', 'expected', 'BASH', '', 'promql', 'text'];
const ATTRIBUTES = [
  '',
  '{name=a}',
  '{name=a}',
  '{name=a-2}',
  '{name=b confirm}',
  '{confirm timeout=2m cwd=./k8s}',
  '{timeout=soon}',
  '{skip excludeFromRunAll=true errexit=false interactive}',
  '{unknown=1}',
  '{match=regex}',
  '{match=exact}',
  '{match=nope}',
  '{"name": "j", "timeout": 90}',
  '{"name": }',
  '{name=x',
  '{name="bad name"}',
  '{confirm=maybe}',
  'title="x"',
];
const CODE_LINES = ['kubectl get pods', '$ ls -la', 'file.txt', '$ echo a \\', '  b', '$ cat <<EOF', 'body', 'EOF', '```', '~~~', '    ```', '> ```', '', '  ', 'print("x")', '(', '^ok$', '$ base64 <<< "x"'];
const PROSE = ['Restart the API.', 'Check the pods: then wait!', 'Some *emphasis* and `code`.', '[link](http://x)', '<div>', '</div>', 'A | B', '--- | ---', '***', '', 'e.g. this'];
const YAML_LINES = [
  'title: Restart',
  'title: [a, b]',
  'owner: team',
  'tags: [a, b]',
  'tags: a, b',
  'shell: zsh',
  'timeout: 10m',
  'timeout: soon',
  'environment: production',
  'key: value: other',
  '\tbad: tab',
  'title: dup',
  'inputs:',
  '  NAMESPACE: { default: payments, pattern: "^[a-z]+$" }',
  '  BAD: { pattern: "(" }',
  '  N: { type: number, default: 30, min: 1, max: 20 }',
  '  1X: {}',
  '  - A',
  '- list item',
  'just text',
  '"unclosed',
];

const pick = <T>(items: readonly T[]) => fc.constantFrom(...items);

const containerPrefix = fc.constantFrom('', '', '', '> ', '- ', '1. ', '  ', '   ', '> > ', '- > ', '    ');

const fence = fc
  .record({
    marker: fc.constantFrom('```', '~~~', '````'),
    prefix: containerPrefix,
    language: pick(LANGUAGES),
    attributes: pick(ATTRIBUTES),
    space: fc.constantFrom(' ', '', '  '),
    body: fc.array(pick(CODE_LINES), { maxLength: 5 }),
    closed: fc.boolean(),
    closer: fc.constantFrom('same', 'same', 'same', 'other', 'longer'),
  })
  .map(({ marker, prefix, language, attributes, space, body, closed, closer }) => {
    const continuation = prefix.replace(/[-\d.]/g, ' ');
    const close = closer === 'same' ? marker : closer === 'longer' ? `${marker}${marker[0]}` : marker[0] === '`' ? '~~~' : '```';
    const lines = [`${prefix}${marker}${language}${space}${attributes}`, ...body.map((l) => `${continuation}${l}`)];
    if (closed) lines.push(`${continuation}${close}`);
    return lines.join('\n');
  });

const heading = fc
  .record({ level: fc.integer({ min: 1, max: 7 }), title: fc.constantFrom('Restart', 'Verify', 'Restart', 'Café & Co', '', '`code` title') })
  .map(({ level, title }) => `${'#'.repeat(level)} ${title}`);

const setext = fc.constantFrom('Title\n=====', 'Sub\n---');

const taskItem = fc
  .record({ bullet: fc.constantFrom('- ', '* ', '1. ', '  - ', '> - ', '-'), box: fc.constantFrom('[ ] ', '[x] ', '[X] ', '[]', '[ ]'), text: fc.constantFrom('Page the on-call', 'Wait', '', 'Tell **everyone**') })
  .map(({ bullet, box, text }) => `${bullet}${box}${text}`);

const prose = fc.array(pick(PROSE), { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));

const frontMatter = fc
  .record({ lines: fc.array(pick(YAML_LINES), { maxLength: 6 }), close: fc.constantFrom('---', '---', '...', '', '--- ') })
  .map(({ lines, close }) => ['---', ...lines, close].join('\n'));

const fragment = fc.oneof(
  { arbitrary: fence, weight: 5 },
  { arbitrary: heading, weight: 2 },
  { arbitrary: setext, weight: 1 },
  { arbitrary: taskItem, weight: 2 },
  { arbitrary: prose, weight: 3 },
  { arbitrary: fc.constant(''), weight: 2 },
);

const markdown = fc
  .record({
    bom: fc.boolean(),
    frontMatter: fc.option(frontMatter, { nil: undefined }),
    fragments: fc.array(fragment, { maxLength: 12 }),
    separator: fc.constantFrom('\n', '\n\n', '\n'),
    lineEnding: fc.constantFrom('\n', '\n', '\r\n', '\r'),
    trailingNewline: fc.boolean(),
  })
  .map(({ bom, frontMatter: fm, fragments, separator, lineEnding, trailingNewline }) => {
    let text = [...(fm === undefined ? [] : [fm]), ...fragments].join(separator);
    if (trailingNewline) text += '\n';
    if (lineEnding !== '\n') text = text.replace(/\n/g, lineEnding);
    return bom ? `\uFEFF${text}` : text;
  });

type Mutation = { kind: 'delete'; at: number; length: number } | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom('\n', '\r', '\r\n', '```', '~~~', '> ', '- ', '- [ ] ', '---\n', '{', '}', '$ ', '\\', '\t', '    ', '#', '\uFEFF', '\0', '\u2028'),
      fc.string({ maxLength: 4 }),
    ),
  }),
);

function mutate(text: string, mutations: Mutation[]): string {
  let result = text;
  for (const m of mutations) {
    const at = result.length === 0 ? 0 : m.at % (result.length + 1);
    result = m.kind === 'delete' ? result.slice(0, at) + result.slice(at + m.length) : result.slice(0, at) + m.text + result.slice(at);
  }
  return result;
}

const mutatedMarkdown = fc.tuple(markdown, fc.array(mutation, { maxLength: 6 })).map(([text, mutations]) => mutate(text, mutations));

/** A fence line: container markers (indent, `>`, list markers) then ``` or ~~~. */
const OPENING_FENCE = /^(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*(`{3,}|~{3,})/;
const CLOSING_FENCE = /^(?:[ \t>])*(`{3,}|~{3,})[ \t]*$/;

/** Titles from the outermost section down to `index`, following `parent` links. */
function pathOf(sections: Section[], index: number): string[] {
  assert.ok(index >= -1 && index < sections.length, `section index ${index}`);
  const path: string[] = [];
  for (let i = index; i >= 0; i = sections[i].parent) path.unshift(sections[i].title);
  return path;
}

function checkModel(text: string): void {
  const runbook = parseRunbook(text, { path: 'prop.runbook.md' });
  const lines = textLines(text);
  const expectedLineCount = text === '' || text === '\uFEFF' ? 0 : lines.length;
  assert.equal(runbook.lineCount, expectedLineCount, 'lineCount counts the document lines');
  const limit = Math.max(1, runbook.lineCount);
  const inRange = (what: string, range: LineRange) => {
    assert.ok(
      Number.isInteger(range.startLine) && Number.isInteger(range.endLine) && range.startLine >= 0 && range.startLine <= range.endLine && range.endLine < limit,
      `${what} ${JSON.stringify(range)} outside 0..${limit - 1}`,
    );
  };

  assert.equal(typeof runbook.title, 'string');
  assert.ok(runbook.title.length > 0);
  const unclosed = new Set(runbook.diagnostics.filter((d) => d.code === 'unclosed-fence').map((d) => d.line));
  for (const step of runbook.steps) {
    inRange(`step ${step.id}`, step);
    assert.equal(step.codeStartLine, step.startLine + 1);
    assert.match(lines[step.startLine], OPENING_FENCE, `step ${step.id} starts on a fence line`);
    if (!unclosed.has(step.startLine)) {
      assert.ok(step.endLine > step.startLine);
      assert.match(lines[step.endLine], CLOSING_FENCE, `closed step ${step.id} ends on a closing fence line`);
    }
    if (step.expected) {
      inRange(`expected output of ${step.id}`, step.expected);
      assert.ok(step.expected.startLine > step.endLine);
      assert.match(lines[step.expected.startLine], OPENING_FENCE);
    }
    assert.deepEqual(step.sectionPath, pathOf(runbook.sections, step.sectionIndex));
    assert.ok(!step.code.includes('\r'));
  }
  for (const manual of runbook.manualSteps) {
    inRange(`manual step ${manual.id}`, manual);
    assert.deepEqual(manual.sectionPath, pathOf(runbook.sections, manual.sectionIndex));
    assert.match(lines[manual.startLine], /\[[ xX]\]/);
  }
  for (const section of runbook.sections) {
    inRange(`section ${section.slug}`, { startLine: section.line, endLine: section.line });
    assert.ok(section.parent >= -1 && section.parent < runbook.sections.indexOf(section));
  }
  for (const diagnostic of runbook.diagnostics) {
    inRange(`diagnostic ${diagnostic.code}`, { startLine: diagnostic.line, endLine: diagnostic.endLine });
    assert.ok(diagnostic.message.length > 0);
  }
  if (runbook.frontMatterRange) inRange('front matter', runbook.frontMatterRange);

  const ids = runbook.items.map((i) => i.id);
  assert.equal(new Set(ids).size, ids.length, `ids are unique: ${ids.join(', ')}`);
  assert.equal(runbook.items.length, runbook.steps.length + runbook.manualSteps.length);
  for (let i = 1; i < runbook.items.length; i++) assert.ok(runbook.items[i - 1].startLine <= runbook.items[i].startLine, 'items are in document order');
  const slugs = runbook.sections.map((s) => s.slug);
  assert.equal(new Set(slugs).size, slugs.length, 'section slugs are unique');
}

describe('runbook parser properties', () => {
  it('handles arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), checkModel), { numRuns: NUM_RUNS });
  });

  it('handles strings made of Markdown punctuation', () => {
    const unit = fc.constantFrom('`', '~', '-', '>', '#', '[', ']', 'x', ' ', '\n', '\r', '{', '}', '=', '$', '\\', '*', '1', '.', 'a', '\t', '"');
    fc.assert(fc.property(fc.string({ unit, maxLength: 300 }), checkModel), { numRuns: NUM_RUNS });
  });

  it('handles runbook-like Markdown', () => {
    fc.assert(fc.property(markdown, checkModel), { numRuns: NUM_RUNS });
  });

  it('handles mutated runbook-like Markdown', () => {
    fc.assert(fc.property(mutatedMarkdown, checkModel), { numRuns: NUM_RUNS });
  });

  it('parses CRLF text like LF text', () => {
    fc.assert(
      fc.property(markdown, (text) => {
        const lf = text.replace(/\r\n?/g, '\n');
        assert.deepEqual(parseRunbook(lf.replace(/\n/g, '\r\n')), parseRunbook(lf));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('finds runnable fences in generated Markdown', () => {
    // Guards the generators: a property that never sees a step proves little.
    let steps = 0;
    let manual = 0;
    let transcripts = 0;
    fc.assert(
      fc.property(markdown, (text) => {
        const runbook = parseRunbook(text);
        steps += runbook.steps.length;
        manual += runbook.manualSteps.length;
        transcripts += runbook.steps.filter((s) => s.transcript).length;
      }),
      { numRuns: 200, seed: 42 },
    );
    assert.ok(steps > 100, `steps: ${steps}`);
    assert.ok(manual > 20, `manual steps: ${manual}`);
    assert.ok(transcripts > 10, `transcripts: ${transcripts}`);
  });
});
