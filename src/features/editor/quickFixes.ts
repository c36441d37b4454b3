// Quick fixes for the runbook diagnostics whose fix is obvious (computed in core/authoring).

import * as vscode from 'vscode';
import { quickFixes } from '../../core/authoring';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import type { RunbookDiagnostics } from './diagnostics';
import { documentLines } from './documentLines';

export class RunbookQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly documents: RunbookDocuments,
    private readonly diagnostics: RunbookDiagnostics,
  ) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const found = this.diagnostics.problems(document).filter(({ diagnostic }) => diagnostic.range.intersection(range) !== undefined);
    if (found.length === 0) return [];
    const runbook = this.documents.get(document);
    const lines = documentLines(document);
    const actions: vscode.CodeAction[] = [];
    for (const { problem, diagnostic } of found) {
      for (const fix of quickFixes(problem, runbook, lines)) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.preferred;
        action.edit = new vscode.WorkspaceEdit();
        for (const edit of fix.edits) {
          action.edit.replace(document.uri, new vscode.Range(edit.line, edit.column, edit.endLine, edit.endColumn), edit.newText);
        }
        actions.push(action);
      }
    }
    return actions;
  }
}
