// What a shell step needs from outside: `<placeholder>`s written outside quotes, and `$VARIABLES`
// it reads without setting them. Both become implicit inputs (DESIGN.md) that the user is asked
// for; placeholders are rewritten into quoted variable references so that no value is ever pasted
// into code text. A light lexer, not a shell parser: it knows quotes, escapes, comments and
// `${…}` forms, which is what real runbooks need.

export interface Placeholder {
  /** As written, e.g. `<pod-name>`. */
  text: string;
  /** The environment variable that carries its value, e.g. `POD_NAME`. */
  variable: string;
  start: number;
  end: number;
}

/** Where a variable is expanded: the name's offsets in the code. */
export interface Expansion {
  name: string;
  start: number;
  end: number;
}

export interface ShellAnalysis {
  placeholders: Placeholder[];
  /** Variables read without a default (`$X`, `${X}`, `${X:?}`), in first-use order. */
  references: string[];
  /** Every expansion the shell performs (`$X`, `${X:-d}`, `${#X}` …), in order; not in single quotes, comments or quoted here-documents. */
  expansions: Expansion[];
  /** Variables the code assigns, reads into, loops over or declares. */
  assigned: Set<string>;
  /** Variables the code exports, which later shell steps of the session then have. */
  exported: Set<string>;
}

/** Set by the shell itself or always present: never asked for. */
const SHELL_VARIABLES = new Set([
  'HOME', 'PATH', 'PWD', 'OLDPWD', 'USER', 'LOGNAME', 'SHELL', 'RANDOM', 'LINENO', 'SECONDS', 'HOSTNAME',
  'UID', 'EUID', 'PPID', 'IFS', 'OPTARG', 'OPTIND', 'REPLY', 'PIPESTATUS', 'FUNCNAME', 'BASH_SOURCE',
  'BASH_VERSION', 'BASH_REMATCH', 'BASHPID', 'HOSTTYPE', 'OSTYPE', 'MACHTYPE', 'SHLVL', 'TERM', 'LANG', 'PS1', 'PS4',
  'EPOCHSECONDS', 'EPOCHREALTIME', 'GROUPS', 'DIRSTACK', 'COLUMNS', 'LINES', 'HISTFILE',
]);

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const PLACEHOLDER = /^<([A-Za-z][A-Za-z0-9_.-]*)>/;

/** `pod-name` → `POD_NAME`. */
export function placeholderVariable(name: string): string {
  const variable = name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
  return /^[0-9]/.test(variable) ? `_${variable}` : variable || 'PLACEHOLDER';
}

export function analyzeShell(code: string): ShellAnalysis {
  const placeholders: Placeholder[] = [];
  const references: string[] = [];
  const expansions: Expansion[] = [];
  const seen = new Set<string>();
  const reference: ExpansionListener = (name, at, needed) => {
    expansions.push({ name, start: at, end: at + name.length });
    if (needed && !seen.has(name)) {
      seen.add(name);
      references.push(name);
    }
  };
  let i = 0;
  let quote: '' | "'" | '"' = '';
  const n = code.length;
  const wordStart = (at: number) => at === 0 || /[\s;&|()`]/.test(code[at - 1]);
  // Here-documents opened on the current line; their bodies start after its newline.
  let heredocs: HereDoc[] = [];
  while (i < n) {
    const c = code[i];
    if (quote === '' && c === '\n' && heredocs.length > 0) {
      // A body is data, like quoted text: no placeholders, no quotes; an unquoted delimiter still
      // expands `$VARIABLES` in it.
      i++;
      for (const heredoc of heredocs) i = skipHereDocBody(code, i, heredoc, reference);
      heredocs = [];
      continue;
    }
    if (quote === "'") {
      if (c === "'") quote = '';
      i++;
      continue;
    }
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (quote === '"' && c === '"') {
      quote = '';
      i++;
      continue;
    }
    if (quote === '' && (c === "'" || c === '"')) {
      quote = c;
      i++;
      continue;
    }
    if (quote === '' && c === '#' && wordStart(i)) {
      while (i < n && code[i] !== '\n') i++;
      continue;
    }
    if (c === '$') {
      i = readExpansion(code, i, reference);
      continue;
    }
    if (quote === '' && c === '<' && code[i + 1] === '<' && code[i + 2] !== '<' && code[i - 1] !== '<') {
      const match = HEREDOC.exec(code.slice(i));
      if (match) {
        const word = match[2];
        heredocs.push({ delimiter: word.replace(/['"\\]/g, ''), quoted: /['"\\]/.test(word), stripTabs: match[1] === '-' });
        i += match[0].length;
        continue;
      }
    }
    if (quote === '' && c === '<' && code[i - 1] !== '<') {
      const match = PLACEHOLDER.exec(code.slice(i, i + 80));
      if (match) {
        placeholders.push({ text: match[0], variable: placeholderVariable(match[1]), start: i, end: i + match[0].length });
        i += match[0].length;
        continue;
      }
    }
    i++;
  }
  const { assigned, exported } = findAssignments(code);
  return { placeholders, references, expansions, assigned, exported };
}

interface HereDoc {
  delimiter: string;
  /** `<<'EOF'`, `<<"EOF"` or `<<\EOF`: the body is taken literally. */
  quoted: boolean;
  /** `<<-EOF`: leading tabs are stripped, so the delimiter line may be indented with tabs. */
  stripTabs: boolean;
}

/** `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`, `<<\EOF` (not the here-string `<<<`). */
const HEREDOC = /^<<(-?)[ \t]*((?:'[^'\n]*'|"[^"\n]*"|\\?[^\s;&|<>()'"`])+)/;

/** Skips a here-document body starting at `start` (reading its variables when unquoted); returns the index after its delimiter line. */
/** A variable expanded at `at`; `needed` is false when a default or alternative makes its value optional. */
type ExpansionListener = (name: string, at: number, needed: boolean) => void;

function skipHereDocBody(code: string, start: number, heredoc: HereDoc, reference: ExpansionListener): number {
  let i = start;
  while (i < code.length) {
    let end = code.indexOf('\n', i);
    if (end < 0) end = code.length;
    const line = code.slice(i, end);
    if ((heredoc.stripTabs ? line.replace(/^\t+/, '') : line) === heredoc.delimiter) return Math.min(end + 1, code.length);
    if (!heredoc.quoted) {
      for (let j = i; j < end; ) {
        if (code[j] === '\\') j += 2;
        else if (code[j] === '$') j = readExpansion(code, j, reference);
        else j++;
      }
    }
    i = end + 1;
  }
  return code.length;
}

/** Reads `$NAME` or `${…}` at `start`; returns the index after it. */
function readExpansion(code: string, start: number, reference: ExpansionListener): number {
  const i = start + 1;
  if (code[i] === '{') {
    const close = code.indexOf('}', i);
    if (close < 0) return i;
    const body = code.slice(i + 1, close);
    // ${#X} is X's length; ${!X} is indirection, whose target we cannot know.
    const match = /^#?([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(body);
    if (match && !body.startsWith('!')) {
      const operator = match[2];
      // With a default (:- - := =) or an alternative (:+ +), the value is not needed.
      const at = i + 1 + (body.startsWith('#') ? 1 : 0);
      reference(match[1], at, !/^:?[-=+]/.test(operator));
      // Expansions in the operator's word (`${X:-$FALLBACK}`) are read only when X is unset: not needed.
      for (let j = at + match[1].length; j < close; ) j = code[j] === '$' ? readExpansion(code, j, (name, where) => reference(name, where, false)) : j + 1;
    }
    return close + 1;
  }
  if (i < code.length && NAME_START.test(code[i])) {
    let end = i + 1;
    while (end < code.length && NAME_CHAR.test(code[end])) end++;
    reference(code.slice(i, end), i, true);
    return end;
  }
  return i;
}

function findAssignments(code: string): { assigned: Set<string>; exported: Set<string> } {
  const assigned = new Set<string>();
  const exported = new Set<string>();
  const names = (text: string) => text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  for (const match of code.matchAll(/(?:^|[\s;&|(`])([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=/g)) assigned.add(match[1]);
  for (const match of code.matchAll(/\b(export|local|declare|typeset|readonly)((?:[ \t]+-[A-Za-z]+)*)((?:[ \t]+[A-Za-z_][A-Za-z0-9_]*(?:=(?:"[^"]*"|'[^']*'|\S*))?)+)/g)) {
    const declared = names(match[3].replace(/=("[^"]*"|'[^']*'|\S*)/g, ''));
    for (const name of declared) {
      assigned.add(name);
      if (match[1] === 'export') exported.add(name);
    }
  }
  for (const match of code.matchAll(/\bread((?:[ \t]+-[A-Za-z]+(?:[ \t]+(?:"[^"]*"|'[^']*'|[^\s-]\S*))?)*)((?:[ \t]+[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
    for (const name of names(match[2])) assigned.add(name);
  }
  for (const match of code.matchAll(/\b(?:for|select)\s+([A-Za-z_][A-Za-z0-9_]*)\b/g)) assigned.add(match[1]);
  for (const match of code.matchAll(/\bgetopts\s+\S+\s+([A-Za-z_][A-Za-z0-9_]*)/g)) assigned.add(match[1]);
  // Shells also set a for-loop or function's positional names through `(( i=0 … ))`.
  for (const match of code.matchAll(/\(\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/g)) assigned.add(match[1]);
  return { assigned, exported };
}

export interface ImplicitInputContext {
  /** Names of the runbook's declared inputs. */
  declared: Iterable<string>;
  /** Variables set in the environment the step will run in (process env and session exports). */
  available: (name: string) => boolean;
  /** Variables exported by earlier shell steps of the runbook. */
  exportedEarlier?: Iterable<string>;
}

export interface ImplicitInput {
  name: string;
  /** What the user sees: `<pod-name>` or `$CLUSTER`. */
  label: string;
  kind: 'placeholder' | 'variable';
}

/** The implicit inputs of a shell step: placeholders, then variables it needs and nothing provides. */
export function implicitInputs(analysis: ShellAnalysis, context: ImplicitInputContext): ImplicitInput[] {
  const declared = new Set(context.declared);
  const earlier = new Set(context.exportedEarlier ?? []);
  const result: ImplicitInput[] = [];
  const names = new Set<string>();
  for (const placeholder of analysis.placeholders) {
    if (names.has(placeholder.variable) || declared.has(placeholder.variable)) continue;
    names.add(placeholder.variable);
    result.push({ name: placeholder.variable, label: placeholder.text, kind: 'placeholder' });
  }
  for (const name of analysis.references) {
    if (names.has(name) || declared.has(name) || analysis.assigned.has(name) || earlier.has(name)) continue;
    if (SHELL_VARIABLES.has(name) || context.available(name)) continue;
    names.add(name);
    result.push({ name, label: `$${name}`, kind: 'variable' });
  }
  return result;
}

/** The code with every placeholder replaced by a quoted reference to its variable. */
export function replacePlaceholders(code: string, placeholders: Placeholder[]): string {
  let result = '';
  let last = 0;
  for (const placeholder of placeholders) {
    result += `${code.slice(last, placeholder.start)}"\${${placeholder.variable}}"`;
    last = placeholder.end;
  }
  return result + code.slice(last);
}
