// Input names each engine cannot hand to the script: the variables it sets itself, the
// workflow's own inputs, and GitLab's RUNBOOK (the variable that names the runbook to run).
// GitHub's input names are case-insensitive; GitLab's are not. Also: the pipeline variables that
// start a runbook's GitLab job, as the bridge sends them.

import { strict as assert } from 'node:assert';
import { exportGitHubWorkflow, exportGitLabPipeline, gitlabPipelineVariables, gitlabVariableValue } from '../../../src/core/export';
import { prepareText } from './support/sources';

function runbookWith(names: string[]): string {
  const inputs = names.map((name) => `  ${name}: { default: x }`);
  return ['---', 'title: Names', 'inputs:', ...inputs, '---', '', '# Names', '', '```bash', names.map((name) => `echo "$${name}"`).join('\n'), '```', ''].join('\n');
}

const refused = (problems: Array<{ severity: string; input?: string }>) => problems.filter((p) => p.severity === 'error').map((p) => p.input).sort();

describe('export: input names per engine', function () {
  this.timeout(30_000);

  it('refuses only the names the engine owns', () => {
    const { source } = prepareText('names.runbook.md', runbookWith(['CI_JOB_TOKEN', 'FF_NETWORK_PER_BUILD', 'GITLAB_USER_LOGIN', 'GITLAB_API_TOKEN', 'GITHUB_REF', 'RUNNER_OS', 'job_stage', 'Correlation_Id', 'RUNBOOK', 'NAMESPACE']));
    assert.deepEqual(refused(exportGitHubWorkflow(source).problems), ['Correlation_Id', 'GITHUB_REF', 'RUNNER_OS']);
    const gitlab = exportGitLabPipeline(source).problems;
    assert.deepEqual(refused(gitlab), ['CI_JOB_TOKEN', 'FF_NETWORK_PER_BUILD', 'GITLAB_USER_LOGIN', 'RUNBOOK', 'job_stage']);
    assert.match(gitlab.find((problem) => problem.input === 'RUNBOOK')!.message, /the pipeline variable RUNBOOK names the runbook a pipeline runs/);
  });

  it('refuses inputs that differ only in case on GitHub, which ignores case', () => {
    const { source } = prepareText('case.runbook.md', runbookWith(['name', 'NAME']));
    const [problem] = exportGitHubWorkflow(source).problems;
    assert.deepEqual([problem.input, problem.message], ['NAME', "The inputs name and NAME differ only in case, and GitHub's input and variable names ignore case: rename one in the runbook"]);
    assert.deepEqual(exportGitLabPipeline(source).problems, []);
  });

  it('names the input and says what to do', () => {
    const { source } = prepareText('names.runbook.md', runbookWith(['CI_COMMIT_SHA']));
    const [problem] = exportGitLabPipeline(source).problems;
    assert.equal(problem.input, 'CI_COMMIT_SHA');
    assert.match(problem.message, /^The input CI_COMMIT_SHA cannot reach the script on GitLab: GitLab sets CI_\* variables.*\. Rename it in the runbook$/);
  });

  it('starts a GitLab job with RUNBOOK, the filled inputs and the correlation id, written so that GitLab leaves each value as it is', () => {
    assert.equal(gitlabVariableValue('a $HOME ${HOME} $$ b'), 'a $$HOME $${HOME} $$$$ b');
    assert.deepEqual(gitlabPipelineVariables('restart-api', { NAMESPACE: 'payments', NOTE: 'costs $5' }, { correlationId: 'INC-42' }), [
      { key: 'RUNBOOK', value: 'restart-api' },
      { key: 'NAMESPACE', value: 'payments' },
      { key: 'NOTE', value: 'costs $$5' },
      { key: 'RUNBOOK_CORRELATION_ID', value: 'INC-42' },
    ]);
    assert.deepEqual(gitlabPipelineVariables('gated', {}, { confirmed: true }), [
      { key: 'RUNBOOK', value: 'gated' },
      { key: 'RUNBOOK_CONFIRMED', value: 'true' },
    ]);
  });
});
