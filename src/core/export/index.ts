// CI workflows from a runbook and its extracted script: the public face for the editor's command
// and the `runbook export` / `runbook check` subcommands.
export { exportGitHubWorkflow, GITHUB_MAX_INPUTS } from './github';
export { exportGitLabPipeline } from './gitlab';
export {
  checkExportDrift,
  checkRunbookExports,
  exportWorkflow,
  readExportRecord,
  replaceProblem,
  type DriftCode,
  type DriftReason,
  type DriftReport,
  type ExportRecord,
  type ReadFile,
} from './drift';
export { findExtractedScript, notedScriptPath, scriptCandidates, workflowNoteLine } from './script';
export {
  canWrite,
  planExport,
  scriptRunbookDigest,
  scriptStepIds,
  type ConfirmationGate,
  type ExportEngine,
  type ExportPlan,
  type ExportProblem,
  type ExportResult,
  type ExportSource,
} from './plan';
export * from './names';
