// Wires the features together; each feature lives in its own folder under src/features/.

import * as vscode from 'vscode';
import { registerEditorFeatures, type EditorFeatures } from './features/editor';
import { registerExtract } from './features/extract';
import type { ExtractCommand } from './features/extract/extractCommand';
import { registerPreview } from './features/preview';
import type { PreviewManager } from './features/preview/previewManager';
import { registerStepsViews, type StepsFeature } from './features/steps';
import { registerWorkspace, type WorkspaceServices } from './features/workspace';

/** What `activate` returns: the shared services, for other extensions and for our integration tests. */
export interface RunbooksApi extends WorkspaceServices, StepsFeature, EditorFeatures {
  previews: PreviewManager;
  extract: ExtractCommand;
}

export function activate(context: vscode.ExtensionContext): RunbooksApi {
  const workspace = registerWorkspace(context);
  const steps = registerStepsViews(context, workspace);
  const previews = registerPreview(context, { ...workspace, extensionUri: context.extensionUri });
  const editor = registerEditorFeatures(context, workspace);
  const extract = registerExtract(context, workspace.documents, () => steps.stepsTree.activeDocument?.uri);
  // The Steps view follows the preview as well as the text editor.
  context.subscriptions.push(previews.onDidFocusPreview(async (uri) => steps.stepsTree.follow(await vscode.workspace.openTextDocument(uri))));
  return { ...workspace, ...steps, ...editor, previews, extract };
}

export function deactivate(): void {}
