// Loaded by VS Code as `extensionTestsPath` (bundled to out/bench/preview-bytes.js by bench/run.ts):
// how many bytes the preview posts to its webview for an edit of the document, with 50 steps each
// holding 1 MiB of output, and with none held. The preview sends output once; an edit sends the
// document, not the output again, so the two must be about the same.

import * as vscode from 'vscode';
import type { RunbooksInternals } from '../../src/extension';

const EXTENSION_ID = 'executable-runbooks.executable-runbooks';
const STEPS = 50;

function report(result: Record<string, unknown>): void {
  console.log(`[runbooks-bench] ${JSON.stringify(result)}`);
}

async function waitFor<T>(condition: () => T | undefined, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function run(): Promise<void> {
  try {
    const exports = (await vscode.extensions.getExtension<{ internals?: RunbooksInternals }>(EXTENSION_ID)!.activate()) ?? {};
    const internals = exports.internals;
    if (!internals) throw new Error('the extension did not export its internals (development mode)');
    internals.controller.prompts = { confirm: async () => true, askValue: async () => undefined };
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const uri = vscode.Uri.joinPath(folder, 'bytes.runbook.md');
    const steps = Array.from({ length: STEPS }, (_, i) => `Step ${i + 1}.\n\n\`\`\`bash {name=s${i + 1}}\nhead -c 1048576 /dev/zero | tr '\\0' 'a' | fold -w 100\n\`\`\`\n`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`# Bytes\n\n${steps.join('\n')}`));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const preview = await vscode.commands.executeCommand<{ postedBytes: number }>('runbooks.openPreviewToSide', uri);
    await waitFor(() => preview.postedBytes > 0, 'the preview to render');

    // Bytes for one edit: a paragraph typed at the end, and the render that follows it.
    const measureEdit = async (label: string): Promise<number> => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const before = preview.postedBytes;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(document.lineCount, 0), `\nA paragraph added (${label}).\n`);
      await vscode.workspace.applyEdit(edit);
      await waitFor(() => preview.postedBytes > before, 'the render after the edit');
      await new Promise((resolve) => setTimeout(resolve, 500));
      return preview.postedBytes - before;
    };
    const withoutOutput = await measureEdit('no output held');
    const runStart = preview.postedBytes;
    const outcome = await internals.controller.runAll(document);
    if (outcome?.status !== 'passed') throw new Error(`Run all ended ${outcome?.status}: ${outcome?.message}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const streamed = preview.postedBytes - runStart;
    const held = Object.values(internals.controller.outputsOf(uri, internals.documents.get(document))).reduce((sum, text) => sum + text.length, 0);
    const withOutput = await measureEdit('50 MiB held');
    report({ withOutput, withoutOutput, held, streamed });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uri);
  } catch (error) {
    report({ error: error instanceof Error ? error.message : String(error) });
  }
}
