// A runbook's script as a GitHub Actions workflow that a teammate starts from the Actions tab
// (`workflow_dispatch`): the runbook's inputs as the form, values reaching the script only through
// `env:`, secrets from `secrets.*`, a production environment as the job's environment (its
// reviewers are the confirmation), one run at a time, read-only token, and the run's report in the
// job summary and the artifacts.

import { checkInputValue } from '../runbook';
import type { ScriptInput } from '../scaffold/generate';
import {
  correlationDescription,
  behaviourLines,
  confirmDescription,
  confirmList,
  inputDescription,
  manualChecklist,
  provenanceLines,
  recordLines,
  scriptCommand,
} from './describe';
import { CONFIRM_INPUT, CONFIRM_VARIABLE, CORRELATION_INPUT, CORRELATION_VARIABLE, githubConcurrencyGroup, githubWorkflowPath, workflowInputName } from './names';
import { inputNameProblem, planExport, type ExportPlan, type ExportProblem, type ExportResult, type ExportSource } from './plan';
import { inertBlock, inertText, yamlDocument } from './yamlText';

/** GitHub refuses a `workflow_dispatch` with more inputs than this. */
export const GITHUB_MAX_INPUTS = 25;

/** Where the script's report, JUnit file and history go on the runner (uploaded as one artifact). */
const OUTPUT_DIR = '$RUNNER_TEMP/runbook-output';

type DispatchInput = Record<string, unknown>;

function dispatchInput(plan: ExportPlan, input: ScriptInput, problems: ExportProblem[]): DispatchInput {
  const spec = input.spec;
  const description = inputDescription(plan, input);
  if (!spec) return { description, required: true, type: 'string' };
  const entry: DispatchInput = { ...(description ? { description } : {}), required: spec.required };
  const bad = (message: string) => problems.push({ severity: 'error', input: spec.name, message });
  if (spec.choices && spec.default !== undefined && !spec.choices.includes(spec.default)) {
    bad(`The input ${spec.name}: GitHub needs a choice's default among its options, and "${spec.default}" is not one of ${spec.choices.join(', ')}`);
  } else if (spec.default !== undefined) {
    const problem = checkInputValue(spec, spec.default);
    if (problem) bad(`The default of the input ${spec.name} is refused by its own rules: ${problem} Fix it in the runbook`);
  }
  if (spec.choices) {
    entry.type = 'choice';
    entry.options = spec.choices.map(inertBlock);
    if (spec.default !== undefined) entry.default = inertBlock(spec.default);
  } else if (spec.type === 'number') {
    entry.type = 'number';
    if (spec.default !== undefined && Number.isFinite(Number(spec.default))) entry.default = Number(spec.default);
  } else if (spec.type === 'boolean') {
    entry.type = 'boolean';
    if (spec.default !== undefined) entry.default = spec.default === 'true';
  } else {
    entry.type = 'string';
    if (spec.default !== undefined) entry.default = inertBlock(spec.default);
  }
  return entry;
}

/** A GitHub secret name: letters, digits and `_`, not starting with a digit or `GITHUB_`. */
function secretNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return 'GitHub secret names are letters, digits and _, not starting with a digit';
  if (/^GITHUB_/i.test(name)) return 'GitHub secret names cannot start with GITHUB_';
  return undefined;
}

function runScriptLines(plan: ExportPlan): string {
  const lines = [`mkdir -p "${OUTPUT_DIR}"`];
  if (plan.gate === 'confirm-input') {
    lines.push(
      'if [ "$RUNBOOK_CONFIRMED" != "true" ]; then',
      `  echo "::error title=Not confirmed::Steps ask for confirmation: start the workflow again with \\"${CONFIRM_INPUT}\\" ticked. Nothing ran."`,
      '  printf \'%s\\n\' "$RUNBOOK_CONFIRM_STEPS"',
      '  exit 3',
      'fi',
    );
  }
  lines.push(scriptCommand(plan, OUTPUT_DIR));
  return lines.join('\n');
}

/**
 * The job summary: the script's Markdown report (which lists the manual steps it left for a
 * person); when the script wrote none (bad input, not confirmed, a crash), a line saying so and the
 * manual steps as a checklist, so they are never lost from view.
 */
function summaryLines(plan: ExportPlan): string {
  const fallback = ['  echo "The script wrote no report: see the log of the step that ran it."'];
  if (plan.manual.length > 0) {
    fallback.push('  echo', '  echo "### Left for a person"', '  echo', '  printf \'%s\\n\' "$RUNBOOK_MANUAL_STEPS"');
  }
  return [
    `if [ -f "${OUTPUT_DIR}/report.md" ]; then`,
    `  cat "${OUTPUT_DIR}/report.md" >> "$GITHUB_STEP_SUMMARY"`,
    'else',
    '  {',
    ...fallback.map((line) => `  ${line}`),
    '  } >> "$GITHUB_STEP_SUMMARY"',
    'fi',
  ].join('\n');
}

/** The GitHub Actions workflow for the runbook's script. */
export function exportGitHubWorkflow(source: ExportSource): ExportResult {
  const plan = planExport(source);
  const problems = [...plan.problems];
  const own = [CORRELATION_INPUT, ...(plan.gate === 'confirm-input' ? [CONFIRM_INPUT] : [])];

  const inputs: Record<string, DispatchInput> = {};
  const env: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const input of plan.inputs) {
    const twin = seen.get(input.name.toLowerCase());
    if (twin) problems.push({ severity: 'error', input: input.name, message: `The inputs ${twin} and ${input.name} differ only in case, and GitHub's input and variable names ignore case: rename one in the runbook` });
    seen.set(input.name.toLowerCase(), input.name);
    const clash = inputNameProblem('github', input.name, own);
    if (clash) problems.push({ severity: 'error', input: input.name, message: `The input ${input.name} cannot reach the script on GitHub: ${clash}. Rename it in the runbook` });
    if (input.spec?.secret) {
      const problem = secretNameProblem(input.name);
      if (problem) problems.push({ severity: 'error', input: input.name, message: `The secret input ${input.name}: ${problem}. Rename it in the runbook` });
      env[input.name] = `\${{ secrets.${input.name} }}`;
      continue;
    }
    const name = workflowInputName(input.name);
    inputs[name] = dispatchInput(plan, input, problems);
    env[input.name] = `\${{ inputs.${name} }}`;
  }
  inputs[CORRELATION_INPUT] = { description: correlationDescription('github'), required: false, type: 'string', default: '' };
  env[CORRELATION_VARIABLE] = `\${{ inputs.${CORRELATION_INPUT} }}`;
  if (plan.gate === 'confirm-input') {
    inputs[CONFIRM_INPUT] = { description: confirmDescription(plan), required: false, type: 'boolean', default: false };
    env[CONFIRM_VARIABLE] = `\${{ inputs.${CONFIRM_INPUT} }}`;
    env.RUNBOOK_CONFIRM_STEPS = confirmList(plan);
  }
  const count = Object.keys(inputs).length;
  if (count > GITHUB_MAX_INPUTS) {
    problems.push({
      severity: 'error',
      message: `GitHub allows at most ${GITHUB_MAX_INPUTS} inputs in a workflow's form, and this one needs ${count} (${count - own.length} from the runbook, plus ${own.join(' and ')}): the runbook has too many inputs for one workflow`,
    });
  }

  const title = inertText(plan.title);
  const job: Record<string, unknown> = { name: title, 'runs-on': 'ubuntu-latest' };
  if (plan.gate === 'environment') job.environment = inertText(plan.environment ?? '');
  job['timeout-minutes'] = plan.timeoutMinutes;
  job.steps = [
    { name: 'Check out the repository', uses: 'actions/checkout@v4', with: { 'persist-credentials': false } },
    { name: 'Set up Node 20', uses: 'actions/setup-node@v4', with: { 'node-version': 20, cache: 'npm' } },
    { name: 'Install dependencies', run: 'npm ci' },
    { name: "Run the runbook's script", shell: 'bash', env, run: runScriptLines(plan) },
    {
      name: 'Add the report to the job summary',
      if: 'always()',
      shell: 'bash',
      ...(plan.manual.length > 0 ? { env: { RUNBOOK_MANUAL_STEPS: manualChecklist(plan) } } : {}),
      run: summaryLines(plan),
    },
    {
      name: 'Upload the report',
      if: 'always()',
      uses: 'actions/upload-artifact@v4',
      with: { name: `runbook-${plan.slug}-report`, path: '${{ runner.temp }}/runbook-output/', 'if-no-files-found': 'ignore' },
    },
  ];

  const workflow = {
    name: `Runbook: ${title}`,
    'run-name': `${title} · \${{ inputs.${CORRELATION_INPUT} || format('started by {0}', github.actor) }}`,
    on: { workflow_dispatch: { inputs } },
    permissions: { contents: 'read' },
    concurrency: { group: githubConcurrencyGroup(plan.slug), 'cancel-in-progress': false },
    jobs: { run: job },
  };
  const header = [
    ...provenanceLines('github', plan),
    '',
    `Start it: Actions → "Runbook: ${title}" → Run workflow, or gh workflow run runbook-${plan.slug}.yml -f name=value`,
    ...behaviourLines('github', plan),
    '',
    ...recordLines('github', plan),
  ];
  return { engine: 'github', path: githubWorkflowPath(plan.slug), text: yamlDocument(workflow, header, ['on']), problems };
}
