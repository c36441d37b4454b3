// The Problems panel: the parser's diagnostics and the authoring lint of every open runbook, on
// open and (debounced) on edit. Plain Markdown files are left alone.

import * as vscode from 'vscode';
import { KeyedDelayer } from '../workspace/delayer';
import { Disposable } from '../workspace/disposable';
import { diagnosticRange, runbookProblems } from '../../core/authoring';
import type { Runbook, RunbookDiagnostic } from '../../core/runbook';
import { isMarkdown, type RunbookDocuments } from '../workspace/runbookDocuments';
import { documentLines } from './documentLines';

const EDIT_DELAY_MS = 300;

const SEVERITY: Record<RunbookDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** A model diagnostic and what the Problems panel shows for it. */
export interface FoundProblem {
  problem: RunbookDiagnostic;
  diagnostic: vscode.Diagnostic;
}

export class RunbookDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('runbooks'));
  private readonly edits = this._register(new KeyedDelayer<string>(EDIT_DELAY_MS));
  private readonly found = new Map<string, { version: number; problems: FoundProblem[] }>();

  constructor(private readonly documents: RunbookDocuments) {
    super();
    this._register(documents.onDidChange((document) => this.schedule(document)));
    this._register(vscode.workspace.onDidOpenTextDocument((document) => this.update(document)));
    this._register(vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)));
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration('runbooks.include')) return;
        // Which documents are runbooks may have changed while their versions did not.
        this.found.clear();
        this.updateAll();
      }),
    );
    this.updateAll();
  }

  /** The problems of `document` at its current version, with the diagnostics shown for them. */
  problems(document: vscode.TextDocument): FoundProblem[] {
    const key = document.uri.toString();
    const cached = this.found.get(key);
    if (cached?.version === document.version) return cached.problems;
    const runbook = this.documents.get(document);
    const problems = this.documents.isRunbook(document) ? this.compute(runbook, documentLines(document)) : [];
    this.found.set(key, { version: document.version, problems });
    return problems;
  }

  private compute(runbook: Runbook, lines: string[]): FoundProblem[] {
    // Variables the editor's environment has are not asked for when a step runs, so not reported.
    return runbookProblems(runbook, lines, { available: (name) => process.env[name] !== undefined }).map((problem) => {
      const range = diagnosticRange(problem, lines);
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(range.line, range.column, range.endLine, range.endColumn),
        problem.message,
        SEVERITY[problem.severity],
      );
      diagnostic.source = 'runbooks';
      diagnostic.code = problem.code;
      if (problem.code === 'unused-input') diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
      return { problem, diagnostic };
    });
  }

  update(document: vscode.TextDocument): void {
    if (!isMarkdown(document)) return;
    this.collection.set(document.uri, this.problems(document).map((found) => found.diagnostic));
  }

  private schedule(document: vscode.TextDocument): void {
    this.edits.trigger(document.uri.toString(), () => {
      if (!document.isClosed) this.update(document);
    });
  }

  private updateAll(): void {
    for (const document of vscode.workspace.textDocuments) this.update(document);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.edits.cancel(key);
    this.found.delete(key);
    this.collection.delete(uri);
  }

}
