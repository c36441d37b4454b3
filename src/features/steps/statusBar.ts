// The status-bar item of the active runbook: its progress and the running step; a click focuses
// the Steps view.

import * as vscode from 'vscode';
import { Disposable } from '../workspace/disposable';
import type { ProgressService } from '../workspace/progressService';
import type { RunController } from '../workspace/runController';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import type { StepsTreeProvider } from './stepsTree';

export class RunbookStatusBar extends Disposable {
  readonly item = this._register(vscode.window.createStatusBarItem('runbooks.progress', vscode.StatusBarAlignment.Left, 50));

  constructor(
    private readonly steps: StepsTreeProvider,
    private readonly documents: RunbookDocuments,
    private readonly progress: ProgressService,
    private readonly controller: RunController,
  ) {
    super();
    this.item.name = 'Runbook progress';
    this.item.command = 'runbooks.steps.focus';
    // The Steps view refreshes when the active runbook changes, is edited, its progress loads or one
    // of its steps changes state (not another runbook's): once per change, so the item follows it.
    this._register(steps.onDidChangeTreeData(() => this.update()));
    this.update();
  }

  update(): void {
    const document = this.steps.activeDocument;
    const runbook = document && !document.isClosed && this.documents.isRunbook(document) ? this.documents.get(document) : undefined;
    if (!document || !runbook || runbook.items.length === 0) {
      this.item.hide();
      return;
    }
    const summary = this.progress.summary(document.uri, runbook);
    const running = runbook.steps.find((step) => this.controller.snapshot(document.uri, step).status === 'running');
    this.item.text = running
      ? `$(sync~spin) ${summary.done}/${summary.total} · ${running.title}`
      : `$(checklist) ${summary.done}/${summary.total}${summary.failed ? ` · $(error) ${summary.failed}` : ''}`;
    this.item.tooltip = `${runbook.title}: ${summary.done} of ${summary.total} steps done${summary.failed ? `, ${summary.failed} failed` : ''}${running ? `; running "${running.title}"` : ''}. Click to show the steps.`;
    this.item.show();
  }

}
