// The extract-to-script command, from the palette, the editor context menu and the Steps view.

import * as vscode from 'vscode';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { stepTarget, targetUri } from '../workspace/targetUri';
import { ExtractCommand } from './extractCommand';

export function registerExtract(context: vscode.ExtensionContext, documents: RunbookDocuments, activeRunbook: () => vscode.Uri | undefined): ExtractCommand {
  const command = new ExtractCommand(documents);
  context.subscriptions.push(
    // From the Steps view VS Code passes the clicked node and every selected node.
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
