// Finding a runbook's extracted script for an export, and the line for the runbook's tool note
// that says where the exported workflow is started. The workflow runs the script, so a runbook
// without one is exported only after Extract Steps to Script (`runbook extract`).

import type { Runbook } from '../runbook';
import { defaultScriptPath } from '../scaffold';
import type { ReadFile } from './drift';
import { readExportRecord } from './drift';
import { GITLAB_RUNBOOK_VARIABLE, githubWorkflowPath, gitlabJobName, gitlabWorkflowPath, workflowSlug } from './names';
import { scriptStepIds, type ExportEngine } from './plan';

/** The script path the runbook's tool note names ("… done by the script `scripts/x.ts`"), if it has the note. */
export function notedScriptPath(runbookText: string): string | undefined {
  const match = /done by the script (`+) ?(.+?) ?\1/.exec(runbookText);
  return match?.[2];
}

/**
 * Where the runbook's script may be, most telling first: the script an earlier export runs, the
 * one the tool note names, and the default name in the scripts folder. Repository-relative.
 */
export async function scriptCandidates(runbook: Runbook, runbookText: string, runbookPath: string, read: ReadFile, scriptsFolder = 'scripts'): Promise<string[]> {
  const slug = workflowSlug(runbookPath);
  const candidates: string[] = [];
  for (const path of [githubWorkflowPath(slug), gitlabWorkflowPath(slug)]) {
    const text = await read(path);
    const record = text === undefined ? undefined : readExportRecord(text);
    if (record && record.runbookPath === runbookPath) candidates.push(record.scriptPath);
  }
  const noted = notedScriptPath(runbookText);
  if (noted) candidates.push(noted);
  candidates.push(defaultScriptPath(runbook, scriptsFolder));
  return [...new Set(candidates)];
}

/** The runbook's extracted script (the first candidate that is a generated script), or undefined when it has none yet. */
export async function findExtractedScript(
  runbook: Runbook,
  runbookText: string,
  runbookPath: string,
  read: ReadFile,
  scriptsFolder?: string,
): Promise<{ path: string; text: string } | undefined> {
  for (const path of await scriptCandidates(runbook, runbookText, runbookPath, read, scriptsFolder)) {
    const text = await read(path);
    if (text !== undefined && (scriptStepIds(text)?.length ?? 0) > 0) return { path, text };
  }
  return undefined;
}

/** A line for the runbook's tool note saying where the exported workflow is started. */
export function workflowNoteLine(engine: ExportEngine, runbookPath: string, title: string): string {
  const slug = workflowSlug(runbookPath);
  const oneLine = title.replace(/[\r\n]+/g, ' ');
  if (engine === 'github') {
    return `> **In CI:** start it from GitHub Actions (Actions → "Runbook: ${oneLine}" → Run workflow); the workflow is \`${githubWorkflowPath(slug)}\`.\n`;
  }
  return `> **In CI:** include \`${gitlabWorkflowPath(slug)}\` from \`.gitlab-ci.yml\`, then run a pipeline (Build → Pipelines → Run pipeline) with the variable \`${GITLAB_RUNBOOK_VARIABLE}\` set to \`${slug}\` and the inputs as variables of their names: its job \`${gitlabJobName(slug)}\` runs the script.\n`;
}
