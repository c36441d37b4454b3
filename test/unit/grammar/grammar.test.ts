// The Markdown injection grammars (syntaxes/*.json): each contributed file is valid, they agree with the
// parser on which languages are runnable and which attribute keys are known, and every fixture in
// test/grammar/ passes vscode-tmgrammar-test (run through test/grammar/run-grammar-tests.mjs, the
// same runner as `npm run test:grammar`).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EXPECTED_ATTRIBUTE_KEYS, STEP_ATTRIBUTE_KEYS } from '../../../src/core/runbook/attributes';
import { DEFAULT_LANGUAGES } from '../../../src/core/runbook/languages';
import type { LanguageFamily } from '../../../src/core/runbook/types';

const ROOT = resolve(__dirname, '../../..');
const RUNNER = join(ROOT, 'test/grammar/run-grammar-tests.mjs');
const FIXTURES = join(ROOT, 'test/grammar');
const FENCES = 'markdown.runbook.fences.injection';

/** The embedded-language scope of each family's step code, as VS Code's Markdown grammar names it. */
const EMBEDDED: Record<LanguageFamily, string> = {
  shell: 'meta.embedded.block.shellscript',
  python: 'meta.embedded.block.python',
  node: 'meta.embedded.block.javascript',
  powershell: 'meta.embedded.block.powershell',
};

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

interface Rule {
  begin?: string;
  match?: string;
  name?: string;
  include?: string;
  patterns?: Rule[];
}

interface Grammar {
  scopeName: string;
  injectionSelector?: string;
  patterns: Rule[];
  repository?: Record<string, Rule>;
}

function contributions(): GrammarContribution[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return pkg.contributes?.grammars ?? [];
}

/** Reads a contributed grammar, failing with a readable message when it is missing or not JSON. */
function readGrammar(contribution: GrammarContribution): Grammar {
  const path = join(ROOT, contribution.path);
  assert.ok(existsSync(path), `${contribution.path} (contributed as ${contribution.scopeName}) does not exist`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Grammar;
  } catch (error) {
    assert.fail(`${contribution.path} is not valid JSON: ${(error as Error).message}`);
  }
}

function fencesGrammar(): Grammar {
  const contribution = contributions().find((c) => c.scopeName === FENCES);
  assert.ok(contribution, `package.json contributes no grammar ${FENCES}`);
  return readGrammar(contribution);
}

/** Every `#name` include in a rule tree. */
function localIncludes(rule: unknown, found: string[] = []): string[] {
  if (Array.isArray(rule)) rule.forEach((r) => localIncludes(r, found));
  else if (rule && typeof rule === 'object') {
    for (const [key, value] of Object.entries(rule)) {
      if (key === 'include' && typeof value === 'string' && value.startsWith('#')) found.push(value.slice(1));
      else localIncludes(value, found);
    }
  }
  return found;
}

/** The words of the one `(?i:(a|b|c))` / `(?:a|b|c)` alternation in a pattern. */
function alternation(pattern: string | undefined, shape: RegExp): string[] {
  const match = pattern === undefined ? null : shape.exec(pattern);
  assert.ok(match, `no alternation like ${shape} in ${pattern}`);
  return match[1].split('|');
}

const sorted = (words: readonly string[]) => [...words].sort();

/** Runs the grammar test tool on fixture files; its whole output is the failure message. */
function runGrammarTests(...files: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [RUNNER, ...files], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}` };
}

function assertFixturePasses(file: string): void {
  const { status, output } = runGrammarTests(file);
  assert.equal(status, 0, `vscode-tmgrammar-test failed on ${file}:\n${output}`);
}

describe('Markdown grammar injections', function () {
  this.timeout(60_000);

  describe('grammar files', () => {
    it('package.json contributes every syntaxes/*.json, injected into Markdown', () => {
      const contributed = contributions().map((c) => c.path.replace(/^\.\//, ''));
      const files = readdirSync(join(ROOT, 'syntaxes')).filter((f) => f.endsWith('.json')).map((f) => `syntaxes/${f}`);
      assert.ok(files.length >= 2, 'expected the fence and reference grammars in syntaxes/');
      assert.deepEqual(sorted(contributed), sorted(files));
      for (const contribution of contributions()) {
        assert.deepEqual(contribution.injectTo, ['text.html.markdown'], `${contribution.path} must be injected into text.html.markdown`);
      }
    });

    for (const contribution of contributions()) {
      it(`${contribution.path} exists, is valid JSON and a well-formed injection grammar`, () => {
        const grammar = readGrammar(contribution);
        assert.equal(grammar.scopeName, contribution.scopeName, 'scopeName differs from package.json');
        assert.match(grammar.injectionSelector ?? '', /^L:/, 'an injection grammar needs an L: injectionSelector to win over Markdown');
        assert.ok(Array.isArray(grammar.patterns) && grammar.patterns.length > 0, 'no patterns');
        for (const name of localIncludes(grammar)) {
          assert.ok(grammar.repository?.[name], `include #${name} has no repository entry`);
        }
      });
    }
  });

  describe('agreement with the parser', () => {
    it('marks exactly the runnable languages of DEFAULT_LANGUAGES, each with its family', () => {
      const repository = fencesGrammar().repository ?? {};
      const grammarFamilies: Record<string, string> = {};
      for (const [key, rule] of Object.entries(repository)) {
        const family = /^runnable-fence-(.+)$/.exec(key)?.[1];
        if (family === undefined) continue;
        for (const language of alternation(rule.begin, /\(\?i:\(([^()]+)\)\)/)) grammarFamilies[language] = family;
      }
      assert.deepEqual(sorted(Object.keys(grammarFamilies)), sorted(Object.keys(DEFAULT_LANGUAGES)));
      for (const [language, info] of Object.entries(DEFAULT_LANGUAGES)) {
        assert.equal(grammarFamilies[language], info.family, `${language} is in the grammar's ${grammarFamilies[language]} rule`);
      }
    });

    it('gives the known-key flavour to exactly the known attribute keys', () => {
      const repository = fencesGrammar().repository ?? {};
      const knownKeys = (entry: string) => {
        const [json, html] = repository[entry]?.patterns ?? [];
        const fromJson = alternation(json?.patterns?.[0]?.match, /^\(\\?"\)\(([^()]+)\)/);
        const fromHtml = alternation(html?.patterns?.[0]?.match, /\(\?:([^()]+)\)/);
        assert.deepEqual(fromJson, fromHtml, `${entry}: JSON and HTML-style known keys differ`);
        return fromJson;
      };
      assert.deepEqual(sorted(knownKeys('step-attributes')), sorted(STEP_ATTRIBUTE_KEYS));
      assert.deepEqual(sorted(knownKeys('expected-attributes')), sorted(EXPECTED_ATTRIBUTE_KEYS));
    });

    it('opens a step for every runnable language, in any case, and for no longer word', () => {
      // A generated fixture: `lang`, `LANG` and `lang {name=x}` are steps of the language's family;
      // `langx` is not.
      const lines = ['<!-- SYNTAX TEST "text.html.markdown" "every runnable language"'];
      const stepScopes = Object.values(DEFAULT_LANGUAGES).map((info) => `meta.runbook.step.${info.family}`);
      const notAStep = `- ${[...new Set(stepScopes)].join(' ')}`;
      for (const [language, info] of Object.entries(DEFAULT_LANGUAGES)) {
        const scopes = `markup.fenced_code.block.markdown ${EMBEDDED[info.family]} meta.runbook.step.${info.family}`;
        for (const fence of [language, language.toUpperCase(), `${language} {name=x}`]) {
          lines.push('', `\`\`\`${fence}`, `<!-- <${'~'.repeat(3)}${'-'.repeat(language.length)} fenced_code.block.language.markdown`);
          lines.push('x', `<!-- <- ${scopes}`, '```');
        }
        if (!(`${language}x` in DEFAULT_LANGUAGES)) lines.push('', `\`\`\`${language}x`, 'x', `<!-- <- ${notAStep}`, '```');
      }
      const dir = mkdtempSync(join(tmpdir(), 'runbook-grammar-'));
      try {
        const file = join(dir, 'languages.md');
        writeFileSync(file, `${lines.join('\n')}\n`);
        assertFixturePasses(file);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('fixtures (vscode-tmgrammar-test)', () => {
    const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.md')).sort();

    it('has fixtures to run', () => {
      assert.ok(fixtures.length > 0, `no *.md fixtures in ${FIXTURES}`);
    });

    for (const fixture of fixtures) {
      it(fixture, () => assertFixturePasses(join(FIXTURES, fixture)));
    }
  });
});
