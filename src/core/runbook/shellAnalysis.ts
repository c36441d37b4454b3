// What a shell step needs from outside: `<placeholder>`s and the `$VARIABLES` it reads without
// setting them. Both become implicit inputs (DESIGN.md) that the user is asked for; placeholders are
// rewritten into variable references so that no value is ever pasted into code text. The analysis
// also finds where a value is evaluated as arithmetic, where bash would run a `$(…)` hidden in it.
// The reading itself is shellLexer.ts; the names it knows are shellNames.ts.

import { isReservedVariable } from './reservedNames';
import { lexShell } from './shellLexer';
import { isShellVariable } from './shellNames';

export { hereDocumentsOpened } from './shellLexer';
export { isShellVariable, NOT_PLACEHOLDERS, placeholderVariable } from './shellNames';

/** What a shell step's code needs and does, as far as inputs go. Linear in the code's length, whatever its nesting. */
export function analyzeShell(code: string): ShellAnalysis {
  return lexShell(code);
}

export interface Placeholder {
  /** As written, e.g. `<pod-name>`. */
  text: string;
  /** The environment variable that carries its value, e.g. `POD_NAME`. */
  variable: string;
  start: number;
  end: number;
  /** Inside double quotes or an unquoted here-document body: replaced by `${VAR}`; elsewhere by `"${VAR}"`. */
  quoted: boolean;
}

/** A variable name at offsets in the code. */
export interface Occurrence {
  name: string;
  start: number;
  end: number;
}

/** Where a variable is expanded. */
export interface Expansion extends Occurrence {
  /** False when a default, an alternative or arithmetic (where unset is 0) makes its value optional. */
  needed: boolean;
}

export interface ShellAnalysis {
  placeholders: Placeholder[];
  /** Variables read without a default (`$X`, `${X}`, `${X:?}`), in first-use order. */
  references: string[];
  /** Every expansion the shell performs (`$X`, `${X:-d}`, `${#X}`, a bare name in `$(( x + 1 ))` …), in order; not in single quotes, comments or quoted here-documents. */
  expansions: Expansion[];
  /** Variables the code assigns, reads into, loops over or declares. */
  assigned: Set<string>;
  /** Variables the code exports, which later shell steps of the session then have. */
  exported: Set<string>;
  /**
   * Where a value is evaluated as arithmetic (`$(( x ))`, `(( ))`, `let`, `[[ $x -eq 1 ]]`, array
   * subscripts, `${s:off:len}`, `declare -i`), in order: variables and placeholders' variables. Bash
   * runs a `$(…)` inside an array subscript in such a value, so only whole numbers may reach them.
   */
  arithmetic: Occurrence[];
}

/** A here-document a command line opens: its delimiter, and whether `<<-` lets the delimiter line be indented with tabs. */
export interface HereDocument {
  delimiter: string;
  stripTabs: boolean;
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
  /** Set when the step evaluates the value as arithmetic: only whole numbers are accepted. */
  arithmetic?: true;
}

/** The implicit inputs of a shell step: placeholders, then variables it needs and nothing provides. */
export function implicitInputs(analysis: ShellAnalysis, context: ImplicitInputContext): ImplicitInput[] {
  const declared = new Set(context.declared);
  const earlier = new Set(context.exportedEarlier ?? []);
  const arithmetic = new Set(analysis.arithmetic.map((use) => use.name));
  const result: ImplicitInput[] = [];
  const names = new Set<string>();
  const add = (input: ImplicitInput) => {
    names.add(input.name);
    result.push(arithmetic.has(input.name) ? { ...input, arithmetic: true } : input);
  };
  for (const placeholder of analysis.placeholders) {
    if (names.has(placeholder.variable) || declared.has(placeholder.variable)) continue;
    add({ name: placeholder.variable, label: placeholder.text, kind: 'placeholder' });
  }
  for (const name of analysis.references) {
    if (names.has(name) || declared.has(name) || analysis.assigned.has(name) || earlier.has(name)) continue;
    // Shell-owned and reserved variables come from the environment only: no value may be asked for.
    if (isShellVariable(name) || isReservedVariable(name) || context.available(name)) continue;
    add({ name, label: `$${name}`, kind: 'variable' });
  }
  return result;
}

/**
 * The code with every placeholder replaced by a reference to its variable: `"${POD_NAME}"` where
 * the placeholder stood bare, `${POD_NAME}` inside double quotes or a here-document body.
 */
export function replacePlaceholders(code: string, placeholders: Placeholder[]): string {
  let result = '';
  let last = 0;
  for (const placeholder of [...placeholders].sort((a, b) => a.start - b.start)) {
    if (placeholder.start < last) continue;
    const reference = `\${${placeholder.variable}}`;
    result += code.slice(last, placeholder.start) + (placeholder.quoted ? reference : `"${reference}"`);
    last = placeholder.end;
  }
  return result + code.slice(last);
}
