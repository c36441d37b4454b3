import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, openFixture, waitFor } from './helpers';

// Runs first (files are sorted): the window opened with no editor, so nothing has activated us yet.
describe('activation', () => {
  it('is not active before a Markdown file is opened', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the extension is installed in the host');
    assert.equal(extension.isActive, false);
  });

  it('activates when a runbook is opened', async () => {
    await openFixture('basic.runbook.md');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    await waitFor(() => extension?.isActive, 'the extension to activate');
  });

  it('registers every command its manifest contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed: string[] = extension?.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(contributed.length >= 2);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const command of contributed) assert.ok(registered.has(command), `${command} is registered`);
  });

  it('offers Export as CI Workflow in both views and Show Insights on the Runbooks view, as the README says', () => {
    const menus: Array<{ command: string; when?: string; group?: string }> = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.menus['view/title'];
    const where = (command: string) => menus.filter((menu) => menu.command === command).map((menu) => `${menu.when} ${menu.group?.startsWith('navigation') ? 'title bar' : '… menu'}`);
    assert.deepEqual(where('runbooks.exportWorkflow').sort(), ['view == runbooks.runbooks … menu', 'view == runbooks.steps … menu']);
    assert.deepEqual(where('runbooks.showInsights'), ['view == runbooks.runbooks title bar']);
  });
});
