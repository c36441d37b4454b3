// The Runbooks view: the workspace's runbooks grouped by folder, each with its progress and when it
// last ran. Files are found once, then kept up to date one file at a time from file events; each is
// read through the core's header reader (front matter and first heading, no Markdown parse). A
// runbook is parsed only when its row is shown, for its progress.

import * as vscode from 'vscode';
import { isMarkdownPath, isRunbookFile, readRunbookHeader, RunbookIndex, type RunbookHeader } from '../../core/discovery';
import { mapConcurrently } from '../../core/mapConcurrently';
import { parseRunbook, type Runbook } from '../../core/runbook';
import { LadderBadges } from '../insights/ladderBadges';
import { Delayer } from '../workspace/delayer';
import { Disposable } from '../workspace/disposable';
import type { ProgressService } from '../workspace/progressService';
import { relativePath } from '../workspace/relativePath';
import type { RunController } from '../workspace/runController';
import { includeGlobs, includePath } from '../workspace/runbookFiles';

export type RunbooksNode = { kind: 'folder'; path: string } | { kind: 'runbook'; uri: vscode.Uri; folder: string };

interface Entry {
  uri: vscode.Uri;
  folder: string;
  header: RunbookHeader;
  text: string;
  parsed?: Runbook;
}

const MAX_MARKDOWN_FILES = 20_000;
const REDRAW_DELAY_MS = 100;
const READ_CONCURRENCY = 16;

function relativeAge(at: number, now = Date.now()): string {
  const minutes = Math.round((now - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export class RunbooksTreeProvider extends Disposable implements vscode.TreeDataProvider<RunbooksNode> {
  private readonly changed = this._register(new vscode.EventEmitter<RunbooksNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly index = new RunbookIndex<Entry>();
  private readonly redraws = this._register(new Delayer(REDRAW_DELAY_MS));
  private readonly pending = new Set<Promise<void>>();
  /** Each runbook's ladder stage (runbook · tool 3/7 · service), read in the background. */
  private readonly ladders = this._register(new LadderBadges(() => this.redraw()));
  /** Bumped by every full scan, so a file read that a newer scan overtook is dropped. */
  private generation = 0;

  constructor(
    private readonly progress: ProgressService,
    controller: RunController,
  ) {
    super();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/*.{md,markdown}'));
    // A folder deleted as a whole (`rm -r runbooks/`) may come as one event for the folder alone.
    const deletions = this._register(vscode.workspace.createFileSystemWatcher('**/*', true, true, false));
    this._register(watcher.onDidCreate((uri) => this.track(this.readFile(uri))));
    this._register(watcher.onDidChange((uri) => this.track(this.readFile(uri))));
    this._register(watcher.onDidDelete((uri) => this.forget(uri)));
    this._register(deletions.onDidDelete((uri) => this.forget(uri)));
    // Made from VS Code (New Runbook, the Explorer): no need to wait for the watcher.
    this._register(vscode.workspace.onDidCreateFiles((event) => event.files.forEach((uri) => this.track(this.readPath(uri)))));
    this._register(vscode.workspace.onDidDeleteFiles((event) => event.files.forEach((uri) => this.forget(uri))));
    this._register(
      vscode.workspace.onDidRenameFiles((event) => {
        for (const { oldUri, newUri } of event.files) {
          this.forget(oldUri);
          this.track(this.readPath(newUri));
        }
      }),
    );
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.track(this.scan())));
    this._register(vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('runbooks.include') && this.track(this.scan())));
    this._register(controller.onDidChangeState(() => this.redraw()));
    this._register(progress.onDidLoad(() => this.redraw()));
    this.track(this.scan());
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private redraw(): void {
    this.redraws.trigger(() => this.changed.fire(undefined));
  }

  /** Resolves when the scan and file reads in progress are done; for tests and commands. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    this.redraws.flush();
  }

  /** Finds every runbook again (at start, and when the folders or the include setting change). */
  rescan(): void {
    this.track(this.scan());
  }

  private async scan(): Promise<void> {
    const generation = ++this.generation;
    const include = includeGlobs();
    // No explicit exclude: VS Code then applies files.exclude, which the view honours.
    const files = await vscode.workspace.findFiles('**/*.{md,markdown}', undefined, MAX_MARKDOWN_FILES);
    const entries = await mapConcurrently(files, READ_CONCURRENCY, (uri) => this.entryOf(uri, include));
    if (generation !== this.generation) return;
    this.index.clear();
    files.forEach((uri, index) => {
      const entry = entries[index];
      if (entry) this.index.set(uri.toString(), entry);
    });
    this.redraw();
  }

  /** The entry of a file if it is a runbook; undefined otherwise (or if it cannot be read). */
  private async entryOf(uri: vscode.Uri, include: string[]): Promise<Entry | undefined> {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
    const header = readRunbookHeader(text, uri.fsPath);
    if (!isRunbookFile(includePath(uri), header.declaresRunbook, include)) return undefined;
    const relative = relativePath(uri);
    const folder = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
    return { uri, folder, header, text };
  }

  /** One file created or changed: read it alone. */
  private async readFile(uri: vscode.Uri): Promise<void> {
    if (!isMarkdownPath(uri.path) || !vscode.workspace.getWorkspaceFolder(uri)) return;
    const generation = this.generation;
    const entry = await this.entryOf(uri, includeGlobs());
    if (generation !== this.generation) return;
    const key = uri.toString();
    if (entry) this.index.set(key, entry);
    else if (!this.index.delete(key)) return;
    this.redraw();
  }

  /** A path created or renamed from VS Code: a Markdown file, or a folder that may hold some. */
  private async readPath(uri: vscode.Uri): Promise<void> {
    if (isMarkdownPath(uri.path)) return this.readFile(uri);
    let type: vscode.FileType;
    try {
      type = (await vscode.workspace.fs.stat(uri)).type;
    } catch {
      return;
    }
    if (!(type & vscode.FileType.Directory)) return;
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*.{md,markdown}'), undefined, MAX_MARKDOWN_FILES);
    await Promise.all(files.map((file) => this.readFile(file)));
  }

  /** A file or a whole folder is gone: its runbooks go with it, found by range, not by a loop. */
  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const removed = Number(this.index.delete(key)) + this.index.deleteUnder(`${key}/`);
    if (removed > 0) this.redraw();
  }

  /** The runbooks found, for tests and other features. */
  get runbookUris(): vscode.Uri[] {
    return [...this.index].map(([, entry]) => entry.uri);
  }

  getChildren(element?: RunbooksNode): RunbooksNode[] {
    const entries = [...this.index].map(([, entry]) => entry).sort((a, b) => a.uri.path.localeCompare(b.uri.path));
    if (!element) {
      const folders = [...new Set(entries.map((entry) => entry.folder))].sort();
      // One folder only: list its runbooks directly rather than a single group.
      if (folders.length === 1) return entries.map((entry) => ({ kind: 'runbook', uri: entry.uri, folder: entry.folder }));
      return folders.map((path) => ({ kind: 'folder', path }));
    }
    if (element.kind === 'folder') {
      return entries.filter((entry) => entry.folder === element.path).map((entry) => ({ kind: 'runbook', uri: entry.uri, folder: entry.folder }));
    }
    return [];
  }

  getTreeItem(element: RunbooksNode): vscode.TreeItem {
    if (element.kind === 'folder') {
      const item = new vscode.TreeItem(element.path || '(workspace root)', vscode.TreeItemCollapsibleState.Expanded);
      item.id = `folder:${element.path}`;
      item.iconPath = vscode.ThemeIcon.Folder;
      item.contextValue = 'runbookFolder';
      return item;
    }
    const entry = this.index.get(element.uri.toString());
    const item = new vscode.TreeItem(entry?.header.title ?? element.uri.path, vscode.TreeItemCollapsibleState.None);
    item.id = element.uri.toString();
    item.resourceUri = element.uri;
    item.iconPath = new vscode.ThemeIcon('notebook');
    item.contextValue = 'runbook';
    item.command = { command: 'vscode.open', title: 'Open', arguments: [element.uri] };
    if (entry) {
      entry.parsed ??= parseRunbook(entry.text, { path: entry.uri.fsPath });
      const summary = this.progress.summary(element.uri, entry.parsed);
      const parts = [`${summary.done}/${summary.total}`];
      if (summary.failed > 0) parts.push(`${summary.failed} failed`);
      if (summary.running) parts.push(`running ${summary.running}`);
      parts.push(summary.lastRunAt ? `ran ${relativeAge(summary.lastRunAt)}` : 'never run');
      const { ladder, reading } = this.ladders.get(element.uri, entry.text, entry.parsed);
      if (reading) this.track(reading);
      if (ladder) parts.push(ladder.badge);
      item.description = parts.join(' · ');
      const tooltip = `${entry.header.title}\n${vscode.workspace.asRelativePath(element.uri)}\n${entry.header.description ?? ''}`.trim();
      item.tooltip = ladder ? `${tooltip}\n${ladder.summary}` : tooltip;
    }
    return item;
  }
}
