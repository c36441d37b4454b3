// The editor's Run all and `runbook run` are one orchestration with two front ends: for every
// fixture and example they give the same results and the same history lines.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HistoryEntry } from '../../src/core/progress';
import { api, EXTENSION_ID, workspaceRoot } from './helpers';

/** The fields of a history line that say what happened (not when, by whom or in which run). */
function essence(entry: HistoryEntry) {
  return { step: entry.step, kind: entry.kind, result: entry.result, exitCode: entry.exitCode, inputs: entry.inputs };
}

describe('the editor and the CLI', function () {
  this.timeout(240_000);

  it('give the same results and history lines for every fixture and example', async () => {
    const runbooks = await api();
    runbooks.controller.prompts = { confirm: async () => true, askValue: async () => undefined };
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const cli = join(extensionPath, 'dist', 'cli.js');
    // The examples join the fixtures in a folder of the workspace, so both front ends key them alike.
    const examples = join(workspaceRoot().fsPath, 'examples-copy');
    cpSync(join(extensionPath, 'examples'), examples, { recursive: true });
    const scratch = mkdtempSync(join(tmpdir(), 'runbooks-parity-'));
    try {
      const files = [
        ...readdirSync(workspaceRoot().fsPath).filter((name) => name.endsWith('.runbook.md')).map((name) => name),
        ...readdirSync(examples).filter((name) => name.endsWith('.md')).map((name) => `examples-copy/${name}`),
      ];
      let compared = 0;
      for (const file of files) {
        const uri = vscode.Uri.joinPath(workspaceRoot(), file);
        const document = await vscode.workspace.openTextDocument(uri);
        const runbook = runbooks.documents.get(document);
        // Values nothing provides would be asked for: those runbooks are compared by the unit tests.
        if (runbook.steps.some((step) => step.attributes.interactive) || /<[a-z]/i.test(runbook.steps.map((step) => step.code).join('\n'))) continue;
        // Manual steps: checked off in the editor, skipped by the CLI; only code steps are compared.
        runbooks.controller.resetAll(uri);
        runbooks.controller.resetSession(uri);
        for (const manual of runbook.manualSteps) runbooks.controller.setManual(document, manual, true);
        const before = (await runbooks.progress.readHistory(uri)).length;
        const outcome = await runbooks.controller.runAll(document);
        await runbooks.progress.flush();
        const editorLines = (await runbooks.progress.readHistory(uri)).slice(before).filter((entry) => entry.kind !== 'manual');
        const history = join(scratch, `${compared}.jsonl`);
        const run = spawnSync(process.execPath, [cli, 'run', file, '--yes', '--skip-manual', '--history', history], {
          cwd: workspaceRoot().fsPath,
          env: { ...process.env, NO_COLOR: '1', CI: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
          encoding: 'utf8',
          timeout: 120_000,
        });
        const cliLines = existsSync(history) ? readFileSync(history, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as HistoryEntry).filter((entry) => entry.kind !== 'manual') : [];
        assert.deepEqual(cliLines.map(essence), editorLines.map(essence), `${file}: ${run.stdout}\n${run.stderr}`);
        assert.deepEqual(
          cliLines.map((entry) => entry.runbook),
          editorLines.map((entry) => entry.runbook),
          `${file}: the same runbook key`,
        );
        assert.equal(editorLines.length, outcome?.results.length);
        compared++;
      }
      assert.ok(compared >= 5, `compared ${compared} runbooks`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      rmSync(examples, { recursive: true, force: true });
    }
  });
});
