import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { api, fixtureUri, openFixture } from './helpers';

// Runs only in the harness's second pass, which opens the fixtures with workspace trust on and
// the folder not trusted (Restricted Mode).
describe('untrusted workspace', () => {
  it('is reported as untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('still parses and lists the steps', async () => {
    const editor = await openFixture('run.runbook.md');
    const runbooks = await api();
    assert.ok(runbooks.documents.get(editor.document).steps.length > 3);
  });

  it('runs nothing, from the command or the controller', async () => {
    const editor = await openFixture('run.runbook.md');
    const runbooks = await api();
    runbooks.controller.prompts = { confirm: async () => true, askValue: async () => 'x' };
    assert.equal(await runbooks.controller.runStep(editor.document, 'marker'), undefined);
    await vscode.commands.executeCommand('runbooks.runStep', editor.document.uri, 'marker');
    await runbooks.controller.runAll(editor.document);
    assert.equal(existsSync(fixtureUri('confirmed.marker').fsPath), false);
    assert.equal(runbooks.controller.state(editor.document.uri, 'marker').status, 'pending');
  });
});
