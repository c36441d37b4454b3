// The runbook preview and its commands.

import * as vscode from 'vscode';
import { PreviewManager, PREVIEW_VIEW_TYPE } from './previewManager';
import type { PreviewServices } from './runbookPreview';
import { targetUri } from '../workspace/targetUri';

export function registerPreview(context: vscode.ExtensionContext, services: PreviewServices): PreviewManager {
  const manager = new PreviewManager(services);
  const open = (toSide: boolean) => (argument: unknown) => {
    const uri = targetUri(argument);
    if (!uri) {
      void vscode.window.showInformationMessage('Open a Markdown runbook first, then open its preview.');
      return undefined;
    }
    return manager.open(uri, toSide);
  };
  context.subscriptions.push(
    manager,
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, manager),
    vscode.commands.registerCommand('runbooks.openPreview', open(false)),
    vscode.commands.registerCommand('runbooks.openPreviewToSide', open(true)),
  );
  return manager;
}
