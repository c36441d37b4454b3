// A document's lines as the core's authoring functions take them.

import type * as vscode from 'vscode';

export function documentLines(document: vscode.TextDocument): string[] {
  const lines: string[] = [];
  for (let line = 0; line < document.lineCount; line++) lines.push(document.lineAt(line).text);
  return lines;
}
