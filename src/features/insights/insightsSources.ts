// What the insights panel reads for one workspace folder, gathered from the editor: the Runbooks
// view's runbooks (keyed as history lines key them), the history files (this workspace's editor
// history, the command line's default file, every `*.jsonl` under `runbooks.historyFolders`),
// the issue exports the user chose, and the `runbooks.runbookUrlPrefixes` setting. Files are
// only looked at asynchronously; a history folder that is missing is a problem shown in the panel.

import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
import * as vscode from 'vscode';
import { defaultHistoryPath, findHistoryFiles, type InputProblem, type InsightsOptions, type RunbookUrlPrefixes } from '../../core/insights';
import { runbookKey } from '../workspace/progressService';

export interface GatheredSources {
  options: Omit<InsightsOptions, 'since'>;
  /** Problems of the settings (a history folder that does not exist …), shown with the rest. */
  problems: InputProblem[];
  /** How each file is shown in the panel. */
  labels: Record<string, string>;
}

export interface SourceInputs {
  folder: vscode.WorkspaceFolder;
  /** Every runbook the Runbooks view lists (any folder). */
  runbooks: readonly vscode.Uri[];
  /** The editor's own history files (ProgressService.historyFiles()). */
  editorHistory: readonly string[];
  issueFiles: readonly string[];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** `~/…` for a file under the home folder, the workspace-relative path inside a folder, else as is. */
function fileLabel(file: string): string {
  const relative = vscode.workspace.asRelativePath(file, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  if (relative !== file && !isAbsolute(relative)) return relative;
  const home = homedir();
  return file.startsWith(`${home}${sep}`) ? `~${file.slice(home.length)}` : file;
}

/** `~/x` → the home folder's x; a relative folder is relative to the workspace folder. */
function resolveFolder(setting: string, root: string): string {
  const expanded = setting === '~' || setting.startsWith('~/') ? join(homedir(), setting.slice(1)) : setting;
  return resolve(root, expanded);
}

/** The URL prefix → folder mapping, keeping only string values (a setting edited by hand may hold others). */
function urlPrefixes(config: vscode.WorkspaceConfiguration, problems: InputProblem[]): RunbookUrlPrefixes {
  const value = config.get<unknown>('runbookUrlPrefixes');
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ file: 'runbooks.runbookUrlPrefixes', message: 'the setting is not an object of URL prefix → folder' });
    return {};
  }
  const prefixes: Record<string, string> = {};
  for (const [prefix, folder] of Object.entries(value)) {
    if (typeof folder === 'string') prefixes[prefix] = folder;
    else problems.push({ file: 'runbooks.runbookUrlPrefixes', message: `"${prefix}": the folder is not a string` });
  }
  return prefixes;
}

export async function gatherSources(inputs: SourceInputs): Promise<GatheredSources> {
  const { folder } = inputs;
  const root = folder.uri.fsPath;
  const config = vscode.workspace.getConfiguration('runbooks', folder.uri);
  const problems: InputProblem[] = [];
  const labels: Record<string, string> = {};
  const runbooks = inputs.runbooks.filter((uri) => vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() === folder.uri.toString()).map(runbookKey);
  for (const path of runbooks) labels[join(root, path)] = fileLabel(join(root, path));

  // The editor's files and the command line's exist only once something ran: absent is not a problem.
  const historyFiles: string[] = [];
  const add = (file: string, label: string) => {
    if (historyFiles.includes(file)) return;
    historyFiles.push(file);
    labels[file] = label;
  };
  const cliHistory = defaultHistoryPath();
  const [editorExisting, cliExists] = await Promise.all([Promise.all(inputs.editorHistory.map(isFile)), isFile(cliHistory)]);
  inputs.editorHistory.forEach((file, index) => editorExisting[index] && add(file, 'Editor history (this workspace)'));
  if (cliExists) add(cliHistory, `Command-line history (${fileLabel(cliHistory)})`);

  const folders = config.get<unknown>('historyFolders') ?? [];
  const named = Array.isArray(folders) ? folders.filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '') : [];
  if (!Array.isArray(folders)) problems.push({ file: 'runbooks.historyFolders', message: 'the setting is not a list of folders' });
  const found = await Promise.all(named.map((entry) => findHistoryFiles(resolveFolder(entry.trim(), root))));
  for (const result of found) {
    problems.push(...result.problems.map((problem) => ({ ...problem, message: `${problem.message} (in runbooks.historyFolders)` })));
    for (const file of result.files) add(file, fileLabel(file));
  }
  for (const problem of problems) labels[problem.file] ??= fileLabel(problem.file);

  const issueFiles = [...new Set(inputs.issueFiles)];
  for (const file of issueFiles) labels[file] = fileLabel(file);
  return { options: { root, runbooks, historyFiles, issueFiles, runbookUrlPrefixes: urlPrefixes(config, problems) }, problems, labels };
}
