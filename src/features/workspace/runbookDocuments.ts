// The hub every view shares: one parse per document version, whether the document is a runbook
// (the one gate every runbook feature asks), and an event when a Markdown document's runbook
// changes, so the tree, preview, CodeLens and Problems never parse on their own.

import * as vscode from 'vscode';
import { parseRunbook, type Runbook } from '../../core/runbook';
import { Disposable } from './disposable';
import { isRunbookDocument } from './runbookFiles';

export function isMarkdown(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown';
}

interface Parsed {
  version: number;
  runbook: Runbook;
  isRunbook?: boolean;
}

export class RunbookDocuments extends Disposable {
  private readonly cache = new Map<string, Parsed>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.TextDocument>());

  /** Fires when a Markdown document's text changes; listeners call `get` for the new model. */
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this._register(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (isMarkdown(event.document) && event.contentChanges.length > 0) this.changed.fire(event.document);
      }),
    );
    this._register(vscode.workspace.onDidCloseTextDocument((document) => this.cache.delete(document.uri.toString())));
    // Which files are runbooks depends on the include setting.
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('runbooks.include')) for (const parsed of this.cache.values()) parsed.isRunbook = undefined;
      }),
    );
  }

  private parsed(document: vscode.TextDocument): Parsed {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version) return cached;
    const parsed = { version: document.version, runbook: parseRunbook(document.getText(), { path: document.uri.fsPath }) };
    this.cache.set(key, parsed);
    return parsed;
  }

  /** The runbook model of `document` at its current version, parsed at most once per version. */
  get(document: vscode.TextDocument): Runbook {
    return this.parsed(document).runbook;
  }

  /**
   * Whether `document` is a runbook: the one gate of CodeLens, the Steps view, Problems and the
   * other authoring features (a README's bash block is not a step to run from the editor).
   */
  isRunbook(document: vscode.TextDocument): boolean {
    if (!isMarkdown(document)) return false;
    const parsed = this.parsed(document);
    parsed.isRunbook ??= isRunbookDocument(document, parsed.runbook);
    return parsed.isRunbook;
  }

  override dispose(): void {
    super.dispose();
    this.cache.clear();
  }
}
