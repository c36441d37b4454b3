// Wires the features together; each feature lives in its own folder under src/features/.

import type * as vscode from 'vscode';
import { registerStepsView } from './features/steps';
import type { StepsTreeProvider } from './features/steps/stepsTree';
import { RunbookDocuments } from './features/workspace/runbookDocuments';

/** What `activate` returns: the shared services, for other extensions and for our integration tests. */
export interface RunbooksApi {
  documents: RunbookDocuments;
  stepsTree: StepsTreeProvider;
}

export function activate(context: vscode.ExtensionContext): RunbooksApi {
  const documents = new RunbookDocuments();
  context.subscriptions.push(documents);
  const stepsTree = registerStepsView(context, documents);
  return { documents, stepsTree };
}

export function deactivate(): void {}
