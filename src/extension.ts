// Wires the features together; each feature lives in its own folder under src/features/.

import * as vscode from 'vscode';
import { registerEditorFeatures, type EditorFeatures } from './features/editor';
import { registerExport, type LazyExportCommand } from './features/export';
import { registerExtract, type LazyExtractCommand } from './features/extract';
import { registerInsights } from './features/insights';
import { registerPreview } from './features/preview';
import type { PreviewManager } from './features/preview/previewManager';
import { registerStepsViews, type StepsFeature } from './features/steps';
import { registerWorkspace, type WorkspaceServices } from './features/workspace';
import { publicApi, type RunbooksApi } from './features/workspace/api';

/** Every service, for the integration suite only (exported when the extension runs in development or test mode). */
export interface RunbooksInternals extends WorkspaceServices, StepsFeature, EditorFeatures {
  previews: PreviewManager;
  extract: LazyExtractCommand;
  exporter: LazyExportCommand;
}

export type { RunbooksApi };

let closing: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): RunbooksApi & { internals?: RunbooksInternals } {
  const workspace = registerWorkspace(context);
  const steps = registerStepsViews(context, workspace);
  const previews = registerPreview(context, { ...workspace, extensionUri: context.extensionUri });
  const editor = registerEditorFeatures(context, workspace);
  const extract = registerExtract(context, workspace.documents, () => steps.stepsTree.activeDocument?.uri);
  const exporter = registerExport(context, workspace.documents, () => steps.stepsTree.activeDocument?.uri);
  registerInsights(context, { ...workspace, runbooks: steps.runbooksTree });
  // The Steps view follows the preview as well as the text editor.
  context.subscriptions.push(previews.onDidFocusPreview(async (uri) => steps.stepsTree.follow(await vscode.workspace.openTextDocument(uri))));
  closing = () => workspace.controller.close();
  const api = publicApi(workspace);
  if (context.extensionMode === vscode.ExtensionMode.Production) return api;
  return { ...api, internals: { ...workspace, ...steps, ...editor, previews, extract, exporter } };
}

/** Waits until every run is stopped, temporary files are gone and progress is on disk. */
export async function deactivate(): Promise<void> {
  await closing?.();
}
