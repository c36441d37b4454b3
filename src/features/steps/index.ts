// The Steps view and its commands.

import * as vscode from 'vscode';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { revealStep } from './revealStep';
import { StepsTreeProvider } from './stepsTree';

export function registerStepsView(context: vscode.ExtensionContext, documents: RunbookDocuments): StepsTreeProvider {
  const provider = new StepsTreeProvider(documents);
  const view = vscode.window.createTreeView('runbooks.steps', { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(
    provider,
    view,
    vscode.commands.registerCommand('runbooks.steps.refresh', () => provider.refresh()),
    vscode.commands.registerCommand('runbooks.revealStep', (uri: vscode.Uri, line: number) => revealStep(uri, line)),
  );
  return provider;
}
