// The drift check, like a lockfile's: an exported workflow records the digests of the runbook and
// the script it was made from; it is up to date when regenerating it from the runbook and script as
// they are now gives the same text, and the script still comes from this version of the runbook.
// `runbook check` reports every reason it is not.

import { exportGitHubWorkflow } from './github';
import { exportGitLabPipeline } from './gitlab';
import { githubWorkflowPath, gitlabWorkflowPath, workflowSlug } from './names';
import { planExport, scriptRunbookDigest, type ExportEngine, type ExportProblem, type ExportResult, type ExportSource } from './plan';

export function exportWorkflow(engine: ExportEngine, source: ExportSource): ExportResult {
  return engine === 'github' ? exportGitHubWorkflow(source) : exportGitLabPipeline(source);
}

/** What an exported file says it was made from (its header's record). */
export interface ExportRecord {
  engine: ExportEngine;
  runbookPath: string;
  runbookSha256: string;
  scriptPath: string;
  scriptSha256: string;
}

/** The record in an exported file's header, or undefined when the file has none (it was not exported, or the header was removed). */
export function readExportRecord(workflowText: string): ExportRecord | undefined {
  const engine = /^# executable-runbooks-export: (github|gitlab)$/m.exec(workflowText)?.[1] as ExportEngine | undefined;
  const runbook = /^# runbook: (.+) sha256:([0-9a-f]{64})$/m.exec(workflowText);
  const script = /^# script: (.+) sha256:([0-9a-f]{64})$/m.exec(workflowText);
  if (!engine || !runbook || !script) return undefined;
  return { engine, runbookPath: runbook[1], runbookSha256: runbook[2], scriptPath: script[1], scriptSha256: script[2] };
}

export type DriftCode = 'no-record' | 'runbook-changed' | 'script-changed' | 'script-stale' | 'edited' | 'blocked';

export interface DriftReason {
  code: DriftCode;
  message: string;
}

export interface DriftReport {
  /** The exported file's path. */
  path: string;
  engine: ExportEngine;
  upToDate: boolean;
  reasons: DriftReason[];
}

const normalize = (text: string) => text.replace(/\r\n?/g, '\n');

/**
 * Whether `workflowText` (the exported file at `path`) still matches the runbook and script of
 * `source`: the digests it records, the text a fresh export gives, and the script's own record of
 * the runbook version it came from.
 */
export function checkExportDrift(engine: ExportEngine, path: string, workflowText: string, source: ExportSource): DriftReport {
  const reasons: DriftReason[] = [];
  const again = `regenerate it with \`runbook export ${engine} ${source.runbookPath}\``;
  const record = readExportRecord(workflowText);
  const fresh = exportWorkflow(engine, source);
  const plan = planExport(source);
  if (!record) {
    reasons.push({ code: 'no-record', message: `${path} does not say which runbook and script it was made from: ${again}` });
  } else {
    if (record.runbookPath !== source.runbookPath) reasons.push({ code: 'runbook-changed', message: `${path} was exported from ${record.runbookPath}, not ${source.runbookPath}: ${again}` });
    else if (record.runbookSha256 !== plan.runbookSha256) reasons.push({ code: 'runbook-changed', message: `${source.runbookPath} changed since ${path} was exported: ${again}` });
    if (record.scriptSha256 !== plan.scriptSha256) reasons.push({ code: 'script-changed', message: `${source.scriptPath} changed since ${path} was exported: ${again}` });
    if (reasons.length === 0 && normalize(workflowText) !== normalize(fresh.text)) {
      reasons.push({ code: 'edited', message: `${path} differs from what its runbook and script give now (edited by hand, or made by another version of the exporter): ${again}` });
    }
  }
  const recorded = scriptRunbookDigest(source.scriptText);
  if (recorded !== undefined && recorded !== plan.runbookSha256) {
    reasons.push({
      code: 'script-stale',
      message: `${source.scriptPath} was extracted from another version of ${source.runbookPath}: extract it again (\`runbook extract ${source.runbookPath}\`), then export again`,
    });
  }
  for (const problem of fresh.problems.filter((p) => p.severity === 'error')) {
    reasons.push({ code: 'blocked', message: `${source.runbookPath} can no longer be exported: ${problem.message}` });
  }
  return { path, engine, upToDate: reasons.length === 0, reasons };
}

/** Reads a repository-relative file, or gives undefined when there is none. */
export type ReadFile = (path: string) => Promise<string | undefined> | string | undefined;

/**
 * The drift check of every exported workflow of one runbook (the GitHub and the GitLab file, where
 * they exist), reading each workflow's record to find its script: what `runbook check` runs.
 */
export async function checkRunbookExports(source: Omit<ExportSource, 'scriptPath' | 'scriptText'>, read: ReadFile): Promise<DriftReport[]> {
  const slug = workflowSlug(source.runbookPath);
  const reports: DriftReport[] = [];
  for (const [engine, path] of [['github', githubWorkflowPath(slug)], ['gitlab', gitlabWorkflowPath(slug)]] as const) {
    const text = await read(path);
    if (text === undefined) continue;
    const record = readExportRecord(text);
    const scriptText = record ? await read(record.scriptPath) : undefined;
    if (!record || scriptText === undefined) {
      const message = record
        ? `${path} runs ${record.scriptPath}, which does not exist: extract the script again (\`runbook extract ${source.runbookPath}\`)`
        : `${path} does not say which runbook and script it was made from: regenerate it with \`runbook export ${engine} ${source.runbookPath}\``;
      reports.push({ path, engine, upToDate: false, reasons: [{ code: record ? 'blocked' : 'no-record', message }] });
      continue;
    }
    reports.push(checkExportDrift(engine, path, text, { ...source, scriptPath: record.scriptPath, scriptText }));
  }
  return reports;
}

/**
 * What replacing the file already at an export's path would lose: another runbook's export (two
 * runbooks with the same file name share a slug) blocks; a file the exporter did not make is worth
 * a question. Undefined when the file is this runbook's earlier export (or there is none).
 */
export function replaceProblem(existingText: string | undefined, result: ExportResult, runbookPath: string): ExportProblem | undefined {
  if (existingText === undefined) return undefined;
  const record = readExportRecord(existingText);
  if (!record) return { severity: 'warning', message: `${result.path} exists and was not made by the exporter: replacing it loses what it holds` };
  if (record.runbookPath !== runbookPath) {
    return { severity: 'error', message: `${result.path} is the export of another runbook, ${record.runbookPath}: rename one of the two runbook files so that their workflows have different names` };
  }
  return undefined;
}
