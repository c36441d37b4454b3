// The Markdown editor's runbook features: CodeLens, Problems, quick fixes, completions, hovers,
// outline, semantic highlighting of input references, and the "New Runbook" command.

import * as vscode from 'vscode';
import type { WorkspaceServices } from '../workspace';
import { COMPLETION_TRIGGERS, RunbookCompletions } from './completions';
import { RunbookDiagnostics } from './diagnostics';
import { RunbookHovers } from './hover';
import { registerNewRunbook } from './newRunbook';
import { RunbookQuickFixes } from './quickFixes';
import { StepCodeLensProvider } from './stepCodeLens';
import { INPUT_TOKENS_LEGEND, InputReferenceTokens } from './semanticTokens';
import { RunbookSymbols } from './symbols';

export interface EditorFeatures {
  diagnostics: RunbookDiagnostics;
}

export function registerEditorFeatures(context: vscode.ExtensionContext, services: WorkspaceServices): EditorFeatures {
  const { documents, progress, controller, inputs } = services;
  const markdown: vscode.DocumentSelector = { language: 'markdown' };
  const codeLens = new StepCodeLensProvider(documents, controller, progress.onDidLoad);
  const diagnostics = new RunbookDiagnostics(documents);
  const inputTokens = new InputReferenceTokens(documents);
  context.subscriptions.push(
    inputTokens,
    vscode.languages.registerDocumentSemanticTokensProvider(markdown, inputTokens, INPUT_TOKENS_LEGEND),
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('runbooks.include') && inputTokens.refresh()),
    codeLens,
    diagnostics,
    vscode.languages.registerCodeLensProvider(markdown, codeLens),
    vscode.languages.registerCodeActionsProvider(markdown, new RunbookQuickFixes(documents, diagnostics), {
      providedCodeActionKinds: RunbookQuickFixes.kinds,
    }),
    vscode.languages.registerCompletionItemProvider(markdown, new RunbookCompletions(documents), ...COMPLETION_TRIGGERS),
    vscode.languages.registerHoverProvider(markdown, new RunbookHovers(documents, inputs)),
    vscode.languages.registerDocumentSymbolProvider(markdown, new RunbookSymbols(documents), { label: 'Runbook' }),
  );
  registerNewRunbook(context);
  return { diagnostics };
}
