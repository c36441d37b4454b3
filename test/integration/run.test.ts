import { strict as assert } from 'node:assert';
import { existsSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RunbooksInternals as RunbooksApi } from '../../src/extension';
import type { RunPrompts } from '../../src/features/workspace/editorFrontEnd';
import { api, fixtureUri, openFixture, waitFor } from './helpers';

/** Prompts that answer as told and remember what they were asked. */
function scriptedPrompts(confirm: boolean, values: Record<string, string> = {}) {
  const asked = { confirmations: [] as string[][], values: [] as string[] };
  const prompts: RunPrompts = {
    async confirm(_step, _runbook, reasons) {
      asked.confirmations.push(reasons);
      return confirm;
    },
    async askValue(_step, input) {
      asked.values.push(input.label);
      return values[input.name];
    },
  };
  return { prompts, asked };
}

function marker(name: string): string {
  return fixtureUri(name).fsPath;
}

describe('running steps', () => {
  let runbooks: RunbooksApi;
  let document: vscode.TextDocument;

  before(async () => {
    document = (await openFixture('run.runbook.md')).document;
    runbooks = await api();
  });

  afterEach(() => {
    runbooks.controller.prompts = scriptedPrompts(false).prompts;
    for (const file of ['confirmed.marker', 'dangerous.marker', 'production.marker', 'pwned.marker']) rmSync(marker(file), { force: true });
  });

  it('runs a step through the command and reports passed with its output', async () => {
    const states: string[] = [];
    const subscription = runbooks.controller.onDidChangeState((change) => {
      if (change.stepIds !== 'all' && change.stepIds.includes('hello')) states.push(runbooks.controller.state(document.uri, 'hello').status);
    });
    const result = await vscode.commands.executeCommand<{ status: string; output: string; exitCode: number }>('runbooks.runStep', document.uri, 'hello');
    subscription.dispose();
    assert.equal(result.status, 'passed');
    assert.equal(result.exitCode, 0);
    assert.match(result.output, /hello from the run fixture/);
    assert.deepEqual(states, ['queued', 'running', 'passed']);
    assert.equal(runbooks.controller.state(document.uri, 'hello').status, 'passed');
  });

  it('reports a failing step with its exit code and stderr', async () => {
    const result = await runbooks.controller.runStep(document, 'fails');
    assert.equal(result?.status, 'failed');
    assert.equal(result?.exitCode, 3);
    assert.match(result?.output ?? '', /about to fail/);
  });

  it('fails a step whose output does not match and shows the difference', async () => {
    const result = await runbooks.controller.runStep(document, 'mismatch');
    assert.equal(result?.status, 'failed');
    assert.match(result?.expected?.diff ?? '', /- expected line/);
    assert.match(result?.expected?.diff ?? '', /\+ actual line/);
  });

  it('stops a long step', async () => {
    const running = runbooks.controller.runStep(document, 'long');
    await waitFor(() => runbooks.controller.state(document.uri, 'long').status === 'running', 'the step to start');
    await vscode.commands.executeCommand('runbooks.stopStep', document.uri, 'long');
    const result = await running;
    assert.equal(result?.status, 'cancelled');
  });

  it('asks for confirmation of a confirm step and runs nothing when refused', async () => {
    const refused = scriptedPrompts(false);
    runbooks.controller.prompts = refused.prompts;
    assert.equal(await runbooks.controller.runStep(document, 'marker'), undefined);
    assert.equal(existsSync(marker('confirmed.marker')), false);
    assert.deepEqual(refused.asked.confirmations, [['the step is marked confirm']]);

    runbooks.controller.prompts = scriptedPrompts(true).prompts;
    const result = await runbooks.controller.runStep(document, 'marker');
    assert.equal(result?.status, 'passed');
    assert.equal(existsSync(marker('confirmed.marker')), true);
  });

  it('asks before code that matches a dangerous pattern', async () => {
    const refused = scriptedPrompts(false);
    runbooks.controller.prompts = refused.prompts;
    await runbooks.controller.runStep(document, 'dangerous');
    assert.equal(existsSync(marker('dangerous.marker')), false);
    assert.match(refused.asked.confirmations[0]?.join(' ') ?? '', /rm -rf/);
  });

  it('asks before every step of a production runbook', async () => {
    const production = (await openFixture('production.runbook.md')).document;
    const refused = scriptedPrompts(false);
    runbooks.controller.prompts = refused.prompts;
    await runbooks.controller.runStep(production, 'prod-marker');
    assert.equal(existsSync(marker('production.marker')), false);
    assert.deepEqual(refused.asked.confirmations, [["the runbook's environment is production"]]);
  });

  it('asks for a placeholder and passes its value as data, never as code', async () => {
    const hostile = `$(touch ${marker('pwned.marker')}); \`touch ${marker('pwned.marker')}\` "quoted" 'single'`;
    const scripted = scriptedPrompts(true, { POD_NAME: hostile });
    runbooks.controller.prompts = scripted.prompts;
    runbooks.controller.resetSession(document.uri);
    const result = await runbooks.controller.runStep(document, 'placeholder');
    assert.deepEqual(scripted.asked.values, ['<pod-name>']);
    assert.equal(result?.status, 'passed');
    assert.ok(result?.output.includes(hostile), result?.output);
    assert.equal(existsSync(marker('pwned.marker')), false);
  });

  it('masks a secret input in the output', async () => {
    const spec = runbooks.documents.get(document).inputs.find((input) => input.name === 'TOKEN');
    assert.ok(spec);
    await runbooks.inputs.set(document.uri, spec, 'hunter2-secret');
    const result = await runbooks.controller.runStep(document, 'secret');
    assert.equal(result?.status, 'passed');
    assert.equal(result?.output.trim(), 'token is ••••');
    assert.ok(!runbooks.controller.outputsOf(document.uri).secret.includes('hunter2'));
    await runbooks.inputs.set(document.uri, spec, '');
  });

  it('refuses a step whose input is invalid', async () => {
    const spec = runbooks.documents.get(document).inputs.find((input) => input.name === 'GREETING');
    assert.ok(spec);
    await runbooks.inputs.set(document.uri, spec, 'NOT VALID 123');
    const result = await runbooks.controller.runStep(document, 'hello');
    await runbooks.inputs.set(document.uri, spec, '');
    assert.equal(result?.notStarted, true);
    assert.match(result?.message ?? '', /GREETING/);
  });
});

describe('preview messages', () => {
  let runbooks: RunbooksApi;
  let document: vscode.TextDocument;

  before(async () => {
    document = (await openFixture('run.runbook.md')).document;
    runbooks = await api();
    runbooks.controller.prompts = scriptedPrompts(true).prompts;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens one preview per runbook from the command', async () => {
    await vscode.commands.executeCommand('runbooks.openPreviewToSide', document.uri);
    const preview = await waitFor(() => runbooks.previews.get(document.uri), 'the preview');
    await vscode.commands.executeCommand('runbooks.openPreview', document.uri);
    assert.equal(runbooks.previews.get(document.uri), preview);
    // The title changes once the webview has loaded and asked for its first render.
    await waitFor(() => /Run fixture/.test(preview.panel.title), 'the webview to load and render');
  });

  it('runs nothing for a forged, stale or unknown message', async () => {
    const preview = await waitFor(() => runbooks.previews.get(document.uri), 'the preview');
    const before = preview.rejectedMessages;
    // Malformed or with extra fields: rejected by the protocol check.
    await preview.receiveMessage({ type: 'run', stepId: 'marker', documentVersion: document.version, code: 'touch pwned.marker' });
    await preview.receiveMessage({ type: 'run', stepId: 42, documentVersion: document.version });
    await preview.receiveMessage({ type: 'exec', command: 'touch pwned.marker' });
    assert.equal(preview.rejectedMessages, before + 3);
    // Well-formed but stale, or naming a step the host did not parse: ignored by the controller.
    await preview.receiveMessage({ type: 'run', stepId: 'marker', documentVersion: document.version + 1 });
    await preview.receiveMessage({ type: 'run', stepId: 'no-such-step', documentVersion: document.version });
    assert.equal(existsSync(marker('confirmed.marker')), false);
    assert.equal(existsSync(marker('pwned.marker')), false);
    // The same step at the current version runs.
    await preview.receiveMessage({ type: 'run', stepId: 'marker', documentVersion: document.version });
    assert.equal(existsSync(marker('confirmed.marker')), true);
    rmSync(marker('confirmed.marker'), { force: true });
  });
});
