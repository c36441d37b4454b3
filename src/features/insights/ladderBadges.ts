// Each runbook's place on the ladder runbook → tool → service, for the Runbooks view's description
// (`runbook`, `tool 3/7`, `service`) and tooltip (`3 of 7 steps automated · no workflow`). The view
// asks while drawing a row, with the text and parse it already holds; the ladder (which looks for
// the notes' scripts and the exported workflow files on disk) is read in the background, and the
// view is told to redraw when it arrives. Until then the row shows the runbook's previous ladder,
// if any. Scripts or workflow files created or deleted make the ladders read again.

import * as vscode from 'vscode';
import { githubWorkflowPath, gitlabWorkflowPath } from '../../core/export/names';
import type { Ladder } from '../../core/insights';
import type { Runbook } from '../../core/runbook';
import { Disposable } from '../workspace/disposable';
import { runbookKey } from '../workspace/progressService';

/** The folders exported workflows are written to (`.github/workflows/`, `.gitlab/runbooks/`), repository-relative. */
const WORKFLOW_FOLDERS = [githubWorkflowPath('x'), gitlabWorkflowPath('x')].map((path) => path.slice(0, path.lastIndexOf('/') + 1));

interface Known {
  text: string;
  ladder?: Ladder;
}

export class LadderBadges extends Disposable {
  private readonly known = new Map<string, Known>();

  /** `onDidChange` is called when a ladder arrives or the ladders must be read again. */
  constructor(private readonly onDidChange: () => void) {
    super();
    // Exporting a workflow or extracting a script creates a file a ladder looks for; deleting one
    // takes a rung away. Markdown files are the view's own business (a new text is read anew).
    const files = this._register(vscode.workspace.createFileSystemWatcher('**/*', false, true, false));
    this._register(files.onDidCreate((uri) => this.fileChanged(uri)));
    this._register(files.onDidDelete((uri) => this.fileChanged(uri)));
  }

  /** A file was created or deleted: the ladders that name it (as a script or a workflow) are read again. */
  private fileChanged(uri: vscode.Uri): void {
    if (this.known.size === 0 || /\.(md|markdown)$/i.test(uri.path)) return;
    const path = runbookKey(uri);
    const workflow = WORKFLOW_FOLDERS.some((folder) => path.startsWith(folder) || folder.startsWith(`${path}/`));
    let stale = false;
    for (const entry of this.known.values()) {
      const ladder = entry.ladder;
      const names = (script: string) => script.replace(/^(\.\/)+/, '') === path;
      if (workflow || (ladder && (ladder.scripts.some(names) || ladder.missingScripts.some(names)))) {
        entry.text = '';
        stale = true;
      }
    }
    if (stale) this.onDidChange();
  }

  /**
   * The ladder of the runbook at `uri` for this text, or the one of its previous text while this
   * one is read; `reading` is the background read this call started, if any (for the view's
   * `settled()`). Does no file I/O itself.
   */
  get(uri: vscode.Uri, text: string, runbook: Runbook): { ladder?: Ladder; reading?: Promise<void> } {
    const key = uri.toString();
    const entry = this.known.get(key);
    if (entry && entry.text === text) return { ladder: entry.ladder };
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || uri.scheme !== 'file') return {};
    const next: Known = { text, ladder: entry?.ladder };
    this.known.set(key, next);
    // The insights core loads on first use (a file of its own in the bundle), not at activation.
    const reading = import('../../core/insights').then(({ readLadder }) => readLadder(folder.uri.fsPath, runbookKey(uri), { text, runbook })).then(
      (ladder) => {
        if (this.known.get(key) !== next || this.isDisposed) return;
        next.ladder = ladder;
        this.onDidChange();
      },
      // Unreadable now (deleted meanwhile): the view drops the row itself.
      () => undefined,
    );
    return { ladder: next.ladder, reading };
  }
}
