// Outline and Go to Symbol for runbooks: sections and named steps.

import * as vscode from 'vscode';
import { runbookOutline, type OutlineNode } from '../../core/authoring';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { isRunbookDocument } from '../workspace/runbookFiles';

export class RunbookSymbols implements vscode.DocumentSymbolProvider {
  constructor(private readonly documents: RunbookDocuments) {}

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const runbook = this.documents.get(document);
    // Plain Markdown keeps the built-in outline alone rather than a second copy of its headings.
    if (!isRunbookDocument(document, runbook)) return [];
    const toSymbol = (node: OutlineNode): vscode.DocumentSymbol => {
      const last = Math.min(node.endLine, document.lineCount - 1);
      const range = new vscode.Range(node.line, 0, last, document.lineAt(last).text.length);
      const selection = document.lineAt(Math.min(node.line, document.lineCount - 1)).range;
      const kind = node.kind === 'section' ? vscode.SymbolKind.String : vscode.SymbolKind.Function;
      const symbol = new vscode.DocumentSymbol(node.name, node.detail, kind, range, selection);
      symbol.children = node.children.map(toSymbol);
      return symbol;
    };
    return runbookOutline(runbook).map(toSymbol);
  }
}
