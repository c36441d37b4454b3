// The insights panel: which runbooks cost the most toil and how far each is automated. It reads
// the sources of one workspace folder once (history files, issue exports, the runbooks and their
// ladders: src/core/insights), then summarizes any period from what it read, so switching between
// 30, 90 and 365 days reads nothing again; Refresh, another folder or other issue exports read
// anew. A read that a newer one overtook is dropped, so the panel never shows older numbers. The
// webview's (checked) messages can only pick a period, a folder or the issue exports, and open a
// runbook or source file that the insights it was sent name.

import * as vscode from 'vscode';
import { DEFAULT_PERIOD, loadInsightsSources, parsePeriod, PERIOD_CHOICES, periodEnding, summarizeInsights, summaryLine, type InsightsPeriod, type InsightsSources } from '../../core/insights';
import { createNonce } from '../preview/previewHtml';
import { Disposable } from '../workspace/disposable';
import type { ProgressService } from '../workspace/progressService';
import { insightsHtml } from './insightsHtml';
import { gatherSources } from './insightsSources';
import { isInsightsWebviewMessage, isPeriodChoice, type InsightsHostMessage, type InsightsPeriodChoice, type InsightsView, type InsightsWebviewMessage } from './protocol';

export { INSIGHTS_VIEW_TYPE } from './viewType';
/** Workspace state: the issue exports the user chose (absolute paths). */
export const ISSUE_FILES_KEY = 'runbooks.insights.issueFiles';

const SHELL_LOAD_TIMEOUT_MS = 5000;
const MAX_SHELL_ATTEMPTS = 3;
/** The longest period offered: lines older than that are not read at all. */
const LONGEST_PERIOD_MS = Math.max(...PERIOD_CHOICES.map((choice) => parsePeriod(choice) ?? 0));

export interface InsightsServices {
  extensionUri: vscode.Uri;
  progress: ProgressService;
  /** The Runbooks view: its runbooks are the ones ranked. */
  runbooks: { readonly runbookUris: vscode.Uri[]; settled(): Promise<void> };
  workspaceState: vscode.Memento;
  log: vscode.OutputChannel;
}

/** How the panel asks the user for issue exports: a file dialog, or scripted answers in tests. */
export interface InsightsPrompts {
  chooseIssueFiles(defaultUri: vscode.Uri | undefined): Promise<string[] | undefined>;
}

export const dialogInsightsPrompts: InsightsPrompts = {
  async chooseIssueFiles(defaultUri) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Issue exports for Runbook Insights',
      openLabel: 'Use as Issue Exports',
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: true,
      defaultUri,
      filters: { 'Issue exports (JSON)': ['json'], 'All files': ['*'] },
    });
    return picked?.map((uri) => uri.fsPath);
  },
};

interface Loaded {
  folder: vscode.WorkspaceFolder;
  sources: InsightsSources;
  labels: Record<string, string>;
  /** When the sources were read: every period ends then. */
  now: number;
}

export class InsightsPanel extends Disposable {
  prompts: InsightsPrompts = dialogInsightsPrompts;
  private period: InsightsPeriodChoice;
  private folderIndex = 0;
  private ready = false;
  private shellTimer: NodeJS.Timeout | undefined;
  private loaded: Loaded | undefined;
  /** Reads started; only the newest may show its result. */
  private loadSeq = 0;
  private loading: Promise<void> | undefined;
  private readonly disposed = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposed.event;
  private readonly posted = this._register(new vscode.EventEmitter<InsightsHostMessage>());
  /** Fires with every message posted to the webview (for tests). */
  readonly onDidPost = this.posted.event;
  /** The last insights posted, for tests. */
  lastView: InsightsView | undefined;
  /** How many times the sources were read, for tests: a period change reads nothing. */
  reads = 0;
  /** Messages from the webview that failed the protocol check. */
  rejectedMessages = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: InsightsServices,
    period: unknown,
  ) {
    super();
    this.period = isPeriodChoice(period) ? period : DEFAULT_PERIOD;
    const { extensionUri } = services;
    panel.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'runbooks.svg');
    const active = vscode.window.activeTextEditor?.document.uri;
    const activeFolder = active && vscode.workspace.getWorkspaceFolder(active);
    if (activeFolder) this.folderIndex = activeFolder.index;
    this.loadShell();
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(
      panel.onDidChangeViewState(({ webviewPanel }) => {
        // A hidden webview is unloaded; shown again, its script says `ready` anew.
        if (!webviewPanel.visible) this.ready = false;
        else if (!this.ready) this.watchShell(1);
      }),
    );
    this._register(panel.webview.onDidReceiveMessage((message: unknown) => this.receiveMessage(message)));
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('runbooks.historyFolders') || event.affectsConfiguration('runbooks.runbookUrlPrefixes')) void this.refresh();
      }),
    );
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()));
    // The sources are read at once, while the webview loads.
    void this.refresh();
  }

  private loadShell(attempt = 1): void {
    const { extensionUri } = this.services;
    const webview = this.panel.webview;
    webview.html = insightsHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'insights.js')).toString(),
      baseStyleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'insights.css')).toString(),
    });
    this.watchShell(attempt);
  }

  /** A browser host can fail to load webview resources right after a reload: the shell is set again. */
  private watchShell(attempt: number): void {
    clearTimeout(this.shellTimer);
    if (attempt >= MAX_SHELL_ATTEMPTS) return;
    this.shellTimer = setTimeout(() => {
      if (this.ready || !this.panel.visible || this.isDisposed) return;
      this.services.log.appendLine('Runbook Insights did not load; loading it again.');
      this.loadShell(attempt + 1);
    }, SHELL_LOAD_TIMEOUT_MS);
  }

  private post(message: InsightsHostMessage): void {
    if (message.type === 'insights') this.lastView = message.view;
    this.posted.fire(message);
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** The issue exports chosen for this workspace. */
  get issueFiles(): string[] {
    const files = this.services.workspaceState.get<unknown>(ISSUE_FILES_KEY);
    return Array.isArray(files) ? files.filter((file): file is string => typeof file === 'string') : [];
  }

  /** Resolves when the read in progress (if any) has been shown. */
  async settled(): Promise<void> {
    while (this.loading) await this.loading;
  }

  /** Reads every source again and shows the chosen period. */
  refresh(): Promise<void> {
    if (this.isDisposed) return Promise.resolve();
    const seq = ++this.loadSeq;
    const work = this.read(seq).finally(() => {
      if (this.loading === work) this.loading = undefined;
    });
    this.loading = work;
    return work;
  }

  private async read(seq: number): Promise<void> {
    this.post({ type: 'loading' });
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      this.loaded = undefined;
      this.post({ type: 'unavailable', message: 'Open a folder that holds runbooks: insights rank the runbooks of a workspace folder.' });
      return;
    }
    const folder = folders[Math.min(this.folderIndex, folders.length - 1)];
    try {
      await this.services.runbooks.settled();
      // What the editor recorded so far is on disk before its history file is read.
      await this.services.progress.flush();
      this.reads++;
      const now = Date.now();
      const gathered = await gatherSources({ folder, runbooks: this.services.runbooks.runbookUris, editorHistory: this.services.progress.historyFiles(), issueFiles: this.issueFiles });
      const sources = await loadInsightsSources({ ...gathered.options, since: now - LONGEST_PERIOD_MS });
      if (seq !== this.loadSeq || this.isDisposed) return;
      sources.problems.unshift(...gathered.problems);
      this.loaded = { folder, sources, labels: gathered.labels, now };
      this.show();
    } catch (error) {
      if (seq !== this.loadSeq || this.isDisposed) return;
      const message = error instanceof Error ? error.message : String(error);
      this.services.log.appendLine(`Runbook Insights could not read its sources: ${message}`);
      this.post({ type: 'unavailable', message: `The insights could not be read: ${message}` });
    }
  }

  /** Summarizes what was read for the chosen period: no file is read. */
  private show(): void {
    const loaded = this.loaded;
    if (!loaded) return;
    const period = periodEnding(this.period, loaded.now) as InsightsPeriod;
    const insights = summarizeInsights(loaded.sources, { period });
    this.post({
      type: 'insights',
      view: {
        insights,
        period: this.period,
        summary: summaryLine(insights),
        folders: (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.name),
        folder: loaded.folder.index,
        issueFiles: [...loaded.sources.issueFiles],
        labels: loaded.labels,
        readAt: new Date(loaded.now).toISOString(),
      },
    });
  }

  /** Everything from the webview passes the protocol check first; anything else is dropped. */
  async receiveMessage(message: unknown): Promise<void> {
    if (!isInsightsWebviewMessage(message)) {
      this.rejectedMessages++;
      this.services.log.appendLine('Runbook Insights: ignored a malformed message.');
      return;
    }
    await this.handle(message);
  }

  async handle(message: InsightsWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        // A fresh page has nothing: what was read is shown again (or arrives when the read ends).
        this.ready = true;
        clearTimeout(this.shellTimer);
        if (this.loading) this.post({ type: 'loading' });
        else if (this.loaded) this.show();
        else await this.refresh();
        return;
      case 'setPeriod':
        this.period = message.period;
        this.show();
        return;
      case 'setFolder':
        if (message.folder === this.folderIndex || message.folder >= (vscode.workspace.workspaceFolders?.length ?? 0)) return;
        this.folderIndex = message.folder;
        await this.refresh();
        return;
      case 'refresh':
        await this.refresh();
        return;
      case 'chooseIssueFiles': {
        const chosen = await this.prompts.chooseIssueFiles(this.loaded?.folder.uri);
        if (!chosen || chosen.length === 0) return;
        await this.services.workspaceState.update(ISSUE_FILES_KEY, [...new Set(chosen)]);
        await this.refresh();
        return;
      }
      case 'clearIssueFiles':
        await this.services.workspaceState.update(ISSUE_FILES_KEY, undefined);
        await this.refresh();
        return;
      case 'openRunbook': {
        const loaded = this.loaded;
        if (!loaded || !loaded.sources.runbooks.some((runbook) => runbook.path === message.path)) return;
        const uri = vscode.Uri.joinPath(loaded.folder.uri, ...message.path.split('/'));
        await vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'openSource': {
        const loaded = this.loaded;
        if (!loaded || !this.isSourceFile(loaded, message.file)) return;
        const line = Math.max(0, (message.line ?? 1) - 1);
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(message.file));
        const position = new vscode.Position(Math.min(line, Math.max(0, document.lineCount - 1)), 0);
        await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(position, position) });
        return;
      }
    }
  }

  /** A file the insights read (history, issue export) or ranked (a runbook). */
  private isSourceFile(loaded: Loaded, file: string): boolean {
    const { sources, folder } = loaded;
    if (sources.historyFiles.includes(file) || sources.issueFiles.includes(file)) return true;
    return sources.runbooks.some((runbook) => vscode.Uri.joinPath(folder.uri, ...runbook.path.split('/')).fsPath === file);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    clearTimeout(this.shellTimer);
    this.loadSeq++;
    this.disposed.fire();
    super.dispose();
    this.panel.dispose();
  }
}
