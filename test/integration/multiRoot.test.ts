// Progress in a multi-root workspace: keyed by the path inside each folder and kept per folder, so
// adding or removing another folder loses nothing.

import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { ProgressService } from '../../src/features/workspace/progressService';
import { api, fixtureUri, waitFor } from './helpers';

function foldersChanged(): Promise<void> {
  return new Promise((resolve) => {
    const subscription = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      subscription.dispose();
      resolve();
    });
  });
}

describe('multi-root workspace', () => {
  it('keeps a runbook\'s progress when another folder is removed and added again', async () => {
    const runbooks = await api();
    runbooks.controller.prompts = { confirm: async () => true, askValue: async () => undefined };
    await runbooks.progress.ready;
    const second = vscode.workspace.workspaceFolders?.[1];
    assert.ok(second, 'the pass opens two folders');
    const document = await vscode.workspace.openTextDocument(fixtureUri('basic.runbook.md'));
    const step = runbooks.documents.get(document).steps[0];
    assert.equal((await runbooks.controller.runStep(document, step.id))?.status, 'passed');
    const secondDocument = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(second.uri, 'runbooks', 'second.md'));
    assert.equal((await runbooks.controller.runStep(secondDocument, 'second-step'))?.status, 'passed');
    await runbooks.progress.flush();

    const removed = foldersChanged();
    assert.ok(vscode.workspace.updateWorkspaceFolders(1, 1));
    await removed;
    assert.equal(vscode.workspace.workspaceFolders?.length, 1);
    assert.equal(runbooks.controller.snapshot(document.uri, step).status, 'passed', 'the same key with one folder open');

    const added = foldersChanged();
    assert.ok(vscode.workspace.updateWorkspaceFolders(1, 0, { uri: second.uri }));
    await added;
    assert.equal(runbooks.controller.snapshot(document.uri, step).status, 'passed', 'and with two again');
    // What a reload reads: a fresh service on the same storage.
    const fresh = new ProgressService(runbooks.progress.storage, runbooks.log);
    await fresh.ready;
    await waitFor(() => fresh.progress(document.uri).steps[step.id]?.state === 'passed', 'the first folder\'s record from disk');
    assert.equal(fresh.progress(secondDocument.uri).steps['second-step']?.state, 'passed', 'the second folder keeps its own');
    fresh.dispose();
  });
});
