// The shell lexer behind analyzeShell: one pass over a step's code with an explicit stack of
// contexts (commands, double quotes, here-document bodies, `${…}`, arithmetic), no recursion, so
// time is linear in the code's length and nesting depth costs heap, never the call stack. It knows
// quotes, escapes, comments, here-documents, `$(…)`, backticks, arithmetic and the simple commands
// that assign variables (`NAME=`, `read`, `export`, `declare`, `for` …), which is what real
// runbooks need; it is not a full shell parser.

import { isLiteralToken, placeholderVariable } from './shellNames';
import type { Expansion, HereDocument, Occurrence, Placeholder, ShellAnalysis } from './shellAnalysis';

export function lexShell(code: string): ShellAnalysis {
  return new ShellLexer(code).analyze();
}

/**
 * The here-documents one command line opens, in order (their bodies follow the line in that
 * order). Read with the analysis' own pattern, without its quoting context: for transcripts,
 * where a line is all there is.
 */
export function hereDocumentsOpened(line: string): HereDocument[] {
  const found: HereDocument[] = [];
  for (let at = line.indexOf('<<'); at >= 0; at = line.indexOf('<<', at + 2)) {
    if (line[at - 1] === '<' || line[at + 2] === '<') {
      // `<<<`, a here-string: skip all of its angle brackets.
      while (line[at + 2] === '<') at++;
      continue;
    }
    HEREDOC_AT.lastIndex = at;
    const match = HEREDOC_AT.exec(line);
    if (match) found.push(hereDocument(match).doc);
  }
  return found;
}

function hereDocument(match: RegExpExecArray): { doc: HereDocument; quoted: boolean } {
  const word = match[2];
  return { doc: { delimiter: word.replace(/['"\\]/g, ''), stripTabs: match[1] === '-' }, quoted: /['"\\]/.test(word) };
}

/** Where values land: the names expanded into a word or arithmetic expression, to mark them arithmetic when it is. */
interface Sink {
  names?: Occurrence[];
  /** Indexes into the placeholders found. */
  placeholders?: number[];
  /** Plain names in the text, read as variables if the text is arithmetic (`let x=y+1`, `a[i]`). */
  bareNames?: Occurrence[];
  /** Whether plain names are collected at all. */
  bare: boolean;
  /** Whether `name=` / `name++` in the text assigns `name` (arithmetic text, not a deferred value). */
  assigns: boolean;
}

/** A word of a simple command, as far as the analysis needs it. */
interface Word {
  start: number;
  /** Literal text with quotes removed and `\0` for each expansion, up to WORD_TEXT_LIMIT characters. */
  text: string;
  /** Whether anything in it is expanded, so its text is not what runs. */
  dynamic: boolean;
  /** Values landing in the word outside a subscript. */
  base: Sink;
  /** Where values land now: base, subscript or value. */
  sink: Sink;
  /** `NAME[…]` at its start: the subscript's sink. */
  subscript?: Sink;
  subscriptDepth: number;
  subscriptClosed: boolean;
  bracketSeen: boolean;
  equalsSeen: boolean;
  /** `NAME=`, `NAME[…]=`, `NAME+=` or (in `arr=( … )`) `[…]=`: the name assigned, '' for an array element. */
  target?: string;
  /** The assigned value's sink. */
  value?: Sink;
  /** Open `@(`/`!(` … extglob groups. */
  extglob: number;
}

type Phase = 'start' | 'args' | 'for-var' | 'function-name' | 'case-subject' | 'pattern';

interface CommandState {
  phase: Phase;
  /** The command's name when literal: `read`, `export` … */
  name?: string;
  optionArgument: boolean;
  optionArray: boolean;
  optionsEnded: boolean;
  operands: number;
  declaration?: { export: boolean; integer: boolean; associative: boolean };
  /** `let`: every argument is arithmetic. */
  arithmeticWords: boolean;
  doubleBracket: boolean;
  /** In `[[ ]]`, after `-eq` and its kind: the next operand is arithmetic. */
  arithmeticNext: boolean;
  /** The next word is a redirection's target. */
  redirectTarget: boolean;
  /** Inside `NAME=( … )`. */
  array?: { name: string; parens: number };
}

interface HereDoc extends HereDocument {
  /** `<<'EOF'`, `<<"EOF"` or `<<\EOF`: the body is taken literally. */
  quoted: boolean;
}

interface FrameBase {
  /** Where this context ends at the latest: the end of the code, or of the here-document body it is in. */
  limit: number;
  /** Whether variables expanded here are needed (false in a default's word). */
  needed: boolean;
}

/** Commands: the whole code, `$( … )`, `<( … )`, backticks. */
interface CommandFrame extends FrameBase {
  kind: 'command';
  close: '' | ')' | '`';
  parens: number;
  caseDepth: number;
  /** Here-documents opened on the current line, whose bodies start after it. */
  pending?: HereDoc[];
  word?: Word;
  previous?: Word;
  state: CommandState;
}

interface QuoteFrame extends FrameBase {
  kind: 'dquote';
  sink?: Sink;
  word?: Word;
}

interface HereDocFrame extends FrameBase {
  kind: 'heredoc';
  /** Index after the delimiter line. */
  after: number;
  rest: HereDoc[];
  owner: CommandFrame;
}

interface ParamFrame extends FrameBase {
  kind: 'param';
  phase: 'operator' | 'word' | 'end';
  name?: string;
  at: number;
  length: boolean;
  /** The enclosing word's sink, when the parameter's value lands in it. */
  sink?: Sink;
  /** Where the operator's word lands (`${X:-$Y}`: Y lands where X would). */
  wordSink?: Sink;
  /** Inside double quotes: single quotes in the word are literal. */
  quoted: boolean;
  braces: number;
}

interface ArithFrame extends FrameBase {
  kind: 'arith';
  close: '))' | ']' | '}';
  parens: number;
  brackets: number;
  sink: Sink;
  /** A subscript of this array: arithmetic unless the array is associative. */
  array?: string;
}

type Frame = CommandFrame | QuoteFrame | HereDocFrame | ParamFrame | ArithFrame;

/** Longest word text kept: enough for every keyword, option and `NAME=` the analysis looks at. */
const WORD_TEXT_LIMIT = 256;
const NAME_ONLY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME_AT = /[A-Za-z_][A-Za-z0-9_]*/y;
const PLACEHOLDER_AT = /<([A-Za-z][A-Za-z0-9_.-]*)>/y;
const CLOSING_TAG = /<\/([A-Za-z][A-Za-z0-9_.-]*)\s*>/g;
/** `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`, `<<\EOF` (not the here-string `<<<`). */
const HEREDOC_AT = /<<(-?)[ \t]*((?:'[^'\n]*'|"[^"\n]*"|\\?[^\s;&|<>()'"`])+)/y;
const SUBSCRIPTED_TARGET = /^(?:[A-Za-z_][A-Za-z0-9_]*)?\[[^]*\]$/;
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'for', 'select', 'case', 'esac', 'function', 'time', '!', '{', '}', '[[', 'coproc']);
const DECLARATIONS = new Set(['export', 'local', 'declare', 'typeset', 'readonly']);
/** `[[ a -eq b ]]` and its kind compare both sides as arithmetic. */
const TEST_ARITHMETIC = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
/** Options of `read` and `mapfile` that take an argument (`read -p PROMPT`, `read -n 1`). */
const READ_ARGUMENT_OPTIONS = 'adinNptu';
const MAPFILE_ARGUMENT_OPTIONS = 'dnOsuCc';

const isNameStart = (c: string | undefined) => c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_');
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isNameChar = (c: string | undefined) => isNameStart(c) || isDigit(c);

/** Which ASCII characters end a run of plain text in a context (a table by character code). */
function specials(characters: string): Uint8Array {
  const table = new Uint8Array(128);
  for (const c of characters) table[c.charCodeAt(0)] = 1;
  return table;
}
const COMMAND_SPECIAL = specials(' \t\r\n\\#\'"`$;&|()<>[]=');
const DQUOTE_SPECIAL = specials('"\\$`<');
const HEREDOC_SPECIAL = specials('\\$`<');
const PARAM_SPECIAL = specials('{}\\$"\'`<');
const ARITH_SPECIAL = specials('()[]{}\\$"\'`<');

function newSink(bare = false, assigns = false): Sink {
  return { bare, assigns };
}

function isEmpty(sink: Sink): boolean {
  return !sink.names && !sink.placeholders && !sink.bareNames;
}

function freshState(): CommandState {
  return resetState({} as CommandState);
}

/** `state` as at the start of a command (reused: a step can have many commands). */
function resetState(state: CommandState): CommandState {
  state.phase = 'start';
  state.name = undefined;
  state.optionArgument = false;
  state.optionArray = false;
  state.optionsEnded = false;
  state.operands = 0;
  state.declaration = undefined;
  state.arithmeticWords = false;
  state.doubleBracket = false;
  state.arithmeticNext = false;
  state.redirectTarget = false;
  state.array = undefined;
  return state;
}

function appendText(word: Word, text: string): void {
  if (word.text.length < WORD_TEXT_LIMIT) word.text += text.length > WORD_TEXT_LIMIT ? text.slice(0, WORD_TEXT_LIMIT) : text;
}

class ShellLexer {
  private i = 0;
  private readonly n: number;
  private readonly stack: Frame[] = [];
  private readonly placeholders: Placeholder[] = [];
  private readonly references: string[] = [];
  private readonly seen = new Set<string>();
  private readonly expansions: Expansion[] = [];
  private readonly assigned = new Set<string>();
  private readonly exported = new Set<string>();
  private readonly arithmetic: Occurrence[] = [];
  private readonly integers = new Set<string>();
  private readonly associative = new Set<string>();
  /** Values assigned to names, arithmetic if the name turns out to be `declare -i`. */
  private readonly assignments: Array<{ name: string; sink: Sink }> = [];
  /** Subscripts, arithmetic unless their array turns out to be `declare -A`. */
  private readonly subscripts: Array<{ array: string; sink: Sink }> = [];
  private readonly closingTags = new Set<string>();
  private lineStarts?: number[];
  private linesByText?: Map<string, number[]>;
  private linesByStripped?: Map<string, number[]>;

  constructor(private readonly code: string) {
    this.n = code.length;
    if (code.includes('</')) for (const match of code.matchAll(CLOSING_TAG)) this.closingTags.add(match[1]);
  }

  analyze(): ShellAnalysis {
    const top = this.commandFrame('', this.n, true);
    this.stack.push(top);
    for (;;) {
      const frame = this.stack[this.stack.length - 1];
      if (this.i >= frame.limit) {
        if (this.stack.length === 1) break;
        this.close(frame);
        continue;
      }
      switch (frame.kind) {
        case 'command':
          this.commandStep(frame);
          break;
        case 'dquote':
          this.quoteStep(frame);
          break;
        case 'heredoc':
          this.hereDocStep(frame);
          break;
        case 'param':
          this.paramStep(frame);
          break;
        case 'arith':
          this.arithStep(frame);
          break;
      }
    }
    this.endWord(top);
    for (const { name, sink } of this.assignments) if (this.integers.has(name)) this.mark(sink);
    for (const { array, sink } of this.subscripts) if (!this.associative.has(array)) this.mark(sink);
    const byStart = (a: Occurrence, b: Occurrence) => a.start - b.start;
    return {
      placeholders: this.placeholders,
      references: this.references,
      expansions: this.expansions.sort(byStart),
      assigned: this.assigned,
      exported: this.exported,
      arithmetic: this.arithmetic.sort(byStart),
    };
  }

  // ---- frames

  private commandFrame(close: CommandFrame['close'], limit: number, needed: boolean): CommandFrame {
    return { kind: 'command', close, parens: 0, caseDepth: 0, state: freshState(), limit, needed };
  }

  private arithFrame(close: ArithFrame['close'], parent: Frame, needed = parent.needed, array?: string): ArithFrame {
    return { kind: 'arith', close, parens: 0, brackets: 0, sink: newSink(true, true), array, limit: parent.limit, needed };
  }

  /** Ends `frame` (the top one), at its end or because its context ended around it. */
  private close(frame: Frame): void {
    this.stack.pop();
    switch (frame.kind) {
      case 'command': {
        this.endWord(frame);
        // Here-documents opened in a `$( … )` that closed on the same line belong to the line.
        if (frame.pending) {
          for (let k = this.stack.length - 1; k >= 0; k--) {
            const owner = this.stack[k];
            if (owner.kind === 'command') {
              (owner.pending ??= []).push(...frame.pending);
              break;
            }
          }
        }
        break;
      }
      case 'heredoc':
        this.i = Math.max(this.i, frame.after);
        if (frame.rest.length > 0) this.startHereDocs(frame.owner, frame.rest);
        break;
      case 'param':
        if (frame.phase === 'operator') this.recordParameter(frame, frame.needed, true);
        break;
      case 'arith':
        if (frame.array !== undefined) this.subscripts.push({ array: frame.array, sink: frame.sink });
        else this.mark(frame.sink);
        break;
      case 'dquote':
        break;
    }
  }

  // ---- what is found

  private reference(name: string, at: number, needed: boolean): Occurrence {
    const occurrence: Expansion = { name, start: at, end: at + name.length, needed };
    this.expansions.push(occurrence);
    if (needed && !this.seen.has(name)) {
      this.seen.add(name);
      this.references.push(name);
    }
    return occurrence;
  }

  /** The values landing in `sink` are evaluated as arithmetic. */
  private mark(sink: Sink): void {
    for (const { name, start, end } of sink.names ?? []) this.arithmetic.push({ name, start, end });
    for (const index of sink.placeholders ?? []) {
      const placeholder = this.placeholders[index];
      this.arithmetic.push({ name: placeholder.variable, start: placeholder.start, end: placeholder.end });
    }
    for (const occurrence of sink.bareNames ?? []) {
      this.arithmetic.push(occurrence);
      this.expansions.push({ ...occurrence, needed: false });
    }
  }

  /** A placeholder (or a literal token like `<none>`) at `at`: where it ends; undefined when there is neither. */
  private placeholderAt(at: number, quoted: boolean, sink: Sink | undefined): { end: number; literal: boolean } | undefined {
    if (this.code[at - 1] === '<') return undefined;
    PLACEHOLDER_AT.lastIndex = at;
    const match = PLACEHOLDER_AT.exec(this.code);
    if (!match) return undefined;
    const end = at + match[0].length;
    const name = match[1];
    if (isLiteralToken(name) || this.closingTags.has(name)) return { end, literal: true };
    const index = this.placeholders.push({ text: match[0], variable: placeholderVariable(name), start: at, end, quoted }) - 1;
    if (sink) (sink.placeholders ??= []).push(index);
    return { end, literal: false };
  }

  /** Plain names in `from`–`to` of arithmetic text; numbers (`0x1f`, `16#ff`) are skipped whole. */
  private bareRun(sink: Sink, from: number, to: number): void {
    const code = this.code;
    for (let k = from; k < to; ) {
      const c = code[k];
      if (isDigit(c)) {
        k++;
        while (k < to && (isNameChar(code[k]) || code[k] === '#' || code[k] === '@')) k++;
      } else if (isNameStart(c)) {
        let j = k + 1;
        while (j < to && isNameChar(code[j])) j++;
        const name = code.slice(k, j);
        (sink.bareNames ??= []).push({ name, start: k, end: j });
        if (sink.assigns && (this.assignsAfter(j) || (code[k - 1] === code[k - 2] && (code[k - 1] === '+' || code[k - 1] === '-')))) this.assigned.add(name);
        k = j;
      } else k++;
    }
  }

  /** Whether an arithmetic assignment operator (`=`, `+=`, `<<=`, `++` …) follows `at`. */
  private assignsAfter(at: number): boolean {
    const code = this.code;
    let j = at;
    while (code[j] === ' ' || code[j] === '\t') j++;
    const c = code[j];
    const d = code[j + 1];
    if (c === '=') return d !== '=';
    if ((c === '+' || c === '-') && d === c) return true;
    if ('+-*/%&^|'.includes(c ?? '\n') && d === '=') return true;
    return (c === '<' || c === '>') && d === c && code[j + 2] === '=';
  }

  /** Skips a single-quoted string whose opening quote is before `from`; returns the index after its closing quote. */
  private singleQuoteEnd(from: number, limit: number): number {
    let j = from;
    while (j < limit && this.code[j] !== "'") j++;
    return Math.min(j + 1, limit);
  }

  /** Skips `$'…'` from its `'` at `from`; returns the index after it. */
  private ansiQuoteEnd(from: number, limit: number): number {
    let j = from + 1;
    while (j < limit && this.code[j] !== "'") j += this.code[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, limit);
  }

  /** Index of the end of the line at `from` (its newline, or `limit`). */
  private lineEnd(from: number, limit: number): number {
    let j = from;
    while (j < limit && this.code[j] !== '\n') j++;
    return j;
  }

  /** The end of a plain run from `from`: the first character in `special`, or `limit`. */
  private runEnd(from: number, limit: number, special: Uint8Array): number {
    const code = this.code;
    let j = from;
    for (; j < limit; j++) {
      const c = code.charCodeAt(j);
      if (c < 128 && special[c] === 1) break;
    }
    return j;
  }

  // ---- `$`

  /** `$…` at `i`: a variable, `${…}`, `$(…)`, `$((…))`, `$[…]`, `$'…'` or a lone `$`. */
  private dollar(frame: Frame, sink: Sink | undefined, word: Word | undefined, unquoted: boolean): void {
    const code = this.code;
    const i = this.i;
    const next = code[i + 1];
    const expands = next === '(' || next === '[' || next === '{' || isNameStart(next) || isDigit(next) || (next !== undefined && '@*#?$!-'.includes(next));
    if (word && expands) {
      word.dynamic = true;
      appendText(word, '\0');
    }
    if (next === '(') {
      if (code[i + 2] === '(') {
        this.stack.push(this.arithFrame('))', frame));
        this.i = i + 3;
      } else {
        this.stack.push(this.commandFrame(')', frame.limit, frame.needed));
        this.i = i + 2;
      }
      return;
    }
    if (next === '[') {
      this.stack.push(this.arithFrame(']', frame));
      this.i = i + 2;
      return;
    }
    if (next === '{') {
      this.parameter(frame, sink, !unquoted);
      return;
    }
    if (next === "'" && unquoted) {
      this.i = this.ansiQuoteEnd(i + 1, frame.limit);
      return;
    }
    if (isNameStart(next)) {
      let end = i + 2;
      while (end < frame.limit && isNameChar(code[end])) end++;
      const occurrence = this.reference(code.slice(i + 1, end), i + 1, frame.needed);
      if (sink) (sink.names ??= []).push(occurrence);
      this.i = end;
      return;
    }
    // `$1`, `$@`, `$?` …; a `$` before `"` is a translated string, read as the quotes it is.
    this.i = expands ? i + 2 : i + 1;
  }

  /** `${` at `i`: reads the parameter's name, then its subscript and operator in a frame of its own. */
  private parameter(parent: Frame, sink: Sink | undefined, quoted: boolean): void {
    const code = this.code;
    let j = this.i + 2;
    let length = false;
    let indirect = false;
    if (code[j] === '!' && (isNameChar(code[j + 1]) || code[j + 1] === '@' || code[j + 1] === '*')) {
      indirect = true;
      j++;
    } else if (code[j] === '#' && code[j + 1] !== '}' && code[j + 1] !== undefined && (isNameChar(code[j + 1]) || '@*!?$#-'.includes(code[j + 1]))) {
      length = true;
      j++;
    }
    const at = j;
    let name: string | undefined;
    NAME_AT.lastIndex = j;
    const match = NAME_AT.exec(code);
    if (match) {
      name = match[0];
      j += name.length;
    } else if (isDigit(code[j])) {
      while (isDigit(code[j])) j++;
    } else if (code[j] !== undefined && '@*#?$!-'.includes(code[j])) j++;
    const frame: ParamFrame = {
      kind: 'param',
      phase: 'operator',
      name: indirect ? undefined : name,
      at,
      length,
      sink: length || indirect ? undefined : sink,
      quoted,
      braces: 0,
      limit: parent.limit,
      needed: parent.needed,
    };
    this.stack.push(frame);
    if (code[j] === '[') {
      if ((code[j + 1] === '@' || code[j + 1] === '*') && code[j + 2] === ']') j += 3;
      else {
        // `${a[$i]}`: the subscript is arithmetic for an indexed array.
        this.stack.push(this.arithFrame(']', frame, false, name ?? ''));
        this.i = j + 1;
        return;
      }
    }
    this.i = j;
  }

  private recordParameter(frame: ParamFrame, needed: boolean, valueLands: boolean): void {
    if (frame.name === undefined) return;
    const occurrence = this.reference(frame.name, frame.at, needed);
    if (valueLands && !frame.length && frame.sink) (frame.sink.names ??= []).push(occurrence);
  }

  private paramStep(frame: ParamFrame): void {
    const code = this.code;
    const i = this.i;
    const c = code[i];
    if (frame.phase === 'operator') {
      let operator = '';
      let j = i;
      if (c === '}') {
        this.recordParameter(frame, frame.needed, true);
        this.stack.pop();
        this.i = i + 1;
        return;
      }
      if (c === ':' && !'-=+?'.includes(code[i + 1] ?? '\n')) {
        // `${s:offset:length}`: both are arithmetic.
        this.recordParameter(frame, frame.needed, true);
        frame.phase = 'end';
        frame.needed = false;
        this.stack.push(this.arithFrame('}', frame, false));
        this.i = i + 1;
        return;
      }
      if (c === ':') j++;
      if ('-=+?'.includes(code[j] ?? '\n')) operator = code[j++];
      else if ('#%/^,@'.includes(code[j] ?? '\n')) {
        operator = code[j++];
        if (code[j] === operator && operator !== '@') j++;
      }
      // With a default (:- - := =) or an alternative (:+ +), the value is not needed.
      const conditional = operator === '-' || operator === '=' || operator === '+';
      this.recordParameter(frame, frame.needed && !conditional, operator !== '+');
      frame.wordSink = conditional || operator === '/' ? frame.sink : undefined;
      frame.phase = 'word';
      // Expansions in the operator's word (`${X:-$FALLBACK}`) are read only sometimes: not needed.
      frame.needed = false;
      this.i = j;
      return;
    }
    if (frame.phase === 'end' && c !== '}') frame.phase = 'word';
    switch (c) {
      case '}':
        if (frame.braces === 0) {
          this.stack.pop();
        } else frame.braces--;
        this.i = i + 1;
        return;
      case '{':
        frame.braces++;
        this.i = i + 1;
        return;
      case '\\':
        this.i = i + 2;
        return;
      case '$':
        this.dollar(frame, frame.wordSink, undefined, !frame.quoted);
        return;
      case '"':
        this.stack.push({ kind: 'dquote', sink: frame.wordSink, limit: frame.limit, needed: false });
        this.i = i + 1;
        return;
      case "'":
        this.i = frame.quoted ? i + 1 : this.singleQuoteEnd(i + 1, frame.limit);
        return;
      case '`':
        this.stack.push(this.commandFrame('`', frame.limit, false));
        this.i = i + 1;
        return;
      case '<':
        this.i = this.placeholderAt(i, frame.quoted, frame.wordSink)?.end ?? i + 1;
        return;
      default:
        this.i = Math.max(i + 1, this.runEnd(i, frame.limit, PARAM_SPECIAL));
    }
  }

  // ---- arithmetic

  private arithStep(frame: ArithFrame): void {
    const code = this.code;
    const i = this.i;
    const c = code[i];
    switch (c) {
      case ')':
        if (frame.parens > 0) frame.parens--;
        else if (frame.close === '))') {
          this.close(frame);
          this.i = code[i + 1] === ')' ? i + 2 : i + 1;
          return;
        }
        this.i = i + 1;
        return;
      case '(':
        frame.parens++;
        this.i = i + 1;
        return;
      case ']':
        if (frame.brackets > 0) frame.brackets--;
        else if (frame.close === ']') {
          this.close(frame);
          this.i = i + 1;
          return;
        }
        this.i = i + 1;
        return;
      case '[':
        frame.brackets++;
        this.i = i + 1;
        return;
      case '}':
        if (frame.close === '}') {
          this.close(frame);
          return;
        }
        this.i = i + 1;
        return;
      case '\\':
        this.i = i + 2;
        return;
      case '$':
        this.dollar(frame, frame.sink, undefined, true);
        return;
      case '"':
        this.stack.push({ kind: 'dquote', sink: frame.sink, limit: frame.limit, needed: frame.needed });
        this.i = i + 1;
        return;
      case "'":
        this.i = this.singleQuoteEnd(i + 1, frame.limit);
        return;
      case '`':
        this.stack.push(this.commandFrame('`', frame.limit, frame.needed));
        this.i = i + 1;
        return;
      case '<':
        this.i = this.placeholderAt(i, false, frame.sink)?.end ?? i + 1;
        return;
      default: {
        const end = Math.max(i + 1, this.runEnd(i, frame.limit, ARITH_SPECIAL));
        this.bareRun(frame.sink, i, end);
        this.i = end;
      }
    }
  }

  // ---- double quotes and here-document bodies

  private quoteStep(frame: QuoteFrame): void {
    const code = this.code;
    const i = this.i;
    switch (code[i]) {
      case '"':
        this.stack.pop();
        this.i = i + 1;
        return;
      case '\\':
        if (frame.word) appendText(frame.word, code[i + 1] ?? '');
        this.i = i + 2;
        return;
      case '$':
        this.dollar(frame, frame.sink, frame.word, false);
        return;
      case '`':
        if (frame.word) {
          frame.word.dynamic = true;
          appendText(frame.word, '\0');
        }
        this.stack.push(this.commandFrame('`', frame.limit, frame.needed));
        this.i = i + 1;
        return;
      case '<': {
        const found = this.placeholderAt(i, true, frame.sink);
        if (found && frame.word) {
          if (found.literal) appendText(frame.word, code.slice(i, found.end));
          else {
            frame.word.dynamic = true;
            appendText(frame.word, '\0');
          }
        } else if (frame.word) appendText(frame.word, '<');
        this.i = found?.end ?? i + 1;
        return;
      }
      default: {
        const end = Math.max(i + 1, this.runEnd(i, frame.limit, DQUOTE_SPECIAL));
        if (frame.word) appendText(frame.word, code.slice(i, Math.min(end, i + WORD_TEXT_LIMIT)));
        if (frame.sink?.bare) this.bareRun(frame.sink, i, end);
        this.i = end;
      }
    }
  }

  private hereDocStep(frame: HereDocFrame): void {
    const i = this.i;
    switch (this.code[i]) {
      case '\\':
        this.i = i + 2;
        return;
      case '$':
        this.dollar(frame, undefined, undefined, false);
        return;
      case '`':
        this.stack.push(this.commandFrame('`', frame.limit, frame.needed));
        this.i = i + 1;
        return;
      case '<':
        this.i = this.placeholderAt(i, true, undefined)?.end ?? i + 1;
        return;
      default:
        this.i = Math.max(i + 1, this.runEnd(i, frame.limit, HEREDOC_SPECIAL));
    }
  }

  /** Reads the bodies of `docs` from `i` (the start of the line after the one that opened them). */
  private startHereDocs(owner: CommandFrame, docs: HereDoc[]): void {
    let at = this.i;
    while (docs.length > 0) {
      const doc = docs.shift()!;
      const { end, after } = this.delimiterLine(doc, at, owner.limit);
      if (doc.quoted) {
        at = after;
        continue;
      }
      this.stack.push({ kind: 'heredoc', limit: end, after, rest: docs, owner, needed: owner.needed });
      break;
    }
    this.i = at;
  }

  /** Where the body from `from` ends: the start of its delimiter line and the index after that line. */
  private delimiterLine(doc: HereDoc, from: number, limit: number): { end: number; after: number } {
    const starts = (this.lineStarts ??= this.indexLines());
    const lines = doc.stripTabs ? (this.linesByStripped ??= this.linesBy(starts, true)) : (this.linesByText ??= this.linesBy(starts, false));
    const candidates = lines.get(doc.delimiter);
    if (candidates) {
      // The first candidate line starting at or after `from` (binary search: lines are in order).
      let low = 0;
      let high = candidates.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (starts[candidates[middle]] < from) low = middle + 1;
        else high = middle;
      }
      if (low < candidates.length) {
        const line = candidates[low];
        const end = starts[line];
        if (end < limit) return { end, after: Math.min(line + 1 < starts.length ? starts[line + 1] : this.n, limit) };
      }
    }
    return { end: limit, after: limit };
  }

  /** Where each line of the code starts. */
  private indexLines(): number[] {
    const starts = [0];
    for (let at = this.code.indexOf('\n'); at >= 0; at = this.code.indexOf('\n', at + 1)) starts.push(at + 1);
    return starts;
  }

  /** The lines by their text (without leading tabs for `<<-`), each a list of line numbers in order. */
  private linesBy(starts: number[], stripTabs: boolean): Map<string, number[]> {
    const lines = new Map<string, number[]>();
    for (let line = 0; line < starts.length; line++) {
      let text = this.code.slice(starts[line], line + 1 < starts.length ? starts[line + 1] - 1 : this.n);
      if (stripTabs) text = text.replace(/^\t+/, '');
      const list = lines.get(text);
      if (list) list.push(line);
      else lines.set(text, [line]);
    }
    return lines;
  }

  // ---- commands

  private beginWord(frame: CommandFrame, at: number): Word {
    if (frame.word) return frame.word;
    const state = frame.state;
    const base = newSink(state.arithmeticWords || state.arithmeticNext, state.arithmeticWords);
    frame.word = {
      start: at,
      text: '',
      dynamic: false,
      base,
      sink: base,
      subscriptDepth: 0,
      subscriptClosed: false,
      bracketSeen: false,
      equalsSeen: false,
      extglob: 0,
    };
    return frame.word;
  }

  private commandStep(frame: CommandFrame): void {
    const code = this.code;
    const i = this.i;
    const c = code[i];
    const state = frame.state;
    switch (c) {
      case ' ':
      case '\t':
      case '\r':
        this.endWord(frame);
        this.i = i + 1;
        return;
      case '\n':
        this.endWord(frame);
        if (!state.array) this.endCommand(frame, true);
        this.i = i + 1;
        if (frame.pending) {
          const docs = frame.pending;
          frame.pending = undefined;
          this.startHereDocs(frame, docs);
        }
        return;
      case '\\':
        if (code[i + 1] !== '\n') appendText(this.beginWord(frame, i), code[i + 1] ?? '');
        this.i = i + 2;
        return;
      case '#':
        if (!frame.word) {
          this.i = this.lineEnd(i, frame.limit);
          return;
        }
        appendText(frame.word, '#');
        this.i = i + 1;
        return;
      case "'": {
        const word = this.beginWord(frame, i);
        const end = this.singleQuoteEnd(i + 1, frame.limit);
        appendText(word, code.slice(i + 1, Math.min(end - 1, i + 1 + WORD_TEXT_LIMIT)));
        this.i = end;
        return;
      }
      case '"': {
        const word = this.beginWord(frame, i);
        this.stack.push({ kind: 'dquote', sink: word.sink, word, limit: frame.limit, needed: frame.needed });
        this.i = i + 1;
        return;
      }
      case '`': {
        if (frame.close === '`') {
          this.close(frame);
          this.i = i + 1;
          return;
        }
        const word = this.beginWord(frame, i);
        word.dynamic = true;
        appendText(word, '\0');
        this.stack.push(this.commandFrame('`', frame.limit, frame.needed));
        this.i = i + 1;
        return;
      }
      case '$': {
        const word = this.beginWord(frame, i);
        this.dollar(frame, word.sink, word, true);
        return;
      }
      case ';': {
        this.endWord(frame);
        if (code[i + 1] === ';' || code[i + 1] === '&') {
          // `;;`, `;&`, `;;&` end a case item; a pattern follows.
          let j = i + 2;
          if (code[i + 1] === ';' && code[j] === '&') j++;
          this.endCommand(frame, false);
          if (frame.caseDepth > 0) frame.state.phase = 'pattern';
          this.i = j;
          return;
        }
        this.endCommand(frame, false);
        this.i = i + 1;
        return;
      }
      case '&':
        if (code[i + 1] === '>') {
          this.endWord(frame);
          this.i = i + (code[i + 2] === '>' ? 3 : 2);
          frame.state.redirectTarget = true;
          return;
        }
        this.endWord(frame);
        if (!state.doubleBracket) this.endCommand(frame, false);
        this.i = i + (code[i + 1] === '&' ? 2 : 1);
        return;
      case '|':
        this.endWord(frame);
        if (!state.doubleBracket) this.endCommand(frame, false);
        this.i = i + (code[i + 1] === '|' || code[i + 1] === '&' ? 2 : 1);
        return;
      case '(':
        this.openParen(frame);
        return;
      case ')':
        this.closeParen(frame);
        return;
      case '<':
      case '>':
        this.angle(frame);
        return;
      case '[': {
        const word = this.beginWord(frame, i);
        if (word.subscript && !word.subscriptClosed) word.subscriptDepth++;
        else if (!word.bracketSeen && !word.equalsSeen) {
          word.bracketSeen = true;
          if ((!word.dynamic && NAME_ONLY.test(word.text)) || (word.text === '' && state.array)) {
            word.subscript = newSink(true, true);
            word.subscriptDepth = 1;
            word.sink = word.subscript;
          }
        }
        appendText(word, '[');
        this.i = i + 1;
        return;
      }
      case ']': {
        const word = this.beginWord(frame, i);
        if (word.subscript && !word.subscriptClosed && --word.subscriptDepth === 0) {
          word.subscriptClosed = true;
          word.sink = word.base;
        }
        appendText(word, ']');
        this.i = i + 1;
        return;
      }
      case '=': {
        const word = this.beginWord(frame, i);
        if (!word.equalsSeen && (!word.subscript || word.subscriptClosed)) {
          word.equalsSeen = true;
          const target = word.text.endsWith('+') ? word.text.slice(0, -1) : word.text;
          if (word.text.length < WORD_TEXT_LIMIT && (NAME_ONLY.test(target) || (word.subscriptClosed && SUBSCRIPTED_TARGET.test(target)))) {
            word.target = /^[A-Za-z_][A-Za-z0-9_]*/.exec(target)?.[0] ?? '';
            // Plain names in the value are arithmetic only for `let` or an integer variable (`declare -i`).
            word.value = newSink(state.arithmeticWords || state.declaration?.integer === true || this.integers.has(word.target), state.arithmeticWords);
            word.sink = word.value;
          }
        }
        appendText(word, '=');
        this.i = i + 1;
        return;
      }
      default: {
        const word = this.beginWord(frame, i);
        const end = Math.max(i + 1, this.runEnd(i, frame.limit, COMMAND_SPECIAL));
        appendText(word, code.slice(i, Math.min(end, i + WORD_TEXT_LIMIT)));
        if (word.sink.bare) this.bareRun(word.sink, i, end);
        this.i = end;
      }
    }
  }

  private openParen(frame: CommandFrame): void {
    const code = this.code;
    const i = this.i;
    const state = frame.state;
    const word = frame.word;
    if (state.doubleBracket) {
      this.endWord(frame);
      frame.parens++;
      this.i = i + 1;
      return;
    }
    if (!word && code[i + 1] === '(' && (state.phase === 'start' || state.phase === 'for-var') && !state.redirectTarget) {
      // `(( … ))` where a command starts, also after `for`.
      state.phase = 'args';
      state.name = '((';
      this.stack.push(this.arithFrame('))', frame));
      this.i = i + 2;
      return;
    }
    if (word?.target && word.value && word.text.endsWith('=') && (state.phase === 'start' || state.declaration)) {
      // `NAME=( … )`: an array, whose `[…]=` elements have subscripts.
      const name = word.target;
      this.endWord(frame);
      state.array = { name, parens: frame.parens };
      frame.parens++;
      this.i = i + 1;
      return;
    }
    if (word && /[?*+@!]$/.test(word.text)) {
      word.extglob++;
      appendText(word, '(');
      this.i = i + 1;
      return;
    }
    if (!word && state.phase === 'pattern') {
      // `case x in (a) …`: the optional opening parenthesis of a pattern.
      this.i = i + 1;
      return;
    }
    this.endWord(frame);
    this.endCommand(frame, false);
    frame.parens++;
    this.i = i + 1;
  }

  private closeParen(frame: CommandFrame): void {
    const i = this.i;
    const state = frame.state;
    if (frame.word && frame.word.extglob > 0) {
      frame.word.extglob--;
      appendText(frame.word, ')');
      this.i = i + 1;
      return;
    }
    this.endWord(frame);
    if (state.array && frame.parens === state.array.parens + 1) {
      state.array = undefined;
      frame.parens--;
      this.i = i + 1;
      return;
    }
    if (frame.parens > 0) {
      frame.parens--;
      if (!state.doubleBracket) this.endCommand(frame, false);
      this.i = i + 1;
      return;
    }
    if (frame.caseDepth > 0) {
      // The end of a case pattern: commands follow.
      this.endCommand(frame, false);
      frame.state.phase = 'start';
      this.i = i + 1;
      return;
    }
    if (frame.close === ')') {
      this.close(frame);
      this.i = i + 1;
      return;
    }
    this.endCommand(frame, false);
    this.i = i + 1;
  }

  /** `<` or `>`: a placeholder, a literal token, a here-document, process substitution or a redirection. */
  private angle(frame: CommandFrame): void {
    const code = this.code;
    const i = this.i;
    const c = code[i];
    const state = frame.state;
    if (c === '<') {
      const found = this.placeholderAt(i, false, undefined);
      if (found) {
        // Part of a word: `storageconsumer-<ID>`.
        const word = this.beginWord(frame, i);
        if (found.literal) appendText(word, code.slice(i, found.end));
        else {
          (word.sink.placeholders ??= []).push(this.placeholders.length - 1);
          word.dynamic = true;
          appendText(word, '\0');
        }
        this.i = found.end;
        return;
      }
    }
    if (code[i + 1] === '(') {
      // `<( … )` and `>( … )`: commands whose output or input is a file name in the word.
      const word = this.beginWord(frame, i);
      word.dynamic = true;
      appendText(word, '\0');
      this.stack.push(this.commandFrame(')', frame.limit, frame.needed));
      this.i = i + 2;
      return;
    }
    if (state.doubleBracket) {
      // A string comparison in `[[ a < b ]]`.
      this.endWord(frame);
      this.i = i + 1;
      return;
    }
    // An fd number or `{var}` just before a redirection belongs to it: `2>&1`, `{fd}<file`.
    const word = frame.word;
    if (word && !word.dynamic && /^(?:[0-9]+|\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(word.text)) frame.word = undefined;
    else this.endWord(frame);
    const skipDescriptor = (from: number) => {
      let j = from;
      while (isDigit(code[j])) j++;
      return code[j] === '-' ? j + 1 : j;
    };
    if (c === '<') {
      if (code[i + 1] === '<') {
        if (code[i + 2] === '<') {
          this.i = i + 3;
          state.redirectTarget = true;
          return;
        }
        HEREDOC_AT.lastIndex = i;
        const match = HEREDOC_AT.exec(code);
        if (match) {
          const { doc, quoted } = hereDocument(match);
          (frame.pending ??= []).push({ ...doc, quoted });
          this.i = i + match[0].length;
          return;
        }
        this.i = i + 2;
        return;
      }
      if (code[i + 1] === '&') {
        this.i = skipDescriptor(i + 2);
        return;
      }
      this.i = i + (code[i + 1] === '>' ? 2 : 1);
      state.redirectTarget = true;
      return;
    }
    let j = i + 1;
    if (code[j] === '>' || code[j] === '|') j++;
    else if (code[j] === '&') {
      j++;
      if (isDigit(code[j]) || code[j] === '-') {
        this.i = skipDescriptor(j);
        return;
      }
    }
    this.i = j;
    state.redirectTarget = true;
  }

  private endCommand(frame: CommandFrame, newline: boolean): void {
    const phase = frame.state.phase;
    resetState(frame.state);
    // A case's subject and patterns run over lines and `;;`.
    if (phase === 'pattern' || (newline && phase === 'case-subject')) frame.state.phase = phase;
    frame.previous = undefined;
  }

  private endWord(frame: CommandFrame): void {
    const word = frame.word;
    if (!word) return;
    frame.word = undefined;
    const state = frame.state;
    if (state.redirectTarget) {
      state.redirectTarget = false;
      return;
    }
    const literal = !word.dynamic && word.text.length < WORD_TEXT_LIMIT;
    const text = word.text;
    if (state.doubleBracket) {
      if (literal && text === ']]') {
        state.doubleBracket = false;
        state.arithmeticNext = false;
        state.phase = 'args';
        frame.previous = undefined;
        return;
      }
      if (literal && TEST_ARITHMETIC.has(text)) {
        if (frame.previous) this.operand(frame.previous);
        state.arithmeticNext = true;
        frame.previous = undefined;
        return;
      }
      if (state.arithmeticNext) {
        state.arithmeticNext = false;
        this.operand(word);
        frame.previous = undefined;
        return;
      }
      frame.previous = word;
      return;
    }
    if (state.array) {
      if (word.subscript && word.subscriptClosed && word.value) this.subscripts.push({ array: state.array.name, sink: word.subscript });
      return;
    }
    switch (state.phase) {
      case 'start':
        if (literal && KEYWORDS.has(text)) {
          this.keyword(frame, text);
          return;
        }
        if (this.assignment(word, undefined)) return;
        state.phase = 'args';
        state.name = literal ? text : undefined;
        if (text === 'let') state.arithmeticWords = true;
        else if (DECLARATIONS.has(text)) state.declaration = { export: text === 'export', integer: false, associative: false };
        // `builtin read …`, `command read …`: the command is the next word.
        else if (text === 'builtin' || text === 'command') state.phase = 'start';
        return;
      case 'for-var':
        if (literal && NAME_ONLY.test(text)) this.assigned.add(text);
        state.phase = 'args';
        return;
      case 'function-name':
        state.phase = 'start';
        return;
      case 'case-subject':
        if (literal && text === 'in') state.phase = 'pattern';
        return;
      case 'pattern':
        if (literal && text === 'esac') {
          if (frame.caseDepth > 0) frame.caseDepth--;
          state.phase = 'args';
        }
        return;
      case 'args':
        this.argument(state, word, literal);
        return;
    }
  }

  private keyword(frame: CommandFrame, text: string): void {
    const state = frame.state;
    switch (text) {
      case 'for':
      case 'select':
        state.phase = 'for-var';
        return;
      case 'case':
        frame.caseDepth++;
        state.phase = 'case-subject';
        return;
      case 'esac':
        if (frame.caseDepth > 0) frame.caseDepth--;
        return;
      case 'function':
        state.phase = 'function-name';
        return;
      case '[[':
        state.doubleBracket = true;
        frame.previous = undefined;
        return;
      default:
      // if, then, do, while, !, { … stay at the start of a command.
    }
  }

  /** An operand of `[[ a -eq b ]]`: evaluated as arithmetic, a bare name as a variable. */
  private operand(word: Word): void {
    this.mark(word.base);
    if (word.value) this.mark(word.value);
    if (!word.dynamic && NAME_ONLY.test(word.text) && !word.base.bareNames) {
      const occurrence = { name: word.text, start: word.start, end: word.start + word.text.length };
      this.arithmetic.push(occurrence);
      this.expansions.push({ ...occurrence, needed: false });
    }
  }

  /** `NAME=…`, `NAME[…]=…`, `NAME+=…`: records it; false when the word is not an assignment. */
  private assignment(word: Word, declaration: CommandState['declaration']): boolean {
    const name = word.target;
    if (!name || !word.value) return false;
    this.assigned.add(name);
    if (declaration?.export) this.exported.add(name);
    if (declaration?.integer) this.integers.add(name);
    if (declaration?.associative) this.associative.add(name);
    if (word.subscript && word.subscriptClosed) this.subscripts.push({ array: name, sink: word.subscript });
    if (!isEmpty(word.value)) this.assignments.push({ name, sink: word.value });
    return true;
  }

  private argument(state: CommandState, word: Word, literal: boolean): void {
    const text = word.text;
    if (state.arithmeticWords) {
      // `let x=y+1 "z = $n"`: every argument is an arithmetic expression.
      this.mark(word.base);
      if (word.value) this.mark(word.value);
      if (word.subscript) this.mark(word.subscript);
      if (word.target) this.assigned.add(word.target);
      return;
    }
    const declaration = state.declaration;
    if (declaration) {
      if (!state.optionsEnded && literal && /^[-+][A-Za-z]+$/.test(text)) {
        if (text[0] === '-') {
          if (text.includes('x')) declaration.export = true;
          if (text.includes('i')) declaration.integer = true;
          if (text.includes('A')) declaration.associative = true;
        }
        return;
      }
      state.optionsEnded = true;
      if (literal && text === '--') return;
      if (this.assignment(word, declaration)) return;
      if (literal && NAME_ONLY.test(text)) {
        this.assigned.add(text);
        if (declaration.export) this.exported.add(text);
        if (declaration.integer) this.integers.add(text);
        if (declaration.associative) this.associative.add(text);
      }
      return;
    }
    switch (state.name) {
      case 'read':
        this.optionOrName(state, text, literal, READ_ARGUMENT_OPTIONS, true);
        return;
      case 'mapfile':
      case 'readarray':
        if (state.operands === 0) this.optionOrName(state, text, literal, MAPFILE_ARGUMENT_OPTIONS, false);
        return;
      case 'printf':
        if (state.optionArgument) {
          state.optionArgument = false;
          if (literal && NAME_ONLY.test(text)) this.assigned.add(text);
        } else if (!state.optionsEnded && literal && text === '-v') state.optionArgument = true;
        else state.optionsEnded = true;
        return;
      case 'getopts':
        if (++state.operands === 2 && literal && NAME_ONLY.test(text)) this.assigned.add(text);
        return;
      default:
    }
  }

  /**
   * An argument of `read` or `mapfile`: an option (whose argument may be attached, `-n1`, or the
   * next word, `-p "Name: "`; `-a NAME` names an array), or a variable it reads into.
   */
  private optionOrName(state: CommandState, text: string, literal: boolean, withArgument: string, manyNames: boolean): void {
    if (state.optionArgument) {
      state.optionArgument = false;
      if (state.optionArray && literal && NAME_ONLY.test(text)) this.assigned.add(text);
      state.optionArray = false;
      return;
    }
    if (!state.optionsEnded && literal && text.length > 1 && text.startsWith('-')) {
      if (text === '--') {
        state.optionsEnded = true;
        return;
      }
      for (let k = 1; k < text.length; k++) {
        if (!withArgument.includes(text[k])) continue;
        const attached = text.slice(k + 1);
        if (attached === '') {
          state.optionArgument = true;
          state.optionArray = manyNames && text[k] === 'a';
        } else if (manyNames && text[k] === 'a' && NAME_ONLY.test(attached)) this.assigned.add(attached);
        break;
      }
      return;
    }
    state.optionsEnded = true;
    state.operands++;
    if (literal && NAME_ONLY.test(text) && (manyNames || state.operands === 1)) this.assigned.add(text);
  }
}
