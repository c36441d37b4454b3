// Whether a value may reach a place where bash evaluates it as arithmetic (`$(( x ))`, `(( ))`,
// `[[ $x -eq 1 ]]`, an array subscript, `let`, `declare -i`). Bash evaluates such a value as an
// expression, and an array subscript in it runs commands: `a[$(touch pwned)]` does. Only a plain
// whole number is safe. Self-contained on purpose (no imports), like inputValue.ts, so the script
// generator can embed this file's text.

/**
 * A plain whole number: an optional minus sign and decimal digits, no leading zeros (bash would
 * read `010` as octal, and `08` is an error), at most 18 digits (so it stays inside bash's 64-bit
 * integers), no spaces, signs, bases (`0x1f`, `2#101`) or expressions.
 */
export const WHOLE_NUMBER = /^-?(?:0|[1-9][0-9]{0,17})$/;

/**
 * Why `value` must not reach arithmetic, or undefined when it may. An empty value is accepted:
 * bash reads it as 0 and runs nothing (whether one is required is the input's own rule).
 */
export function arithmeticValueProblem(value: string): string | undefined {
  if (value === '' || WHOLE_NUMBER.test(value)) return undefined;
  return 'the step uses it in arithmetic, so it must be a whole number such as 3 or -12 (bash would evaluate anything else as an expression, and an expression can run commands).';
}
