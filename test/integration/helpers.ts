// Shared helpers for the tests that run inside the VS Code host.

import * as vscode from 'vscode';
import type { RunbooksApi, RunbooksInternals } from '../../src/extension';

export const EXTENSION_ID = 'executable-runbooks.executable-runbooks';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The integration suite needs a workspace folder (the fixtures copy).');
  return folder.uri;
}

export function fixtureUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(name));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** The extension's services: exported beside the public API when it runs in development or test mode. */
export async function api(): Promise<RunbooksInternals> {
  const exports = await publicApi();
  if (!exports.internals) throw new Error('The extension did not export its internals: is it running in test mode?');
  return exports.internals;
}

/** The public API other extensions get. */
export async function publicApi(): Promise<RunbooksApi & { internals?: RunbooksInternals }> {
  const extension = vscode.extensions.getExtension<RunbooksApi & { internals?: RunbooksInternals }>(EXTENSION_ID);
  if (!extension) throw new Error(`Extension ${EXTENSION_ID} is not loaded.`);
  return extension.activate();
}

/** Polls `condition` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(condition: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
