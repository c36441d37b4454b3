import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RunbooksInternals as RunbooksApi } from '../../src/extension';
import { api, fixtureUri, openFixture, waitFor } from './helpers';

describe('sessions, Run all, terminal and CodeLens', () => {
  let runbooks: RunbooksApi;
  let document: vscode.TextDocument;

  before(async () => {
    document = (await openFixture('session.runbook.md')).document;
    runbooks = await api();
    runbooks.controller.prompts = { confirm: async () => true, askValue: async () => undefined };
  });

  it('carries exports and the directory to later steps until the session is reset', async () => {
    runbooks.controller.resetSession(document.uri);
    assert.equal((await runbooks.controller.runStep(document, 'export'))?.status, 'passed');
    assert.equal((await runbooks.controller.runStep(document, 'read-back'))?.output.trim(), 'value=carried dir=sub');
    await vscode.commands.executeCommand('runbooks.resetSession', document.uri);
    assert.equal((await runbooks.controller.runStep(document, 'read-back'))?.output.trim(), 'value=none dir=' + fixtureUri('').fsPath.split('/').filter(Boolean).pop());
  });

  it('Run all runs in order and stops at the first failure', async () => {
    runbooks.controller.resetSession(document.uri);
    await vscode.commands.executeCommand('runbooks.runAll', document.uri);
    const status = (id: string) => runbooks.controller.state(document.uri, id).status;
    assert.equal(status('export'), 'passed');
    assert.equal(status('read-back'), 'passed');
    assert.equal(status('stop-here'), 'failed');
    assert.equal(runbooks.controller.state(document.uri, 'stop-here').exitCode, 4);
    assert.equal(status('after-failure'), 'pending');
    assert.equal(existsSync(fixtureUri('after-failure.marker').fsPath), false);
  });

  it('runs an interactive step in an integrated terminal named after the runbook', async () => {
    await runbooks.controller.runStep(document, 'in-terminal');
    const terminal = await waitFor(() => vscode.window.terminals.find((t) => t.name === 'Runbook: Session fixture'), 'the terminal');
    assert.ok(terminal);
    terminal.dispose();
  });

  it('copies a step\'s code to the clipboard', async () => {
    await vscode.env.clipboard.writeText('something else');
    await runbooks.controller.copy(document, 'read-back');
    assert.equal(await vscode.env.clipboard.readText(), 'echo "value=${SESSION_VALUE:-none} dir=$(basename "$PWD")"');
  });

  it('shows Run, Run in terminal and the last result as CodeLens above each step', async () => {
    await runbooks.controller.runStep(document, 'export');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const steps = runbooks.documents.get(document).steps;
    const titlesAt = (line: number) => lenses.filter((lens) => lens.range.start.line === line).map((lens) => lens.command?.title ?? '');
    for (const step of steps) {
      const titles = titlesAt(step.startLine);
      assert.ok(titles.some((t) => t.includes('Run')), `Run above ${step.id}: ${titles.join(' | ')}`);
      assert.ok(titles.some((t) => t.includes('Run in terminal')), `Run in terminal above ${step.id}`);
    }
    const exportStep = steps.find((s) => s.id === 'export')!;
    assert.ok(titlesAt(exportStep.startLine).some((t) => /passed/.test(t)), titlesAt(exportStep.startLine).join(' | '));
  });

  it('keeps only the newest output of a step that prints megabytes, saying how much was dropped', async () => {
    const result = await runbooks.controller.runStep(document, 'colours');
    assert.equal(result?.status, 'passed');
    assert.ok((result?.totalBytes ?? 0) > 3_000_000);
    assert.ok((result?.droppedBytes ?? 0) > 0);
    assert.match(runbooks.controller.outputsOf(document.uri).colours, /done\n$/);
  });
});
