// The Runbooks view: the workspace's runbooks grouped by folder, each with its progress and when it
// last ran. Discovery runs in the background on changes; the provider only reads its results.

import * as vscode from 'vscode';
import { parseRunbook, type Runbook } from '../../core/runbook';
import type { ProgressService } from '../workspace/progressService';
import { relativePath } from '../workspace/relativePath';
import { declaresRunbook, includeGlobs } from '../workspace/runbookFiles';

export type RunbooksNode = { kind: 'folder'; path: string } | { kind: 'runbook'; uri: vscode.Uri; folder: string };

interface Entry {
  uri: vscode.Uri;
  folder: string;
  runbook: Runbook;
  mtime: number;
}

const EXCLUDE = '{**/node_modules/**,**/.git/**}';
const MAX_MARKDOWN_FILES = 5000;
const RESCAN_DELAY_MS = 300;

function relativeAge(at: number, now = Date.now()): string {
  const minutes = Math.round((now - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export class RunbooksTreeProvider implements vscode.TreeDataProvider<RunbooksNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunbooksNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private entries = new Map<string, Entry>();
  /** Markdown files found not to be runbooks, with their mtime then, so a rescan does not read them again. */
  private notRunbooks = new Map<string, number>();
  private scanTimer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly progress: ProgressService) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{md,markdown}');
    // A folder deleted as a whole (`rm -r runbooks/`) may come as one event for the folder alone,
    // which the Markdown glob does not match: rescan when it held a listed runbook.
    const deletions = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
    const deleted = (uri: vscode.Uri) => {
      const prefix = `${uri.toString()}/`;
      if ([...this.entries.keys()].some((key) => key.startsWith(prefix))) this.scheduleScan();
    };
    this.subscriptions.push(
      this.changed,
      watcher,
      deletions,
      watcher.onDidCreate((uri) => this.changedFile(uri)),
      watcher.onDidChange((uri) => this.changedFile(uri)),
      watcher.onDidDelete((uri) => this.changedFile(uri)),
      deletions.onDidDelete(deleted),
      // Made from VS Code (New Runbook, the Explorer): no need to wait for the watcher.
      vscode.workspace.onDidCreateFiles((event) => this.changedFiles(event.files)),
      vscode.workspace.onDidDeleteFiles((event) => this.changedFiles(event.files)),
      vscode.workspace.onDidRenameFiles((event) => this.changedFiles(event.files.flatMap((file) => [file.oldUri, file.newUri]))),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleScan()),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('runbooks.include') && this.scheduleScan()),
      progress.onDidChange(() => this.changed.fire(undefined)),
    );
    this.scheduleScan(0);
  }

  /** A Markdown file changed: forget what was read of it (its mtime may not have moved) and rescan. */
  private changedFile(uri: vscode.Uri): void {
    const key = uri.toString();
    this.notRunbooks.delete(key);
    const entry = this.entries.get(key);
    if (entry) entry.mtime = -1; // read it again at the next scan
    this.scheduleScan();
  }

  /** Files created, deleted or renamed: only Markdown files and folders (no extension) matter. */
  private changedFiles(uris: readonly vscode.Uri[]): void {
    const relevant = uris.filter((uri) => /\.(md|markdown)$/i.test(uri.path) || !/\.[^/]*$/.test(uri.path.slice(uri.path.lastIndexOf('/'))));
    for (const uri of relevant) this.notRunbooks.delete(uri.toString());
    if (relevant.length > 0) this.scheduleScan();
  }

  /** Resolves when the scan in progress (if any) is done; for tests and commands. */
  async settled(): Promise<void> {
    while (this.scanTimer || this.scanning) {
      await (this.scanning ?? new Promise((r) => setTimeout(r, RESCAN_DELAY_MS)));
    }
  }

  scheduleScan(delay = RESCAN_DELAY_MS): void {
    clearTimeout(this.scanTimer);
    this.scanTimer = setTimeout(() => {
      this.scanTimer = undefined;
      this.scanning = this.scan().finally(() => (this.scanning = undefined));
    }, delay);
  }

  private async scan(): Promise<void> {
    const include = includeGlobs();
    const byGlob = new Set<string>();
    for (const glob of include) for (const uri of await vscode.workspace.findFiles(glob, EXCLUDE)) byGlob.add(uri.toString());
    const markdown = await vscode.workspace.findFiles('**/*.{md,markdown}', EXCLUDE, MAX_MARKDOWN_FILES);
    const next = new Map<string, Entry>();
    const notRunbooks = new Map<string, number>();
    for (const uri of markdown) {
      try {
        const key = uri.toString();
        const stat = await vscode.workspace.fs.stat(uri);
        if (!byGlob.has(key) && this.notRunbooks.get(key) === stat.mtime) {
          notRunbooks.set(key, stat.mtime);
          continue;
        }
        const known = this.entries.get(key);
        let runbook = known && known.mtime === stat.mtime ? known.runbook : undefined;
        if (!runbook) runbook = parseRunbook(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), { path: uri.fsPath });
        if (!byGlob.has(key) && !declaresRunbook(runbook)) {
          notRunbooks.set(key, stat.mtime);
          continue;
        }
        const relative = relativePath(uri);
        const folder = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
        next.set(uri.toString(), { uri, folder, runbook, mtime: stat.mtime });
      } catch {
        // deleted or unreadable since it was found
      }
    }
    this.entries = next;
    this.notRunbooks = notRunbooks;
    this.changed.fire(undefined);
  }

  /** The runbooks found, for tests and other features. */
  get runbookUris(): vscode.Uri[] {
    return [...this.entries.values()].map((entry) => entry.uri);
  }

  getChildren(element?: RunbooksNode): RunbooksNode[] {
    const entries = [...this.entries.values()].sort((a, b) => a.uri.path.localeCompare(b.uri.path));
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
    const entry = this.entries.get(element.uri.toString());
    const item = new vscode.TreeItem(entry?.runbook.title ?? element.uri.path, vscode.TreeItemCollapsibleState.None);
    item.id = element.uri.toString();
    item.resourceUri = element.uri;
    item.iconPath = new vscode.ThemeIcon('notebook');
    item.contextValue = 'runbook';
    item.command = { command: 'vscode.open', title: 'Open', arguments: [element.uri] };
    if (entry) {
      const summary = this.progress.summary(element.uri, entry.runbook);
      const parts = [`${summary.done}/${summary.total}`];
      if (summary.failed > 0) parts.push(`${summary.failed} failed`);
      if (summary.running) parts.push(`running ${summary.running}`);
      parts.push(summary.lastRunAt ? `ran ${relativeAge(summary.lastRunAt)}` : 'never run');
      item.description = parts.join(' · ');
      item.tooltip = `${entry.runbook.title}\n${vscode.workspace.asRelativePath(element.uri)}\n${entry.runbook.meta.description ?? ''}`.trim();
    }
    return item;
  }

  dispose(): void {
    clearTimeout(this.scanTimer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
