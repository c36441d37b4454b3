// Starting the runbook's workflow on the CI engine: GitHub's `workflow_dispatch` REST call with the
// workflow's inputs, and GitLab's create-pipeline call with pipeline variables: RUNBOOK (the
// exported job runs only in a pipeline that names its runbook), one per filled input (they win
// over the job's defaults) and RUNBOOK_CORRELATION_ID. Values reach the script through the
// environment, never inside code; the correlation id goes with them so the run can be found. Base
// URLs are configurable (GitHub Enterprise, self-managed GitLab, the tests' fake APIs); tokens come
// from the environment.

import { performance } from 'node:perf_hooks';
import type { CatalogEntry, Decision, DispatchTarget } from '../../core/alerts';
import { CORRELATION_INPUT, githubWorkflowPath, gitlabPipelineVariables, workflowInputName, workflowSlug } from '../../core/export/names';
import type { DispatchResult } from './audit';
import type { GitHubTarget, GitLabTarget } from './config';

export interface DispatchRequest {
  decision: Decision & { runbook: string; inputs: Record<string, string>; correlationId: string };
  entry: CatalogEntry;
}

export interface Dispatcher {
  readonly target: DispatchTarget;
  dispatch(request: DispatchRequest): Promise<DispatchResult>;
  /** Stops what the dispatcher started (local runs); the CI dispatchers have nothing to stop. */
  close(): Promise<void>;
}

const USER_AGENT = 'executable-runbooks-bridge';
/** How much of an error answer goes into the audit line. */
const ERROR_BODY_CHARS = 300;

async function errorText(response: Response): Promise<string> {
  const body = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim();
  let message = body;
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
    else if (parsed.message !== undefined) message = JSON.stringify(parsed.message);
  } catch {
    // Not JSON: the text as it came.
  }
  return `HTTP ${response.status}${message ? `: ${message.slice(0, ERROR_BODY_CHARS)}` : ''}`;
}

async function post(url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<{ response?: Response; error?: string; durationMs: number }> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    return { response, durationMs: performance.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const message = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { error: `${url}: ${message}`, durationMs: performance.now() - started };
  }
}

/** How a dispatch that did not reach the engine, or that the engine refused, is recorded (undefined: it went through). */
async function failure(id: string, posted: { response?: Response; error?: string; durationMs: number }): Promise<(DispatchResult & { ok: false }) | undefined> {
  const { response, error, durationMs } = posted;
  if (!response) return { ok: false, id, error, durationMs };
  if (!response.ok) return { ok: false, id, status: response.status, error: await errorText(response), durationMs };
  return undefined;
}

/** The inputs as the workflow declares them, plus the correlation id. */
function workflowInputs(request: DispatchRequest): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.decision.inputs)) inputs[workflowInputName(name)] = value;
  inputs[CORRELATION_INPUT] = request.decision.correlationId;
  return inputs;
}

/** `https://api.github.com` → `https://github.com`; `https://ghe.example.com/api/v3` → `https://ghe.example.com`. */
export function githubWebUrl(api: string): string {
  const url = new URL(api);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  return `${url.origin}${url.pathname.replace(/\/api\/v3\/?$/, '').replace(/\/$/, '')}`;
}

export class GitHubDispatcher implements Dispatcher {
  readonly target = 'github' as const;

  constructor(
    private readonly config: GitHubTarget,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {}

  async dispatch(request: DispatchRequest): Promise<DispatchResult> {
    const { owner, repo, api, ref } = this.config;
    const workflowFile = githubWorkflowPath(workflowSlug(request.decision.runbook)).split('/').pop() as string;
    const path = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/actions/workflows/${encodeURIComponent(workflowFile)}/dispatches`;
    const posted = await post(
      `${api}${path}`,
      { authorization: `Bearer ${this.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
      { ref, inputs: workflowInputs(request) },
      this.timeoutMs,
    );
    const id = request.decision.correlationId;
    const failed = await failure(id, posted);
    if (failed) return failed;
    const { response, durationMs } = posted as { response: Response; durationMs: number };
    // 204 has no body; with run details GitHub answers 200 with the run's links.
    let url = `${this.config.webUrl ?? githubWebUrl(api)}/${owner}/${repo}/actions/workflows/${workflowFile}`;
    let engineId: string | undefined;
    if (response.status === 200) {
      const details = (await response.json().catch(() => ({}))) as { html_url?: unknown; workflow_run_id?: unknown };
      if (typeof details.html_url === 'string') url = details.html_url;
      if (typeof details.workflow_run_id === 'number') engineId = String(details.workflow_run_id);
    }
    return { ok: true, id, engineId, url, status: response.status, durationMs };
  }

  async close(): Promise<void> {}
}

export class GitLabDispatcher implements Dispatcher {
  readonly target = 'gitlab' as const;

  constructor(
    private readonly config: GitLabTarget,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {}

  async dispatch(request: DispatchRequest): Promise<DispatchResult> {
    const { api, project, ref } = this.config;
    // Pipeline variables, not include inputs: those are fixed where .gitlab-ci.yml includes the file.
    const variables = gitlabPipelineVariables(workflowSlug(request.decision.runbook), request.decision.inputs, { correlationId: request.decision.correlationId });
    const posted = await post(
      `${api}/projects/${encodeURIComponent(project)}/pipeline`,
      { 'private-token': this.token, accept: 'application/json' },
      { ref, variables },
      this.timeoutMs,
    );
    const id = request.decision.correlationId;
    const failed = await failure(id, posted);
    if (failed) return failed;
    const { response, durationMs } = posted as { response: Response; durationMs: number };
    const pipeline = (await response.json().catch(() => ({}))) as { id?: unknown; web_url?: unknown };
    return {
      ok: true,
      id,
      engineId: typeof pipeline.id === 'number' || typeof pipeline.id === 'string' ? String(pipeline.id) : undefined,
      url: typeof pipeline.web_url === 'string' ? pipeline.web_url : undefined,
      status: response.status,
      durationMs,
    };
  }

  async close(): Promise<void> {}
}
