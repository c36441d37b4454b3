// The shared services (documents, inputs, progress, the run controller) and the run commands.

import * as vscode from 'vscode';
import { KeyedDelayer } from './delayer';
import { InputStore } from './inputStore';
import { ProgressService } from './progressService';
import { RunController } from './runController';
import { isMarkdown, RunbookDocuments } from './runbookDocuments';
import { stepTarget, targetUri } from './targetUri';

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
  const progress = new ProgressService(context.globalStorageUri, log);
  const controller = new RunController(documents, inputs, progress, log);
  // Records of steps that no longer exist are dropped once an edit settles, each runbook on its own.
  const reconciles = new KeyedDelayer<string>(RECONCILE_DELAY_MS);
  const reconcile = (document: vscode.TextDocument) => {
    if (isMarkdown(document) && !document.isClosed) controller.reconcile(document.uri, documents.get(document));
  };
  const document = (uri: vscode.Uri) => vscode.workspace.openTextDocument(uri);
  const withUri = (handler: (uri: vscode.Uri) => unknown) => (argument: unknown) => {
    const uri = targetUri(argument);
    return uri ? handler(uri) : vscode.window.showInformationMessage('Open a Markdown runbook first.');
  };
  context.subscriptions.push(
    log,
    documents,
    progress,
    controller,
    reconciles,
    documents.onDidChange((changed) => reconciles.trigger(changed.uri.toString(), () => reconcile(changed))),
    vscode.workspace.onDidOpenTextDocument((opened) => void progress.ready.then(() => reconcile(opened))),
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
    vscode.commands.registerCommand('runbooks.stopBackground', withUri((uri) => controller.stopBackground(uri))),
    vscode.commands.registerCommand('runbooks.showBackgroundLog', withUri((uri) => controller.showBackgroundLog(uri))),
  );
  // Runbooks already open when the extension starts (after a reload) get the same treatment.
  void progress.ready.then(() => vscode.workspace.textDocuments.forEach(reconcile));
  return { documents, inputs, controller, progress, log };
}
