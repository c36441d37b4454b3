// Runbooks: Export as CI Workflow. The runbook's extracted tool becomes a GitHub Actions workflow
// or a GitLab CI file (src/core/export decides everything a workflow is); this asks which engine,
// sends a runbook without a script to Extract Steps to Script first, asks before replacing a
// file, writes and opens the workflow, and offers a line for the runbook's tool note.

import * as vscode from 'vscode';
import { canWrite, exportWorkflow, findExtractedScript, replaceProblem, workflowNoteLine, type ExportEngine, type ExportResult } from '../../core/export';
import type { Runbook } from '../../core/runbook';
import { runbookKey } from '../workspace/progressService';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { readRunSettings, readScriptsFolder } from '../workspace/settings';

/** What the command asks a person. Tests replace it to answer without dialogs. */
export interface ExportPrompts {
  pickEngine(runbook: Runbook): Promise<ExportEngine | undefined>;
  offerExtract(runbook: Runbook): Promise<boolean>;
  confirmReplace(path: string, reason: string | undefined): Promise<boolean>;
  offerNote(runbook: Runbook, path: string): Promise<boolean>;
}

export const dialogExportPrompts: ExportPrompts = {
  async pickEngine(runbook) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'GitHub Actions', description: '.github/workflows/runbook-<name>.yml', engine: 'github' as const },
        { label: 'GitLab CI', description: '.gitlab/runbooks/<name>.yml, to include', engine: 'gitlab' as const },
      ],
      { title: `Export "${runbook.title}" as a CI workflow`, placeHolder: 'Which CI engine runs it?', ignoreFocusOut: true },
    );
    return picked?.engine;
  },
  async offerExtract(runbook) {
    const answer = await vscode.window.showInformationMessage(
      `"${runbook.title}" has no extracted script yet. The workflow runs the script, so that CI runs exactly what a teammate runs: extract its steps first?`,
      { modal: true },
      'Extract Steps to Script',
    );
    return answer === 'Extract Steps to Script';
  },
  async confirmReplace(path, reason) {
    const answer = await vscode.window.showWarningMessage(`${path} exists. Replace it with the new export?`, { modal: true, detail: reason }, 'Replace');
    return answer === 'Replace';
  },
  async offerNote(runbook, path) {
    const answer = await vscode.window.showInformationMessage(`Add a line to the tool note of "${runbook.title}" saying that ${path} starts it in CI?`, 'Add Line', 'No');
    return answer === 'Add Line';
  },
};

export interface ExportCommandResult {
  workflow: vscode.Uri;
  result: ExportResult;
  noteAdded: boolean;
}

export class ExportCommand {
  prompts: ExportPrompts = dialogExportPrompts;

  constructor(private readonly documents: RunbookDocuments) {}

  async run(document: vscode.TextDocument, engineArgument?: ExportEngine): Promise<ExportCommandResult | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) {
      void vscode.window.showInformationMessage('Export as CI Workflow needs the runbook in a workspace folder (the repository the workflow lives in).');
      return undefined;
    }
    let runbook = this.documents.get(document);
    const engine = engineArgument ?? (await this.prompts.pickEngine(runbook));
    if (!engine) return undefined;
    const read = async (path: string) => {
      try {
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, path)));
      } catch {
        return undefined;
      }
    };
    const scriptsFolder = readScriptsFolder(document.uri);
    const runbookPath = runbookKey(document.uri);
    let script = await findExtractedScript(runbook, document.getText(), runbookPath, read, scriptsFolder);
    if (!script) {
      if (!(await this.prompts.offerExtract(runbook))) return undefined;
      await vscode.commands.executeCommand('runbooks.extractToScript', document.uri);
      runbook = this.documents.get(document);
      script = await findExtractedScript(runbook, document.getText(), runbookPath, read, scriptsFolder);
      if (!script) return undefined;
    }
    const settings = readRunSettings(document.uri);
    const result = exportWorkflow(engine, {
      runbook,
      runbookText: document.getText(),
      runbookPath,
      scriptPath: script.path,
      scriptText: script.text,
      safety: settings,
      defaultTimeoutMs: settings.defaultTimeoutMs,
    });
    const errors = result.problems.filter((problem) => problem.severity === 'error');
    if (!canWrite(result)) {
      void vscode.window.showErrorMessage(`Not exported: ${errors.map((problem) => problem.message).join(' ')}`);
      return undefined;
    }
    for (const problem of result.problems) void vscode.window.showWarningMessage(problem.message);
    const workflow = vscode.Uri.joinPath(folder.uri, result.path);
    const existing = await read(result.path);
    if (existing !== undefined && existing !== result.text) {
      const problem = replaceProblem(existing, result, runbookPath);
      if (problem?.severity === 'error') {
        void vscode.window.showErrorMessage(`Not exported: ${problem.message}`);
        return undefined;
      }
      if (!(await this.prompts.confirmReplace(result.path, problem?.message))) return undefined;
    }
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(workflow, '..'));
    await vscode.workspace.fs.writeFile(workflow, new TextEncoder().encode(result.text));
    await vscode.window.showTextDocument(workflow, { preview: false });
    let noteAdded = false;
    if (await this.prompts.offerNote(runbook, result.path)) noteAdded = await this.addNoteLine(document, runbook, engine, runbookPath);
    return { workflow, result, noteAdded };
  }

  /**
   * The line goes at the end of the runbook's tool note (the `> **Automated:**` block Extract adds),
   * or under the first heading when there is none; it is left unsaved for review.
   */
  private async addNoteLine(document: vscode.TextDocument, runbook: Runbook, engine: ExportEngine, runbookPath: string): Promise<boolean> {
    const line = workflowNoteLine(engine, runbookPath, runbook.title);
    const lines = document.getText().split(/\r?\n/);
    if (lines.some((text) => text.trim() === line.trim())) return false;
    const start = lines.findIndex((text) => /^>\s*\*\*Automated:\*\*/.test(text));
    let at: number;
    let text: string;
    if (start >= 0) {
      let end = start;
      while (end + 1 < lines.length && lines[end + 1].startsWith('>')) end++;
      at = end + 1;
      text = `>\n${line}`;
    } else {
      const heading = runbook.sections[0];
      at = heading ? heading.line + 1 : runbook.frontMatterRange ? runbook.frontMatterRange.endLine + 1 : 0;
      text = `\n${line}`;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(at, 0), text.endsWith('\n') ? text : `${text}\n`);
    return vscode.workspace.applyEdit(edit);
  }
}
