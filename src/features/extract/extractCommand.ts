// "Runbooks: Extract Steps to Script": pick steps, choose where the script goes, write it with the
// scaffold generator, open it; then, only if the user says yes, note it in the runbook and add the
// script's dependencies.

import { dirname, relative } from 'node:path';
import * as vscode from 'vscode';
import type { RunbookItem, Runbook } from '../../core/runbook';
import { defaultScriptPath, generateScript, runbookNote } from '../../core/scaffold';
import type { RunbookDocuments } from '../workspace/runbookDocuments';
import { runbookKey } from '../workspace/progressService';
import { relativePath } from '../workspace/relativePath';
import { readRunSettings, readScriptsFolder } from '../workspace/settings';
import { uriExists } from '../workspace/uriExists';

/** What the command asks a person. Tests replace it to answer without dialogs. */
export interface ExtractPrompts {
  pickItems(runbook: Runbook, preselected: Set<string>): Promise<string[] | undefined>;
  scriptPath(suggested: string, folder: vscode.Uri): Promise<string | undefined>;
  confirmOverwrite(uri: vscode.Uri): Promise<boolean>;
  offerNote(runbook: Runbook, script: string): Promise<boolean>;
  offerDependencies(missing: string[]): Promise<boolean>;
}

export const dialogExtractPrompts: ExtractPrompts = {
  async pickItems(runbook, preselected) {
    const picks = runbook.items.map((item) => ({
      label: item.title,
      description: item.kind === 'code' ? item.language : 'manual step',
      detail: item.sectionPath.join(' › ') || undefined,
      picked: preselected.size === 0 || preselected.has(item.id),
      id: item.id,
    }));
    const chosen = await vscode.window.showQuickPick(picks, {
      canPickMany: true,
      title: `Extract steps of "${runbook.title}" to a script`,
      placeHolder: 'The steps the script runs, in the runbook\'s order',
      ignoreFocusOut: true,
    });
    return chosen?.map((pick) => pick.id);
  },
  scriptPath(suggested) {
    return Promise.resolve(
      vscode.window.showInputBox({
        title: 'Where should the script go?',
        prompt: 'A path relative to the workspace folder, ending in .ts',
        value: suggested,
        ignoreFocusOut: true,
        validateInput: (value) => scriptPathProblem(value),
      }),
    );
  },
  async confirmOverwrite(uri) {
    const answer = await vscode.window.showWarningMessage(`${relativePath(uri)} exists. Replace it with the new script?`, { modal: true }, 'Replace');
    return answer === 'Replace';
  },
  async offerNote(runbook, script) {
    const answer = await vscode.window.showInformationMessage(
      `Add a note to "${runbook.title}" saying that ${script} now does these steps, how to run it, its inputs and its expected output?`,
      'Add Note',
      'No',
    );
    return answer === 'Add Note';
  },
  async offerDependencies(missing) {
    const answer = await vscode.window.showWarningMessage(
      `The script needs ${missing.join(' and ')}, which cannot be found from its folder. Add ${missing.length > 1 ? 'them' : 'it'} as dev dependencies (npm install --save-dev in a terminal)?`,
      'Add Dev Dependencies',
      'Not Now',
    );
    return answer === 'Add Dev Dependencies';
  },
};

export function scriptPathProblem(value: string): string | undefined {
  const path = value.trim();
  if (path === '') return 'Enter a path such as scripts/restart-api.ts';
  if (!path.endsWith('.ts')) return 'The script is TypeScript: end the path with .ts';
  if (path.startsWith('/') || path.split(/[\\/]/).includes('..')) return 'Use a path inside the workspace folder, without ..';
  return undefined;
}

/** Packages not found in any node_modules from `folder` up to the workspace folder. */
async function missingPackages(folder: vscode.Uri, root: vscode.Uri, names: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const name of names) {
    let found = false;
    for (let dir = folder; ; dir = vscode.Uri.joinPath(dir, '..')) {
      if (await uriExists(vscode.Uri.joinPath(dir, 'node_modules', name, 'package.json'))) {
        found = true;
        break;
      }
      if (dir.path === root.path || dir.path === '/' || !dir.path.startsWith(root.path)) break;
    }
    if (!found) missing.push(name);
  }
  return missing;
}

export interface ExtractResult {
  script: vscode.Uri;
  noteAdded: boolean;
}

export class ExtractCommand {
  prompts: ExtractPrompts = dialogExtractPrompts;

  constructor(private readonly documents: RunbookDocuments) {}

  async run(document: vscode.TextDocument, preselected: Set<string> = new Set()): Promise<ExtractResult | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) {
      void vscode.window.showWarningMessage('Extracting steps needs the runbook to be in an open workspace folder, where the script will go.');
      return undefined;
    }
    const runbook = this.documents.get(document);
    if (runbook.items.length === 0) {
      void vscode.window.showInformationMessage(`"${runbook.title}" has no steps to extract.`);
      return undefined;
    }
    const itemIds = await this.prompts.pickItems(runbook, preselected);
    if (!itemIds || itemIds.length === 0) return undefined;

    const chosen = await this.prompts.scriptPath(defaultScriptPath(runbook, readScriptsFolder(document.uri)), folder.uri);
    if (!chosen || scriptPathProblem(chosen)) return undefined;
    const script = vscode.Uri.joinPath(folder.uri, chosen.trim());
    if ((await uriExists(script)) && !(await this.prompts.confirmOverwrite(script))) return undefined;

    const settings = readRunSettings(document.uri);
    const text = generateScript(runbook, {
      itemIds,
      runbookPath: runbookKey(document.uri),
      scriptPath: runbookKey(script),
      runbookDirFromScript: relative(dirname(script.fsPath), dirname(document.uri.fsPath)) || '.',
      generatedAt: new Date(),
      safety: settings,
      interpreters: settings.interpreters,
      defaultTimeoutMs: settings.defaultTimeoutMs,
      runbookText: document.getText(),
    });
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(script, '..'));
    await vscode.workspace.fs.writeFile(script, new TextEncoder().encode(text));
    await vscode.window.showTextDocument(script, { preview: false });

    const missing = await missingPackages(vscode.Uri.joinPath(script, '..'), folder.uri, ['tsx']);
    if (missing.length > 0 && (await this.prompts.offerDependencies(missing))) {
      const terminal = vscode.window.createTerminal({ name: 'Runbook script dependencies', cwd: folder.uri });
      terminal.show();
      terminal.sendText(`npm install --save-dev ${missing.join(' ')}`);
    }

    let noteAdded = false;
    if (await this.prompts.offerNote(runbook, runbookKey(script))) {
      noteAdded = await this.insertNote(document, runbook, itemIds, runbookKey(script));
    }
    return { script, noteAdded };
  }

  /** The note goes under the heading of the first extracted step's section (or above the step). */
  private async insertNote(document: vscode.TextDocument, runbook: Runbook, itemIds: string[], scriptPath: string): Promise<boolean> {
    if (this.documents.get(document) !== runbook) {
      void vscode.window.showWarningMessage('The runbook changed while the script was written; the note was not added.');
      return false;
    }
    const first = runbook.items.find((item: RunbookItem) => itemIds.includes(item.id));
    if (!first) return false;
    const section = first.sectionIndex >= 0 ? runbook.sections[first.sectionIndex] : undefined;
    const line = section ? section.line + 1 : first.startLine;
    const note = runbookNote(runbook, { scriptPath, itemIds });
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(line, 0), `\n${note.trimEnd()}\n`);
    return vscode.workspace.applyEdit(edit);
  }
}
