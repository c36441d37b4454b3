// Quick fixes where the fix is obvious, as plain text edits the editor applies: declare a missing
// input, remove (or correct) an unknown attribute, give a duplicate step its free name.

import { attributeEntries, EXPECTED_ATTRIBUTE_KEYS, STEP_ATTRIBUTE_KEYS, type AttributeEntry } from '../runbook/attributes';
import { parseRunbook, type Runbook, type RunbookDiagnostic } from '../runbook';
import { fenceKindAt } from './fences';
import { closestName } from './vocabulary';

export interface TextEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The fix to apply with one keystroke (VS Code's "preferred" fix). */
  preferred: boolean;
}

export function quickFixes(diagnostic: RunbookDiagnostic, runbook: Runbook, lines: readonly string[]): QuickFix[] {
  const subject = diagnostic.subject;
  if (subject === undefined) return [];
  switch (diagnostic.code) {
    case 'undeclared-input':
    case 'undeclared-placeholder': {
      const edit = declareInputEdit(runbook, lines, subject);
      return edit ? [{ title: `Declare input ${subject} in the front matter`, edits: [edit], preferred: true }] : [];
    }
    case 'unknown-attribute': {
      const known = fenceKindAt(runbook, diagnostic.line) === 'expected' ? EXPECTED_ATTRIBUTE_KEYS : STEP_ATTRIBUTE_KEYS;
      return unknownAttributeFixes(diagnostic.line, lines[diagnostic.line] ?? '', subject, known);
    }
    case 'duplicate-name': {
      const line = lines[diagnostic.line] ?? '';
      const entry = attributeEntries(line).entries.find((candidate) => candidate.key === 'name');
      if (!entry || entry.valueStart === undefined || entry.valueEnd === undefined || !diagnostic.replacement) return [];
      // The JSON form's value span holds its quotes; the other form's does not.
      const newText = line[entry.valueStart] === '"' ? JSON.stringify(diagnostic.replacement) : diagnostic.replacement;
      const edit = { line: diagnostic.line, column: entry.valueStart, endLine: diagnostic.line, endColumn: entry.valueEnd, newText };
      return [{ title: `Rename this step to "${diagnostic.replacement}"`, edits: [edit], preferred: true }];
    }
    default:
      return [];
  }
}

function unknownAttributeFixes(line: number, text: string, key: string, known: readonly string[]): QuickFix[] {
  const { entries } = attributeEntries(text);
  const entry = entries.find((candidate) => candidate.key === key);
  if (!entry) return [];
  const fixes: QuickFix[] = [];
  const taken = new Set(entries.map((candidate) => candidate.key));
  const meant = closestName(key, known);
  if (meant && !taken.has(meant)) {
    const quoted = text[entry.keyStart] === '"';
    fixes.push({
      title: `Change "${key}" to "${meant}"`,
      edits: [{ line, column: entry.keyStart, endLine: line, endColumn: entry.keyEnd, newText: quoted ? JSON.stringify(meant) : meant }],
      preferred: true,
    });
  }
  const [column, endColumn] = removalSpan(text, entries, entry);
  fixes.push({ title: `Remove attribute "${key}"`, edits: [{ line, column, endLine: line, endColumn, newText: '' }], preferred: !meant });
  return fixes;
}

/** The columns to delete to remove `entry`, with its separator; the braces too when it is the only one. */
function removalSpan(text: string, entries: AttributeEntry[], entry: AttributeEntry): [number, number] {
  const open = text.indexOf('{');
  const close = text.lastIndexOf('}');
  if (entries.length === 1) {
    let start = open;
    while (start > 0 && /[ \t]/.test(text[start - 1])) start--;
    return [start, close + 1];
  }
  const json = /^\{\s*"/.test(text.slice(open));
  const index = entries.indexOf(entry);
  if (json) {
    // `"a": 1, "b": 2`: take the comma after, or for the last member the comma before.
    if (index < entries.length - 1) return [entry.start, entries[index + 1].start];
    return [entries[index - 1].end, entry.end];
  }
  if (index < entries.length - 1) return [entry.start, entries[index + 1].start];
  let start = entry.start;
  while (start > open + 1 && /\s/.test(text[start - 1])) start--;
  return [start, entry.end];
}

/** `POD_NAME` → `Pod name`: a first description the author can improve. */
export function describeName(name: string): string {
  const words = name.replace(/_+/g, ' ').trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : name;
}

/** `text` as a YAML value that reads back as that text: plain words stay plain, `True` or `0x1f` are quoted. */
function yamlText(text: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_ ]*$/.test(text) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(text);
  return plain ? text : JSON.stringify(text);
}

/**
 * An edit that declares input `name`: a line in the `inputs:` mapping (or list), an `inputs:` key
 * in the front matter, or a front matter of its own. Undefined where no one edit is obviously
 * right (`inputs:` in flow style, a front matter that cannot be read), and whenever the edited
 * front matter would not read back as before plus that input: a fix must never lose a setting.
 */
export function declareInputEdit(runbook: Runbook, lines: readonly string[], name: string): TextEdit | undefined {
  const edit = declarationEdit(runbook, lines, name);
  if (!edit) return undefined;
  // The front matter alone decides meta and inputs: read back just those lines, edited.
  const frontMatterLines = lines.slice(0, (runbook.frontMatterRange?.endLine ?? 0) + 1);
  const after = parseRunbook(applyToLines(frontMatterLines, edit));
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const kept =
    same(after.meta, runbook.meta) &&
    same(after.inputs.slice(0, -1).map(({ line: _line, ...spec }) => spec), runbook.inputs.map(({ line: _line, ...spec }) => spec)) &&
    after.inputs[after.inputs.length - 1]?.name === name &&
    after.inputs[after.inputs.length - 1]?.description === describeName(name) &&
    frontMatterProblems(after) <= frontMatterProblems(runbook);
  return kept ? edit : undefined;
}

function frontMatterProblems(runbook: Runbook): number {
  return runbook.diagnostics.filter((d) => d.code === 'yaml' || d.code.startsWith('front-matter') || d.code === 'invalid-input').length;
}

function applyToLines(lines: readonly string[], edit: TextEdit): string {
  const before = [...lines.slice(0, edit.line), (lines[edit.line] ?? '').slice(0, edit.column)].join('\n');
  const after = [(lines[edit.endLine] ?? '').slice(edit.endColumn), ...lines.slice(edit.endLine + 1)].join('\n');
  return before + edit.newText + after;
}

function declarationEdit(runbook: Runbook, lines: readonly string[], name: string): TextEdit | undefined {
  const definition = `${yamlText(name)}: { description: ${yamlText(describeName(name))} }`;
  const range = runbook.frontMatterRange;
  if (!range) {
    if (/^---[ \t]*$/.test(lines[0] ?? '')) return undefined;
    return { line: 0, column: 0, endLine: 0, endColumn: 0, newText: `---\ninputs:\n  ${definition}\n---\n\n` };
  }
  const close = range.endLine;
  const inputsLine = lines.findIndex((text, index) => index > 0 && index < close && /^inputs\s*:/.test(text));
  if (inputsLine < 0) return at(close, `inputs:\n  ${definition}\n`);
  const rest = lines[inputsLine].replace(/^inputs\s*:/, '').replace(/\s+#.*$/, '').trim();
  if (rest !== '') return undefined;
  // The mapping's entries: the indented lines that follow, up to the next top-level key.
  let last = inputsLine;
  let indent: string | undefined;
  let list = false;
  for (let index = inputsLine + 1; index < close; index++) {
    const text = lines[index];
    if (text.trim() === '' || /^\s*#/.test(text)) continue;
    const lead = /^(\s*)/.exec(text)?.[1] ?? '';
    // A list may sit at the key's own indentation (`inputs:` then `- name: A`).
    const item = text.slice(lead.length).startsWith('- ');
    if (indent === undefined) {
      if (lead === '' && !item) break;
      indent = lead;
      list = item;
    } else if (lead === '' && !(list && indent === '' && item)) {
      break;
    }
    last = index;
  }
  const entry = list ? `- { name: ${yamlText(name)}, description: ${yamlText(describeName(name))} }` : definition;
  return at(last + 1, `${indent ?? '  '}${entry}\n`);
}

function at(line: number, newText: string): TextEdit {
  return { line, column: 0, endLine: line, endColumn: 0, newText };
}
