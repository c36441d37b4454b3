// Generators of runbook text shared by the property tests, the scaling tests and `npm run fuzz`:
// Markdown built from runbook-like fragments (fences with attributes, headings, task items, front
// matter, including YAML and shell that once threw, hung or crashed), then mutated; and the
// pathological shapes whose cost must grow linearly with their size.

import fc from 'fast-check';

export const LANGUAGES = ['bash', 'sh', 'shell', 'console', 'zsh', 'python', 'py', 'node', 'js', 'pwsh', 'yaml', 'json', 'output', 'expected', 'BASH', '', 'promql', 'text'];
export const ATTRIBUTES = [
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
export const CODE_LINES = [
  'kubectl get pods', '$ ls -la', 'file.txt', '$ echo a \\', '  b', '$ cat <<EOF', 'body', 'EOF', '```', '~~~', '    ```', '> ```', '', '  ', 'print("x")', '(', '^ok$', '$ base64 <<< "x"',
  // Shell that analysis must survive: unclosed and nested expansions, arithmetic, placeholders, reads.
  'echo ${', 'echo ${a:-${b:-${c:-x}}}', 'echo "${A:-', 'n=$(( <n> + 1 ))', '[[ $V -eq 1 ]]', 'kubectl -n <namespace> get pod "<pod>-x"',
  'echo "$( cat <file> )"', 'while IFS= read -r line; do echo "$line"; done', 'read -s -r pw', "echo '<not-a-placeholder>' # <nor-this>",
  'cat <<\'EOF\'', 'export TOKEN=$1', 'cd /tmp && unset PATH', '$(', '`', '"', "'", '\\',
];
export const PROSE = ['Restart the API.', 'Check the pods: then wait!', 'Some *emphasis* and `code`.', '[link](http://x)', '<div>', '</div>', 'A | B', '--- | ---', '***', '', 'e.g. this'];
export const YAML_LINES = [
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
  // YAML that once threw or crashed: aliases with no anchor, circular and repeated aliases, tags,
  // complex keys, deep nesting, a second document; and values the parser must refuse.
  'title: *draft*',
  'owner: &who team',
  'description: *who',
  'tags: &t [a, *t]',
  '*who : key',
  '? [a, b]',
  ': orphan',
  '<<: *who',
  'runbook: !!binary aGk=',
  'shell: !custom zsh',
  'cwd: [[[[[[',
  `deep: ${'['.repeat(70)}${']'.repeat(70)}`,
  'timeout: 600h',
  'timeout: 1e12',
  '--- # a second document',
  '%YAML 1.2',
  '  PATH: { default: /tmp/bin }',
  '  BASH_ENV: ./hook.sh',
  '  NUL: { default: "a\\0b" }',
  '  TOKEN: { secret: true, default: ab }',
  '  __proto__: { default: x }',
];

const pick = <T>(items: readonly T[]) => fc.constantFrom(...items);

const containerPrefix = fc.constantFrom('', '', '', '> ', '- ', '1. ', '  ', '   ', '> > ', '- > ', '    ');

export const fence = fc
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

export const heading = fc
  .record({ level: fc.integer({ min: 1, max: 7 }), title: fc.constantFrom('Restart', 'Verify', 'Restart', 'Café & Co', '', '`code` title') })
  .map(({ level, title }) => `${'#'.repeat(level)} ${title}`);

export const setext = fc.constantFrom('Title\n=====', 'Sub\n---');

export const taskItem = fc
  .record({ bullet: fc.constantFrom('- ', '* ', '1. ', '  - ', '> - ', '-'), box: fc.constantFrom('[ ] ', '[x] ', '[X] ', '[]', '[ ]'), text: fc.constantFrom('Page the on-call', 'Wait', '', 'Tell **everyone**') })
  .map(({ bullet, box, text }) => `${bullet}${box}${text}`);

export const prose = fc.array(pick(PROSE), { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));

export const frontMatter = fc
  .record({ lines: fc.array(pick(YAML_LINES), { maxLength: 6 }), close: fc.constantFrom('---', '---', '...', '', '--- ') })
  .map(({ lines, close }) => ['---', ...lines, close].join('\n'));

export const fragment = fc.oneof(
  { arbitrary: fence, weight: 5 },
  { arbitrary: heading, weight: 2 },
  { arbitrary: setext, weight: 1 },
  { arbitrary: taskItem, weight: 2 },
  { arbitrary: prose, weight: 3 },
  { arbitrary: fc.constant(''), weight: 2 },
);

export const markdown = fc
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

export function mutate(text: string, mutations: Mutation[]): string {
  let result = text;
  for (const m of mutations) {
    const at = result.length === 0 ? 0 : m.at % (result.length + 1);
    result = m.kind === 'delete' ? result.slice(0, at) + result.slice(at + m.length) : result.slice(0, at) + m.text + result.slice(at);
  }
  return result;
}

/** Front matter made of YAML punctuation, anchors, aliases and tags in any order. */
export const yamlSoup = fc
  .array(fc.constantFrom('[', ']', '{', '}', ': ', ':', ' ', '\n', '\n  ', '- ', '? ', '*a', '&a ', '*b', '&b ', '!!str ', '!!map ', '!x ', '|\n', '>-\n', '"', "'", '# c', ', ', 'x', 'inputs', 'title', 'TOKEN', '<<', '%', '\t', '\\', '\0', '---', '...'), { maxLength: 60 })
  .map((parts) => `---\n${parts.join('')}\n---\n# After\n\n\`\`\`bash\necho ok\n\`\`\`\n`);

export const mutatedMarkdown = fc.tuple(markdown, fc.array(mutation, { maxLength: 6 })).map(([text, mutations]) => mutate(text, mutations));


/** Pathological shapes: each makes a runbook of a given size, and the cost of it must grow linearly. */
export interface ScalingShape {
  id: string;
  /** What `size` counts, for the report. */
  unit: string;
  /** Where the cost would be, to say who fixes a ratio over budget. */
  area: 'front matter' | 'markdown' | 'shell analysis';
  /** Doubling sizes, smallest first. */
  sizes: readonly number[];
  text(size: number): string;
}

const doubling = (largest: number, count = 4): number[] => Array.from({ length: count }, (_, i) => largest / 2 ** (count - 1 - i));
const repeat = (count: number, make: (i: number) => string, separator = '\n') => Array.from({ length: count }, (_, i) => make(i)).join(separator);
const withFrontMatter = (yaml: string) => `---\n${yaml}\n---\n# Shape\n\n\`\`\`bash\necho ok\n\`\`\`\n`;
const bashStep = (code: string) => `# Shape\n\n\`\`\`bash\n${code}\n\`\`\`\n`;

export const SCALING_SHAPES: readonly ScalingShape[] = [
  // The YAML library's duplicate-key check compared each key with all before it: 3.5 s at 20,000.
  { id: 'front-matter-keys', unit: 'keys', area: 'front matter', sizes: doubling(20_000), text: (n) => withFrontMatter(repeat(n, (i) => `k${i}: ${i}`)) },
  { id: 'front-matter-duplicate-keys', unit: 'keys', area: 'front matter', sizes: doubling(16_000), text: (n) => withFrontMatter(repeat(n, () => 'owner: again')) },
  { id: 'front-matter-errors', unit: 'bad lines', area: 'front matter', sizes: doubling(16_000), text: (n) => withFrontMatter(repeat(n, (i) => `\tbad${i}: tab`)) },
  { id: 'front-matter-inputs', unit: 'inputs', area: 'front matter', sizes: doubling(8_000), text: (n) => withFrontMatter(`inputs:\n${repeat(n, (i) => `  IN_${i}: { description: Input ${i}, default: v${i}, pattern: "^v[0-9]+$" }`)}`) },
  // 2,000 nested `[` in 4 KB once aborted the process; now refused at 64 levels, before composing.
  { id: 'front-matter-deep-flow', unit: 'levels', area: 'front matter', sizes: doubling(2_000), text: (n) => withFrontMatter(`a: ${'['.repeat(n)}${']'.repeat(n)}`) },
  { id: 'front-matter-deep-block', unit: 'levels', area: 'front matter', sizes: doubling(2_000), text: (n) => withFrontMatter(`a:\n  ${'- '.repeat(n)}x`) },
  { id: 'front-matter-aliases', unit: 'aliases', area: 'front matter', sizes: doubling(800), text: (n) => withFrontMatter(`base: &b value\nlist: [${repeat(n, () => '*b', ', ')}]`) },
  { id: 'front-matter-too-large', unit: 'KiB', area: 'front matter', sizes: doubling(16_384), text: (n) => withFrontMatter(`description: >\n${repeat(n, () => `  ${'x'.repeat(1021)}`)}`) },
  { id: 'steps', unit: 'steps', area: 'markdown', sizes: doubling(8_000), text: (n) => repeat(n, (i) => `Step ${i}.\n\n\`\`\`bash\necho ${i}\n\`\`\``, '\n\n') },
  { id: 'same-name-steps', unit: 'steps', area: 'markdown', sizes: doubling(8_000), text: (n) => repeat(n, (i) => `\`\`\`bash {name=restart}\necho ${i}\n\`\`\``, '\n\n') },
  { id: 'same-heading', unit: 'headings', area: 'markdown', sizes: doubling(8_000), text: (n) => repeat(n, () => '## Restart\n\n```bash\necho same\n```', '\n\n') },
  { id: 'task-items', unit: 'items', area: 'markdown', sizes: doubling(16_000), text: (n) => `# Tasks\n\n${repeat(n, (i) => `- [ ] Task ${i}`)}\n` },
  { id: 'attributes', unit: 'attributes', area: 'markdown', sizes: doubling(8_000), text: (n) => `\`\`\`bash {${repeat(n, (i) => `k${i}=v${i}`, ' ')}}\necho\n\`\`\`\n` },
  { id: 'long-line', unit: 'KiB', area: 'markdown', sizes: doubling(1_024), text: (n) => `${'word '.repeat(n * 205)}\n\n\`\`\`bash\necho\n\`\`\`\n` },
  { id: 'nested-quotes', unit: 'levels', area: 'markdown', sizes: doubling(8_000), text: (n) => `${'> '.repeat(n)}\`\`\`bash\n${'> '.repeat(n)}echo\n${'> '.repeat(n)}\`\`\`\n` },
  { id: 'transcript', unit: 'commands', area: 'shell analysis', sizes: doubling(32_000), text: (n) => `\`\`\`console\n${repeat(n, (i) => `$ echo ${i}\n${i}`)}\n\`\`\`\n` },
  { id: 'placeholders', unit: 'placeholders', area: 'shell analysis', sizes: doubling(8_000), text: (n) => bashStep(repeat(n, (i) => `kubectl get pod <pod-${i}> -n "<ns-${i}>"`)) },
  // Known in shell analysis (issue 12): an indexOf per `${` when none closes, and recursion per level.
  { id: 'unclosed-expansion', unit: 'KiB', area: 'shell analysis', sizes: doubling(800), text: (n) => bashStep(`echo ${'x${'.repeat(Math.round((n * 1024) / 3))}`) },
  { id: 'nested-default', unit: 'levels', area: 'shell analysis', sizes: doubling(8_000), text: (n) => bashStep(`echo ${'${a:-'.repeat(n)}x${'}'.repeat(n)}`) },
];
