// Runbooks: Export as CI Workflow, from the palette and the Runbooks and Steps view title bars. The
// command's code (and the export core) loads the first time it runs, not at activation.

import * as vscode from 'vscode';
import type { ExportEngine } from '../../core/export/plan';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { LazyCommand } from '../workspace/lazyCommand';
import { targetUri } from '../workspace/targetUri';
import type { ExportCommandResult, ExportPrompts } from './exportCommand';

/** The command, loaded on first use (with the export core). */
export type LazyExportCommand = LazyCommand<ExportPrompts, [document: vscode.TextDocument, engine?: ExportEngine], ExportCommandResult | undefined>;

export function registerExport(context: vscode.ExtensionContext, documents: RunbookDocuments, activeRunbook: () => vscode.Uri | undefined): LazyExportCommand {
  const command: LazyExportCommand = new LazyCommand(() => import('./exportCommand').then(({ ExportCommand }) => new ExportCommand(documents)));
  context.subscriptions.push(
    vscode.commands.registerCommand('runbooks.exportWorkflow', async (argument: unknown, engine?: unknown) => {
      const uri = targetUri(argument) ?? activeRunbook();
      if (!uri) {
        void vscode.window.showInformationMessage('Open a Markdown runbook first, then export it as a CI workflow.');
        return undefined;
      }
      return command.run(await vscode.workspace.openTextDocument(uri), engine === 'github' || engine === 'gitlab' ? engine : undefined);
    }),
  );
  return command;
}
