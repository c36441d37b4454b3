// Names in the generated script: options from input names, functions from step names or titles,
// and TypeScript literals for any text.

/** `API_TOKEN` → `api-token`: the command-line option for an input. */
export function optionName(variable: string): string {
  return variable.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'input';
}

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'implements interface package private protected public await async of undefined arguments eval'
  ).split(' '),
);

/**
 * `drain-node` or "Drain the node." → `drainNode` / `drainTheNode`, unique among `taken` (which it
 * extends); a keyword or one of the script's own names (`reserved`) gets `Step` appended.
 */
export function functionName(text: string, taken: Set<string>, reserved: ReadonlySet<string> = new Set()): string {
  const words = text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .slice(0, 6);
  let name = words.map((word, i) => (i === 0 ? word.toLowerCase() : word[0].toUpperCase() + word.slice(1).toLowerCase())).join('') || 'step';
  if (/^[0-9]/.test(name)) name = `step${name}`;
  if (RESERVED.has(name) || reserved.has(name)) name = `${name}Step`;
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}${n}`;
  taken.add(unique);
  return unique;
}

/**
 * A TypeScript string literal for `text`: single-quoted when that needs no escapes (the common
 * case for shell code), else JSON's double-quoted form. Either way the text is data, never code.
 */
export function literal(text: string): string {
  return /['\\\p{Cc}\u2028\u2029]/u.test(text) ? JSON.stringify(text) : `'${text}'`;
}

/** A literal for multi-line text: one line per array element, so a reader sees the code as written. */
export function textLiteral(text: string, indent: string): string {
  const lines = text.split('\n');
  if (lines.length === 1) return literal(text);
  return `[\n${lines.map((line) => `${indent}  ${literal(line)},`).join('\n')}\n${indent}].join('\\n')`;
}

/** Text for a `//` comment: on one line. */
export function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}
