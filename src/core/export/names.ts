// Where exported CI workflows live and what their inputs are called: one answer for the exporter,
// the drift check, the alert bridge (which dispatches them) and insights (which look for them).

import { slugify } from '../runbook/slug';

/** The workflow input (GitHub) / spec input (GitLab) that carries a caller's correlation id. */
export const CORRELATION_INPUT = 'correlation_id';

/** `runbooks/restart-api.runbook.md` → `restart-api`: from the file name, so renaming the title keeps the workflow. */
export function workflowSlug(runbookPath: string): string {
  const file = runbookPath.replace(/\\/g, '/').split('/').pop() ?? runbookPath;
  const stem = file.replace(/\.(runbook\.)?(md|markdown)$/i, '');
  const slug = slugify(stem)
    .normalize('NFKD')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return slug || 'runbook';
}

/** Repository-relative path of a runbook's GitHub Actions workflow. */
export function githubWorkflowPath(slug: string): string {
  return `.github/workflows/runbook-${slug}.yml`;
}

/** Repository-relative path of a runbook's GitLab CI file (for the project's `include:`). */
export function gitlabWorkflowPath(slug: string): string {
  return `.gitlab/runbooks/${slug}.yml`;
}

/** A runbook input's name in a workflow's inputs: as declared (runbook input names are valid GitHub and GitLab input ids). */
export function workflowInputName(inputName: string): string {
  return inputName;
}

/**
 * The boolean input a person ticks to confirm, in a workflow whose runbook has steps that ask for
 * confirmation but no production environment whose reviewers could give it.
 */
export const CONFIRM_INPUT = 'confirm';

/** GitLab spec input: the stage the runbook's job runs in (a project's `stages:` may leave out `test`). */
export const GITLAB_STAGE_INPUT = 'job_stage';

/** The GitLab job of a runbook's pipeline file; also its `resource_group`. */
export function gitlabJobName(slug: string): string {
  return `runbook-${slug}`;
}

/** The GitHub `concurrency` group of a runbook's workflow: one run at a time per runbook. */
export function githubConcurrencyGroup(slug: string): string {
  return `runbook-${slug}`;
}

/**
 * GitLab: the pipeline variable that names the runbook to run, by its slug. A project includes one
 * file per runbook, and each runbook's job runs only in a pipeline whose RUNBOOK names it, so
 * starting one runbook never starts the others.
 */
export const GITLAB_RUNBOOK_VARIABLE = 'RUNBOOK';

/** The variable that carries a run's correlation id to the script (both engines; GitLab takes it per run as a pipeline variable). */
export const CORRELATION_VARIABLE = 'RUNBOOK_CORRELATION_ID';

/** The variable that says the person starting the run confirmed the steps that ask (`true`); GitLab takes it per run as a pipeline variable. */
export const CONFIRM_VARIABLE = 'RUNBOOK_CONFIRMED';

/** The `rules: if:` of a runbook's GitLab job: a pipeline from the web, the API or a trigger that names this runbook. */
export function gitlabJobCondition(slug: string): string {
  return `$CI_PIPELINE_SOURCE =~ /^(web|api|trigger)$/ && $${GITLAB_RUNBOOK_VARIABLE} == "${slug}"`;
}

/**
 * A value as a GitLab pipeline variable must be written to reach the job unchanged: GitLab expands
 * `$NAME` references in pipeline variables (the form's and the API's alike), and `$$` is a literal `$`.
 */
export function gitlabVariableValue(value: string): string {
  return value.replace(/\$/g, () => '$$');
}

/** One variable of a pipeline, as GitLab's pipelines API takes it (`POST /projects/:id/pipeline`). */
export interface GitLabPipelineVariable {
  key: string;
  value: string;
}

/**
 * The pipeline variables that start one runbook's GitLab job with per-run values: RUNBOOK, one per
 * given input (named as the input, which the job's own defaults yield to), the correlation id, and
 * the confirmation when given. Values are written so that the job gets them unchanged.
 */
export function gitlabPipelineVariables(slug: string, values: Record<string, string>, options: { correlationId?: string; confirmed?: boolean } = {}): GitLabPipelineVariable[] {
  const variables: GitLabPipelineVariable[] = [{ key: GITLAB_RUNBOOK_VARIABLE, value: slug }];
  for (const [name, value] of Object.entries(values)) variables.push({ key: workflowInputName(name), value: gitlabVariableValue(value) });
  if (options.correlationId !== undefined) variables.push({ key: CORRELATION_VARIABLE, value: gitlabVariableValue(options.correlationId) });
  if (options.confirmed) variables.push({ key: CONFIRM_VARIABLE, value: 'true' });
  return variables;
}
