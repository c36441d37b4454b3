import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { RunbooksInternals as RunbooksApi } from '../../src/extension';
import type { ExtractPrompts } from '../../src/features/extract/extractCommand';
import { api, fixtureUri, openFixture } from './helpers';

function scripted(answers: { note: boolean; overwrite: boolean; pick?: (all: string[]) => string[] }) {
  const asked = { preselected: [] as string[], overwrite: 0, note: 0, dependencies: [] as string[][] };
  const prompts: ExtractPrompts = {
    async pickItems(runbook, preselected) {
      asked.preselected = [...preselected];
      const all = runbook.items.map((item) => item.id);
      return answers.pick ? answers.pick(all) : all;
    },
    async scriptPath(suggested) {
      assert.equal(suggested, 'scripts/basic-fixture.ts');
      return suggested;
    },
    async confirmOverwrite() {
      asked.overwrite++;
      return answers.overwrite;
    },
    async offerNote() {
      asked.note++;
      return answers.note;
    },
    async offerDependencies(missing) {
      asked.dependencies.push(missing);
      return false;
    },
  };
  return { prompts, asked };
}

describe('extract steps to a script', () => {
  let runbooks: RunbooksApi;
  let document: vscode.TextDocument;
  const script = () => fixtureUri('scripts/basic-fixture.ts');

  before(async () => {
    document = (await openFixture('basic.runbook.md')).document;
    runbooks = await api();
  });

  after(async () => {
    await vscode.workspace.fs.delete(fixtureUri('scripts'), { recursive: true }).then(undefined, () => undefined);
  });

  it('writes the script, opens it, and leaves the runbook alone when the note is declined', async () => {
    const before = document.getText();
    const { prompts, asked } = scripted({ note: false, overwrite: true });
    runbooks.extract.prompts = prompts;
    const result = await vscode.commands.executeCommand<{ script: vscode.Uri; noteAdded: boolean }>('runbooks.extractToScript', document.uri);
    assert.equal(result.noteAdded, false);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(script()));
    assert.match(text, /basic\.runbook\.md/);
    assert.match(text, /parseArgs/);
    assert.match(text, /greet/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), script().toString());
    assert.equal(asked.note, 1);
    assert.equal(asked.overwrite, 0, 'nothing to overwrite the first time');
    assert.deepEqual(asked.dependencies, [['tsx']], 'the fixtures folder does not have it');
    assert.equal(document.getText(), before);
  });

  it('asks before overwriting, and adds the note under the section only when accepted', async () => {
    const refused = scripted({ note: true, overwrite: false });
    runbooks.extract.prompts = refused.prompts;
    assert.equal(await vscode.commands.executeCommand('runbooks.extractToScript', document.uri), undefined);
    assert.equal(refused.asked.overwrite, 1);
    assert.equal(refused.asked.note, 0, 'nothing else happens after a refused overwrite');

    const accepted = scripted({ note: true, overwrite: true });
    runbooks.extract.prompts = accepted.prompts;
    const result = await vscode.commands.executeCommand<{ noteAdded: boolean }>('runbooks.extractToScript', document.uri);
    assert.equal(result.noteAdded, true);
    const lines = document.getText().split('\n');
    const heading = lines.indexOf('## Prepare');
    const note = lines.findIndex((line) => line.startsWith('> **Automated:**'));
    assert.ok(note > heading && note <= heading + 3, `the note sits under "## Prepare" (heading ${heading}, note ${note})`);
    assert.match(document.getText(), /scripts\/basic-fixture\.ts/);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('preselects the steps selected in the Steps view', async () => {
    const { prompts, asked } = scripted({ note: false, overwrite: true, pick: (all) => all.slice(0, 1) });
    runbooks.extract.prompts = prompts;
    const runbook = runbooks.documents.get(document);
    const nodes = runbook.steps.slice(0, 2).map((step) => ({ kind: 'step', uri: document.uri, item: step }));
    await vscode.commands.executeCommand('runbooks.extractToScript', nodes[0], nodes);
    assert.deepEqual(asked.preselected, runbook.steps.slice(0, 2).map((step) => step.id));
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(script()));
    assert.match(text, /greet/);
    assert.doesNotMatch(text, /verified:/, 'only the picked step is in the script');
  });
});
