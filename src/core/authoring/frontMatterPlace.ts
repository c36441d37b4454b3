// Where a line of the front matter sits in its YAML, read from indentation alone so that it
// works while the author is typing (when the YAML may not parse yet).

export interface YamlKeyLine {
  line: number;
  indent: number;
  key: string;
}

/** The key a line of block YAML defines, if it defines one (also as a list item: `- name: A`). */
export function keyOf(lines: readonly string[], line: number): YamlKeyLine | undefined {
  const match = /^(\s*)(?:-\s+)?([A-Za-z_][\w-]*)\s*:/.exec(lines[line] ?? '');
  return match ? { line, indent: match[1].length, key: match[2] } : undefined;
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function isBlankOrComment(text: string): boolean {
  return text.trim() === '' || /^\s*#/.test(text);
}

/** The key whose block holds `line` at `indent`: the nearest line above with less indentation. */
export function parentKey(lines: readonly string[], line: number, indent: number, top: number): YamlKeyLine | undefined {
  for (let index = line - 1; index > top; index--) {
    const text = lines[index];
    if (!isBlankOrComment(text) && indentOf(text) < indent) return keyOf(lines, index);
  }
  return undefined;
}

export interface FrontMatterPlace {
  /** The key whose block the line is in (undefined at the top level). */
  parent?: YamlKeyLine;
  /** Directly under `inputs:`: where input names go. */
  inInputs: boolean;
  /** Under `inputs:` → `NAME:`: where an input's fields go. */
  inInputDefinition: boolean;
}

function isListItem(text: string | undefined): boolean {
  return /^\s*-(\s|$)/.test(text ?? '');
}

/**
 * The key a list item at `indent` belongs to: the nearest line above with less indentation, or
 * with the same indentation that is not an item itself (`inputs:` then `- name: A` at column 0).
 */
function listOwner(lines: readonly string[], line: number, indent: number, top: number): YamlKeyLine | undefined {
  for (let index = line - 1; index > top; index--) {
    const text = lines[index];
    if (isBlankOrComment(text)) continue;
    const lead = indentOf(text);
    if (lead < indent || (lead === indent && !isListItem(text))) return keyOf(lines, index);
  }
  return undefined;
}

const isInputs = (key: YamlKeyLine | undefined) => key?.key === 'inputs' && key.indent === 0;

export function frontMatterPlace(lines: readonly string[], line: number, indent: number, top: number): FrontMatterPlace {
  // An item of `inputs:` in the list form is an input, like a key of the mapping form.
  if (isListItem(lines[line])) {
    const owner = listOwner(lines, line, indentOf(lines[line]), top);
    return { parent: owner, inInputs: isInputs(owner), inInputDefinition: false };
  }
  const parent = indent > 0 ? parentKey(lines, line, indent, top) : undefined;
  if (parent && isListItem(lines[parent.line])) {
    return { parent, inInputs: false, inInputDefinition: isInputs(listOwner(lines, parent.line, parent.indent, top)) };
  }
  const grandparent = parent && parent.indent > 0 ? parentKey(lines, parent.line, parent.indent, top) : undefined;
  return { parent, inInputs: isInputs(parent), inInputDefinition: isInputs(grandparent) };
}

/** The keys written at `indent` in the block of the key on `parentLine`, but for the one on `exceptLine`. */
export function siblingKeys(lines: readonly string[], parentLine: number, indent: number, end: number, exceptLine: number): Set<string> {
  const found = new Set<string>();
  for (let index = parentLine + 1; index < end; index++) {
    const text = lines[index];
    if (isBlankOrComment(text)) continue;
    if (index !== exceptLine && indentOf(text) < indent) break;
    const entry = keyOf(lines, index);
    if (index !== exceptLine && entry?.indent === indent) found.add(entry.key);
  }
  return found;
}
