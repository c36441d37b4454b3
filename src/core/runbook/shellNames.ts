// Names in shell steps: the variables the shell owns, the variable that carries a placeholder's
// value, and the `<tokens>` that look like placeholders but are output or markup.

import { isReservedVariable } from './reservedNames';

/** Set by the shell itself or always present: never asked for, and no placeholder is carried in one. */
const SHELL_VARIABLES = new Set([
  'HOME', 'PATH', 'PWD', 'OLDPWD', 'USER', 'LOGNAME', 'SHELL', 'RANDOM', 'SRANDOM', 'LINENO', 'SECONDS', 'HOSTNAME',
  'UID', 'EUID', 'PPID', 'IFS', 'OPTARG', 'OPTIND', 'OPTERR', 'REPLY', 'MAPFILE', 'PIPESTATUS', 'FUNCNAME', 'GROUPS',
  'BASH', 'BASHOPTS', 'BASHPID', 'BASH_ARGC', 'BASH_ARGV', 'BASH_ARGV0', 'BASH_COMMAND', 'BASH_LINENO', 'BASH_REMATCH',
  'BASH_SOURCE', 'BASH_SUBSHELL', 'BASH_VERSINFO', 'BASH_VERSION', 'SHELLOPTS', 'HOSTTYPE', 'OSTYPE', 'MACHTYPE',
  'SHLVL', 'TERM', 'LANG', 'PS1', 'PS2', 'PS3', 'PS4', 'EPOCHSECONDS', 'EPOCHREALTIME', 'DIRSTACK', 'COLUMNS', 'LINES',
  'HISTFILE', 'HISTSIZE', 'HISTFILESIZE', 'HISTCONTROL', 'TMOUT', 'COPROC',
]);

/** Whether the shell sets `name` itself or it is always present (`HOME`, `RANDOM`, `UID` …). */
export function isShellVariable(name: string): boolean {
  return SHELL_VARIABLES.has(name);
}

/**
 * Tokens that look like placeholders but are what programs print or markup: kubectl's `<none>`,
 * Go's `<nil>`, an elided `<snip>`. Lower case only: `<NONE>` is someone's placeholder.
 */
const LITERAL_TOKENS = new Set([
  'none', 'nil', 'null', 'unknown', 'pending', 'missing', 'invalid', 'undefined', 'empty', 'snip', 'snipped', 'redacted', 'truncated', 'omitted',
]);

/**
 * HTML elements that are only ever markup. Words that are also likely placeholder names (`<name>`,
 * `<table>`, `<input>`, `<title>`, `<code>` …) are markup only when the code also closes them (`</code>`).
 */
const HTML_TAGS = new Set([
  'html', 'head', 'body', 'br', 'hr', 'wbr', 'b', 'i', 'u', 'em', 'strong', 'tt', 'kbd', 'sub', 'sup', 'pre', 'div', 'span',
  'details', 'summary', 'img', 'p', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'small', 'big', 'center', 'font', 'nobr', 'script', 'style', 'iframe', 'noscript', 'svg',
]);

/** Whether `<name>` is output or markup, never a placeholder (a tag the code also closes is markup too, which the caller knows). */
export function isLiteralToken(name: string): boolean {
  return LITERAL_TOKENS.has(name) || HTML_TAGS.has(name);
}

/** Names that are never placeholders, whatever the code around them: the editor's grammar (syntaxes/runbook-placeholders.tmLanguage.json) lists the same. */
export const NOT_PLACEHOLDERS: readonly string[] = [...LITERAL_TOKENS, ...HTML_TAGS];

/** `pod-name` → `POD_NAME`, the name as written, before any collision with a reserved or shell variable. */
function variableName(name: string): string {
  const variable = name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
  return /^[0-9]/.test(variable) ? `_${variable}` : variable || 'PLACEHOLDER';
}

/**
 * The variable that carries a placeholder's value: `pod-name` → `POD_NAME`. A name the shell owns
 * or no input may set (`<path>` would replace `PATH` and break the step) becomes `PATH_VALUE`, or
 * `PLACEHOLDER_LD_PRELOAD` for a family of reserved names (`LD_*`, `PYTHON*`, `RUNBOOK_*` …) where
 * a suffix does not help.
 */
export function placeholderVariable(name: string): string {
  const variable = variableName(name);
  if (!isReservedVariable(variable) && !SHELL_VARIABLES.has(variable)) return variable;
  const suffixed = `${variable}_VALUE`;
  return isReservedVariable(suffixed) ? `PLACEHOLDER_${variable}` : suffixed;
}
