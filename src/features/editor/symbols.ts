// Outline, breadcrumbs and Go to Symbol for runbooks: the named steps, each with its section.
// The headings come from Markdown's own provider; listing them again would show them twice.

import * as vscode from 'vscode';
import { stepSymbols } from '../../core/authoring';
import type { RunbookDocuments } from '../workspace/runbookDocuments';

export class RunbookSymbols implements vscode.DocumentSymbolProvider {
  constructor(private readonly documents: RunbookDocuments) {}

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const runbook = this.documents.get(document);
    if (!this.documents.isRunbook(document)) return [];
    const last = document.lineCount - 1;
    return stepSymbols(runbook).map((step) => {
      const end = Math.min(step.endLine, last);
      const range = new vscode.Range(step.line, 0, end, document.lineAt(end).text.length);
      return new vscode.DocumentSymbol(step.name, step.detail, vscode.SymbolKind.Function, range, document.lineAt(Math.min(step.line, last)).range);
    });
  }
}
