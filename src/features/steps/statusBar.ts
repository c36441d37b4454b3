// The status-bar item of the active runbook: its progress and the running step; a click focuses
// the Steps view.

import * as vscode from 'vscode';
import type { ProgressService } from '../workspace/progressService';
import type { RunController } from '../workspace/runController';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import type { StepsTreeProvider } from './stepsTree';

export class RunbookStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('runbooks.progress', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly steps: StepsTreeProvider,
    private readonly documents: RunbookDocuments,
    private readonly progress: ProgressService,
    controller: RunController,
  ) {
    this.item.name = 'Runbook progress';
    this.item.command = 'runbooks.steps.focus';
    this.subscriptions = [
      this.item,
      steps.onDidChangeDocument(() => this.update()),
      steps.onDidChangeTreeData(() => this.update()),
      progress.onDidChange(() => this.update()),
      controller.onDidChangeState(() => this.update()),
    ];
    this.update();
  }

  update(): void {
    const document = this.steps.activeDocument;
    const runbook = document && !document.isClosed ? this.documents.get(document) : undefined;
    if (!document || !runbook || runbook.items.length === 0) {
      this.item.hide();
      return;
    }
    const summary = this.progress.summary(document.uri, runbook);
    const running = runbook.steps.find((step) => this.progress.view(document.uri, step).status === 'running');
    this.item.text = running
      ? `$(sync~spin) ${summary.done}/${summary.total} · ${running.title}`
      : `$(checklist) ${summary.done}/${summary.total}${summary.failed ? ` · $(error) ${summary.failed}` : ''}`;
    this.item.tooltip = `${runbook.title}: ${summary.done} of ${summary.total} steps done${summary.failed ? `, ${summary.failed} failed` : ''}${running ? `; running "${running.title}"` : ''}. Click to show the steps.`;
    this.item.show();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
