// Completions in the front matter (keys, input fields, values) and in a fence's `{…}` (attribute
// names and values), and declared inputs after `$` in a shell step.

import * as vscode from 'vscode';
import { completionsAt, type SuggestionKind } from '../../core/authoring';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { documentLines } from './documentLines';

/** Typed characters that open a completion list even where Markdown has quick suggestions off. */
export const COMPLETION_TRIGGERS = ['{', ' ', '=', '$', ':', ',', '"'];

const KIND: Record<SuggestionKind, vscode.CompletionItemKind> = {
  key: vscode.CompletionItemKind.Property,
  field: vscode.CompletionItemKind.Field,
  attribute: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  input: vscode.CompletionItemKind.Variable,
};

export class RunbookCompletions implements vscode.CompletionItemProvider {
  constructor(private readonly documents: RunbookDocuments) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const runbook = this.documents.get(document);
    // A plain Markdown file is only offered the front matter keys that would make it a runbook.
    const isRunbook = this.documents.isRunbook(document);
    const completions = completionsAt(runbook, documentLines(document), position.line, position.character, { isRunbook });
    if (!completions || completions.suggestions.length === 0) return undefined;
    const inserting = new vscode.Range(position.line, completions.from, position.line, completions.insertTo);
    const replacing = new vscode.Range(position.line, completions.from, position.line, completions.to);
    return completions.suggestions.map((suggestion, index) => {
      const item = new vscode.CompletionItem(suggestion.label, KIND[suggestion.kind]);
      item.insertText = suggestion.insertText;
      item.range = { inserting, replacing };
      item.filterText = suggestion.filterText;
      item.detail = suggestion.detail;
      if (suggestion.documentation) item.documentation = new vscode.MarkdownString(suggestion.documentation);
      if (suggestion.offersValues) item.command = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };
      // Keep the order the vocabulary gives (most used first) rather than alphabetical.
      item.sortText = String(index).padStart(3, '0');
      return item;
    });
  }
}
