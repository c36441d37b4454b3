// parseRunbook: Markdown text → Runbook model, in one pass over markdown-it's block tokens so the
// model agrees with what any CommonMark renderer shows. It never throws on bad input: problems
// become diagnostics and the rest of the runbook still parses.

import * as crypto from 'node:crypto';
import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { parseExpectedAttributes, parseStepAttributes, type AttributeProblem } from './attributes';
import { durationProblem, parseDuration } from './duration';
import { markdownBody } from './body';
import { readInputs } from './inputs';
import { DEFAULT_LANGUAGES, DEFAULT_SHELL, fenceLanguage, isExpectedOutputLanguage, type LanguageInfo } from './languages';
import { createMarkdownIt } from './markdown';
import { SlugCounter } from './slug';
import { transcriptCommands } from './transcript';
import type { InputSpec, ManualStep, Runbook, RunbookDiagnostic, RunbookItem, RunbookMeta, Section, Step } from './types';

export interface ParseOptions {
  /** The file's path, for the fallback title and for messages. */
  path?: string;
  /** Runnable languages and their interpreters; defaults to DEFAULT_LANGUAGES. */
  languages?: Readonly<Record<string, LanguageInfo>>;
}

/**
 * The model needs the block structure of the whole document but the text of only a few inline
 * tokens (headings, the paragraph before each step, task items). `blockOnly` stops after
 * markdown-it's block pass; `full` parses one of those tokens' content on demand, with the same
 * configuration and the same env (link reference definitions) as markdown-it's own inline pass
 * would have: the same model, for well under half of the cost of a full parse of a long runbook
 * (`npm run bench`).
 */
let sharedMarkdownIt: { blockOnly: MarkdownIt; full: MarkdownIt } | undefined;

function markdownForModel(): { blockOnly: MarkdownIt; full: MarkdownIt } {
  if (!sharedMarkdownIt) {
    const blockOnly = createMarkdownIt();
    blockOnly.core.ruler.enableOnly(['normalize', 'block']);
    sharedMarkdownIt = { blockOnly, full: createMarkdownIt() };
  }
  return sharedMarkdownIt;
}

export function parseRunbook(text: string, options: ParseOptions = {}): Runbook {
  const md = markdownForModel();
  const diagnostics: RunbookDiagnostic[] = [];
  const { body, frontMatter } = markdownBody(text);
  // Not push(...): front matter can have more problems than a call can take arguments.
  if (frontMatter) for (const diagnostic of frontMatter.diagnostics) diagnostics.push(diagnostic);

  const { data, meta, inputs } = readFrontMatterFields(frontMatter, diagnostics);

  const env = {};
  const blocks = md.blockOnly.parse(body, env);
  const parseInline = (inline: Token) => md.full.parseInline(inline.content, env)[0];
  const languages = options.languages ?? DEFAULT_LANGUAGES;
  const builder = new ModelBuilder(body, meta, languages, diagnostics, parseInline, stepNames(blocks, languages));
  builder.walk(blocks);

  const title =
    (typeof data?.title === 'string' && data.title.trim()) || builder.firstH1 || titleFromPath(options.path) || 'Untitled runbook';
  diagnostics.sort((a, b) => a.line - b.line);
  return {
    path: options.path,
    title,
    meta,
    frontMatter: data,
    frontMatterRange: frontMatter && frontMatter.length > 0 ? frontMatter.range : undefined,
    inputs,
    sections: builder.sections,
    steps: builder.steps,
    manualSteps: builder.manualSteps,
    items: builder.items,
    diagnostics,
    lineCount: builder.lineCount,
  };
}

/**
 * Every `name` written on a step, wherever it is: a duplicate's generated id must not take a name
 * that a later step is given explicitly (that step's identity is its name).
 */
function stepNames(tokens: Token[], languages: Readonly<Record<string, LanguageInfo>>): Set<string> {
  const names = new Set<string>();
  for (const token of tokens) {
    if (token.type !== 'fence' || !token.info.includes('name') || !languages[fenceLanguage(token.info)]) continue;
    const name = parseStepAttributes(token.info).attributes.name;
    if (name) names.add(name);
  }
  return names;
}

function titleFromPath(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const base = path.split(/[\\/]/).pop() ?? '';
  return base.replace(/(\.runbook)?\.(md|markdown)$/i, '') || undefined;
}

/**
 * Meta and inputs from the front matter's data. The data is whatever YAML made of the text, so
 * this must not let anything escape: should a field's reader throw after all, the front matter is
 * ignored with a diagnostic and the body still parses.
 */
function readFrontMatterFields(
  frontMatter: ReturnType<typeof markdownBody>['frontMatter'],
  diagnostics: RunbookDiagnostic[],
): { data: Record<string, unknown> | undefined; meta: RunbookMeta; inputs: InputSpec[] } {
  const data = frontMatter?.data;
  const keyLine = (key: string) => frontMatter?.keyLines.get(key) ?? 0;
  const found: RunbookDiagnostic[] = [];
  try {
    const meta = readMeta(data, keyLine, found);
    const { inputs, diagnostics: inputProblems } =
      data?.inputs === undefined ? { inputs: [], diagnostics: [] } : readInputs(data.inputs, (name) => frontMatter?.keyLines.get(`inputs.${name}`) ?? keyLine('inputs'));
    for (const diagnostic of [...found, ...inputProblems]) diagnostics.push(diagnostic);
    return { data, meta, inputs };
  } catch (error) {
    const message = `Front matter could not be read (${error instanceof Error ? error.message : String(error)}); it is ignored.`;
    diagnostics.push({ severity: 'error', code: 'yaml', message, line: 0, endLine: 0 });
    return { data: undefined, meta: { tags: [], declaredRunbook: false }, inputs: [] };
  }
}

function readMeta(
  data: Record<string, unknown> | undefined,
  keyLine: (key: string) => number,
  diagnostics: RunbookDiagnostic[],
): RunbookMeta {
  const meta: RunbookMeta = { tags: [], declaredRunbook: false };
  if (!data) return meta;
  const warn = (key: string, message: string) => {
    const line = keyLine(key);
    diagnostics.push({ severity: 'warning', code: 'front-matter-value', message, line, endLine: line });
  };
  const text = (key: 'description' | 'owner' | 'environment' | 'shell' | 'cwd') => {
    const value = data[key];
    if (value === undefined || value === null) return;
    if (typeof value === 'string' || typeof value === 'number') meta[key] = String(value);
    else warn(key, `"${key}" should be text; it is ignored.`);
  };
  text('description');
  text('owner');
  text('environment');
  text('shell');
  text('cwd');
  if (data.title !== undefined && typeof data.title !== 'string') warn('title', '"title" should be text; it is ignored.');
  const tags = data.tags;
  if (Array.isArray(tags)) meta.tags = tags.map(String);
  else if (typeof tags === 'string') meta.tags = tags.split(',').map((t) => t.trim()).filter(Boolean);
  else if (tags !== undefined && tags !== null) warn('tags', '"tags" should be a list such as [payments, kubernetes].');
  if (data.timeout !== undefined) {
    meta.timeoutMs = parseDuration(data.timeout);
    if (meta.timeoutMs === undefined) {
      const line = keyLine('timeout');
      diagnostics.push({
        severity: 'error',
        code: 'bad-timeout',
        message: durationProblem(data.timeout) ?? '',
        line,
        endLine: line,
      });
    }
  }
  if (data.runbook !== undefined) {
    if (typeof data.runbook === 'boolean') meta.declaredRunbook = data.runbook;
    else warn('runbook', '"runbook" should be true or false.');
  }
  return meta;
}

/** Plain text of an inline token: what a reader sees, without Markdown punctuation. */
function inlineText(token: Token | undefined): string {
  if (!token) return '';
  if (!token.children) return token.content;
  let text = '';
  for (const child of token.children) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
    else if (child.type === 'image') text += inlineText(child);
  }
  return text.trim();
}

function firstSentence(paragraph: string): string {
  const match = /^(.+?[.!?])(?=\s|$)/.exec(paragraph);
  let sentence = (match ? match[1] : paragraph).trim().replace(/[:.]$/, '').trim();
  if (sentence.length > 80) sentence = `${sentence.slice(0, 79).trimEnd()}…`;
  return sentence;
}

// One-shot `crypto.hash` (Node ≥ 20.12) costs far less than a Hash object per step; the same digest.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

function shortHash(text: string): string {
  return sha256Hex(text).slice(0, 8);
}

/** Code as identity sees it: trailing spaces and blank lines do not make a new step. */
function normalizeCode(code: string): string {
  return code.replace(/[ \t]+$/gm, '').replace(/\s+$/, '');
}

/** Line breaks as markdown-it counts them: `\r\n`, `\r` and `\n`. */
function countLineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  if (text.includes('\r')) for (let at = text.indexOf('\r'); at >= 0; at = text.indexOf('\r', at + 1)) if (text.charCodeAt(at + 1) !== 10) count++;
  return count;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  if (!text.includes('\r')) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

const TASK_ITEM = /^\[([ xX])\]\s+/;

class ModelBuilder {
  readonly sections: Section[] = [];
  readonly steps: Step[] = [];
  readonly manualSteps: ManualStep[] = [];
  readonly items: RunbookItem[] = [];
  firstH1: string | undefined;
  readonly lineCount: number;

  private readonly body: string;
  /** Offset where each line of the body starts (markdown-it's line numbering), built on first use. */
  private lineStarts: number[] | undefined;
  private readonly slugs = new SlugCounter();
  private readonly ids = new Map<string, number>();
  private readonly issued = new Set<string>();
  private readonly names = new Map<string, number>();
  private sectionStack: number[] = [];
  /** The last paragraph's inline token: its text is only worked out when a step follows it. */
  private lastParagraph: Token | undefined;
  private awaitingExpected: Step | undefined;
  private stepsInSection = 0;

  constructor(
    body: string,
    private readonly meta: RunbookMeta,
    private readonly languages: Readonly<Record<string, LanguageInfo>>,
    private readonly diagnostics: RunbookDiagnostic[],
    /** The inline token with its children parsed (the block pass leaves them empty). */
    private readonly parseInline: (inline: Token) => Token | undefined,
    /** Every step name in the document, which only the steps given that name may take as id. */
    private readonly reserved: Set<string>,
  ) {
    this.body = body;
    this.lineCount = body === '' ? 0 : countLineBreaks(body) + 1;
  }

  walk(tokens: Token[]): void {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      switch (token.type) {
        case 'heading_open':
          this.addSection(token, tokens[i + 1]);
          this.breakFlow();
          break;
        case 'paragraph_open': {
          const inline = tokens[i + 1];
          this.breakFlow();
          // GFM: a task item is a list item whose first block is a paragraph starting `[ ] `.
          if (tokens[i - 1]?.type === 'list_item_open' && TASK_ITEM.test(inline?.content ?? '')) this.addManualStep(token, inline);
          else this.lastParagraph = inline;
          break;
        }
        case 'fence':
          this.addFence(token);
          break;
        case 'code_block':
        case 'html_block':
        case 'table_open':
        case 'hr':
          this.breakFlow();
          break;
      }
    }
  }

  /** What a reader sees of an inline token of the block pass. */
  private text(inline: Token | undefined): string {
    return inline ? inlineText(this.parseInline(inline)) : '';
  }

  /** Prose or another block between a step and an `output` fence means the fence is not its output. */
  private breakFlow(): void {
    this.awaitingExpected = undefined;
  }

  private get sectionIndex(): number {
    return this.sectionStack.length > 0 ? this.sectionStack[this.sectionStack.length - 1] : -1;
  }

  private get sectionPath(): string[] {
    return this.sectionStack.map((index) => this.sections[index].title);
  }

  private addSection(open: Token, inline: Token | undefined): void {
    const level = Number(open.tag.slice(1));
    const title = this.text(inline) || `(untitled ${open.tag})`;
    if (level === 1 && this.firstH1 === undefined) this.firstH1 = title;
    while (this.sectionStack.length > 0 && this.sections[this.sectionStack[this.sectionStack.length - 1]].level >= level) {
      this.sectionStack.pop();
    }
    const index = this.sections.length;
    this.sections.push({ title, slug: this.slugs.next(title), level, line: open.map?.[0] ?? 0, parent: this.sectionIndex });
    this.sectionStack.push(index);
    this.lastParagraph = undefined;
    this.stepsInSection = 0;
  }

  /** A fresh id from `base`; `named` when base is the step's own `name`, which it may take. */
  private uniqueId(base: string, named = false): string {
    // `ids` counts uses of each base; `issued` guards against a suffixed id that is also a base
    // (a step literally named `restart-2` next to two steps named `restart`), and `reserved`
    // keeps the names steps are given, even further down, for those steps.
    let count = this.ids.get(base) ?? 0;
    let id = count === 0 ? base : `${base}-${count + 1}`;
    const taken = (candidate: string) => this.issued.has(candidate) || (this.reserved.has(candidate) && !(named && candidate === base));
    while (taken(id)) id = `${base}-${++count + 1}`;
    this.ids.set(base, count + 1);
    this.issued.add(id);
    return id;
  }

  private idPrefix(): string {
    const index = this.sectionIndex;
    return index >= 0 ? `${this.sections[index].slug}-` : '';
  }

  private addManualStep(open: Token, inline: Token): void {
    const checked = TASK_ITEM.exec(inline.content)?.[1] !== ' ';
    const text = this.text(inline).replace(TASK_ITEM, '');
    const [startLine, end] = open.map ?? [0, 1];
    const step: ManualStep = {
      kind: 'manual',
      id: this.uniqueId(`${this.idPrefix()}${shortHash(`manual\n${text}`)}`),
      title: text.split('\n')[0].trim() || '(empty task)',
      checkedInFile: checked,
      sectionPath: this.sectionPath,
      sectionIndex: this.sectionIndex,
      startLine,
      endLine: end - 1,
    };
    this.manualSteps.push(step);
    this.items.push(step);
    this.lastParagraph = undefined;
  }

  private addFence(token: Token): void {
    const [startLine, end] = token.map ?? [0, 1];
    const closed = this.isClosedFence(token);
    if (!closed) {
      this.report('warning', 'unclosed-fence', startLine, startLine,
        `The code block opened at line ${startLine + 1} is never closed, so everything after it to the end of its list, quote or file is taken as code.`);
    }
    const language = fenceLanguage(token.info);
    if (isExpectedOutputLanguage(language)) {
      this.attachExpected(token, startLine, end - 1);
      return;
    }
    this.breakFlow();
    const info = this.languages[language];
    const paragraphToken = this.lastParagraph;
    this.lastParagraph = undefined;
    if (!info) return;
    const paragraph = this.text(paragraphToken);

    const { attributes, problems } = parseStepAttributes(token.info);
    this.reportAttributeProblems(problems, startLine);
    this.stepsInSection++;
    const section = this.sectionIndex >= 0 ? this.sections[this.sectionIndex] : undefined;
    const source = token.content.replace(/\n$/, '');
    const commands = info.family === 'shell' ? transcriptCommands(source) : undefined;
    const code = commands ?? source;

    let id: string;
    if (attributes.name) {
      const earlier = this.names.get(attributes.name);
      if (earlier !== undefined) {
        id = this.uniqueId(attributes.name, true);
        this.report('error', 'duplicate-name', startLine, startLine,
          `Step name "${attributes.name}" is already used by the step at line ${earlier + 1}; this one is called "${id}" until it is renamed.`,
          { subject: 'name', replacement: id });
      } else {
        this.names.set(attributes.name, startLine);
        id = this.uniqueId(attributes.name, true);
      }
    } else {
      id = this.uniqueId(`${this.idPrefix()}${shortHash(normalizeCode(code))}`);
    }

    const title =
      attributes.name ||
      (paragraph ? firstSentence(paragraph) : '') ||
      `${section ? section.title : 'Step'} · step ${this.stepsInSection}`;

    const step: Step = {
      kind: 'code',
      id,
      title,
      language,
      family: info.family,
      interpreter: info.interpreter || this.meta.shell || DEFAULT_SHELL,
      code,
      source,
      transcript: commands !== undefined,
      attributes,
      sectionPath: this.sectionPath,
      sectionIndex: this.sectionIndex,
      startLine,
      endLine: end - 1,
      codeStartLine: startLine + 1,
    };
    this.steps.push(step);
    this.items.push(step);
    this.awaitingExpected = step;
  }

  private attachExpected(token: Token, startLine: number, endLine: number): void {
    const { match, problems } = parseExpectedAttributes(token.info);
    this.reportAttributeProblems(problems, startLine);
    const step = this.awaitingExpected;
    this.awaitingExpected = undefined;
    if (!step || step.expected) {
      this.report('warning', 'orphan-expected', startLine, endLine,
        'This expected-output block does not directly follow a runnable step, so nothing is checked against it.');
      return;
    }
    const text = token.content.replace(/\n$/, '');
    if (match === 'regex') {
      try {
        new RegExp(text, 'm');
      } catch (error) {
        this.report('error', 'bad-attribute-value', startLine, endLine,
          `The expected output is not a valid regular expression (${(error as Error).message}).`);
        return;
      }
    }
    step.expected = { text, match, startLine, endLine };
  }

  /**
   * A fence is closed when markdown-it's map spans one line more than the opening line and the
   * content, and that last line is a closing fence of the same character, at least as long. The
   * line count alone would take a blank last line at the end of the file for a closing fence; the
   * line text alone would take content that merely looks like a fence (indented 4 spaces, or
   * behind a `>` outside any quote) for one.
   */
  private isClosedFence(token: Token): boolean {
    const [start, end] = token.map ?? [0, 1];
    const content = token.content;
    const contentLines = content === '' ? 0 : countLineBreaks(content) + 1 - (content.endsWith('\n') ? 1 : 0);
    if (end - start !== contentLines + 2) return false;
    const line = this.line(end - 1).replace(/^[\s>]*/, '');
    const char = token.markup[0];
    let run = 0;
    while (line[run] === char) run++;
    return run >= token.markup.length && line.slice(run).trim() === '';
  }

  /** The text of 0-based line `index` of the body, without its line break. */
  private line(index: number): string {
    const starts = (this.lineStarts ??= lineStarts(this.body));
    if (index < 0 || index >= starts.length) return '';
    const from = starts[index];
    let to = index + 1 < starts.length ? starts[index + 1] : this.body.length;
    if (to > from && this.body.charCodeAt(to - 1) === 10) to--;
    if (to > from && this.body.charCodeAt(to - 1) === 13) to--;
    return this.body.slice(from, to);
  }

  private reportAttributeProblems(problems: AttributeProblem[], line: number): void {
    for (const problem of problems) {
      const severity = problem.code === 'unknown-attribute' ? 'warning' : 'error';
      this.report(severity, problem.code, line, line, problem.message, { subject: problem.key });
    }
  }

  private report(
    severity: RunbookDiagnostic['severity'],
    code: RunbookDiagnostic['code'],
    line: number,
    endLine: number,
    message: string,
    about: Pick<RunbookDiagnostic, 'subject' | 'replacement'> = {},
  ): void {
    const diagnostic: RunbookDiagnostic = { severity, code, message, line, endLine };
    if (about.subject !== undefined) diagnostic.subject = about.subject;
    if (about.replacement !== undefined) diagnostic.replacement = about.replacement;
    this.diagnostics.push(diagnostic);
  }
}
