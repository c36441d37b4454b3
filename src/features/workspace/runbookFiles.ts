// Which Markdown files are runbooks: the Runbooks view lists them and the editor checks them.
// Plain Markdown (a README with a `bash` block) gets neither.

import * as vscode from 'vscode';
import type { Runbook } from '../../core/runbook';

const DEFAULT_INCLUDE = ['**/*.runbook.md', '**/runbooks/**/*.md'];

/** The `runbooks.include` globs. */
export function includeGlobs(): string[] {
  return vscode.workspace.getConfiguration('runbooks').get<string[]>('include') ?? DEFAULT_INCLUDE;
}

/** Front matter that marks any Markdown file as a runbook: `inputs:` or `runbook: true`. */
export function declaresRunbook(runbook: Runbook): boolean {
  return runbook.meta.declaredRunbook || runbook.inputs.length > 0 || runbook.frontMatter?.inputs !== undefined;
}

/**
 * Whether an open document is a runbook: it matches `runbooks.include` or its front matter says so.
 * Read-only copies (the `git:` side of a diff, for one) are not: they would repeat every problem.
 */
export function isRunbookDocument(document: vscode.TextDocument, runbook: Runbook): boolean {
  if (vscode.workspace.fs.isWritableFileSystem(document.uri.scheme) === false) return false;
  if (declaresRunbook(runbook)) return true;
  return includeGlobs().some((pattern) => vscode.languages.match({ language: 'markdown', pattern }, document) > 0);
}
