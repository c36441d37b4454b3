// A runbook's script as a GitLab CI file for a project's `include:`: a `spec: inputs` header (the
// runbook's inputs, as the project's defaults) and one job that runs only in a pipeline started
// from the web, the API or a trigger whose variable RUNBOOK names this runbook, so that a project
// including many runbooks starts one at a time. Include inputs are fixed where the file is
// included, so per-run values are pipeline variables named like the inputs: GitLab lets pipeline
// variables win over a job's `variables:`, which hold the defaults. Either way values reach the
// script only through the environment (never inside `script:`), secrets are masked CI/CD variables
// of the same name, a production environment is the job's (protected) environment,
// `resource_group` keeps one run at a time, and the JUnit and Markdown reports are artifacts.

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
import {
  CONFIRM_INPUT,
  CONFIRM_VARIABLE,
  CORRELATION_INPUT,
  CORRELATION_VARIABLE,
  GITLAB_RUNBOOK_VARIABLE,
  GITLAB_STAGE_INPUT,
  gitlabJobCondition,
  gitlabJobName,
  gitlabWorkflowPath,
  workflowInputName,
} from './names';
import { inputNameProblem, planExport, type ExportPlan, type ExportProblem, type ExportResult, type ExportSource } from './plan';
import { inertBlock, inertText, yamlDocument } from './yamlText';

/** GitLab refuses input descriptions longer than this. */
const MAX_DESCRIPTION = 1024;

/** Where the script's report, JUnit file and history go, inside the project directory (artifacts must be). */
const OUTPUT_DIR = 'runbook-output';

/** Why GitLab's RE2 cannot take this JavaScript pattern, or undefined when it can. */
export function re2Problem(pattern: string): string | undefined {
  if (/\(\?<?[=!]/.test(pattern)) return 'lookaround';
  if (/\\[1-9]|\\k</.test(pattern)) return 'back-references';
  if (/\(\?<[A-Za-z]/.test(pattern)) return 'named groups';
  if (/\\u|\\c[A-Za-z]|\[\^?\]/.test(pattern)) return 'JavaScript-only escapes';
  return undefined;
}

function specInput(plan: ExportPlan, input: ScriptInput, problems: ExportProblem[]): Record<string, unknown> {
  const spec = input.spec;
  // Every input has a default, so that including the file never stops a project's other pipelines
  // from being created; a required value the run did not get is refused by the script (exit 2).
  const entry: Record<string, unknown> = {};
  const notes: string[] = [];
  if (!spec) {
    entry.default = '';
  } else if (spec.choices) {
    const choices = spec.choices.map(inertBlock);
    entry.options = spec.default === undefined ? ['', ...choices.filter((choice) => choice !== '')] : choices;
    entry.default = inertBlock(spec.default ?? '');
  } else if (spec.type === 'boolean') {
    entry.type = 'boolean';
    entry.default = spec.default === 'true';
  } else if (spec.type === 'number' && spec.default !== undefined) {
    entry.type = 'number';
    entry.default = Number(spec.default);
  } else {
    if (spec.type === 'number') notes.push('a number'); // no default to give: an empty string stands for "not given"
    entry.default = inertBlock(spec.default ?? '');
    if (spec.pattern !== undefined) {
      const unsupported = re2Problem(spec.pattern);
      if (unsupported) {
        problems.push({ severity: 'warning', input: spec.name, message: `The pattern of ${spec.name} uses ${unsupported}, which GitLab's regular expressions lack: the form does not check it, the script does` });
      } else {
        entry.regex = spec.default === undefined ? `^$|${spec.pattern}` : spec.pattern;
      }
    }
  }
  const required = spec ? spec.required && spec.default === undefined && spec.type !== 'boolean' : true;
  const description = inputDescription(plan, input, { notes, required });
  if (description) entry.description = description.length > MAX_DESCRIPTION ? `${description.slice(0, MAX_DESCRIPTION - 1)}…` : description;
  return entry;
}

/** A job variable that holds `value` exactly: `expand: false`, so a `$` in it is not a variable reference. */
function literalVariable(value: string): Record<string, unknown> {
  return { value, expand: false };
}

function scriptLines(plan: ExportPlan): string[] {
  const lines = ['npm ci', `mkdir -p ${OUTPUT_DIR}`, `if [ -n "$${CORRELATION_VARIABLE}" ]; then echo "Correlation id: $${CORRELATION_VARIABLE}"; fi`];
  if (plan.gate === 'confirm-input') {
    lines.push(
      [
        `if [ "$${CONFIRM_VARIABLE}" != "true" ]; then`,
        `  echo "✗ Steps ask for confirmation: run the pipeline again with the variable ${CONFIRM_VARIABLE} set to true. Nothing ran." >&2`,
        '  printf \'%s\\n\' "$RUNBOOK_CONFIRM_STEPS" >&2',
        ...(plan.manual.length > 0 ? ['  printf \'Left for a person:\\n%s\\n\' "$RUNBOOK_MANUAL_STEPS" >&2'] : []),
        '  exit 3',
        'fi',
      ].join('\n'),
    );
  }
  lines.push(scriptCommand(plan, OUTPUT_DIR));
  return lines;
}

/** The GitLab CI file (for `include:`) for the runbook's script. */
export function exportGitLabPipeline(source: ExportSource): ExportResult {
  const plan = planExport(source);
  const problems = [...plan.problems];
  const own = [CORRELATION_INPUT, GITLAB_STAGE_INPUT, ...(plan.gate === 'confirm-input' ? [CONFIRM_INPUT] : [])];
  const slug = plan.slug;

  const inputs: Record<string, unknown> = {};
  const variables: Record<string, unknown> = {};
  for (const input of plan.inputs) {
    const clash = inputNameProblem('gitlab', input.name, own);
    if (clash) problems.push({ severity: 'error', input: input.name, message: `The input ${input.name} cannot reach the script on GitLab: ${clash}. Rename it in the runbook` });
    if (input.spec?.secret) continue; // a masked CI/CD variable of the same name reaches the job by itself
    const name = workflowInputName(input.name);
    const entry = specInput(plan, input, problems);
    inputs[name] = entry;
    // A number or boolean arrives typed (GitLab's object form takes only strings), and holds no `$`.
    variables[input.name] = entry.type === undefined ? literalVariable(`$[[ inputs.${name} ]]`) : `$[[ inputs.${name} ]]`;
  }
  inputs[CORRELATION_INPUT] = { description: correlationDescription('gitlab'), default: '' };
  variables[CORRELATION_VARIABLE] = literalVariable(`$[[ inputs.${CORRELATION_INPUT} ]]`);
  if (plan.gate === 'confirm-input') {
    inputs[CONFIRM_INPUT] = { type: 'boolean', description: `${confirmDescription(plan)} Per run: the pipeline variable ${CONFIRM_VARIABLE}=true.`, default: false };
    variables[CONFIRM_VARIABLE] = `$[[ inputs.${CONFIRM_INPUT} ]]`;
    variables.RUNBOOK_CONFIRM_STEPS = literalVariable(confirmList(plan));
  }
  if (plan.manual.length > 0) variables.RUNBOOK_MANUAL_STEPS = literalVariable(manualChecklist(plan));
  inputs[GITLAB_STAGE_INPUT] = { description: 'The stage the job runs in', default: 'test' };

  const job: Record<string, unknown> = {
    stage: `$[[ inputs.${GITLAB_STAGE_INPUT} ]]`,
    image: 'node:20',
    rules: [{ if: gitlabJobCondition(slug) }],
    resource_group: gitlabJobName(slug),
  };
  if (plan.gate === 'environment') {
    const environment = plan.environment ?? '';
    if (!/^[A-Za-z0-9 _/-]+$/.test(environment)) {
      problems.push({ severity: 'error', message: `The runbook's environment "${environment}" is not a GitLab environment name (letters, digits, spaces, -, _ and /): change it in the front matter` });
    }
    job.environment = { name: inertText(environment), deployment_tier: 'production' };
  }
  job.timeout = `${plan.timeoutMinutes}m`;
  job.variables = variables;
  job.script = scriptLines(plan);
  job.artifacts = {
    name: `runbook-${slug}`,
    when: 'always',
    expire_in: '30 days',
    paths: [`${OUTPUT_DIR}/`],
    reports: { junit: `${OUTPUT_DIR}/junit.xml` },
  };

  const path = gitlabWorkflowPath(slug);
  const example = plan.inputs.filter((input) => !input.spec?.secret).slice(0, 3);
  const perRun = [
    `${GITLAB_RUNBOOK_VARIABLE}=${slug}`,
    ...example.map((input) => `${input.name}=…`),
    `${CORRELATION_VARIABLE}=INC-42`,
    ...(plan.gate === 'confirm-input' ? [`${CONFIRM_VARIABLE}=true`] : []),
  ];
  const header = [
    ...provenanceLines('gitlab', plan),
    '',
    "Use it from the project's .gitlab-ci.yml (include inputs are optional: the project's defaults):",
    '  include:',
    `    - local: ${path}`,
    ...(example.length > 0 ? ['      inputs:', ...example.map((input) => `        ${input.name}: …`)] : []),
    `The job "${gitlabJobName(slug)}" runs only in a pipeline started from Build → Pipelines → Run pipeline,`,
    `the pipelines API or a trigger whose variable ${GITLAB_RUNBOOK_VARIABLE} is "${slug}": one pipeline runs one runbook.`,
    "Per-run values are pipeline variables named like the inputs; they win over the project's defaults:",
    `  ${perRun.join(' ')}`,
    `The API: POST /projects/:id/pipeline with {"ref": "main", "variables": [{"key": "${GITLAB_RUNBOOK_VARIABLE}", "value": "${slug}"}, …]}.`,
    'GitLab expands $ in pipeline variables: write $$ for a literal $. Every input has a default; the',
    'script checks every value against the runbook and refuses a required one left empty (exit 2).',
    'Pipeline variables must be allowed for whoever starts runbooks (Settings → CI/CD → Variables →',
    "Minimum role to use pipeline variables), and whoever may set them can set any of a job's variables.",
    ...behaviourLines('gitlab', plan),
    '',
    ...recordLines('gitlab', plan),
  ];
  const text = `${yamlDocument({ spec: { inputs } }, header)}---\n${yamlDocument({ [gitlabJobName(slug)]: job })}`;
  return { engine: 'gitlab', path, text, problems };
}
