// The extract-to-script command, from the palette, the editor context menu and the Steps view.

import * as vscode from 'vscode';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { stepTarget, targetUri } from '../workspace/targetUri';
import type { ExtractCommand, ExtractPrompts, ExtractResult } from './extractCommand';

/** The command, loaded on first use (the script generator is a file of its own in the bundle); `prompts` replaces its dialogs (tests). */
export class LazyExtractCommand {
  prompts: ExtractPrompts | undefined;
  private loaded: Promise<ExtractCommand> | undefined;

  constructor(private readonly documents: RunbookDocuments) {}

  async run(document: vscode.TextDocument, preselected?: Set<string>): Promise<ExtractResult | undefined> {
    this.loaded ??= import('./extractCommand').then(({ ExtractCommand }) => new ExtractCommand(this.documents));
    const command = await this.loaded;
    if (this.prompts) command.prompts = this.prompts;
    return command.run(document, preselected);
  }
}

export function registerExtract(context: vscode.ExtensionContext, documents: RunbookDocuments, activeRunbook: () => vscode.Uri | undefined): LazyExtractCommand {
  const command = new LazyExtractCommand(documents);
  context.subscriptions.push(
    // From the Steps view VS Code passes the clicked node (and the selection, which is that one node:
    // the view is single-select); the selection form is kept for a view that allows more.
    vscode.commands.registerCommand('runbooks.extractToScript', async (first: unknown, selected?: unknown) => {
      const nodes = Array.isArray(selected) ? selected : first !== undefined && !(first instanceof vscode.Uri) ? [first] : [];
      const preselected = new Set(nodes.map((node) => stepTarget(node)?.id).filter((id): id is string => id !== undefined));
      const uri = targetUri(first) ?? activeRunbook();
      if (!uri) {
        void vscode.window.showInformationMessage('Open a Markdown runbook first, then extract its steps.');
        return undefined;
      }
      return command.run(await vscode.workspace.openTextDocument(uri), preselected);
    }),
  );
  return command;
}
