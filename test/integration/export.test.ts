// Runbooks: Export as CI Workflow in the real host: a runbook without a script is sent to Extract
// Steps to Script first, then the workflow is written, opened, and noted in the runbook on yes.

import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { RunbooksInternals } from '../../src/extension';
import type { ExportPrompts } from '../../src/features/export/exportCommand';
import type { ExtractPrompts } from '../../src/features/extract/extractCommand';
import { api, fixtureUri, openFixture } from './helpers';

const extractAll: ExtractPrompts = {
  pickItems: async (runbook) => runbook.items.map((item) => item.id),
  scriptPath: async (suggested) => suggested,
  confirmOverwrite: async () => true,
  offerNote: async () => true,
  offerDependencies: async () => false,
};

describe('export as a CI workflow', () => {
  let runbooks: RunbooksInternals;
  let document: vscode.TextDocument;
  const asked = { extract: 0, replace: 0, note: 0 };

  before(async () => {
    document = (await openFixture('basic.runbook.md')).document;
    runbooks = await api();
    runbooks.extract.prompts = extractAll;
    const prompts: ExportPrompts = {
      pickEngine: async () => 'github',
      offerExtract: async () => {
        asked.extract++;
        return true;
      },
      confirmReplace: async () => {
        asked.replace++;
        return true;
      },
      offerNote: async () => {
        asked.note++;
        return true;
      },
    };
    runbooks.exporter.prompts = prompts;
  });

  after(async () => {
    for (const folder of ['scripts', '.github', '.gitlab']) await vscode.workspace.fs.delete(fixtureUri(folder), { recursive: true }).then(undefined, () => undefined);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('offers to extract first, then writes and opens the GitHub workflow that runs the script', async () => {
    const result = await vscode.commands.executeCommand<{ workflow: vscode.Uri; noteAdded: boolean }>('runbooks.exportWorkflow', document.uri);
    assert.equal(asked.extract, 1, 'it said there is no script and offered to extract');
    assert.equal(result.workflow.toString(), fixtureUri('.github/workflows/runbook-basic.yml').toString());
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(result.workflow));
    assert.match(text, /workflow_dispatch:/);
    assert.match(text, /npx tsx scripts\/basic-fixture\.ts/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), result.workflow.toString());
    for (const line of text.split('\n').filter((l) => /^\s*run:/.test(l))) assert.doesNotMatch(line, /\$\{\{/, line);
    assert.equal(result.noteAdded, true);
    assert.match(document.getText(), /\*\*In CI:\*\* start it from GitHub Actions/);
    assert.ok(document.isDirty, 'the note is left unsaved for review');
  });

  it('writes the GitLab file too, and asks before replacing an edited export', async () => {
    const gitlab = await vscode.commands.executeCommand<{ workflow: vscode.Uri }>('runbooks.exportWorkflow', document.uri, 'gitlab');
    assert.equal(gitlab.workflow.toString(), fixtureUri('.gitlab/runbooks/basic.yml').toString());
    const github = fixtureUri('.github/workflows/runbook-basic.yml');
    await vscode.workspace.fs.writeFile(github, new TextEncoder().encode('name: edited by hand\n'));
    await vscode.commands.executeCommand('runbooks.exportWorkflow', document.uri, 'github');
    assert.equal(asked.replace, 1);
    assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(github)), /workflow_dispatch:/);
  });
});
