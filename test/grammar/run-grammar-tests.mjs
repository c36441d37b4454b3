// `npm run test:grammar [files…]`: runs vscode-tmgrammar-test on the grammar fixtures (default
// test/grammar/*.md). The tool reads our injection grammars from package.json `contributes.grammars`
// (so their `injectTo` is tested as shipped); the base grammars it needs (Markdown, and everything
// Markdown and our grammars include: shell, Python, JavaScript, PowerShell, YAML, HTML …) come from
// the `tm-grammars` devDependency, passed with `-g`. Exits 0 when every assertion holds, else 1.
//
// Fixture format (vscode-tmgrammar-test 0.1.3): the first line is `<!-- SYNTAX TEST "text.html.markdown"
// "description"`, and each assertion line is `<!--` followed by `^^^ scopes - excluded scopes` (columns
// under the `^`s) or `<~~--- scopes` (columns from the start of the line: `~` skips, `-` covers). The tool
// drops header and assertion lines before tokenizing, so they do not disturb the Markdown around them;
// they must NOT end with `-->`, which the tool rejects as an invalid assertion. Scope names are compared
// whole (`string.quoted.heredoc` does not match `string.quoted.heredoc.no-indent.EOF`).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grammars } from 'tm-grammars';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const grammarsDir = join(dirname(fileURLToPath(import.meta.resolve('tm-grammars'))), 'grammars');
const cli = fileURLToPath(import.meta.resolve('vscode-tmgrammar-test/dist/unit.js'));

/** Scope names a grammar file includes from other grammars (`source.shell`, `source.js#…`). */
function externalIncludes(path) {
  const scopes = new Set();
  for (const [, include] of readFileSync(path, 'utf8').matchAll(/"include"\s*:\s*"([^"#$][^"]*)"/g)) {
    scopes.add(include.split('#')[0]);
  }
  return scopes;
}

/** The tm-grammars files for Markdown and every grammar it or our grammars include, transitively. */
function baseGrammarPaths() {
  const byScope = new Map(grammars.map((g) => [g.scopeName, join(grammarsDir, `${g.name}.json`)]));
  const ours = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).contributes.grammars.map((g) => join(root, g.path));
  const pending = ['text.html.markdown', ...ours.flatMap((path) => [...externalIncludes(path)])];
  const found = new Map();
  while (pending.length > 0) {
    const scope = pending.pop();
    if (found.has(scope) || !byScope.has(scope)) continue;
    const path = byScope.get(scope);
    found.set(scope, path);
    pending.push(...externalIncludes(path));
  }
  return [...found.values()].sort();
}

const fixtures = process.argv.slice(2).map((fixture) => relative(root, resolve(fixture)));
const args = [cli, ...baseGrammarPaths().flatMap((path) => ['-g', relative(root, path)]), ...(fixtures.length ? fixtures : ['test/grammar/*.md'])];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
// Markdown's grammar includes some scopes tm-grammars does not ship (source.twig, text.html.php …);
// the tool warns about each one on every run. They are irrelevant here: drop those lines.
process.stderr.write((result.stderr ?? '').replace(/^grammar not found for "[^"]*"\n/gm, ''));
if (result.error) console.error(result.error.message);
process.exit(result.status === 0 ? 0 : 1);
