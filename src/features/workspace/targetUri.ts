import * as vscode from 'vscode';

/**
 * The Markdown document a command is about: its argument (a URI from the explorer, editor title or
 * CodeLens; a tree node carrying one) or else the active editor's.
 */
export function targetUri(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  const carried = (argument as { uri?: unknown } | undefined)?.uri;
  if (carried instanceof vscode.Uri) return carried;
  const editor = vscode.window.activeTextEditor;
  return editor?.document.languageId === 'markdown' ? editor.document.uri : undefined;
}

/**
 * The step a command is about: `(uri, stepId)` from CodeLens, the palette or tests, or a tree node
 * carrying `uri` and `item` from the Steps view.
 */
export function stepTarget(first: unknown, second?: unknown): { uri: vscode.Uri; id: string } | undefined {
  if (first instanceof vscode.Uri) return typeof second === 'string' ? { uri: first, id: second } : undefined;
  const node = first as { uri?: unknown; item?: { id?: unknown } } | undefined;
  if (node?.uri instanceof vscode.Uri && typeof node.item?.id === 'string') return { uri: node.uri, id: node.item.id };
  return undefined;
}
