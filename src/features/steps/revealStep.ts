import * as vscode from 'vscode';

/** Opens the runbook (or focuses its editor) with the cursor on `line` and the line in view. */
export async function revealStep(uri: vscode.Uri, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(uri, { preserveFocus: false, preview: false });
  const position = new vscode.Position(Math.min(line, editor.document.lineCount - 1), 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
