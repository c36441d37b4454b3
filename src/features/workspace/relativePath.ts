import * as vscode from 'vscode';

/** `docs/restart.runbook.md`: relative to its workspace folder, prefixed by the folder's name only in a multi-root workspace. */
export function relativePath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}
