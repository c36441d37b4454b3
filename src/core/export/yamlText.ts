// YAML text for the exports: built with the `yaml` package from plain objects, quoted so that a
// YAML 1.1 reader (GitLab's Ruby, GitHub's runner) reads back the same strings as a 1.2 one, with
// the header comment on top. Any text that came from the runbook (titles, descriptions, paths) is
// made inert first: no engine expression (`${{ … }}`, `$[[ … ]]`) can appear in it.

import { Document, parse, visit } from 'yaml';

/** One line of runbook text with engine expressions broken apart, for names, descriptions and comments. */
export function inertText(text: string): string {
  return inertBlock(text).replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim();
}

/** Like `inertText`, keeping line breaks: for multi-line values such as a checklist. */
export function inertBlock(text: string): string {
  return text.replace(/\$\{\{/g, '$ {{').replace(/\$\[\[/g, '$ [[');
}

/** Whether a YAML 1.1 reader would take this plain scalar for something else (`yes`, `on`, `0o7`, `1_000`, `~` …). */
function ambiguousIn11(value: string): boolean {
  if (value === '' || /[\n:#]/.test(value)) return false; // the 1.2 writer quotes these itself where needed
  try {
    return parse(value, { version: '1.1' }) !== value;
  } catch {
    return false;
  }
}

/**
 * `value` as a YAML document, with `comment` lines as its header. `plainKeys` are keys left as
 * written even where YAML 1.1 would read them as booleans (GitHub's `on`).
 */
export function yamlDocument(value: unknown, comment: string[] = [], plainKeys: string[] = []): string {
  const doc = new Document(value, { version: '1.2' });
  visit(doc, {
    Scalar(key, node) {
      if (typeof node.value !== 'string') return;
      if (node.value.includes('\n')) {
        node.type = 'BLOCK_LITERAL';
        return;
      }
      if (key === 'key' && plainKeys.includes(node.value)) return;
      if (ambiguousIn11(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  const header = comment.map((line) => (line ? `# ${line}` : '#')).join('\n');
  return `${header}${header ? '\n\n' : ''}${doc.toString({ lineWidth: 0 })}`;
}
