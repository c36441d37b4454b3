// Whether a value is acceptable for an input: the one rule the parser (for defaults), the run
// orchestration, the preview's inputs form and the generated scripts all apply. Self-contained on
// purpose (no imports): the script generator embeds this file's text in every generated script.

/** What a value is checked against: a declared input's type and constraints. */
export interface InputRules {
  name: string;
  type: 'string' | 'number' | 'boolean';
  pattern?: string;
  min?: number;
  max?: number;
  choices?: string[];
  required: boolean;
  secret?: boolean;
}

/** A name usable as an environment variable. */
export const INPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The largest value, in UTF-8 bytes. Values travel in the environment, and Linux refuses to start
 * a process with one variable over 128 KiB (MAX_ARG_STRLEN, name included) or with all of them
 * over a quarter of the stack limit; half of the first leaves room for the name and for several
 * large values at once.
 */
export const MAX_INPUT_VALUE_BYTES = 65_536;

/**
 * The shortest secret that can be masked in output. Shorter ones would turn ordinary text into
 * •••• everywhere (or would be left showing), so they are refused where they are entered.
 */
export const MIN_SECRET_LENGTH = 3;

/**
 * Why `value` is not acceptable for `spec`, or undefined when it is. Shared by the parser (for
 * defaults), the run controller and the generated scripts' rules, so all three agree.
 */
export function checkInputValue(
  spec: InputRules,
  value: string | undefined,
  compiled?: RegExp,
): string | undefined {
  if (value === undefined || value === '') return spec.required ? 'a value is required.' : undefined;
  const carried = environmentValueProblem(value);
  if (carried) return carried;
  if (spec.secret) {
    const unmaskable = secretValueProblem(value);
    if (unmaskable) return unmaskable;
  }
  if (spec.type === 'number') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) return `"${value}" is not a number.`;
    if (spec.min !== undefined && n < spec.min) return `${n} is below the minimum ${spec.min}.`;
    if (spec.max !== undefined && n > spec.max) return `${n} is above the maximum ${spec.max}.`;
  }
  if (spec.type === 'boolean' && value !== 'true' && value !== 'false') return 'must be true or false.';
  if (spec.choices && !spec.choices.includes(value)) return `must be one of ${spec.choices.join(', ')}.`;
  if (spec.pattern !== undefined) {
    const regex = compiled ?? new RegExp(spec.pattern, 'u');
    if (!regex.test(value)) return `does not match the pattern ${spec.pattern}.`;
  }
  return undefined;
}

/**
 * Why `value` cannot travel to a step in an environment variable, or undefined when it can: a NUL
 * character ends a variable's value (the process could not be started), and the kernel caps a
 * variable's size. Any value (declared input, placeholder or asked-for variable) must pass.
 */
export function environmentValueProblem(value: string): string | undefined {
  if (value.includes('\0')) return 'the value contains a NUL character (\\0), which no environment variable can hold.';
  const bytes = utf8Length(value, MAX_INPUT_VALUE_BYTES);
  if (bytes > MAX_INPUT_VALUE_BYTES) {
    return `the value is too long (more than ${MAX_INPUT_VALUE_BYTES / 1024} KiB): values reach the steps as environment variables, which cannot hold that much. Pass a file name instead.`;
  }
  return undefined;
}

/**
 * Why a secret's value must be refused where it is entered, or undefined when it is fine: output
 * is masked only for secrets of MIN_SECRET_LENGTH characters or more (not counting spaces around
 * them, since a value may be printed trimmed).
 */
export function secretValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.trim().length < MIN_SECRET_LENGTH) {
    return `a secret must be at least ${MIN_SECRET_LENGTH} characters long (not counting spaces around it): a shorter one could not be masked in the output.`;
  }
  return undefined;
}

/** UTF-8 length of `text`, counting no further than just past `limit`. */
function utf8Length(text: string, limit: number): number {
  // Every UTF-16 unit is at least one byte and at most three (a surrogate pair is four for two).
  if (text.length > limit) return text.length;
  if (text.length * 3 <= limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
