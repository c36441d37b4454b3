// CodeLens above each step in the Markdown editor: Run, Run in terminal, and the last result.

import * as vscode from 'vscode';
import { formatDuration } from '../../core/runbook';
import type { StepSnapshot } from '../../core/runner';
import { Disposable } from '../workspace/disposable';
import type { RunController } from '../workspace/runController';
import type { RunbookDocuments } from '../workspace/runbookDocuments';

export function describeState(state: StepSnapshot): string | undefined {
  const time = state.durationMs !== undefined ? ` · ${formatDuration(state.durationMs)}` : '';
  switch (state.status) {
    case 'pending':
      return undefined;
    case 'queued':
      return '$(clock) queued';
    case 'running':
      return '$(sync~spin) running';
    case 'passed':
      return `$(pass) passed${time}`;
    case 'failed':
      return state.exitCode !== undefined ? `$(error) failed · exit ${state.exitCode}${time}` : '$(error) failed';
    case 'timed-out':
      return `$(watch) timed out${time}`;
    case 'cancelled':
      return `$(circle-slash) cancelled${time}`;
    case 'skipped':
      return '$(debug-step-over) skipped';
    case 'stale':
      return '$(history) stale: the code changed since it ran';
  }
}

/** Run, Run in terminal and the last result above each step, in runbooks only (the documents' one gate). */
export class StepCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly documents: RunbookDocuments,
    private readonly controller: RunController,
    onDidLoad: vscode.Event<void>,
  ) {
    super();
    this._register(controller.onDidChangeState(() => this.changed.fire()));
    this._register(onDidLoad(() => this.changed.fire()));
    this._register(vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('runbooks.include') && this.changed.fire()));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.documents.isRunbook(document)) return [];
    const runbook = this.documents.get(document);
    const lenses: vscode.CodeLens[] = [];
    for (const step of runbook.steps) {
      const range = new vscode.Range(step.startLine, 0, step.startLine, 0);
      const args = [document.uri, step.id];
      const state = this.controller.snapshot(document.uri, step);
      const running = state.status === 'running' || state.status === 'queued';
      if (running) lenses.push(new vscode.CodeLens(range, { title: '$(debug-stop) Stop', command: 'runbooks.stopStep', arguments: args }));
      else lenses.push(new vscode.CodeLens(range, { title: '$(play) Run', command: 'runbooks.runStep', arguments: args }));
      lenses.push(new vscode.CodeLens(range, { title: '$(terminal) Run in terminal', command: 'runbooks.runStepInTerminal', arguments: args }));
      const described = describeState(state);
      if (described) {
        lenses.push(new vscode.CodeLens(range, { title: described, tooltip: state.message, command: 'runbooks.openPreviewToSide', arguments: [document.uri] }));
      }
    }
    return lenses;
  }
}
