// The text of a new runbook ("Runbooks: New Runbook") and the file name it gets. Pure: no `vscode`.
//
// The template shows every part of the format once, and is safe to run as it stands: its one step
// only prints (printf, date) and touches nothing. It sets no `environment`: the author knows where
// the runbook acts, the template does not, and a made-up value would be worse than none (a comment
// says what the key does, since a production-like value makes every step ask for confirmation).

import { slugify } from '../runbook/slug';

/** Longest title the New Runbook command accepts. */
export const MAX_TITLE_LENGTH = 200;
/** Longest file name stem `runbookFileName` makes (characters, before `.md`). */
const MAX_STEM_LENGTH = 80;
/** File name for a title with nothing usable in a file name (only punctuation or emoji, say). */
export const FALLBACK_FILE_NAME = 'runbook.md';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Names Windows reserves for devices, with any extension.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/**
 * The title as the runbook will hold it: one line, whitespace and control characters collapsed to
 * single spaces, trimmed, NFC, lone surrogates replaced. This is what the parser reads back as the title.
 */
export function normalizeTitle(title: string): string {
  return title
    .replace(LONE_SURROGATE, '\uFFFD')
    .normalize('NFC')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim();
}

/** Why `title` cannot be a runbook title, for an input box's validation; undefined when it can. */
export function titleProblem(title: string): string | undefined {
  const normalized = normalizeTitle(title);
  if (normalized === '') return 'Enter a title for the runbook, such as "Rotate API keys".';
  if (normalized.length > MAX_TITLE_LENGTH) return `Shorten the title to ${MAX_TITLE_LENGTH} characters or fewer (it has ${normalized.length}).`;
  return undefined;
}

/**
 * A YAML double-quoted scalar for `text`, whatever it holds (`:`, `#`, `"`, `\`, a leading `-` or
 * `[`, `yes`, `null` …): always quoted, so it always reads back as this string.
 */
export function yamlString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (isYamlPrintable(code)) out += ch;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** YAML 1.2's printable set, minus the line breaks and tab (escaped to keep the scalar on one line). */
function isYamlPrintable(code: number): boolean {
  return (
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * `Rotate API keys` → `rotate-api-keys.md`: the GitHub-style slug of the title (runs of `-` collapsed,
 * none at either end, at most 80 characters). A title with nothing usable in a file name gets
 * `runbook.md`; a name Windows reserves (`con`, `nul` …) gets `-runbook` added.
 */
export function runbookFileName(title: string): string {
  const slug = slugify(normalizeTitle(title)).replace(/-{2,}/g, '-').replace(/^[-_]+|[-_]+$/g, '');
  const stem = Array.from(slug).slice(0, MAX_STEM_LENGTH).join('').replace(/[-_]+$/, '');
  if (stem === '') return FALLBACK_FILE_NAME;
  return WINDOWS_RESERVED.test(stem) ? `${stem}-runbook.md` : `${stem}.md`;
}

/** The input the template declares and its step uses. */
export const TEMPLATE_INPUT = { name: 'SERVICE', default: 'example-service' } as const;

/**
 * A new runbook titled `title`: front matter (title, description, owner, a commented-out
 * environment, one input with description, default and pattern), one section with a sentence, a
 * named bash step that only prints, the expected output that step satisfies, and a manual step.
 * Throws when the title is empty (see `titleProblem`).
 */
export function newRunbookTemplate(title: string): string {
  const problem = titleProblem(title);
  if (problem) throw new Error(problem);
  return [
    '---',
    `title: ${yamlString(normalizeTitle(title))}`,
    'description: When to use this runbook and what it changes.',
    'owner: your-team',
    '# environment: production   # where the steps act; production-like: every step asks to confirm',
    'inputs:',
    `  ${TEMPLATE_INPUT.name}: { description: The service this runbook acts on, default: ${TEMPLATE_INPUT.default}, pattern: "^[a-z0-9-]+$" }`,
    '---',
    '',
    '## Check the target',
    '',
    'Print which service this runbook acts on and when it started, so the output records what was done.',
    '',
    '```bash {name=show-target}',
    `printf 'Service: %s\\n' "$${TEMPLATE_INPUT.name}"`,
    "date -u +'Started: %Y-%m-%dT%H:%M:%SZ'",
    '```',
    '',
    '```output {match=regex}',
    '^Service: [a-z0-9-]+$',
    '```',
    '',
    '- [ ] Check that the service printed above is the one you meant to act on',
    '',
  ].join('\n');
}
