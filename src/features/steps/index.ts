// The Runbooks and Steps views, the status-bar item, and the progress commands.

import * as vscode from 'vscode';
import type { RunbookItem } from '../../core/runbook';
import type { WorkspaceServices } from '../workspace';
import { stepTarget, targetUri } from '../workspace/targetUri';
import { revealStep } from './revealStep';
import { RunbooksTreeProvider } from './runbooksTree';
import { RunbookStatusBar } from './statusBar';
import { StepsTreeProvider } from './stepsTree';

export interface StepsFeature {
  stepsTree: StepsTreeProvider;
  runbooksTree: RunbooksTreeProvider;
  statusBar: RunbookStatusBar;
}

export function registerStepsViews(context: vscode.ExtensionContext, services: WorkspaceServices): StepsFeature {
  const { documents, progress, controller } = services;
  const stepsTree = new StepsTreeProvider(documents, progress, controller);
  const runbooksTree = new RunbooksTreeProvider(progress, controller);
  const stepsView = vscode.window.createTreeView('runbooks.steps', { treeDataProvider: stepsTree, showCollapseAll: true });
  const runbooksView = vscode.window.createTreeView('runbooks.runbooks', { treeDataProvider: runbooksTree, showCollapseAll: true });
  const statusBar = new RunbookStatusBar(stepsTree, documents, progress, controller);

  /** A command's target item: a tree node, or (uri, item id) from CodeLens, the palette or tests. */
  const resolveItem = async (first: unknown, second?: unknown): Promise<{ document: vscode.TextDocument; item: RunbookItem } | undefined> => {
    const target = stepTarget(first, second);
    if (!target) return undefined;
    const document = await vscode.workspace.openTextDocument(target.uri);
    const item = documents.get(document).items.find((candidate) => candidate.id === target.id);
    return item ? { document, item } : undefined;
  };
  const activeDocument = async (argument: unknown) => {
    const uri = targetUri(argument) ?? stepsTree.activeDocument?.uri;
    return uri && vscode.workspace.openTextDocument(uri);
  };

  context.subscriptions.push(
    stepsTree,
    runbooksTree,
    stepsView,
    runbooksView,
    statusBar,
    stepsView.onDidChangeCheckboxState(({ items }) => {
      for (const [node, state] of items) {
        if (node.kind === 'manual') void vscode.workspace.openTextDocument(node.uri).then((document) => controller.setManual(document, node.item, state === vscode.TreeItemCheckboxState.Checked));
      }
    }),
    vscode.commands.registerCommand('runbooks.steps.refresh', () => {
      stepsTree.refresh();
      runbooksTree.rescan();
    }),
    vscode.commands.registerCommand('runbooks.revealStep', (uri: vscode.Uri, line: number) => revealStep(uri, line)),
    vscode.commands.registerCommand('runbooks.runFromHere', async (node: unknown, id?: unknown) => {
      const target = await resolveItem(node, id);
      if (target) await controller.runAll(target.document, undefined, target.item.id);
    }),
    vscode.commands.registerCommand('runbooks.continue', async (argument: unknown) => {
      const document = await activeDocument(argument);
      if (!document) return;
      const next = progress.next(document.uri, documents.get(document));
      if (!next) {
        void vscode.window.showInformationMessage('Every step of this runbook is done.');
        return;
      }
      await controller.runAll(document, undefined, next.id);
    }),
    vscode.commands.registerCommand('runbooks.skipStep', async (node: unknown, id?: unknown) => {
      const target = await resolveItem(node, id);
      if (target) controller.skip(target.document, target.item);
    }),
    vscode.commands.registerCommand('runbooks.resetStep', async (node: unknown, id?: unknown) => {
      const target = await resolveItem(node, id);
      if (target) controller.resetItem(target.document.uri, target.item.id);
    }),
    vscode.commands.registerCommand('runbooks.resetProgress', async (argument: unknown) => {
      const document = await activeDocument(argument);
      if (document) controller.resetAll(document.uri);
    }),
    vscode.commands.registerCommand('runbooks.exportReport', async (argument: unknown) => {
      const document = await activeDocument(argument);
      if (!document) return undefined;
      const report = await vscode.workspace.openTextDocument({ language: 'markdown', content: await controller.report(document) });
      await vscode.window.showTextDocument(report, { preview: false });
      return report;
    }),
  );
  return { stepsTree, runbooksTree, statusBar };
}
