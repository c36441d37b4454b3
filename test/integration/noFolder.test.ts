import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { newRunbookTemplate } from '../../src/core/authoring/template';
import { api, waitFor } from './helpers';

// Runs only in the harness's third pass, an empty window with no folder open.
describe('no folder open', () => {
  it('has no workspace folder', () => {
    assert.equal(vscode.workspace.workspaceFolders, undefined);
  });

  it('New Runbook opens the template as an untitled runbook, and the editor checks it', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('runbooks.newRunbook', { title: 'Rotate API keys' });
    assert.equal(uri?.scheme, 'untitled');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    assert.equal(editor.document.languageId, 'markdown');
    assert.equal(editor.document.getText(), newRunbookTemplate('Rotate API keys'));
    const runbooks = await api();
    const runbook = runbooks.documents.get(editor.document);
    assert.equal(runbook.title, 'Rotate API keys');
    assert.deepEqual(runbook.diagnostics, []);

    // It is a runbook (its front matter declares an input), so the Problems panel follows it.
    const fence = editor.document.lineAt(runbook.steps[0].startLine);
    await editor.edit((edit) => edit.replace(fence.range, fence.text.replace('}', ' timout=1}')));
    await waitFor(() => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'runbooks' && d.code === 'unknown-attribute'), 'the problem in the untitled runbook');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
