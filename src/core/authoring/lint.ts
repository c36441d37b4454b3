// Diagnostics about how a runbook is written, beyond whether it parses: inputs used but not
// declared, declared but not used, required without a description, values only whole numbers can
// have (arithmetic), reserved variables a step expects someone to set, and `confirm` steps in a
// runbook that does not say which environment it acts on. Places come from the engine's own shell
// analysis, so the editor and a run never disagree on what a step needs.

import {
  implicitInputsByStep,
  isShellVariable,
  reservedVariableReason,
  shellAnalysisOf,
  stepsUsingInput,
  type Occurrence,
  type Runbook,
  type RunbookDiagnostic,
  type Step,
} from '../runbook';
import { lintAlerts } from '../alerts/authoring';
import { readTestSpec, testKeyLine } from '../testing/testSpec';
import { codeLocator } from './locate';

export interface LintOptions {
  /** Whether a variable is set in the environment steps run in; such variables are not asked for. */
  available?: (name: string) => boolean;
}

export function lintRunbook(runbook: Runbook, lines: readonly string[], options: LintOptions = {}): RunbookDiagnostic[] {
  const available = options.available ?? (() => false);
  const diagnostics: RunbookDiagnostic[] = [
    ...undeclaredInputs(runbook, lines, available),
    ...reservedVariables(runbook, lines, available),
    ...inputDefinitions(runbook),
    ...confirmWithoutEnvironment(runbook),
    ...lintAlerts(runbook, lines),
    // The `test:` block `runbook test` reads: its problems show where the runbook is written.
    ...(runbook.frontMatter?.test === undefined ? [] : readTestSpec(runbook, testKeyLine(runbook, lines)).problems),
  ];
  return diagnostics.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
}

/** A diagnostic at `start`–`end` of the step's code, or on the step's first line when that cannot be placed. */
function inCode(step: Step, locate: ReturnType<typeof codeLocator>, start: number | undefined, end: number | undefined, diagnostic: Omit<RunbookDiagnostic, 'line' | 'endLine'>): RunbookDiagnostic {
  const at = start === undefined ? undefined : locate(start);
  if (!at || end === undefined) return { ...diagnostic, line: step.startLine, endLine: step.startLine };
  return { ...diagnostic, line: at.line, endLine: at.line, column: at.column, endColumn: at.column + end - start! };
}

/** The first use of each name, in one pass (a step can use thousands). */
function firstUses(uses: Occurrence[]): Map<string, Occurrence> {
  const first = new Map<string, Occurrence>();
  for (const use of uses) if (!first.has(use.name)) first.set(use.name, use);
  return first;
}

/** Where the expansion of the name at `start` begins: its `$`, `${` or `${#`. */
function withDollar(code: string, start: number): number {
  let from = start;
  if (code[from - 1] === '#') from--;
  if (code[from - 1] === '{') from--;
  return code[from - 1] === '$' ? from - 1 : start;
}

/**
 * Implicit inputs of the shell steps (variables nothing provides and `<placeholders>`), at their
 * first use; and where such a value, or a declared input that is not a number, is used in
 * arithmetic, that only whole numbers are accepted.
 */
function undeclaredInputs(runbook: Runbook, lines: readonly string[], available: (name: string) => boolean): RunbookDiagnostic[] {
  const diagnostics: RunbookDiagnostic[] = [];
  const notNumbers = new Map(runbook.inputs.filter((input) => input.type !== 'number').map((input) => [input.name, input]));
  for (const { step, inputs } of implicitInputsByStep(runbook.steps, runbook.inputs.map((input) => input.name), available)) {
    const analysis = shellAnalysisOf(step);
    const locate = codeLocator(step, lines);
    const placeholders = firstUses(analysis.placeholders.map((p) => ({ name: p.variable, start: p.start, end: p.end })));
    const needed = firstUses(analysis.expansions.filter((e) => e.needed));
    for (const input of inputs) {
      const use = (input.kind === 'placeholder' ? placeholders : needed).get(input.name);
      diagnostics.push(
        inCode(
          step,
          locate,
          use && (input.kind === 'placeholder' ? use.start : withDollar(step.code, use.start)),
          use?.end,
          input.kind === 'placeholder'
            ? {
                severity: 'info',
                code: 'undeclared-placeholder',
                message: `${input.label} is asked for as ${input.name} when this step runs. Declare ${input.name} in the front matter's inputs to give it a description and a check.`,
                subject: input.name,
              }
            : {
                severity: 'warning',
                code: 'undeclared-input',
                message: `$${input.name} is not a declared input: it is asked for when this step runs unless the environment sets it. Declare it in the front matter's inputs to give it a description and a check.`,
                subject: input.name,
              },
        ),
      );
    }
    // Arithmetic: the first use of each value given to the step that is not known to be a number.
    const labels = new Map(inputs.map((input) => [input.name, input.label]));
    const reported = new Set<string>();
    for (const use of analysis.arithmetic) {
      if (reported.has(use.name)) continue;
      const declared = notNumbers.get(use.name);
      const label = labels.get(use.name);
      if (label === undefined && !declared) continue;
      reported.add(use.name);
      const what = label ?? `Input ${use.name}`;
      diagnostics.push(
        inCode(step, locate, use.start, use.end, {
          severity: 'info',
          code: 'arithmetic-input',
          message: `${what} is used in arithmetic here, so only a whole number (such as 3 or -12) is accepted for it when this step runs: bash would evaluate any other value as an expression, and an expression can run commands.`,
          subject: use.name,
        }),
      );
    }
  }
  return diagnostics;
}

/**
 * Variables a shell step reads as if someone would give them, though no input or asked-for value
 * may set them (`$NODE_OPTIONS`, `$LD_LIBRARY_PATH`): they come only from the environment.
 */
function reservedVariables(runbook: Runbook, lines: readonly string[], available: (name: string) => boolean): RunbookDiagnostic[] {
  const diagnostics: RunbookDiagnostic[] = [];
  const exportedEarlier = new Set<string>();
  for (const step of runbook.steps) {
    if (step.family !== 'shell') continue;
    const analysis = shellAnalysisOf(step);
    const locate = codeLocator(step, lines);
    let needed: Map<string, Occurrence> | undefined;
    for (const name of analysis.references) {
      const reason = reservedVariableReason(name);
      if (!reason || isShellVariable(name) || analysis.assigned.has(name) || exportedEarlier.has(name) || available(name)) continue;
      const use = (needed ??= firstUses(analysis.expansions.filter((e) => e.needed))).get(name);
      diagnostics.push(
        inCode(step, locate, use && withDollar(step.code, use.start), use?.end, {
          severity: 'warning',
          code: 'reserved-variable',
          message: `$${name} cannot be given as an input or asked for, because ${reason}. It is empty when this step runs unless the environment sets it (or the step sets it itself).`,
          subject: name,
        }),
      );
    }
    for (const name of analysis.exported) exportedEarlier.add(name);
  }
  return diagnostics;
}

function inputDefinitions(runbook: Runbook): RunbookDiagnostic[] {
  const diagnostics: RunbookDiagnostic[] = [];
  for (const input of runbook.inputs) {
    const at = { line: input.line, endLine: input.line, subject: input.name };
    if (stepsUsingInput(runbook.steps, input.name).length === 0) {
      diagnostics.push({ severity: 'warning', code: 'unused-input', message: `Input ${input.name} is declared but no step uses it.`, ...at });
    }
    if (input.required && !input.description) {
      diagnostics.push({
        severity: 'warning',
        code: 'input-without-description',
        message: `Input ${input.name} is required but has no description: whoever runs this runbook is asked for it by its name alone.`,
        ...at,
      });
    }
  }
  return diagnostics;
}

function confirmWithoutEnvironment(runbook: Runbook): RunbookDiagnostic[] {
  if (runbook.meta.environment) return [];
  return runbook.steps
    .filter((step) => step.attributes.confirm)
    .map((step) => ({
      severity: 'warning' as const,
      code: 'confirm-without-environment' as const,
      message: `"${step.title}" asks for confirmation, but the runbook does not say which environment it acts on. Add environment: (production, staging …) to the front matter so whoever confirms knows where it runs.`,
      line: step.startLine,
      endLine: step.startLine,
      subject: 'confirm',
    }));
}
