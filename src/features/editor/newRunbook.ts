// "Runbooks: New Runbook": asks for a title, writes a runbook made from the template into the
// runbooks folder of the workspace folder (setting runbooks.newRunbookFolder), and opens it. It
// never overwrites: when the file exists, it says so and offers to open it, and writes nothing.
// With no folder open, the template opens as an untitled document instead.

import * as vscode from 'vscode';
import { newRunbookTemplate, runbookFileName, titleProblem } from '../../core/authoring/template';
import { relativePath } from '../workspace/relativePath';
import { uriExists } from '../workspace/uriExists';

export const NEW_RUNBOOK_COMMAND = 'runbooks.newRunbook';
const DEFAULT_FOLDER = 'runbooks';

/** What the command accepts when run programmatically (tests, other extensions); both optional. */
export interface NewRunbookOptions {
  /** The runbook's title; asked for when absent. */
  title?: string;
  /** The folder the file goes in, instead of runbooks.newRunbookFolder in a workspace folder. */
  folder?: vscode.Uri;
}

export function registerNewRunbook(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(NEW_RUNBOOK_COMMAND, (options?: unknown) => newRunbook(readOptions(options))));
}

/** Takes only the fields it knows, of the right types: menus may pass other arguments. */
function readOptions(value: unknown): NewRunbookOptions {
  if (typeof value !== 'object' || value === null || value instanceof vscode.Uri) return {};
  const { title, folder } = value as Record<string, unknown>;
  return {
    title: typeof title === 'string' ? title : undefined,
    folder: folder instanceof vscode.Uri ? folder : undefined,
  };
}

/** Creates the runbook and opens it; returns its Uri, or undefined when nothing was created. */
export async function newRunbook(options: NewRunbookOptions = {}): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!options.folder && folders.length === 0) {
    const title = await readTitle(options.title);
    if (title === undefined) return undefined;
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: newRunbookTemplate(title) });
    await vscode.window.showTextDocument(document, { preview: false });
    return document.uri;
  }

  const directory = options.folder ?? (await runbooksFolder(folders));
  if (!directory) return undefined;
  const title = await readTitle(options.title, directory);
  if (title === undefined) return undefined;

  const target = vscode.Uri.joinPath(directory, runbookFileName(title));
  if (await uriExists(target)) {
    offerExisting(target);
    return undefined;
  }
  // Create-only, through VS Code's file service (so the Explorer shows it at once): a file that
  // appeared since the check above makes the edit fail rather than be replaced.
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(target, { overwrite: false, ignoreIfExists: false, contents: new TextEncoder().encode(newRunbookTemplate(title)) });
  let problem: string | undefined;
  try {
    await vscode.workspace.fs.createDirectory(directory);
    if (!(await vscode.workspace.applyEdit(edit))) problem = 'VS Code could not write the file';
  } catch (error) {
    problem = (error as Error).message;
  }
  if (problem !== undefined) {
    if (await uriExists(target)) offerExisting(target);
    else void vscode.window.showErrorMessage(`Could not create ${relativePath(target)}: ${problem}.`);
    return undefined;
  }
  await vscode.window.showTextDocument(target, { preview: false });
  return target;
}

/** The title given, if valid, else the one the user types; undefined when cancelled or invalid. */
async function readTitle(given: string | undefined, directory?: vscode.Uri): Promise<string | undefined> {
  if (given !== undefined) {
    const problem = titleProblem(given);
    if (!problem) return given;
    void vscode.window.showErrorMessage(`New runbook: ${problem}`);
    return undefined;
  }
  return vscode.window.showInputBox({
    title: 'New Runbook',
    prompt: 'Title of the runbook; the file name is made from it',
    placeHolder: 'Rotate API keys',
    ignoreFocusOut: true,
    validateInput: async (value) => titleProblem(value) ?? (directory ? await fileHint(vscode.Uri.joinPath(directory, runbookFileName(value))) : undefined),
  });
}

/** Which file the title makes, shown under the input box while typing (not an error: Enter still works). */
async function fileHint(target: vscode.Uri): Promise<vscode.InputBoxValidationMessage> {
  return (await uriExists(target))
    ? { message: `${relativePath(target)} already exists and will not be overwritten: choose another title.`, severity: vscode.InputBoxValidationSeverity.Warning }
    : { message: `Creates ${relativePath(target)}`, severity: vscode.InputBoxValidationSeverity.Info };
}

/** runbooks.newRunbookFolder in the workspace folder (asked for when there are several). */
async function runbooksFolder(folders: readonly vscode.WorkspaceFolder[]): Promise<vscode.Uri | undefined> {
  const folder =
    folders.length === 1
      ? folders[0]
      : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder for the new runbook', ignoreFocusOut: true });
  if (!folder) return undefined;
  const setting = (vscode.workspace.getConfiguration('runbooks', folder.uri).get<string>('newRunbookFolder') ?? DEFAULT_FOLDER).trim();
  const segments = setting.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.');
  if (/^([\\/]|[A-Za-z]:)/.test(setting) || segments.includes('..')) {
    void vscode.window.showErrorMessage(
      `The setting runbooks.newRunbookFolder ("${setting}") must be a folder inside the workspace folder, such as "runbooks"; no runbook was created.`,
    );
    return undefined;
  }
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Says the file exists and offers to open it; does not wait for the answer (the command is over). */
function offerExisting(target: vscode.Uri): void {
  void vscode.window
    .showErrorMessage(
      `${relativePath(target)} already exists; the new runbook was not written. Choose another title, or open the existing file.`,
      'Open Existing',
    )
    .then((answer) => (answer === 'Open Existing' ? vscode.window.showTextDocument(target, { preview: false }) : undefined));
}

