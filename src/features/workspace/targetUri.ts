import * as vscode from 'vscode';

/** The Markdown document a command is about: its argument (explorer, editor title) or the active editor's. */
export function targetUri(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  const editor = vscode.window.activeTextEditor;
  return editor?.document.languageId === 'markdown' ? editor.document.uri : undefined;
}
