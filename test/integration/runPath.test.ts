// The run path in the real host: once-only runs under concurrent requests from every entry point,
// output shown once, failures that end a step, reconciles per runbook, the shutdown deactivate
// awaits, and the gate that keeps CodeLens off plain Markdown.

import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunbooksInternals } from '../../src/extension';
import { RunController } from '../../src/features/workspace/runController';
import { api, fixtureUri, openFixture, publicApi, waitFor } from './helpers';

const ledger = () => fixtureUri('ledger.txt').fsPath;
const ledgerLines = () => (existsSync(ledger()) ? readFileSync(ledger(), 'utf8').split('\n').filter(Boolean) : []);

describe('the run path', () => {
  let runbooks: RunbooksInternals;
  let document: vscode.TextDocument;

  before(async () => {
    document = (await openFixture('runpath.runbook.md')).document;
    runbooks = await api();
    await runbooks.progress.ready;
  });

  beforeEach(() => rmSync(ledger(), { force: true }));
  afterEach(() => {
    runbooks.controller.prompts = { confirm: async () => false, askValue: async () => undefined };
    rmSync(ledger(), { force: true });
  });

  it('runs a step once when preview clicks, CodeLens and the tree all ask while its confirmation is open', async () => {
    let answer: ((yes: boolean) => void) | undefined;
    let asked = 0;
    runbooks.controller.prompts = {
      confirm: () => {
        asked++;
        return new Promise<boolean>((resolve) => (answer = resolve));
      },
      askValue: async () => undefined,
    };
    const preview = await vscode.commands.executeCommand<{ handle(message: unknown): Promise<unknown> }>('runbooks.openPreviewToSide', document.uri);
    const step = runbooks.documents.get(document).steps.find((candidate) => candidate.id === 'append')!;
    const run = { type: 'run', stepId: 'append', documentVersion: document.version };
    // A double click and one more click in the preview, the CodeLens command, and the Steps view's inline action.
    const requests = [
      preview.handle(run),
      preview.handle(run),
      preview.handle(run),
      vscode.commands.executeCommand('runbooks.runStep', document.uri, 'append'),
      vscode.commands.executeCommand('runbooks.runStep', { uri: document.uri, item: step }),
    ];
    await waitFor(() => answer, 'the confirmation to be asked');
    await new Promise((resolve) => setTimeout(resolve, 200));
    answer!(true);
    await Promise.all(requests);
    assert.equal(asked, 1, 'one confirmation');
    assert.deepEqual(ledgerLines(), ['ran']);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a second Run all while one runs is refused and nothing runs twice', async () => {
    runbooks.controller.prompts = { confirm: async () => true, askValue: async () => undefined };
    const first = runbooks.controller.runAll(document);
    const second = await runbooks.controller.runAll(document);
    assert.equal(second?.reason, 'busy');
    await first;
    assert.deepEqual(ledgerLines(), ['ran']);
  });

  it('keeps the output of a 40-line burst once, whatever redraws happen meanwhile', async () => {
    const received: string[] = [];
    const subscription = runbooks.controller.onDidOutput((change) => {
      if (change.stepId === 'burst' && !change.reset) received.push(change.text);
    });
    const result = await runbooks.controller.runStep(document, 'burst');
    subscription.dispose();
    const streamed = received.join('');
    assert.equal((streamed.match(/burst line/g) ?? []).length, 40);
    assert.equal((result?.output.match(/burst line/g) ?? []).length, 40);
    assert.equal((runbooks.controller.outputOf(document.uri, 'burst')?.match(/burst line/g) ?? []).length, 40);
  });

  it('a step whose code file cannot be written ends failed with the reason, and nothing stays queued or running', async () => {
    // The session's folder is made again under the temporary folder when it is gone: remove it and
    // point the temporary folder at a path under a regular file (ENOTDIR, which even root gets).
    assert.equal((await runbooks.controller.runStep(document, 'after-break'))?.status, 'passed');
    const folder = runbooks.controller.runner(document.uri).shellSession.folderPath;
    assert.ok(folder, 'the session has a folder');
    const blocker = join(tmpdir(), `runbook-not-a-folder-${process.pid}`);
    writeFileSync(blocker, '');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = join(blocker, 'tmp');
    try {
      rmSync(folder, { recursive: true, force: true });
      const result = await runbooks.controller.runStep(document, 'after-break');
      assert.equal(result?.status, 'failed');
      assert.match(result?.message ?? '', /runbook-not-a-folder/);
      assert.match(result?.message ?? '', /ENOTDIR/);
      assert.deepEqual(runbooks.controller.activeStepIds(document.uri), []);
      assert.equal(runbooks.controller.state(document.uri, 'after-break').status, 'failed');
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(blocker, { force: true });
    }
    // And the next run, with a folder to write in, runs.
    assert.equal((await runbooks.controller.runStep(document, 'after-break'))?.status, 'passed');
  });

  it('a step whose interpreter cannot start ends failed with the reason, and nothing stays queued or running', async () => {
    // The engine's own tests cover a code file that cannot be written (ENOSPC, a removed folder);
    // here the setting a person would get wrong.
    const config = vscode.workspace.getConfiguration('runbooks');
    await config.update('interpreters', { bash: 'no-such-shell-xyz' }, vscode.ConfigurationTarget.Workspace);
    try {
      const result = await runbooks.controller.runStep(document, 'after-break');
      assert.equal(result?.status, 'failed');
      assert.match(result?.message ?? '', /no-such-shell-xyz/);
      assert.deepEqual(runbooks.controller.activeStepIds(document.uri), []);
      assert.equal(runbooks.controller.state(document.uri, 'after-break').status, 'failed');
    } finally {
      await config.update('interpreters', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Run in terminal uses the current values every time', async () => {
    runbooks.controller.prompts = { confirm: async () => true, askValue: async () => undefined };
    const spec = runbooks.documents.get(document).inputs.find((input) => input.name === 'GREETING')!;
    const file = fixtureUri('terminal.txt').fsPath;
    rmSync(file, { force: true });
    try {
      await runbooks.controller.runInTerminal(document, 'terminal-write');
      await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').trim() === 'one', 'the first value in the file', 20_000);
      await runbooks.inputs.set(document.uri, spec, 'two');
      await runbooks.controller.runInTerminal(document, 'terminal-write');
      await waitFor(() => readFileSync(file, 'utf8').trim() === 'two', 'the changed value in the file', 20_000);
    } finally {
      await runbooks.inputs.set(document.uri, spec, '');
      rmSync(file, { force: true });
      for (const terminal of vscode.window.terminals) if (terminal.name.startsWith('Runbook: Run path')) terminal.dispose();
    }
  });

  it('lists what a step left running in the background, shows its log, and stops it', async () => {
    const changes: number[] = [];
    const subscription = runbooks.controller.onDidChangeBackground((change) => change.uri.toString() === document.uri.toString() && changes.push(change.processes.length));
    try {
      assert.equal((await runbooks.controller.runStep(document, 'background'))?.status, 'passed');
      await waitFor(() => runbooks.controller.background(document.uri).length > 0, 'the background process to be listed');
      const editor = await runbooks.controller.showBackgroundLog(document.uri);
      await waitFor(() => editor?.document.getText().includes('tick'), 'its output in the background log', 15_000);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      assert.ok((await runbooks.controller.stopBackground(document.uri)) >= 1);
      assert.deepEqual(runbooks.controller.background(document.uri), []);
      assert.ok(changes.includes(0) && changes.some((count) => count > 0), `changes: ${changes.join(', ')}`);
      // Reset Session stops them too.
      await runbooks.controller.runStep(document, 'background');
      await waitFor(() => runbooks.controller.background(document.uri).length > 0, 'a second background process');
      await vscode.commands.executeCommand('runbooks.resetSession', document.uri);
      assert.deepEqual(runbooks.controller.background(document.uri), []);
    } finally {
      subscription.dispose();
      await runbooks.controller.stopBackground(document.uri);
    }
  });

  it('reconciles two runbooks edited within the debounce, each of them', async () => {
    runbooks.controller.prompts = { confirm: async () => true, askValue: async () => undefined };
    const other = await vscode.workspace.openTextDocument(fixtureUri('basic.runbook.md'));
    const firstStep = runbooks.documents.get(document).steps.find((step) => step.id === 'burst')!;
    const otherStep = runbooks.documents.get(other).steps[0];
    await runbooks.controller.runStep(document, firstStep.id);
    await runbooks.controller.runStep(other, otherStep.id);
    const originals: Array<[vscode.TextDocument, string]> = [document, other].map((doc) => [doc, doc.getText()]);
    // Remove one step from each file, one right after the other.
    const drop = async (doc: vscode.TextDocument, startLine: number, endLine: number) => {
      const edit = new vscode.WorkspaceEdit();
      edit.delete(doc.uri, new vscode.Range(startLine, 0, endLine + 1, 0));
      await vscode.workspace.applyEdit(edit);
    };
    await drop(document, firstStep.startLine, firstStep.endLine);
    await drop(other, otherStep.startLine, otherStep.endLine);
    try {
      await waitFor(() => !runbooks.controller.runner(document.uri).progressOf().steps[firstStep.id] && !runbooks.controller.runner(other.uri).progressOf().steps[otherStep.id], 'both records to be dropped');
    } finally {
      for (const [doc, text] of originals) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
        await vscode.workspace.applyEdit(edit);
        await doc.save();
      }
    }
  });

  it('offers no CodeLens and no steps on a plain Markdown file', async () => {
    const plain = (await openFixture('not-a-runbook.md')).document;
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', plain.uri);
    assert.deepEqual(lenses, []);
    await waitFor(() => runbooks.stepsTree.activeDocument === plain, 'the Steps view to follow');
    assert.deepEqual(runbooks.stepsTree.getChildren(), []);
  });

  it('exports a small public API, and the services only in development and test mode', async () => {
    const exported = await publicApi();
    assert.equal(exported.apiVersion, 1);
    assert.deepEqual(Object.keys(exported).filter((key) => key !== 'internals').sort(), ['apiVersion', 'onDidChangeStepState', 'onDidEndRun', 'runAll', 'runStep', 'stepState', 'stopStep']);
    assert.equal(exported.stepState(document.uri, 'burst').status, runbooks.controller.state(document.uri, 'burst').status);
  });

  it('close() stops what runs and removes its files before it resolves (what deactivate awaits)', async () => {
    const controller = new RunController(runbooks.documents, runbooks.inputs, runbooks.progress, runbooks.log);
    controller.prompts = { confirm: async () => true, askValue: async () => undefined };
    const where = await controller.runStep(document, 'where');
    const folder = where!.output.trim();
    assert.equal(existsSync(folder), true);
    const runDocument = await vscode.workspace.openTextDocument(fixtureUri('run.runbook.md'));
    let settled = false;
    const running = controller.runStep(runDocument, 'long').finally(() => (settled = true));
    await waitFor(() => controller.state(runDocument.uri, 'long').status === 'running', 'the long step to start');
    await controller.close();
    assert.equal(settled, true, 'the run ended before close() resolved');
    assert.equal((await running)?.status, 'cancelled');
    assert.equal(existsSync(folder), false, 'the session folder is gone');
    controller.dispose();
  });
});
