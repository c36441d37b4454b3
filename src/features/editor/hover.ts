// Hovers: an input reference shows the input's definition and its current value (never a
// secret's); attributes and front matter keys show what they do.

import * as vscode from 'vscode';
import { hoverAt } from '../../core/authoring';
import type { InputSpec } from '../../core/runbook';
import type { InputStore } from '../workspace/inputStore';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { documentLines } from './documentLines';

export class RunbookHovers implements vscode.HoverProvider {
  constructor(
    private readonly documents: RunbookDocuments,
    private readonly inputs: InputStore,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const runbook = this.documents.get(document);
    if (!this.documents.isRunbook(document)) return undefined;
    const target = hoverAt(runbook, documentLines(document), position.line, position.character);
    if (!target) return undefined;
    const range = new vscode.Range(position.line, target.column, position.line, target.endColumn);
    const text = new vscode.MarkdownString();
    if (target.kind === 'term') {
      text.appendMarkdown(`**${target.term.name}**\n\n${target.term.description}`);
      if (target.term.values.length > 0) text.appendMarkdown(`\n\nValues: ${target.term.values.map((v) => `\`${v}\``).join(', ')}`);
    } else if (target.kind === 'implicit-input') {
      // An undeclared value may be a password: whether one was given, never what it is.
      text.appendMarkdown(`**${target.label}** · not a declared input\n\nAsked for when the step runs, unless the environment sets \`${target.name}\`. `);
      text.appendMarkdown(this.inputs.hasImplicit(document.uri, target.name) ? 'A value was given this session.' : 'No value given yet.');
    } else {
      const current = await this.inputs.describe(document.uri, target.input);
      appendInput(text, target.input);
      if (target.input.secret) text.appendMarkdown(`\n\nCurrent value: ${current.isSet ? '•••••• (set, hidden)' : 'not set'}`);
      else text.appendMarkdown(`\n\nCurrent value: ${current.value === undefined ? 'not set' : `\`${codeText(current.value)}\``}`);
    }
    return new vscode.Hover(text, range);
  }
}

function appendInput(text: vscode.MarkdownString, input: InputSpec): void {
  const flags = [input.type, input.secret ? 'secret' : '', input.required ? 'required' : 'optional'].filter(Boolean).join(', ');
  text.appendMarkdown(`**$${input.name}** · input (${flags})`);
  if (input.description) text.appendMarkdown(`\n\n${markdownText(input.description)}`);
  const rules: string[] = [];
  if (input.default !== undefined && !input.secret) rules.push(`default \`${codeText(input.default)}\``);
  if (input.choices) rules.push(`one of ${input.choices.map((c) => `\`${codeText(c)}\``).join(', ')}`);
  if (input.pattern) rules.push(`matches \`${codeText(input.pattern)}\``);
  if (input.min !== undefined) rules.push(`at least ${input.min}`);
  if (input.max !== undefined) rules.push(`at most ${input.max}`);
  if (rules.length > 0) text.appendMarkdown(`\n\n${rules.join(' · ')}`);
}

/** Plain text shown as itself in Markdown (appendText would also turn spaces into &nbsp;). */
function markdownText(value: string): string {
  return value.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/** Text safe inside a Markdown code span. */
function codeText(value: string): string {
  return value.replace(/`/g, "'").replace(/\r?\n/g, ' ');
}
