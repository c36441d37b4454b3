// Wires the features together; each feature lives in its own folder under src/features/.

import * as vscode from 'vscode';
import { registerEditorFeatures } from './features/editor/stepCodeLens';
import { registerPreview } from './features/preview';
import type { PreviewManager } from './features/preview/previewManager';
import { registerStepsView } from './features/steps';
import type { StepsTreeProvider } from './features/steps/stepsTree';
import { registerWorkspace, type WorkspaceServices } from './features/workspace';

/** What `activate` returns: the shared services, for other extensions and for our integration tests. */
export interface RunbooksApi extends WorkspaceServices {
  stepsTree: StepsTreeProvider;
  previews: PreviewManager;
}

export function activate(context: vscode.ExtensionContext): RunbooksApi {
  const workspace = registerWorkspace(context);
  const stepsTree = registerStepsView(context, workspace.documents);
  const previews = registerPreview(context, { ...workspace, extensionUri: context.extensionUri });
  registerEditorFeatures(context, workspace.documents, workspace.controller);
  // The Steps view follows the preview as well as the text editor.
  context.subscriptions.push(previews.onDidFocusPreview(async (uri) => stepsTree.follow(await vscode.workspace.openTextDocument(uri))));
  return { ...workspace, stepsTree, previews };
}

export function deactivate(): void {}
