// The editor's run path: every Run, Run all, Continue, Run from here and Run in terminal from the
// preview, CodeLens, the tree or the palette comes here, is checked against the host's own parse of
// the document version it names and against workspace trust, and goes to the core runner of that
// runbook (src/core/runner), which decides everything a run means. What comes back (the runner's
// events) is turned into two VS Code events every view redraws from.

import * as vscode from 'vscode';
import type { ManualStep, Runbook, RunbookItem, Step } from '../../core/runbook';
import { formatDuration } from '../../core/runbook';
import { inputValues, RunbookRunner, type RunEvent, type RunOutcome, type StepSnapshot } from '../../core/runner';
import type { StepResult } from '../../core/run';
import { Disposable } from './disposable';
import { dialogPrompts, EditorFrontEnd, type RunPrompts } from './editorFrontEnd';
import type { InputStore } from './inputStore';
import { OutputBatch } from './outputBatch';
import { runbookKey, type ProgressService } from './progressService';
import type { RunbookDocuments } from './runbookDocuments';
import { readRunSettings } from './settings';

/** Steps of a runbook whose state changed (`all`: any of them, e.g. after Reset Progress). */
export interface StepStateChange {
  uri: vscode.Uri;
  stepIds: string[] | 'all';
}

export interface StepOutputChange {
  uri: vscode.Uri;
  stepId: string;
  /** New text to append; with `reset`, the output starts over (empty). */
  text: string;
  reset?: boolean;
}

export interface RunEnded {
  uri: vscode.Uri;
  outcome: RunOutcome;
}

export interface BackgroundChange {
  uri: vscode.Uri;
  processes: Array<{ pid: number; command: string; stepId: string; startedAt: number }>;
}

export class RunController extends Disposable {
  private readonly runners = new Map<string, { uri: vscode.Uri; runner: RunbookRunner }>();
  private readonly terminals = new Map<string, vscode.Terminal>();
  private readonly stateEmitter = this._register(new vscode.EventEmitter<StepStateChange>());
  private readonly outputEmitter = this._register(new vscode.EventEmitter<StepOutputChange>());
  private readonly endEmitter = this._register(new vscode.EventEmitter<RunEnded>());
  /** A step's state changed: queued, started, ended, skipped, checked off, reset. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Output arrived (batched: a step printing megabytes a second costs a few events a second). */
  readonly onDidOutput = this.outputEmitter.event;
  /** A Run or Run all ended, with how and why. */
  readonly onDidEndRun = this.endEmitter.event;
  private readonly backgroundEmitter = this._register(new vscode.EventEmitter<BackgroundChange>());
  /** The processes a runbook's steps left running in the background changed. */
  readonly onDidChangeBackground = this.backgroundEmitter.event;
  private readonly output = this._register(new OutputBatch((change) => this.outputEmitter.fire(change)));
  private shutdown: Promise<void> | undefined;
  /** Answers to confirmations and value prompts: dialogs, or scripted answers in tests. */
  prompts: RunPrompts = dialogPrompts;

  constructor(
    private readonly documents: RunbookDocuments,
    private readonly inputs: InputStore,
    private readonly progress: ProgressService,
    private readonly log: vscode.OutputChannel,
  ) {
    super();
    this._register(
      vscode.window.onDidCloseTerminal((terminal) => {
        for (const [key, value] of this.terminals) if (value === terminal) this.terminals.delete(key);
      }),
    );
  }

  /** The core runner of one runbook, made on first use. */
  runner(uri: vscode.Uri): RunbookRunner {
    const key = uri.toString();
    const existing = this.runners.get(key);
    if (existing) return existing.runner;
    const runner = new RunbookRunner({
      key: runbookKey(uri),
      frontEnd: new EditorFrontEnd(uri, this.inputs, () => this.prompts),
      progress: this.progress.backend(uri),
      history: this.progress.historySink(uri),
      settings: () => readRunSettings(uri),
      where: 'editor',
      onError: (error) => this.log.appendLine(`Runbook run: ${error instanceof Error ? error.stack ?? error.message : String(error)}`),
    });
    runner.events.on((event) => this.heard(uri, event));
    this.runners.set(key, { uri, runner });
    return runner;
  }

  private heard(uri: vscode.Uri, event: RunEvent): void {
    switch (event.type) {
      case 'output':
        this.output.append(uri, event.stepId, event.text);
        return;
      case 'step-queued':
        this.output.reset(uri, event.stepId);
        this.stateEmitter.fire({ uri, stepIds: [event.stepId] });
        return;
      case 'step-start':
      case 'step-end':
      case 'step-skipped':
      case 'manual-step':
        // Output before the state that ends it, so a view never shows "passed" with output missing.
        this.output.flush();
        this.stateEmitter.fire({ uri, stepIds: [event.stepId] });
        if (event.type === 'step-end') this.logResult(event.title, event.result);
        return;
      case 'progress':
        this.output.flush();
        if (event.stepIds !== 'all') for (const stepId of event.stepIds) this.output.reset(uri, stepId);
        this.stateEmitter.fire({ uri, stepIds: event.stepIds });
        return;
      case 'run-end':
        this.endEmitter.fire({ uri, outcome: event.outcome });
        return;
      case 'background':
        this.backgroundEmitter.fire({ uri, processes: event.processes });
        return;
      case 'run-start':
      case 'background-output':
        return;
    }
  }

  private logResult(title: string, result: StepResult): void {
    const exit = result.exitCode !== undefined ? `, exit ${result.exitCode}` : '';
    this.log.appendLine(`${title}: ${result.status}${exit} in ${formatDuration(result.durationMs)}${result.message ? ` — ${result.message}` : ''}`);
  }

  // ─── What views read ───

  snapshot(uri: vscode.Uri, step: Step): StepSnapshot {
    return this.runner(uri).snapshot(step);
  }

  /** The state of a step of an open runbook, by id (a step not found shows pending). */
  state(uri: vscode.Uri, stepId: string): StepSnapshot {
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    const step = document && this.documents.get(document).steps.find((candidate) => candidate.id === stepId);
    return step ? this.snapshot(uri, step) : { status: 'pending' };
  }

  /** The step's output so far (what is waiting in the batch included). */
  outputOf(uri: vscode.Uri, stepId: string): string | undefined {
    this.output.flush();
    return this.runner(uri).output(stepId);
  }

  /** Output of every step of `runbook` that has some. */
  outputsOf(uri: vscode.Uri, runbook?: Runbook): Record<string, string> {
    this.output.flush();
    const runner = this.runner(uri);
    const ids = runbook ? runbook.steps.map((step) => step.id) : [...new Set([...runner.activeStepIds(), ...Object.keys(runner.progressOf().steps)])];
    const outputs: Record<string, string> = {};
    for (const id of ids) {
      const text = runner.output(id);
      if (text) outputs[id] = text;
    }
    return outputs;
  }

  activeStepIds(uri: vscode.Uri): string[] {
    return this.runners.get(uri.toString())?.runner.activeStepIds() ?? [];
  }

  // ─── Runs ───

  /**
   * Runs a step of `document`. With `documentVersion`, only if the document is still at that
   * version (a preview asks for what it rendered; anything else is ignored). An interactive step
   * goes to the terminal.
   */
  async runStep(document: vscode.TextDocument, stepId: string, documentVersion?: number): Promise<StepResult | undefined> {
    const found = this.resolve(document, stepId, documentVersion);
    if (!found || !this.checkTrust()) return undefined;
    if (found.step.attributes.interactive) {
      await this.runInTerminal(document, stepId, documentVersion);
      return undefined;
    }
    const outcome = await this.runner(document.uri).runStep(found.runbook, stepId);
    if (outcome.status === 'blocked') this.explain(document.uri, outcome, false);
    return outcome.results[0];
  }

  /**
   * Run all (from `fromItemId` for Continue and Run from here): the core runner decides what runs
   * and where it stops; this says why it stopped.
   */
  async runAll(document: vscode.TextDocument, documentVersion?: number, fromItemId?: string): Promise<RunOutcome | undefined> {
    if (documentVersion !== undefined && documentVersion !== document.version) return this.ignore('Run all', 'stale document version');
    if (!this.checkTrust()) return undefined;
    const runbook = this.documents.get(document);
    const outcome = await this.runner(document.uri).runAll(runbook, { from: fromItemId, current: () => (document.isClosed ? undefined : this.documents.get(document)) });
    if (outcome.status === 'blocked') this.explain(document.uri, outcome, true);
    return outcome;
  }

  /** A person-readable account of why a run did not go on. */
  private explain(uri: vscode.Uri, outcome: RunOutcome, all: boolean): void {
    const file = vscode.workspace.asRelativePath(uri);
    this.log.appendLine(`${all ? 'Run all' : 'Run'} of ${file}: ${outcome.message}`);
    const title = outcome.stepTitle ?? '';
    switch (outcome.reason) {
      case 'manual-step':
        void vscode.window.showInformationMessage(`Run all is waiting for the manual step "${title}": check it off in the Steps view, then Continue.`);
        return;
      case 'interactive-step':
        void vscode.window.showInformationMessage(`Run all stopped before "${title}", which is interactive: run it in the terminal, then Continue from the next step.`);
        return;
      case 'document-changed':
        void vscode.window.showWarningMessage(`Run all stopped: ${file} changed while it ran.`);
        return;
      case 'invalid-input':
        void vscode.window.showWarningMessage(`${all ? 'Run all did not start' : `"${title}" did not start`}: ${(outcome.problems ?? []).map((problem) => problem.message).join(' ')}`);
        return;
      case 'missing-input':
        if (all) void vscode.window.showInformationMessage(`Run all did not start: it needs a value for ${(outcome.missing ?? []).map((input) => input.label).join(', ')}.`);
        return;
      case 'front-end-error':
        void vscode.window.showErrorMessage(outcome.message);
        return;
      case 'invalid-runbook':
        void vscode.window.showWarningMessage(`Not run: ${outcome.message}`);
        return;
      case 'busy':
        if (all) void vscode.window.showInformationMessage(outcome.message);
        return;
      default:
        return;
    }
  }

  stop(uri: vscode.Uri, stepId: string): void {
    this.runners.get(uri.toString())?.runner.stop(stepId);
  }

  async resetSession(uri: vscode.Uri): Promise<void> {
    await this.runner(uri).resetSession();
    this.log.appendLine(`Session reset for ${vscode.workspace.asRelativePath(uri)}: exported variables, directory, placeholder values and background processes cleared.`);
  }

  /** The processes the runbook's steps left running in the background. */
  background(uri: vscode.Uri): BackgroundChange['processes'] {
    return this.runners.get(uri.toString())?.runner.background() ?? [];
  }

  async stopBackground(uri: vscode.Uri): Promise<number> {
    const stopped = (await this.runners.get(uri.toString())?.runner.stopBackground()) ?? 0;
    this.log.appendLine(`Stopped ${stopped} background process${stopped === 1 ? '' : 'es'} of ${vscode.workspace.asRelativePath(uri)}.`);
    return stopped;
  }

  /** Opens what the runbook's background processes wrote (their log file), read-only. */
  async showBackgroundLog(uri: vscode.Uri): Promise<vscode.TextEditor | undefined> {
    const path = this.runners.get(uri.toString())?.runner.backgroundLogPath;
    if (!path) {
      void vscode.window.showInformationMessage('No step of this runbook has left a process running in the background.');
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    return vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  async copy(document: vscode.TextDocument, stepId: string, documentVersion?: number): Promise<void> {
    const found = this.resolve(document, stepId, documentVersion);
    if (!found) return;
    await vscode.env.clipboard.writeText(found.step.code);
    void vscode.window.setStatusBarMessage(`Copied "${found.step.title}"`, 2000);
  }

  /**
   * Runs the step in the runbook's integrated terminal through a launcher the core runner writes:
   * the same confirmation and values as a run, the current values every time, the interpreter
   * setting honoured, and one command that works whatever shell the terminal runs.
   */
  async runInTerminal(document: vscode.TextDocument, stepId: string, documentVersion?: number): Promise<vscode.Terminal | undefined> {
    const found = this.resolve(document, stepId, documentVersion);
    if (!found || !this.checkTrust()) return undefined;
    const prepared = await this.runner(document.uri).prepareTerminal(found.runbook, stepId);
    if ('outcome' in prepared) {
      this.explain(document.uri, prepared.outcome, false);
      return undefined;
    }
    const key = document.uri.toString();
    let terminal = this.terminals.get(key);
    if (!terminal || terminal.exitStatus !== undefined) {
      terminal = vscode.window.createTerminal({ name: `Runbook: ${found.runbook.title}`, cwd: prepared.launch.cwd, isTransient: true });
      this.terminals.set(key, terminal);
    }
    terminal.show();
    if (terminal.shellIntegration) terminal.shellIntegration.executeCommand(prepared.launch.command);
    else terminal.sendText(prepared.launch.command, true);
    return terminal;
  }

  // ─── Progress by hand ───

  setManual(document: vscode.TextDocument, step: ManualStep, checked: boolean): void {
    this.runner(document.uri).setManual(this.documents.get(document), step, checked);
  }

  skip(document: vscode.TextDocument, item: RunbookItem): void {
    this.runner(document.uri).skip(this.documents.get(document), item);
  }

  resetItem(uri: vscode.Uri, itemId: string): void {
    this.runner(uri).resetItem(itemId);
  }

  resetAll(uri: vscode.Uri): void {
    this.runner(uri).resetAll();
    this.output.flush();
  }

  reconcile(uri: vscode.Uri, runbook: Runbook): void {
    this.runner(uri).reconcile(runbook);
  }

  /** The run report (Markdown) of the document's progress, ready for an incident ticket. */
  async report(document: vscode.TextDocument): Promise<string> {
    const runbook = this.documents.get(document);
    const { values } = await this.inputs.values(document.uri, runbook);
    const inputs = inputValues(runbook, values);
    // The report's code loads on first use (a file of its own in the bundle), not at activation.
    const { renderRunReport } = await import('../../core/progress/report');
    return renderRunReport({
      runbook,
      runbookPath: runbookKey(document.uri),
      progress: this.runner(document.uri).progressOf(),
      inputs,
      secretNames: new Set(runbook.inputs.filter((input) => input.secret).map((input) => input.name)),
      now: Date.now(),
    });
  }

  // ─── Checks ───

  private resolve(document: vscode.TextDocument, stepId: string, documentVersion?: number): { runbook: Runbook; step: Step } | undefined {
    if (documentVersion !== undefined && documentVersion !== document.version) {
      this.ignore(stepId, `it was asked for version ${documentVersion} of ${vscode.workspace.asRelativePath(document.uri)}, which is now at version ${document.version}`);
      return undefined;
    }
    const runbook = this.documents.get(document);
    const step = runbook.steps.find((s) => s.id === stepId);
    if (!step) {
      this.ignore(stepId, `${vscode.workspace.asRelativePath(document.uri)} has no such step`);
      return undefined;
    }
    return { runbook, step };
  }

  private ignore(what: string, why: string): undefined {
    this.log.appendLine(`Ignored a request to run ${JSON.stringify(what)}: ${why}.`);
    return undefined;
  }

  private checkTrust(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage('Running runbook steps needs a trusted workspace. Trust this folder (Manage Workspace Trust) to run steps.');
    return false;
  }

  /**
   * Stops every run and waits until it is over: the kill follow-up done, temporary files removed,
   * progress and history on disk. `deactivate` awaits this.
   */
  close(): Promise<void> {
    this.shutdown ??= (async () => {
      this.output.flush();
      await Promise.all([...this.runners.values()].map(({ runner }) => runner.dispose()));
      await this.progress.flush();
    })();
    return this.shutdown;
  }

  override dispose(): void {
    void this.close();
    super.dispose();
  }
}
