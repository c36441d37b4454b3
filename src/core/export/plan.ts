// What a CI export of a runbook's script means, whatever the engine: which of the runbook's steps
// the script runs, its inputs, which steps are left for a person, how the steps that ask for
// confirmation are gated, the job's timeout, and the problems that block an export. The GitHub and
// GitLab writers turn one plan into their own YAML; neither decides any of this itself.

import { createHash } from 'node:crypto';
import type { ManualStep, Runbook, RunbookItem, Step } from '../runbook';
import { confirmationReasons, isProductionLike, type SafetyRules } from '../run/safety';
import { stepTimeout } from '../run/stepRunner';
import { runbookDigest, scriptInputs, type ScriptInput } from '../scaffold/generate';
import { GITLAB_RUNBOOK_VARIABLE, workflowSlug } from './names';

export type ExportEngine = 'github' | 'gitlab';

/** What an export is made from: the runbook as committed and the script extracted from it. */
export interface ExportSource {
  runbook: Runbook;
  /** The runbook file's text: its digest is recorded in the workflow, for the drift check. */
  runbookText: string;
  /** The runbook's path from the repository root, `/`-separated. */
  runbookPath: string;
  /** The extracted script's path from the repository root, `/`-separated: the workflow runs `npx tsx <scriptPath>`. */
  scriptPath: string;
  scriptText: string;
  /** The script's inputs; by default `scriptInputs()` of the steps the script's table names. */
  inputs?: ScriptInput[];
  /** The confirmation rules the script was generated with (the editor's settings). */
  safety?: SafetyRules;
  /** Timeout of steps whose runbook and step set none, as the script was generated with (the `runbooks.defaultTimeout` setting). */
  defaultTimeoutMs?: number;
}

export interface ExportProblem {
  /** `error` blocks the export: the file must not be written. */
  severity: 'error' | 'warning';
  message: string;
  /** The input the problem is about, when there is one. */
  input?: string;
}

export interface ExportResult {
  engine: ExportEngine;
  /** Repository-relative path the file belongs at. */
  path: string;
  text: string;
  problems: ExportProblem[];
}

/** How the steps that ask for confirmation get it in CI. */
export type ConfirmationGate =
  /** A production-like environment: the engine's environment (required reviewers) is the confirmation, and the script gets `--yes`. */
  | 'environment'
  /** Not production, but some steps ask: the person starting the run ticks the `confirm` input; without it nothing runs (exit 3). */
  | 'confirm-input'
  /** No step asks. */
  | 'none';

export interface ConfirmStep {
  step: Step;
  reasons: string[];
}

export interface ExportPlan {
  slug: string;
  title: string;
  runbookPath: string;
  scriptPath: string;
  runbookSha256: string;
  scriptSha256: string;
  /** The script's steps in the order it runs them (its step table), code and manual. */
  items: RunbookItem[];
  inputs: ScriptInput[];
  /** Manual steps: reported as skipped by `--skip-manual` and listed as left for a person. */
  manual: ManualStep[];
  confirmSteps: ConfirmStep[];
  gate: ConfirmationGate;
  /** The runbook's environment when it is production-like: the job's environment. */
  environment?: string;
  timeoutMinutes: number;
  problems: ExportProblem[];
}

/** Time for checkout, Node and `npm ci` before the first step. */
const SETUP_MINUTES = 10;
/** GitHub-hosted runners stop a job after 6 hours; GitLab's runners usually sooner. */
export const MAX_TIMEOUT_MINUTES = 360;

/** Front matter problems change the form and the gate, so they block an export; step-level ones do not. */
const BLOCKING_DIAGNOSTICS = new Set(['yaml', 'front-matter-shape', 'front-matter-unclosed', 'front-matter-value', 'invalid-input']);

/** SHA-256 of a text, hex: the script's digest in the workflow's record. */
export function textDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Reads a TypeScript string literal as the generator writes them: `'text'` or a JSON string. */
function readLiteral(literal: string): string | undefined {
  if (literal.startsWith("'")) return literal.slice(1, -1);
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}

/**
 * The ids of the steps a generated script runs, in its order, read from its `STEPS` table;
 * undefined when the text has no such table (it is not a script from Extract Steps to Script).
 */
export function scriptStepIds(scriptText: string): string[] | undefined {
  const start = scriptText.search(/^const STEPS\b.*\[\s*$/m);
  if (start < 0) return undefined;
  const end = scriptText.indexOf('\n];', start);
  const table = scriptText.slice(start, end < 0 ? undefined : end);
  const ids: string[] = [];
  for (const match of table.matchAll(/^\s*\{\s*id:\s*('[^'\n]*'|"(?:[^"\\\n]|\\.)*")/gm)) {
    const id = readLiteral(match[1]);
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

/** The runbook digest a generated script records (`RUNBOOK_SHA256`), if it records one. */
export function scriptRunbookDigest(scriptText: string): string | undefined {
  return /^(?:export\s+)?const RUNBOOK_SHA256\b[^=]*=\s*['"]([0-9a-f]{64})['"]/m.exec(scriptText)?.[1];
}

function totalTimeoutMinutes(runbook: Runbook, steps: Step[], defaultTimeoutMs: number | undefined): number {
  const stepsMs = steps.reduce((sum, step) => sum + stepTimeout(runbook, step, defaultTimeoutMs), 0);
  return Math.min(MAX_TIMEOUT_MINUTES, SETUP_MINUTES + Math.ceil(stepsMs / 60_000));
}

/** GitLab's predefined variables outside CI_*: a job variable of that name would override them. */
const GITLAB_PREDEFINED = new Set(['GITLAB_CI', 'GITLAB_FEATURES', 'GITLAB_ENV', 'GITLAB_USER_EMAIL', 'GITLAB_USER_ID', 'GITLAB_USER_LOGIN', 'GITLAB_USER_NAME']);

/**
 * Why an input by this name cannot reach the script on `engine` (the engine sets or reserves the
 * variable, or the workflow has an input of that name itself), or undefined when it can.
 */
export function inputNameProblem(engine: ExportEngine, name: string, ownInputs: string[]): string | undefined {
  if (name === 'CI') return 'CI is set by every CI engine';
  if (engine === 'github' && /^(GITHUB|RUNNER|ACTIONS)_/i.test(name)) return 'GitHub Actions reserves GITHUB_*, RUNNER_* and ACTIONS_* variables';
  if (engine === 'gitlab' && (/^(CI|FF)_/.test(name) || GITLAB_PREDEFINED.has(name) || name.startsWith('GITLAB_USER_'))) {
    return 'GitLab sets CI_* variables, runner feature flags FF_* and its own GITLAB_* ones';
  }
  if (engine === 'gitlab' && name === GITLAB_RUNBOOK_VARIABLE) return `the pipeline variable ${GITLAB_RUNBOOK_VARIABLE} names the runbook a pipeline runs`;
  // GitHub's input names are case-insensitive; GitLab's are not.
  const same = (own: string) => (engine === 'github' ? own.toLowerCase() === name.toLowerCase() : own === name);
  const own = ownInputs.find(same);
  if (own) return `the workflow has an input ${own} of its own`;
  return undefined;
}

/** The plan of an export; problems common to both engines are in `problems`. */
export function planExport(source: ExportSource): ExportPlan {
  const { runbook } = source;
  const problems: ExportProblem[] = [];
  for (const diagnostic of runbook.diagnostics) {
    if (diagnostic.severity === 'error' && BLOCKING_DIAGNOSTICS.has(diagnostic.code)) {
      problems.push({
        severity: 'error',
        input: diagnostic.subject,
        message: `${source.runbookPath}:${diagnostic.line + 1}: ${diagnostic.message} (fix the front matter first: the workflow's form comes from it)`,
      });
    }
  }

  for (const [what, path] of [['runbook', source.runbookPath], ['script', source.scriptPath]]) {
    if (/\$\{\{|\$\[\[|[\p{Cc}\u2028\u2029]/u.test(path)) {
      problems.push({ severity: 'error', message: `The ${what}'s path ${JSON.stringify(path)} holds characters a CI engine would read as an expression or a line break: rename it` });
    }
  }

  const ids = scriptStepIds(source.scriptText);
  let items: RunbookItem[] = runbook.items;
  if (ids === undefined || ids.length === 0) {
    problems.push({
      severity: 'error',
      message: `${source.scriptPath} is not a script made by Extract Steps to Script (it has no step table): extract it again with \`runbook extract ${source.runbookPath}\``,
    });
  } else {
    const byId = new Map(runbook.items.map((item) => [item.id, item]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      problems.push({
        severity: 'error',
        message: `${source.scriptPath} runs steps that ${source.runbookPath} no longer has (${missing.join(', ')}): extract the script again so that CI runs what the runbook says`,
      });
    }
    items = ids.flatMap((id) => byId.get(id) ?? []);
  }

  const recorded = scriptRunbookDigest(source.scriptText);
  const runbookSha256 = runbookDigest(source.runbookText);
  if (recorded === undefined) {
    problems.push({ severity: 'warning', message: `${source.scriptPath} does not record which version of the runbook it came from: extract it again so that drift can be detected` });
  } else if (recorded !== runbookSha256) {
    problems.push({ severity: 'warning', message: `${source.scriptPath} was extracted from another version of ${source.runbookPath}: extract it again if the runbook's steps changed` });
  }

  const codeSteps = items.filter((item): item is Step => item.kind === 'code');
  const runSteps = codeSteps.filter((step) => !step.attributes.skip);
  const manual = items.filter((item): item is ManualStep => item.kind === 'manual');
  const confirmSteps = runSteps
    .map((step) => ({ step, reasons: confirmationReasons(runbook, step, source.safety) }))
    .filter((entry) => entry.reasons.length > 0);
  const production = isProductionLike(runbook.meta.environment, source.safety?.productionEnvironments);
  const gate: ConfirmationGate = production ? 'environment' : confirmSteps.length > 0 ? 'confirm-input' : 'none';

  for (const step of runSteps.filter((s) => s.attributes.interactive)) {
    problems.push({ severity: 'warning', message: `The step "${step.title}" is interactive: in CI it has no terminal to talk to, so it must not wait for typed answers` });
  }

  const inputs = source.inputs ?? scriptInputs(runbook, items);
  for (const spec of inputs.flatMap((input) => input.spec ?? [])) {
    const values = [...(spec.default === undefined ? [] : [spec.default]), ...(spec.choices ?? [])];
    if (values.some((value) => /\$\{\{|\$\[\[/.test(value))) {
      problems.push({ severity: 'error', input: spec.name, message: `The input ${spec.name} has a default or a choice with \`\${{\` or \`$[[\`, which a CI engine reads as an expression: change it in the runbook` });
    }
  }

  return {
    slug: workflowSlug(source.runbookPath),
    title: runbook.title,
    runbookPath: source.runbookPath,
    scriptPath: source.scriptPath,
    runbookSha256,
    scriptSha256: textDigest(source.scriptText),
    items,
    inputs,
    manual,
    confirmSteps,
    gate,
    environment: production ? runbook.meta.environment?.trim() : undefined,
    timeoutMinutes: totalTimeoutMinutes(runbook, runSteps, source.defaultTimeoutMs),
    problems,
  };
}

/** Whether the result may be written: no problem blocks it. */
export function canWrite(result: { problems: ExportProblem[] }): boolean {
  return !result.problems.some((problem) => problem.severity === 'error');
}
