import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { newRunbookTemplate } from '../../src/core/authoring/template';
import type { RunbooksInternals as RunbooksApi } from '../../src/extension';
import { api, EXTENSION_ID, fixtureUri, waitFor, workspaceRoot } from './helpers';

const decoder = new TextDecoder();
const read = async (uri: vscode.Uri) => decoder.decode(await vscode.workspace.fs.readFile(uri));
const exists = (uri: vscode.Uri) => vscode.workspace.fs.stat(uri).then(
  () => true,
  () => false,
);

/** Closes the editors of files under `folder` (they are deleted after the tests). */
async function closeEditorsUnder(folder: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.path.startsWith(`${folder.path}/`));
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

describe('New Runbook', () => {
  let runbooks: RunbooksApi;
  // Everything these tests create lives under these folders of the workspace copy, removed afterwards
  // so the other suites see the fixtures as they are.
  // Worked out when the tests run: the no-folder pass loads this file too, with no folder to ask.
  const created = () => ['runbooks', 'ops', 'elsewhere'].map((name) => fixtureUri(name));
  const target = () => fixtureUri('runbooks/rotate-api-keys.md');

  before(async () => {
    runbooks = await api();
    for (const folder of created()) assert.equal(await exists(folder), false, `${folder.path} is not in the fixtures`);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('runbooks').update('newRunbookFolder', undefined, vscode.ConfigurationTarget.Workspace);
    for (const folder of created()) {
      await closeEditorsUnder(folder);
      await vscode.workspace.fs.delete(folder, { recursive: true }).then(undefined, () => undefined);
    }
    await vscode.workspace.fs.delete(fixtureUri('.vscode'), { recursive: true }).then(undefined, () => undefined);
    // A deleted folder may come as one event for the folder alone; the view notices it all the same.
    const tree = runbooks.runbooksTree;
    await waitFor(() => !tree.runbookUris.some((uri) => created().some((folder) => uri.path.startsWith(`${folder.path}/`))), 'the Runbooks view to drop them');
  });

  it('creates runbooks/<slug>.md from the template, opens it, and it parses without problems', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('runbooks.newRunbook', { title: 'Rotate API keys' });
    assert.equal(uri?.toString(), target().toString());
    assert.equal(await read(target()), newRunbookTemplate('Rotate API keys'));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), target().toString(), 'the new runbook is the active editor');
    assert.equal(editor.document.languageId, 'markdown');
    const runbook = runbooks.documents.get(editor.document);
    assert.deepEqual(runbook.diagnostics, []);
    assert.equal(runbook.title, 'Rotate API keys');
    assert.equal(runbook.steps.length, 1);
    assert.ok(runbook.steps[0].expected);
    assert.equal(runbook.manualSteps.length, 1);
  });

  it('shows the new runbook in the Runbooks view', async () => {
    const tree = runbooks.runbooksTree;
    await waitFor(() => tree.runbookUris.some((uri) => uri.toString() === target().toString()), 'the new runbook to be listed');
  });

  it('never overwrites: the same title again writes nothing and returns undefined', async () => {
    // A change the second run must not undo.
    const edited = `${await read(target())}\nEdited by hand.\n`;
    await vscode.workspace.fs.writeFile(target(), new TextEncoder().encode(edited));
    const again = await vscode.commands.executeCommand<vscode.Uri | undefined>('runbooks.newRunbook', { title: 'Rotate API keys' });
    assert.equal(again, undefined);
    assert.equal(await read(target()), edited);
    // A title that makes the same file name is refused the same way.
    assert.equal(await vscode.commands.executeCommand('runbooks.newRunbook', { title: '  rotate   API keys! ' }), undefined);
    assert.equal(await read(target()), edited);
  });

  it('refuses an empty title and writes nothing', async () => {
    assert.equal(await vscode.commands.executeCommand('runbooks.newRunbook', { title: '   ' }), undefined);
    assert.deepEqual(
      (await vscode.workspace.fs.readDirectory(fixtureUri('runbooks'))).map(([name]) => name),
      ['rotate-api-keys.md'],
    );
  });

  it('puts the runbook in the folder runbooks.newRunbookFolder names, creating it', async () => {
    await vscode.workspace.getConfiguration('runbooks').update('newRunbookFolder', 'ops/books', vscode.ConfigurationTarget.Workspace);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('runbooks.newRunbook', { title: 'Fail over: the "primary" DB' });
    assert.equal(uri?.toString(), fixtureUri('ops/books/fail-over-the-primary-db.md').toString());
    const runbook = runbooks.documents.get(await vscode.workspace.openTextDocument(uri));
    assert.equal(runbook.title, 'Fail over: the "primary" DB');
    assert.deepEqual(runbook.diagnostics, []);
  });

  it('refuses a runbooks.newRunbookFolder outside the workspace folder', async () => {
    await vscode.workspace.getConfiguration('runbooks').update('newRunbookFolder', '../outside', vscode.ConfigurationTarget.Workspace);
    assert.equal(await vscode.commands.executeCommand('runbooks.newRunbook', { title: 'Escape' }), undefined);
    assert.equal(await exists(vscode.Uri.joinPath(workspaceRoot(), '..', 'outside')), false);
  });

  it('takes a folder argument instead of the setting', async () => {
    const folder = fixtureUri('elsewhere');
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('runbooks.newRunbook', { title: 'Elsewhere', folder });
    assert.equal(uri?.toString(), vscode.Uri.joinPath(folder, 'elsewhere.md').toString());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
  });

  it('contributes the runbook snippets, in files the extension ships', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const snippets: Array<{ language: string; path: string }> = extension.packageJSON.contributes.snippets;
    assert.deepEqual(snippets, [
      { language: 'markdown', path: './snippets/runbook.code-snippets' },
      { language: 'yaml', path: './snippets/runbook-front-matter.code-snippets' },
    ]);
    const names = [];
    for (const { path } of snippets) names.push(...Object.keys(JSON.parse(await read(vscode.Uri.joinPath(extension.extensionUri, path)))));
    assert.deepEqual(names.sort(), ['Runbook expected output', 'Runbook input', 'Runbook manual step', 'Runbook step']);
  });

  it('offers the step, output and manual-step snippets in a runbook, and the input snippet in its front matter', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: ['---', 'title: Snippets', 'inputs:', '  ', '---', '', '## Section', '', ''].join('\n'),
    });
    await vscode.window.showTextDocument(document);
    const snippetLabels = async (line: number, character: number) => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(line, character));
      return list.items
        .filter((item) => item.kind === vscode.CompletionItemKind.Snippet)
        .map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    };
    const body = await snippetLabels(8, 0);
    for (const prefix of ['step', 'runbook-step', 'output', 'manual']) assert.ok(body.includes(prefix), `${prefix} in the body: ${body.join(', ')}`);
    assert.ok(!body.includes('runbook-input'), 'the input snippet belongs in the front matter');
    const frontMatter = await snippetLabels(3, 2);
    assert.ok(frontMatter.includes('runbook-input'), `runbook-input in the front matter: ${frontMatter.join(', ')}`);
    assert.ok(!frontMatter.includes('step'), 'a step does not belong in the front matter');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
