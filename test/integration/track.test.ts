import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { RunbooksInternals as RunbooksApi } from '../../src/extension';
import { ProgressService } from '../../src/features/workspace/progressService';
import { api, fixtureUri, openFixture, waitFor } from './helpers';

describe('tracking progress', () => {
  let runbooks: RunbooksApi;
  let document: vscode.TextDocument;
  const status = (id: string) => {
    const step = runbooks.documents.get(document).steps.find((s) => s.id === id)!;
    return runbooks.controller.snapshot(document.uri, step).status;
  };

  before(async () => {
    document = (await openFixture('track.runbook.md')).document;
    runbooks = await api();
    runbooks.controller.prompts = { confirm: async () => true, askValue: async () => undefined };
    await runbooks.progress.ready;
    runbooks.controller.resetAll(document.uri);
  });

  it('lists the workspace runbooks by folder, leaving out plain notes and node_modules', async () => {
    const tree = runbooks.runbooksTree;
    await waitFor(() => tree.runbookUris.length > 0, 'the runbooks scan');
    await tree.settled();
    const paths = tree.runbookUris.map((uri) => vscode.workspace.asRelativePath(uri)).sort();
    assert.ok(paths.includes('track.runbook.md'), paths.join(', '));
    assert.ok(paths.includes('docs/ops-guide.md'), 'a file with runbook: true is listed');
    assert.ok(!paths.includes('notes/plain.md'), 'plain Markdown is not');
    assert.ok(!paths.some((p) => p.includes('node_modules')), 'node_modules is left out');
    const folders = tree.getChildren().map((node) => String(tree.getTreeItem(node).label));
    assert.deepEqual(folders, ['(workspace root)', 'docs']);
    const root = tree.getChildren()[0];
    const track = tree.getChildren(root).find((node) => node.kind === 'runbook' && node.uri.path.endsWith('track.runbook.md'))!;
    // Its ladder stage is read in the background once the row is shown.
    tree.getTreeItem(track);
    await tree.settled();
    assert.match(String(tree.getTreeItem(track).description), /^0\/4 · never run · runbook$/);
  });

  it('shows each step state in the Steps view, the Runbooks view and the status bar', async () => {
    await runbooks.controller.runStep(document, 'first');
    assert.equal(status('first'), 'passed');
    const stepsTree = runbooks.stepsTree;
    await waitFor(() => stepsTree.activeDocument === document, 'the Steps view to follow');
    const step = runbooks.documents.get(document).steps.find((s) => s.id === 'first')!;
    const item = stepsTree.getTreeItem({ kind: 'step', uri: document.uri, item: step });
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
    assert.match(String(item.description), /bash · \d+(ms|\.\ds)/);
    assert.match((item.tooltip as vscode.MarkdownString).value, /first by oncall/);
    runbooks.statusBar.update();
    assert.match(runbooks.statusBar.item.text, /1\/4/);
    const root = runbooks.runbooksTree.getChildren()[0];
    const track = runbooks.runbooksTree.getChildren(root).find((node) => node.kind === 'runbook' && node.uri.path.endsWith('track.runbook.md'))!;
    assert.match(String(runbooks.runbooksTree.getTreeItem(track).description), /^1\/4 · ran just now · runbook$/);
  });

  it('Run all stops at an unchecked manual step, and Continue goes on once it is checked', async () => {
    runbooks.controller.resetAll(document.uri);
    await vscode.commands.executeCommand('runbooks.runAll', document.uri);
    assert.equal(status('first'), 'passed');
    assert.equal(status('second'), 'pending', 'waits at the manual step');
    const manual = runbooks.documents.get(document).manualSteps[0];
    runbooks.controller.setManual(document, manual, true);
    await vscode.commands.executeCommand('runbooks.continue', document.uri);
    assert.equal(status('second'), 'passed');
    assert.equal(status('third'), 'passed');
  });

  it('skips a step and resets progress', async () => {
    runbooks.controller.resetAll(document.uri);
    const manual = runbooks.documents.get(document).manualSteps[0];
    runbooks.controller.setManual(document, manual, true);
    await vscode.commands.executeCommand('runbooks.skipStep', document.uri, 'second');
    assert.equal(status('second'), 'skipped');
    await vscode.commands.executeCommand('runbooks.runAll', document.uri);
    assert.equal(status('second'), 'skipped');
    assert.equal(status('third'), 'passed');
    await vscode.commands.executeCommand('runbooks.resetProgress', document.uri);
    assert.equal(status('third'), 'pending');
  });

  it('keeps a checked manual step across a new instance reading the same storage', async () => {
    runbooks.controller.resetAll(document.uri);
    const manual = runbooks.documents.get(document).manualSteps[0];
    runbooks.controller.setManual(document, manual, true);
    await runbooks.progress.flush();
    // What a reload does: a fresh service reads the progress file from the extension's storage.
    const fresh = new ProgressService(runbooks.progress.storage, runbooks.log);
    await fresh.ready;
    assert.equal(fresh.manualStates(document.uri, runbooks.documents.get(document))[manual.id], true);
    fresh.dispose();
  });

  it('appends every run to the history without secret inputs, and exports a report', async () => {
    const spec = runbooks.documents.get(document).inputs.find((input) => input.name === 'PASSWORD')!;
    await runbooks.inputs.set(document.uri, spec, 'do-not-record-me');
    await runbooks.controller.runStep(document, 'third');
    await runbooks.inputs.set(document.uri, spec, '');
    await runbooks.progress.flush();
    const history = await runbooks.progress.readHistory(document.uri);
    const last = history[history.length - 1];
    assert.equal(last.step, 'third');
    assert.equal(last.result, 'passed');
    assert.equal(last.runbook, 'track.runbook.md');
    assert.equal(last.inputs.WHO, 'oncall');
    assert.equal(last.where, 'editor');
    assert.equal(last.kind, 'code');
    assert.ok(last.runId, 'each line names its run');
    assert.ok(!JSON.stringify(history).includes('do-not-record-me'));

    const report = await vscode.commands.executeCommand<vscode.TextDocument>('runbooks.exportReport', document.uri);
    const text = report.getText();
    assert.match(text, /Track fixture/);
    assert.match(text, /third/);
    assert.match(text, /passed/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows a named step whose code changed since it ran as stale', async () => {
    await runbooks.controller.runStep(document, 'second');
    assert.equal(status('second'), 'passed');
    const editor = await vscode.window.showTextDocument(document);
    const line = document.getText().split('\n').indexOf('echo second');
    await editor.edit((edit) => edit.replace(new vscode.Range(line, 0, line, 'echo second'.length), 'echo second, edited'));
    assert.equal(status('second'), 'stale');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(status('second'), 'passed');
  });

  it('updates the Runbooks view when runbooks are added and removed', async () => {
    const added = fixtureUri('added.runbook.md');
    const listed = () => runbooks.runbooksTree.runbookUris.some((uri) => uri.toString() === added.toString());
    await vscode.workspace.fs.writeFile(added, new TextEncoder().encode('# Added\n\n```bash\necho added\n```\n'));
    await waitFor(listed, 'the new runbook to be listed');
    await vscode.workspace.fs.delete(added);
    await waitFor(() => !listed(), 'the deleted runbook to go');
  });

  it('never modifies the runbook file', async () => {
    const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri('track.runbook.md')));
    assert.match(onDisk, /- \[ \] Tell the team/);
    assert.equal(document.isDirty, false);
  });
});
