// The runbook snippets: each one, expanded with its defaults, makes what it says in the runbook
// format, and package.json contributes the files. VS Code picks snippets by the language at the
// cursor, and Markdown's grammar makes the front matter embedded YAML: so the step, output and
// manual-step snippets are contributed for markdown, the input snippet (front matter) for yaml.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseRunbook } from '../../../src/core/runbook';
import { assertNoDiagnostics } from '../runbook/helpers';

const ROOT = resolve(__dirname, '../../..');
const FILES = { markdown: 'snippets/runbook.code-snippets', yaml: 'snippets/runbook-front-matter.code-snippets' } as const;

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
  scope?: string;
}

/** `.code-snippets` files may hold comments; these hold none, so plain JSON must do. */
function loadSnippets(path: string): Record<string, Snippet> {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, Snippet>;
}

/**
 * What inserting the snippet and accepting every default gives: `${1:default}` → default (nested
 * ones too), `${2|a,b|}` → a, `$1`/`${1}`/`$0` → empty, `\$` → `$`, `\}` → `}`, `\\` → `\`.
 */
function expandSnippet(body: string | string[]): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  let i = 0;
  const parse = (stopAtBrace: boolean): string => {
    let result = '';
    while (i < text.length) {
      const ch = text[i];
      if (ch === '\\' && i + 1 < text.length && '$}\\,|'.includes(text[i + 1])) {
        result += text[i + 1];
        i += 2;
      } else if (stopAtBrace && ch === '}') {
        return result;
      } else if (ch === '$' && /[0-9]/.test(text[i + 1] ?? '')) {
        i++;
        while (/[0-9]/.test(text[i] ?? '')) i++;
      } else if (ch === '$' && text[i + 1] === '{') {
        i += 2;
        const index = /^[0-9]+/.exec(text.slice(i));
        assert.ok(index, `only tabstops and placeholders are expected in snippets, at ${text.slice(i - 2, i + 20)}`);
        i += index[0].length;
        if (text[i] === '}') {
          i++;
        } else if (text[i] === ':') {
          i++;
          result += parse(true);
          assert.equal(text[i], '}', 'placeholder closed');
          i++;
        } else if (text[i] === '|') {
          const end = text.indexOf('|}', i + 1);
          assert.ok(end > i, 'choice closed');
          result += text.slice(i + 1, end).split(',')[0];
          i = end + 2;
        } else {
          assert.fail(`unexpected ${text[i]} in ${text}`);
        }
      } else {
        result += ch;
        i++;
      }
    }
    return result;
  };
  return parse(false);
}

describe('runbook snippets', () => {
  const markdown = loadSnippets(FILES.markdown);
  const yaml = loadSnippets(FILES.yaml);
  const snippets = { ...markdown, ...yaml };
  const named = (name: string): Snippet => {
    const snippet = snippets[name];
    assert.ok(snippet, `no snippet "${name}" in ${Object.keys(snippets).join(', ')}`);
    return snippet;
  };
  const prefixes = (snippet: Snippet) => (Array.isArray(snippet.prefix) ? snippet.prefix : [snippet.prefix]);

  it('expands placeholders, choices, tabstops and escapes as VS Code does with the defaults', () => {
    assert.equal(expandSnippet('a ${1:one} ${2|x,y|} $3 ${4} ${5:outer ${6:inner}} \\$HOME \\} $0'), 'a one x   outer inner $HOME } ');
  });

  it('every snippet has a prefix, a body and a description that says it is for runbooks', () => {
    assert.deepEqual(Object.keys(markdown).sort(), ['Runbook expected output', 'Runbook manual step', 'Runbook step']);
    assert.deepEqual(Object.keys(yaml), ['Runbook input']);
    for (const [name, snippet] of Object.entries(snippets)) {
      assert.ok(prefixes(snippet).length > 0 && prefixes(snippet).every((p) => typeof p === 'string' && p.trim() !== ''), `${name}: prefix`);
      assert.ok(Array.isArray(snippet.body) ? snippet.body.length > 0 : snippet.body !== '', `${name}: body`);
      assert.match(snippet.description, /^Runbook /, `${name}: description`);
      assert.ok(snippet.description.length > 30, `${name}: a description that explains`);
      assert.equal(snippet.scope, undefined, `${name}: the language comes from the contribution`);
    }
  });

  it('the step snippet followed by the output snippet makes one named step with its expected output', () => {
    const step = named('Runbook step');
    const output = named('Runbook expected output');
    assert.ok(prefixes(step).includes('step') && prefixes(step).includes('runbook-step'));
    assert.ok(prefixes(output).includes('output'));
    const text = ['## Section', '', expandSnippet(step.body), expandSnippet(output.body)].join('\n');
    const runbook = parseRunbook(text);
    assertNoDiagnostics(runbook);
    assert.equal(runbook.steps.length, 1);
    const [parsed] = runbook.steps;
    assert.equal(parsed.id, 'step-name');
    assert.equal(parsed.language, 'bash');
    assert.equal(parsed.code, 'echo "hello"');
    assert.deepEqual(
      parsed.expected && { text: parsed.expected.text, match: parsed.expected.match },
      { text: 'hello', match: 'contains' },
    );
  });

  it('the output snippet offers every match mode, each of which parses', () => {
    const body = (named('Runbook expected output').body as string[]).join('\n');
    const choice = /\$\{2\|([^|]+)\|\}/.exec(body);
    assert.ok(choice, body);
    assert.deepEqual(choice[1].split(','), ['contains', 'exact', 'regex']);
    for (const mode of ['contains', 'exact', 'regex']) {
      const text = ['```bash {name=a}', 'echo hello', '```', expandSnippet(body.replace(choice[0], mode))].join('\n');
      const runbook = parseRunbook(text);
      assertNoDiagnostics(runbook);
      assert.equal(runbook.steps[0].expected?.match, mode);
    }
  });

  it('the input snippet, under inputs: in the front matter, declares an input with a description and a default', () => {
    const input = named('Runbook input');
    assert.ok(prefixes(input).every((p) => p.startsWith('runbook-')), 'only runbook- prefixes: the snippet is offered in every YAML file');
    // Typed on the indented line VS Code opens after `inputs:`.
    const text = ['---', 'title: Inputs', 'inputs:', `  ${expandSnippet(input.body)}`, '---', '', '```bash {name=use}', 'echo "$NAME"', '```'].join('\n');
    const runbook = parseRunbook(text);
    assertNoDiagnostics(runbook);
    assert.equal(runbook.inputs.length, 1);
    assert.deepEqual(
      { name: runbook.inputs[0].name, description: runbook.inputs[0].description, default: runbook.inputs[0].default },
      { name: 'NAME', description: 'What the value is for', default: 'value' },
    );
  });

  it('the input snippet is one line that adds to an existing inputs: mapping', () => {
    const body = expandSnippet(named('Runbook input').body);
    assert.ok(!body.includes('\n') && !body.startsWith(' '), body);
    const text = ['---', 'inputs:', '  FIRST: { default: one }', `  ${body}`, '---', '', '```bash {name=use}', 'echo "$FIRST $NAME"', '```'].join('\n');
    const runbook = parseRunbook(text);
    assertNoDiagnostics(runbook);
    assert.deepEqual(
      runbook.inputs.map((i) => i.name),
      ['FIRST', 'NAME'],
    );
  });

  it('the manual step snippet makes one manual step', () => {
    const runbook = parseRunbook(['## Section', '', expandSnippet(named('Runbook manual step').body)].join('\n'));
    assertNoDiagnostics(runbook);
    assert.equal(runbook.manualSteps.length, 1);
    assert.equal(runbook.steps.length, 0);
  });

  it('package.json contributes the files for markdown and yaml, and the package ships them', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { snippets?: Array<{ language: string; path: string }> } };
    assert.deepEqual(manifest.contributes.snippets, [
      { language: 'markdown', path: `./${FILES.markdown}` },
      { language: 'yaml', path: `./${FILES.yaml}` },
    ]);
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!snippets/*.code-snippets'), '.vscodeignore lets the snippets into the package');
  });
});
