// The shared services (documents, inputs, run controller) and the run commands.

import * as vscode from 'vscode';
import { targetUri } from './targetUri';
import { InputStore } from './inputStore';
import { RunController } from './runController';
import { RunbookDocuments } from './runbookDocuments';

export interface WorkspaceServices {
  documents: RunbookDocuments;
  inputs: InputStore;
  controller: RunController;
  log: vscode.OutputChannel;
}

export function registerWorkspace(context: vscode.ExtensionContext): WorkspaceServices {
  const log = vscode.window.createOutputChannel('Runbooks');
  const documents = new RunbookDocuments();
  const inputs = new InputStore(context.workspaceState, context.secrets);
  const controller = new RunController(documents, inputs, log);
  const document = (uri: vscode.Uri) => vscode.workspace.openTextDocument(uri);
  const withUri = (handler: (uri: vscode.Uri) => unknown) => (argument: unknown) => {
    const uri = targetUri(argument);
    return uri ? handler(uri) : vscode.window.showInformationMessage('Open a Markdown runbook first.');
  };
  context.subscriptions.push(
    log,
    documents,
    controller,
    vscode.commands.registerCommand('runbooks.runStep', async (uri: vscode.Uri, stepId: string) => controller.runStep(await document(uri), stepId)),
    vscode.commands.registerCommand('runbooks.runStepInTerminal', async (uri: vscode.Uri, stepId: string) => controller.runInTerminal(await document(uri), stepId)),
    vscode.commands.registerCommand('runbooks.stopStep', (uri: vscode.Uri, stepId: string) => controller.stop(uri, stepId)),
    vscode.commands.registerCommand('runbooks.runAll', withUri(async (uri) => controller.runAll(await document(uri)))),
    vscode.commands.registerCommand('runbooks.resetSession', withUri((uri) => controller.resetSession(uri))),
  );
  return { documents, inputs, controller, log };
}
