// Diagnostics about how a runbook is written, beyond whether it parses: inputs used but not
// declared, declared but not used, required without a description, and `confirm` steps in a
// runbook that does not say which environment it acts on.

import { implicitInputsByStep, shellAnalysisOf, stepsUsingInput, type Runbook, type RunbookDiagnostic, type Step } from '../runbook';
import { escapeRegExp } from './locate';

export interface LintOptions {
  /** Whether a variable is set in the environment steps run in; such variables are not asked for. */
  available?: (name: string) => boolean;
}

export function lintRunbook(runbook: Runbook, lines: readonly string[], options: LintOptions = {}): RunbookDiagnostic[] {
  const diagnostics: RunbookDiagnostic[] = [
    ...undeclaredInputs(runbook, lines, options.available),
    ...inputDefinitions(runbook),
    ...confirmWithoutEnvironment(runbook),
  ];
  return diagnostics.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
}

/** Implicit inputs of the shell steps: variables nothing provides and `<placeholders>`. */
function undeclaredInputs(runbook: Runbook, lines: readonly string[], available?: (name: string) => boolean): RunbookDiagnostic[] {
  const diagnostics: RunbookDiagnostic[] = [];
  for (const { step, inputs } of implicitInputsByStep(runbook.steps, runbook.inputs.map((input) => input.name), available)) {
    for (const input of inputs) {
      const pattern = input.kind === 'placeholder' ? escapeRegExp(input.label) : `\\$\\{?#?${input.name}\\b`;
      const at = findInCode(step, lines, new RegExp(pattern));
      const place = at ?? { line: step.startLine, column: undefined, endColumn: undefined };
      const diagnostic: RunbookDiagnostic =
        input.kind === 'placeholder'
          ? {
              severity: 'info',
              code: 'undeclared-placeholder',
              message: `${input.label} is asked for as ${input.name} when this step runs. Declare ${input.name} in the front matter's inputs to give it a description and a check.`,
              line: place.line,
              endLine: place.line,
              subject: input.name,
            }
          : {
              severity: 'warning',
              code: 'undeclared-input',
              message: `$${input.name} is not a declared input: it is asked for when this step runs unless the environment sets it. Declare it in the front matter's inputs to give it a description and a check.`,
              line: place.line,
              endLine: place.line,
              subject: input.name,
            };
      if (at) {
        diagnostic.column = at.column;
        diagnostic.endColumn = at.endColumn;
      }
      diagnostics.push(diagnostic);
    }
  }
  return diagnostics;
}

/** The first match of `pattern` in the step's code lines, with its columns. */
function findInCode(step: Step, lines: readonly string[], pattern: RegExp): { line: number; column: number; endColumn: number } | undefined {
  for (let line = step.codeStartLine; line <= step.endLine && line < lines.length; line++) {
    const found = pattern.exec(lines[line]);
    if (found) return { line, column: found.index, endColumn: found.index + found[0].length };
  }
  return undefined;
}

function inputDefinitions(runbook: Runbook): RunbookDiagnostic[] {
  const diagnostics: RunbookDiagnostic[] = [];
  const placeholderVariables = new Set<string>();
  for (const step of runbook.steps) {
    if (step.family === 'shell') for (const placeholder of shellAnalysisOf(step).placeholders) placeholderVariables.add(placeholder.variable);
  }
  for (const input of runbook.inputs) {
    const at = { line: input.line, endLine: input.line, subject: input.name };
    if (!placeholderVariables.has(input.name) && stepsUsingInput(runbook.steps, input.name).length === 0) {
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
