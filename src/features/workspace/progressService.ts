// Where the editor keeps runbook progress and history: one folder of files per workspace folder in
// the extension's global storage (and one for runbooks outside any folder), keyed by the runbook's
// path inside its folder. Neither the key nor the place depends on which other folders are open, so
// adding or removing a workspace folder loses nothing. The runner (src/core/runner) decides what is
// recorded; this only stores it and reads it back for the views.

import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { HistoryLog, ProgressStore, emptyProgress, manualChecked, nextItem, summarize, type HistoryEntry, type RunbookProgress } from '../../core/progress';
import { historySink, type HistorySink, type ProgressBackend } from '../../core/runner';
import type { Runbook, RunbookItem } from '../../core/runbook';
import { Disposable } from './disposable';

interface Place {
  store: ProgressStore;
  history: HistoryLog;
  sink: HistorySink;
}

/** The runbook's key in progress and history: its path inside its workspace folder, `/`-separated; a file outside every folder is keyed by its URI. */
export function runbookKey(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return uri.toString();
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : vscode.workspace.asRelativePath(uri, false);
}

export class ProgressService extends Disposable {
  private readonly places = new Map<string, Place>();
  private readonly loadedEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fires when stored progress has been read (at start, and when a workspace folder is added). */
  readonly onDidLoad = this.loadedEmitter.event;
  private loading: Promise<void> = Promise.resolve();

  constructor(
    /** The extension's global storage folder. */
    readonly storage: vscode.Uri,
    private readonly log: vscode.OutputChannel,
  ) {
    super();
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.loadAll()));
    void this.loadAll();
  }

  /** Resolves once the progress of every open folder has been read. */
  get ready(): Promise<void> {
    return this.loading;
  }

  private warn(message: string): void {
    this.log.appendLine(message);
    void vscode.window.showWarningMessage(message);
  }

  private placeId(uri: vscode.Uri): string {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? `folder-${createHash('sha256').update(folder.uri.toString()).digest('hex').slice(0, 16)}` : 'files';
  }

  private place(uri: vscode.Uri): Place {
    return this.placeById(this.placeId(uri));
  }

  private placeById(id: string): Place {
    let place = this.places.get(id);
    if (!place) {
      const dir = vscode.Uri.joinPath(this.storage, 'runbooks', id);
      const store = new ProgressStore(vscode.Uri.joinPath(dir, 'progress.json').fsPath, { onWarning: (message) => this.warn(message) });
      const history = new HistoryLog(vscode.Uri.joinPath(dir, 'history.jsonl').fsPath);
      const sink = historySink(history, (error) => this.log.appendLine(`Could not append to the run history: ${error.message}`));
      place = { store, history, sink };
      this.places.set(id, place);
    }
    return place;
  }

  private loadAll(): Promise<void> {
    const places = [...(vscode.workspace.workspaceFolders ?? []).map((folder) => this.place(folder.uri)), this.placeById('files')];
    const pending = places.filter((place) => !place.store.isLoaded).map((place) =>
      place.store.load().then(
        () => undefined,
        (error: Error) => this.warn(`Runbook progress could not be read: ${error.message}`),
      ),
    );
    this.loading = Promise.all([this.loading, ...pending]).then(() => this.loadedEmitter.fire());
    return this.loading;
  }

  /** Where the runner of `uri` keeps its records. */
  backend(uri: vscode.Uri): ProgressBackend {
    const { store } = this.place(uri);
    return {
      get: (key) => store.get(key),
      update: (key, change) => {
        store.apply(key, change).catch((error: Error) => this.log.appendLine(`Could not save runbook progress: ${error.message}`));
      },
    };
  }

  /** Where the runner of `uri` appends history lines. */
  historySink(uri: vscode.Uri): HistorySink {
    return this.place(uri).sink;
  }

  progress(uri: vscode.Uri): RunbookProgress {
    return this.place(uri).store.get(runbookKey(uri)) ?? emptyProgress();
  }

  summary(uri: vscode.Uri, runbook: Runbook) {
    return summarize(this.progress(uri), runbook);
  }

  /** Where Continue resumes: the first item not yet passed, checked or skipped. */
  next(uri: vscode.Uri, runbook: Runbook): RunbookItem | undefined {
    return nextItem(this.progress(uri), runbook);
  }

  manualStates(uri: vscode.Uri, runbook: Runbook): Record<string, boolean> {
    const progress = this.progress(uri);
    return Object.fromEntries(runbook.manualSteps.map((step) => [step.id, manualChecked(progress, step)]));
  }

  /** The history files of the open folders, for insights. */
  historyFiles(): string[] {
    return [...this.places.values()].map((place) => place.history.file);
  }

  async readHistory(uri: vscode.Uri): Promise<HistoryEntry[]> {
    return this.place(uri).history.read();
  }

  /** Resolves once everything recorded so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all([...this.places.values()].flatMap((place) => [place.store.isLoaded ? place.store.save() : Promise.resolve(), place.sink.flush()]));
  }
}
