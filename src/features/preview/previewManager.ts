// One preview per runbook: opens, reveals and restores them (after a window reload, through the
// webview serializer).

import * as vscode from 'vscode';
import { Disposable } from '../workspace/disposable';
import { RunbookPreview, type PreviewServices } from './runbookPreview';

export const PREVIEW_VIEW_TYPE = 'runbooks.preview';

export class PreviewManager extends Disposable implements vscode.WebviewPanelSerializer {
  private readonly previews = new Map<string, RunbookPreview>();
  private readonly focused = this._register(new vscode.EventEmitter<vscode.Uri>());
  /** Fires with the runbook's URI when one of the previews becomes the active editor. */
  readonly onDidFocusPreview = this.focused.event;

  constructor(private readonly services: PreviewServices) {
    super();
  }

  get(uri: vscode.Uri): RunbookPreview | undefined {
    return this.previews.get(uri.toString());
  }

  open(uri: vscode.Uri, toSide: boolean): RunbookPreview {
    const column = toSide ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const existing = this.get(uri);
    if (existing) {
      existing.reveal(column);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, `Runbook: ${vscode.workspace.asRelativePath(uri)}`, { viewColumn: column, preserveFocus: toSide }, {
      enableScripts: true,
      enableFindWidget: true,
    });
    return this.track(new RunbookPreview(panel, uri, this.services));
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const resource = typeof state === 'object' && state !== null ? (state as { resource?: unknown }).resource : undefined;
    if (typeof resource !== 'string') {
      panel.dispose();
      return;
    }
    const uri = vscode.Uri.parse(resource);
    if (this.get(uri)) {
      panel.dispose();
      return;
    }
    this.track(new RunbookPreview(panel, uri, this.services));
  }

  private track(preview: RunbookPreview): RunbookPreview {
    const key = preview.uri.toString();
    this.previews.set(key, preview);
    preview.onDidFocus(() => this.focused.fire(preview.uri));
    preview.onDidDispose(() => {
      if (this.previews.get(key) === preview) this.previews.delete(key);
    });
    return preview;
  }

  override dispose(): void {
    for (const preview of [...this.previews.values()]) preview.dispose();
    super.dispose();
  }
}
