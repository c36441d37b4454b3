// Semantic highlighting of the references to the runbook's declared inputs in step code. The
// grammar colours every `$NAME`; only the model knows which are inputs, so those get a token type
// of their own (`runbookInput`, a kind of variable; package.json maps it to a constant's colour).

import * as vscode from 'vscode';
import { declaredInputReferences } from '../../core/authoring';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { documentLines } from './documentLines';

export const INPUT_TOKENS_LEGEND = new vscode.SemanticTokensLegend(['runbookInput'], ['secret']);

export class InputReferenceTokens implements vscode.DocumentSemanticTokensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeSemanticTokens = this.changed.event;

  constructor(private readonly documents: RunbookDocuments) {}

  provideDocumentSemanticTokens(document: vscode.TextDocument): vscode.SemanticTokens {
    const builder = new vscode.SemanticTokensBuilder(INPUT_TOKENS_LEGEND);
    const runbook = this.documents.get(document);
    if (!this.documents.isRunbook(document)) return builder.build();
    const secret = new Set(runbook.inputs.filter((input) => input.secret).map((input) => input.name));
    for (const reference of declaredInputReferences(runbook, documentLines(document))) {
      builder.push(reference.line, reference.column, reference.length, 0, secret.has(reference.name) ? 1 : 0);
    }
    return builder.build();
  }

  /** `runbooks.include` changed: which documents are runbooks may have too. */
  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
