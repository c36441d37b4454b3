// One runbook's preview panel. It renders the host's parse of the document into the webview and
// then keeps it current with small messages: the document's HTML only when the document changed,
// a step's state when it changed, output as it streams. Output the webview already has is never
// sent again, and a render that finishes after a newer one is dropped, so the preview never rolls
// back. The webview's (checked) messages become controller calls.

import * as vscode from 'vscode';
import { isProductionLike, type StepResult } from '../../core/run';
import { renderRunbook, type Runbook } from '../../core/runbook';
import type { StepSnapshot } from '../../core/runner';
import { Delayer } from '../workspace/delayer';
import { Disposable } from '../workspace/disposable';
import type { InputStore } from '../workspace/inputStore';
import type { ProgressService } from '../workspace/progressService';
import type { RunController } from '../workspace/runController';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { relativePath } from '../workspace/relativePath';
import { readRunSettings } from '../workspace/settings';
import { inputViews } from './inputViews';
import { isWebviewMessage, type HeaderView, type HostMessage, type StepView, type WebviewMessage } from './protocol';
import { createNonce, previewHtml } from './previewHtml';

const UPDATE_DELAY_MS = 150;
const SHELL_LOAD_TIMEOUT_MS = 5000;
const MAX_SHELL_ATTEMPTS = 3;

export interface PreviewServices {
  extensionUri: vscode.Uri;
  documents: RunbookDocuments;
  controller: RunController;
  inputs: InputStore;
  progress: ProgressService;
  log: vscode.OutputChannel;
}

/** The wire form of a step's snapshot. */
function stepView(snapshot: StepSnapshot): StepView {
  const { status, exitCode, durationMs, startedAt, message, diff, droppedBytes } = snapshot;
  return { status, exitCode, durationMs, startedAt, message, diff, droppedBytes };
}

export class RunbookPreview extends Disposable {
  private readonly updates = this._register(new Delayer(UPDATE_DELAY_MS));
  private shellTimer: NodeJS.Timeout | undefined;
  private ready = false;
  /** The runbook the webview shows now. */
  private shown: Runbook | undefined;
  /** Renders started; only the newest may post. */
  private renderSeq = 0;
  /** Steps whose output the webview has (from the stream, or a full send). */
  private readonly sentOutput = new Set<string>();
  private readonly disposed = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposed.event;
  private readonly focused = this._register(new vscode.EventEmitter<void>());
  /** Fires when the panel becomes the active editor. */
  readonly onDidFocus = this.focused.event;
  /** Every message the webview sent that failed the protocol check, for tests and the log. */
  rejectedMessages = 0;
  /** Bytes of every message posted to the webview, for the benchmark of incremental updates. */
  postedBytes = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly services: PreviewServices,
  ) {
    super();
    const { extensionUri, documents, controller, progress } = services;
    panel.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(uri, '..')],
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'runbooks.svg');
    this.loadShell();
    const ours = (other: vscode.Uri) => other.toString() === uri.toString();
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (webviewPanel.active) this.focused.fire();
        // A hidden webview is unloaded; shown again, its script says `ready` anew (watched as at first).
        if (!webviewPanel.visible) this.ready = false;
        else if (!this.ready) this.watchShell(1);
      }),
    );
    this._register(panel.webview.onDidReceiveMessage((message: unknown) => this.receiveMessage(message)));
    this._register(documents.onDidChange((document) => ours(document.uri) && this.scheduleUpdate()));
    this._register(controller.onDidChangeState((change) => ours(change.uri) && this.postStates(change.stepIds)));
    this._register(
      controller.onDidOutput((change) => {
        if (!ours(change.uri)) return;
        if (change.reset) {
          this.sentOutput.delete(change.stepId);
          this.post({ type: 'clearOutput', stepId: change.stepId });
        } else if (this.ready) {
          this.sentOutput.add(change.stepId);
          this.post({ type: 'output', stepId: change.stepId, text: change.text });
        }
      }),
    );
    this._register(controller.onDidChangeBackground((change) => ours(change.uri) && this.postBackground()));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleUpdate()));
    this._register(progress.onDidLoad(() => this.postStates('all')));
    // Scroll sync: when the editor's cursor moves (a click in the Steps view included), show that block.
    this._register(
      vscode.window.onDidChangeTextEditorSelection(({ textEditor, selections }) => {
        if (ours(textEditor.document.uri) && selections[0]) this.post({ type: 'scrollToLine', line: selections[0].active.line });
      }),
    );
  }

  /**
   * Sets the webview's HTML shell. Its script says `ready` once loaded; if it does not (a browser
   * host can fail to load webview resources right after a window reload), the shell is set again.
   */
  private loadShell(attempt = 1): void {
    const { extensionUri } = this.services;
    this.panel.webview.html = previewHtml({
      cspSource: this.panel.webview.cspSource,
      nonce: createNonce(),
      scriptUri: this.panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      baseStyleUri: this.panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css')).toString(),
      styleUri: this.panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'preview.css')).toString(),
      title: this.panel.title,
    });
    this.watchShell(attempt);
  }

  private watchShell(attempt: number): void {
    clearTimeout(this.shellTimer);
    if (attempt >= MAX_SHELL_ATTEMPTS) return;
    this.shellTimer = setTimeout(() => {
      if (this.ready || !this.panel.visible) return;
      this.services.log.appendLine(`Preview of ${relativePath(this.uri)} did not load; loading it again.`);
      this.loadShell(attempt + 1);
    }, SHELL_LOAD_TIMEOUT_MS);
  }

  private async document(): Promise<vscode.TextDocument> {
    return vscode.workspace.openTextDocument(this.uri);
  }

  private post(message: HostMessage): void {
    if (!this.ready) return;
    this.postedBytes += JSON.stringify(message).length;
    void this.panel.webview.postMessage(message);
  }

  reveal(column?: vscode.ViewColumn, preserveFocus = false): void {
    this.panel.reveal(column, preserveFocus);
  }

  scheduleUpdate(): void {
    this.updates.trigger(() => void this.update());
  }

  /** Sends the rendered document with every step's state, and any output the webview lacks. */
  async update(): Promise<void> {
    if (!this.ready) return;
    const seq = ++this.renderSeq;
    const document = await this.document();
    const runbook = this.services.documents.get(document);
    const folder = vscode.Uri.joinPath(this.uri, '..');
    const html = renderRunbook(document.getText(), runbook, {
      resolveResource: (href) => {
        if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return undefined;
        return this.panel.webview.asWebviewUri(vscode.Uri.joinPath(folder, href)).toString();
      },
    });
    const inputs = await inputViews(this.services.inputs, this.uri, runbook);
    // A newer render started while this one waited: it has the newer document.
    if (seq !== this.renderSeq || this.isDisposed) return;
    this.panel.title = `Runbook: ${runbook.title}`;
    this.shown = runbook;
    this.post({
      type: 'document',
      resource: this.uri.toString(),
      documentVersion: document.version,
      html,
      header: this.header(runbook),
      inputs,
      steps: this.stepViews(runbook.steps.map((step) => step.id)),
      manual: this.services.progress.manualStates(this.uri, runbook),
      trusted: vscode.workspace.isTrusted,
    });
    // The webview forgets the output of steps that are gone; anything it lacks is sent once.
    const ids = new Set(runbook.steps.map((step) => step.id));
    for (const id of [...this.sentOutput]) if (!ids.has(id)) this.sentOutput.delete(id);
    const missing: Record<string, string> = {};
    for (const [id, text] of Object.entries(this.services.controller.outputsOf(this.uri, runbook))) {
      if (this.sentOutput.has(id)) continue;
      missing[id] = text;
      this.sentOutput.add(id);
    }
    if (Object.keys(missing).length > 0) this.post({ type: 'outputs', outputs: missing });
    this.postBackground();
  }

  /** The processes steps left running in the background, with the step that started each. */
  private postBackground(): void {
    const titles = new Map(this.shown?.steps.map((step) => [step.id, step.title]));
    const processes = this.services.controller.background(this.uri).map((entry) => ({ pid: entry.pid, command: entry.command, step: titles.get(entry.stepId) ?? entry.stepId }));
    this.post({ type: 'background', processes });
  }

  private stepViews(ids: Iterable<string>): Record<string, StepView> {
    const views: Record<string, StepView> = {};
    const steps = new Map(this.shown?.steps.map((step) => [step.id, step]));
    for (const id of ids) {
      const step = steps.get(id);
      if (step) views[id] = stepView(this.services.controller.snapshot(this.uri, step));
    }
    return views;
  }

  /** States of the steps that changed (and the checkboxes, when a manual step did). */
  private postStates(stepIds: string[] | 'all'): void {
    const runbook = this.shown;
    if (!runbook || !this.ready) return;
    const ids = stepIds === 'all' ? runbook.steps.map((step) => step.id) : stepIds;
    const steps = this.stepViews(ids);
    if (Object.keys(steps).length > 0) this.post({ type: 'steps', steps });
    const manualIds = new Set(runbook.manualSteps.map((step) => step.id));
    if (stepIds === 'all' || stepIds.some((id) => manualIds.has(id))) this.post({ type: 'manual', manual: this.services.progress.manualStates(this.uri, runbook) });
    if (stepIds === 'all') {
      // After Reset Progress the host has no output for those steps: the webview clears them too.
      const outputs = this.services.controller.outputsOf(this.uri, runbook);
      for (const id of [...this.sentOutput]) {
        if (outputs[id] !== undefined) continue;
        this.sentOutput.delete(id);
        this.post({ type: 'clearOutput', stepId: id });
      }
    }
  }

  private header(runbook: Runbook): HeaderView {
    const settings = readRunSettings(this.uri);
    return {
      title: runbook.title,
      description: runbook.meta.description,
      owner: runbook.meta.owner,
      tags: runbook.meta.tags,
      environment: runbook.meta.environment,
      productionLike: isProductionLike(runbook.meta.environment, settings.productionEnvironments),
    };
  }

  /** Everything from the webview passes the protocol check first; anything else is dropped. */
  async receiveMessage(message: unknown): Promise<void> {
    if (!isWebviewMessage(message)) {
      this.rejectedMessages++;
      this.services.log.appendLine(`Preview of ${vscode.workspace.asRelativePath(this.uri)}: ignored a malformed message.`);
      return;
    }
    await this.handle(message);
  }

  async handle(message: WebviewMessage): Promise<StepResult | undefined> {
    const { controller } = this.services;
    switch (message.type) {
      case 'ready':
        // A fresh page: it has nothing yet.
        this.ready = true;
        this.sentOutput.clear();
        await this.update();
        return undefined;
      case 'run':
        return controller.runStep(await this.document(), message.stepId, message.documentVersion);
      case 'stop':
        controller.stop(this.uri, message.stepId);
        return undefined;
      case 'copy':
        await controller.copy(await this.document(), message.stepId, message.documentVersion);
        return undefined;
      case 'runInTerminal':
        await controller.runInTerminal(await this.document(), message.stepId, message.documentVersion);
        return undefined;
      case 'runAll':
        await controller.runAll(await this.document(), message.documentVersion);
        return undefined;
      case 'resetSession':
        await controller.resetSession(this.uri);
        return undefined;
      case 'stopBackground':
        await controller.stopBackground(this.uri);
        return undefined;
      case 'showBackgroundLog':
        await controller.showBackgroundLog(this.uri);
        return undefined;
      case 'setInput': {
        const runbook = this.services.documents.get(await this.document());
        const spec = runbook.inputs.find((input) => input.name === message.name);
        if (!spec) return undefined;
        await this.services.inputs.set(this.uri, spec, message.value);
        return undefined;
      }
      case 'reveal':
        await vscode.commands.executeCommand('runbooks.revealStep', this.uri, message.line);
        return undefined;
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    clearTimeout(this.shellTimer);
    this.disposed.fire();
    super.dispose();
    this.panel.dispose();
  }
}
