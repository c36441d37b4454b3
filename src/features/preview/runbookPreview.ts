// One runbook's preview panel: renders the host's parse of the document into the webview, keeps it
// current as the document changes, forwards step state and output, and turns the webview's
// (checked) messages into controller calls.

import * as vscode from 'vscode';
import { isProductionLike, type StepResult } from '../../core/run';
import { renderRunbook, type Runbook } from '../../core/runbook';
import type { InputStore } from '../workspace/inputStore';
import type { ProgressService } from '../workspace/progressService';
import type { RunController } from '../workspace/runController';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { relativePath } from '../workspace/relativePath';
import { readRunSettings } from '../workspace/settings';
import { isWebviewMessage, type HostMessage, type WebviewMessage } from './protocol';
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

export class RunbookPreview implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private updateTimer: NodeJS.Timeout | undefined;
  private shellTimer: NodeJS.Timeout | undefined;
  private ready = false;
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  private readonly focused = new vscode.EventEmitter<void>();
  /** Fires when the panel becomes the active editor. */
  readonly onDidFocus = this.focused.event;
  /** Every message the webview sent that failed the protocol check, for tests and the log. */
  rejectedMessages = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly services: PreviewServices,
  ) {
    const { extensionUri, documents, controller } = services;
    panel.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(uri, '..')],
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'runbooks.svg');
    this.loadShell();
    this.subscriptions.push(
      this.disposed,
      this.focused,
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (webviewPanel.active) this.focused.fire();
        // A hidden webview is unloaded; shown again, its script says `ready` anew (watched as at first).
        if (!webviewPanel.visible) this.ready = false;
        else if (!this.ready) this.watchShell(1);
      }),
      panel.webview.onDidReceiveMessage((message: unknown) => this.receiveMessage(message)),
      documents.onDidChange((document) => {
        if (document.uri.toString() === uri.toString()) this.scheduleUpdate();
      }),
      controller.onDidChangeState((change) => {
        if (change.uri.toString() === uri.toString()) this.post({ type: 'stepState', stepId: change.stepId, state: change.state });
      }),
      controller.onDidOutput((change) => {
        if (change.uri.toString() !== uri.toString()) return;
        if (change.reset) this.post({ type: 'clearOutput', stepId: change.stepId });
        else this.post({ type: 'output', stepId: change.stepId, text: change.text });
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleUpdate()),
      services.progress.onDidChange((changed) => {
        if (!changed || changed.toString() === uri.toString()) this.scheduleUpdate();
      }),
      // Scroll sync: when the editor's cursor moves (a click in the Steps view included), show that block.
      vscode.window.onDidChangeTextEditorSelection(({ textEditor, selections }) => {
        if (textEditor.document.uri.toString() === uri.toString() && selections[0]) {
          this.post({ type: 'scrollToLine', line: selections[0].active.line });
        }
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
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  reveal(column?: vscode.ViewColumn, preserveFocus = false): void {
    this.panel.reveal(column, preserveFocus);
  }

  scheduleUpdate(): void {
    clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => void this.update(), UPDATE_DELAY_MS);
  }

  /** Sends the whole rendered runbook with the state and output of every step. */
  async update(): Promise<void> {
    if (!this.ready) return;
    const document = await this.document();
    const runbook = this.services.documents.get(document);
    this.panel.title = `Runbook: ${runbook.title}`;
    const folder = vscode.Uri.joinPath(this.uri, '..');
    const html = renderRunbook(document.getText(), runbook, {
      resolveResource: (href) => {
        if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return undefined;
        return this.panel.webview.asWebviewUri(vscode.Uri.joinPath(folder, href)).toString();
      },
    });
    this.post({
      type: 'render',
      resource: this.uri.toString(),
      documentVersion: document.version,
      html,
      header: this.header(runbook),
      inputs: await this.services.inputs.views(this.uri, runbook),
      steps: this.services.progress.views(this.uri, runbook),
      outputs: this.services.progress.outputs(this.uri, runbook),
      manual: this.services.progress.manualStates(this.uri, runbook),
      trusted: vscode.workspace.isTrusted,
    });
  }

  private header(runbook: Runbook) {
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
        this.ready = true;
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
        controller.resetSession(this.uri);
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

  dispose(): void {
    clearTimeout(this.updateTimer);
    clearTimeout(this.shellTimer);
    this.disposed.fire();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.panel.dispose();
  }
}
