// Which Markdown files are runbooks, in the editor: the core's rule (src/core/discovery) with the
// `runbooks.include` setting. The Runbooks view lists them and the editor's runbook features act on
// them; plain Markdown (a README with a `bash` block) gets neither.

import * as vscode from 'vscode';
import { DEFAULT_INCLUDE, isRunbookFile } from '../../core/discovery';
import type { Runbook } from '../../core/runbook';
import { runbookKey } from './progressService';

/** The `runbooks.include` globs. */
export function includeGlobs(): string[] {
  return vscode.workspace.getConfiguration('runbooks').get<string[]>('include') ?? DEFAULT_INCLUDE;
}

/** Front matter that marks any Markdown file as a runbook: `inputs:` or `runbook: true`. */
export function declaresRunbook(runbook: Runbook): boolean {
  return runbook.meta.declaredRunbook || runbook.frontMatter?.inputs !== undefined;
}

/** The path the include globs are matched against: relative to the workspace folder, else absolute. */
export function includePath(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri) ? runbookKey(uri) : uri.path.replace(/^\//, '');
}

/**
 * Whether an open document is a runbook. Read-only copies (the `git:` side of a diff, for one) are
 * not: they would repeat every problem.
 */
export function isRunbookDocument(document: vscode.TextDocument, runbook: Runbook): boolean {
  if (vscode.workspace.fs.isWritableFileSystem(document.uri.scheme) === false) return false;
  if (document.uri.scheme === 'untitled') return declaresRunbook(runbook);
  return isRunbookFile(includePath(document.uri), declaresRunbook(runbook), includeGlobs()) || (declaresRunbook(runbook) && document.languageId === 'markdown');
}
