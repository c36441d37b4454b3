// The hub every view shares: one parse per document version, and an event when a Markdown
// document's runbook changes, so the tree, preview and CodeLens never parse on their own.

import * as vscode from 'vscode';
import { parseRunbook, type Runbook } from '../../core/runbook';

export function isMarkdown(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown';
}

export class RunbookDocuments implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; runbook: Runbook }>();
  private readonly changed = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly subscriptions: vscode.Disposable[] = [];

  /** Fires when a Markdown document's text changes; listeners call `get` for the new model. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (isMarkdown(event.document) && event.contentChanges.length > 0) this.changed.fire(event.document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.cache.delete(document.uri.toString())),
    );
  }

  /** The runbook model of `document` at its current version, parsed at most once per version. */
  get(document: vscode.TextDocument): Runbook {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version) return cached.runbook;
    const runbook = parseRunbook(document.getText(), { path: document.uri.fsPath });
    this.cache.set(key, { version: document.version, runbook });
    return runbook;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.cache.clear();
  }
}
