// The shared services (documents, inputs, run controller) and the run commands.

import * as vscode from 'vscode';
import { stepTarget, targetUri } from './targetUri';
import { InputStore } from './inputStore';
import { ProgressService } from './progressService';
import { RunController } from './runController';
import { isMarkdown, RunbookDocuments } from './runbookDocuments';

export interface WorkspaceServices {
  documents: RunbookDocuments;
  inputs: InputStore;
  controller: RunController;
  progress: ProgressService;
  log: vscode.OutputChannel;
}

const RECONCILE_DELAY_MS = 500;

export function registerWorkspace(context: vscode.ExtensionContext): WorkspaceServices {
  const log = vscode.window.createOutputChannel('Runbooks');
  const documents = new RunbookDocuments();
  const inputs = new InputStore(context.workspaceState, context.secrets);
  const controller = new RunController(documents, inputs, log);
  // Per workspace when a folder is open; a lone file's progress goes to the global storage.
  const storage = context.storageUri ?? context.globalStorageUri;
  const progress = new ProgressService(storage, documents, controller, inputs, log);
  controller.observer = progress;
  let reconcileTimer: NodeJS.Timeout | undefined;
  const document = (uri: vscode.Uri) => vscode.workspace.openTextDocument(uri);
  const withUri = (handler: (uri: vscode.Uri) => unknown) => (argument: unknown) => {
    const uri = targetUri(argument);
    return uri ? handler(uri) : vscode.window.showInformationMessage('Open a Markdown runbook first.');
  };
  context.subscriptions.push(
    log,
    documents,
    controller,
    progress,
    { dispose: () => clearTimeout(reconcileTimer) },
    // Records of steps that no longer exist are dropped once an edit settles.
    documents.onDidChange((document) => {
      clearTimeout(reconcileTimer);
      reconcileTimer = setTimeout(() => progress.reconcile(document.uri, documents.get(document)), RECONCILE_DELAY_MS);
    }),
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (isMarkdown(document)) void progress.ready.then(() => progress.reconcile(document.uri, documents.get(document)));
    }),
    vscode.commands.registerCommand('runbooks.runStep', async (first: unknown, second?: unknown) => {
      const target = stepTarget(first, second);
      return target && controller.runStep(await document(target.uri), target.id);
    }),
    vscode.commands.registerCommand('runbooks.runStepInTerminal', async (first: unknown, second?: unknown) => {
      const target = stepTarget(first, second);
      return target && controller.runInTerminal(await document(target.uri), target.id);
    }),
    vscode.commands.registerCommand('runbooks.stopStep', (first: unknown, second?: unknown) => {
      const target = stepTarget(first, second);
      if (target) controller.stop(target.uri, target.id);
    }),
    vscode.commands.registerCommand('runbooks.runAll', withUri(async (uri) => controller.runAll(await document(uri)))),
    vscode.commands.registerCommand('runbooks.resetSession', withUri((uri) => controller.resetSession(uri))),
  );
  // Runbooks already open when the extension starts (after a reload) get the same treatment.
  void progress.ready.then(() => {
    for (const document of vscode.workspace.textDocuments) if (isMarkdown(document)) progress.reconcile(document.uri, documents.get(document));
  });
  return { documents, inputs, controller, progress, log };
}
