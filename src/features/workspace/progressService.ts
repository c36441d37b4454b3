// Progress of every runbook in the workspace, kept in the extension's storage (never in the
// runbook file), and the history log. It records what the run controller reports, and gives every
// view (preview, Steps, Runbooks, CodeLens, status bar) the same state of each step.

import * as vscode from 'vscode';
import {
  emptyProgress,
  historyEntry,
  HistoryLog,
  manualChecked,
  nextItem,
  ProgressStore,
  reconcile,
  recordManual,
  recordResult,
  recordSkip,
  recordStart,
  renderRunReport,
  resetStep,
  stepState,
  summarize,
  type RunbookProgress,
} from '../../core/progress';
import type { StepResult } from '../../core/run';
import type { ManualStep, Runbook, RunbookItem, Step } from '../../core/runbook';
import type { StepView } from '../preview/protocol';
import type { InputStore } from './inputStore';
import type { RunController, RunObserver } from './runController';
import { relativePath } from './relativePath';
import type { RunbookDocuments } from './runbookDocuments';

export class ProgressService implements RunObserver, vscode.Disposable {
  private readonly store: ProgressStore;
  private readonly history: HistoryLog;
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires with the runbook's URI whenever its recorded progress changes; with undefined once it is loaded. */
  readonly onDidChange = this.changed.event;
  readonly ready: Promise<void>;
  private historyWrites: Promise<void> = Promise.resolve();

  constructor(
    readonly storageDir: vscode.Uri,
    private readonly documents: RunbookDocuments,
    private readonly controller: RunController,
    private readonly inputs: InputStore,
    private readonly log: vscode.OutputChannel,
  ) {
    const warn = (message: string) => {
      log.appendLine(message);
      void vscode.window.showWarningMessage(message);
    };
    this.store = new ProgressStore(vscode.Uri.joinPath(storageDir, 'progress.json').fsPath, { onWarning: warn });
    this.history = new HistoryLog(vscode.Uri.joinPath(storageDir, 'history.jsonl').fsPath);
    this.ready = this.store.load().then(
      () => this.changed.fire(undefined),
      (error: Error) => warn(`Runbook progress could not be read: ${error.message}`),
    );
  }

  /** Progress is keyed by the runbook's path relative to the workspace, so it survives moving the checkout. */
  key(uri: vscode.Uri): string {
    return vscode.workspace.getWorkspaceFolder(uri) ? relativePath(uri) : uri.toString();
  }

  progress(uri: vscode.Uri): RunbookProgress {
    return this.store.get(this.key(uri)) ?? emptyProgress();
  }

  private update(uri: vscode.Uri, change: (progress: RunbookProgress) => RunbookProgress): void {
    this.store.update(this.key(uri), change).catch((error: Error) => this.log.appendLine(`Could not save runbook progress: ${error.message}`));
    this.changed.fire(uri);
  }

  // RunObserver: what the controller reports.
  started(uri: vscode.Uri, _runbook: Runbook, step: Step, at: number): void {
    this.update(uri, (progress) => recordStart(progress, step, at));
  }

  finished(uri: vscode.Uri, runbook: Runbook, step: Step, result: StepResult, inputs: { values: Record<string, string>; secretNames: Set<string> }): void {
    this.update(uri, (progress) => recordResult(progress, step, result));
    const entry = historyEntry({ runbookKey: this.key(uri), runbook, step, result, inputs: this.declaredValues(runbook, inputs.values), secretNames: inputs.secretNames });
    this.historyWrites = this.historyWrites
      .then(() => this.history.append(entry))
      .catch((error: Error) => this.log.appendLine(`Could not append to the run history: ${error.message}`));
  }

  manualDone(uri: vscode.Uri, step: ManualStep): boolean {
    return manualChecked(this.progress(uri), step) || this.progress(uri).manual[step.id]?.skipped === true;
  }

  skipped(uri: vscode.Uri, step: Step): boolean {
    return this.progress(uri).steps[step.id]?.state === 'skipped';
  }

  private declaredValues(runbook: Runbook, values: Record<string, string>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const spec of runbook.inputs) {
      const value = values[spec.name] ?? spec.default;
      if (value !== undefined) result[spec.name] = value;
    }
    return result;
  }

  /** What every view shows for a step: live while it runs, else its record (stale when its code changed). */
  view(uri: vscode.Uri, step: Step): StepView {
    const live = this.controller.liveState(uri, step.id);
    if (live) return live;
    const progress = this.progress(uri);
    const state = stepState(progress, step);
    const record = progress.steps[step.id];
    if (!record || state === 'pending') return { status: 'idle' };
    // The controller still holds this session's richer view (the expected-output difference).
    const recent = this.controller.state(uri, step.id);
    const base: Partial<StepView> = recent.startedAt === record.startedAt ? { ...recent } : {};
    return {
      ...base,
      status: state === 'running' ? 'cancelled' : state,
      exitCode: record.exitCode,
      durationMs: record.durationMs,
      startedAt: record.startedAt,
      message: state === 'stale' ? 'The code changed since this step last ran.' : record.message ?? base.message,
    };
  }

  views(uri: vscode.Uri, runbook: Runbook): Record<string, StepView> {
    return Object.fromEntries(runbook.steps.map((step) => [step.id, this.view(uri, step)]));
  }

  /** Output of each step: this session's, else the tail kept in the progress (after a reload). */
  outputs(uri: vscode.Uri, runbook: Runbook): Record<string, string> {
    const live = this.controller.outputsOf(uri);
    const progress = this.progress(uri);
    const outputs: Record<string, string> = {};
    for (const step of runbook.steps) {
      const text = live[step.id] ?? progress.steps[step.id]?.outputTail;
      if (text) outputs[step.id] = text;
    }
    return outputs;
  }

  manualStates(uri: vscode.Uri, runbook: Runbook): Record<string, boolean> {
    const progress = this.progress(uri);
    return Object.fromEntries(runbook.manualSteps.map((step) => [step.id, manualChecked(progress, step)]));
  }

  summary(uri: vscode.Uri, runbook: Runbook) {
    return summarize(this.progress(uri), runbook);
  }

  /** Where Continue resumes: the first item not yet passed, checked or skipped. */
  next(uri: vscode.Uri, runbook: Runbook): RunbookItem | undefined {
    return nextItem(this.progress(uri), runbook);
  }

  setManual(uri: vscode.Uri, step: ManualStep, checked: boolean): void {
    this.update(uri, (progress) => recordManual(progress, step, checked, Date.now()));
  }

  skip(uri: vscode.Uri, item: RunbookItem): void {
    this.update(uri, (progress) => recordSkip(progress, item, Date.now()));
  }

  resetItem(uri: vscode.Uri, itemId: string): void {
    this.update(uri, (progress) => resetStep(progress, itemId));
  }

  resetAll(uri: vscode.Uri): void {
    this.update(uri, () => emptyProgress());
  }

  /** Drops records of steps that no longer exist in the document's current version, and ends interrupted ones. */
  reconcile(uri: vscode.Uri, runbook: Runbook): void {
    const progress = this.progress(uri);
    // A record still "running" with nothing running behind it was interrupted by a reload.
    const reconciled = reconcile(progress, runbook, { activeStepIds: this.controller.activeStepIds(uri) });
    if (reconciled !== progress) this.update(uri, () => reconciled);
  }

  async report(document: vscode.TextDocument): Promise<string> {
    const runbook = this.documents.get(document);
    const { values } = await this.inputs.values(document.uri, runbook);
    return renderRunReport({
      runbook,
      runbookPath: this.key(document.uri),
      progress: this.progress(document.uri),
      inputs: this.declaredValues(runbook, values),
      secretNames: new Set(runbook.inputs.filter((input) => input.secret).map((input) => input.name)),
      now: Date.now(),
    });
  }

  /** Resolves once everything recorded so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all([this.store.save(), this.historyWrites]);
  }

  readHistory() {
    return this.history.read();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
