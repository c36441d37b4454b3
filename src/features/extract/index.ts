// The extract-to-script command, from the palette, the editor context menu and the Steps view.

import * as vscode from 'vscode';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { LazyCommand } from '../workspace/lazyCommand';
import { stepTarget, targetUri } from '../workspace/targetUri';
import type { ExtractPrompts, ExtractResult } from './extractCommand';

/** The command, loaded on first use (the script generator is a file of its own in the bundle). */
export type LazyExtractCommand = LazyCommand<ExtractPrompts, [document: vscode.TextDocument, preselected?: Set<string>], ExtractResult | undefined>;

export function registerExtract(context: vscode.ExtensionContext, documents: RunbookDocuments, activeRunbook: () => vscode.Uri | undefined): LazyExtractCommand {
  const command: LazyExtractCommand = new LazyCommand(() => import('./extractCommand').then(({ ExtractCommand }) => new ExtractCommand(documents)));
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
