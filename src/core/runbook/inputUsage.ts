// Which inputs steps use, declared or implicit. One answer for the engine (what a step needs
// before it starts), the script generator (which steps an option matters to) and the editor's
// diagnostics (declared but unused, used but undeclared), so the three never disagree.

import { analyzeShell, implicitInputs, type ImplicitInput, type ShellAnalysis } from './shellAnalysis';
import type { InputSpec, Step } from './types';

// A model is never changed once parsed, so each step's analysis is worked out once, however many
// editor features (Problems, semantic tokens, hovers) ask for it.
const analyses = new WeakMap<Step, ShellAnalysis>();

/** `analyzeShell` of a shell step's code, computed once per parsed step. */
export function shellAnalysisOf(step: Step): ShellAnalysis {
  let analysis = analyses.get(step);
  if (!analysis) {
    analysis = analyzeShell(step.code);
    analyses.set(step, analysis);
  }
  return analysis;
}

/**
 * Whether `step` uses the input: its code mentions it by name (`$NAME`, `os.environ["NAME"]`,
 * `process.env.NAME`, also inside quotes, where a child shell may read it), or a shell step has a
 * placeholder the input fills (`<pod-name>` for POD_NAME).
 */
export function stepUsesInput(step: Step, name: string): boolean {
  return usesInput(step, name, new RegExp(`\\b${name}\\b`));
}

/** The steps of `steps` that use input `name`, with one regular expression for them all. */
export function stepsUsingInput(steps: Step[], name: string): Step[] {
  const mention = new RegExp(`\\b${name}\\b`);
  return steps.filter((step) => usesInput(step, name, mention));
}

function usesInput(step: Step, name: string, mention: RegExp): boolean {
  return mention.test(step.code) || (step.family === 'shell' && shellAnalysisOf(step).placeholders.some((placeholder) => placeholder.variable === name));
}

/** The declared inputs `step` mentions. */
export function inputsUsedBy(inputs: InputSpec[], step: Step): InputSpec[] {
  return inputs.filter((input) => stepUsesInput(step, input.name));
}

export interface StepImplicitInputs {
  step: Step;
  inputs: ImplicitInput[];
}

/**
 * The implicit inputs of each shell step of `steps`, in order, as a run of those steps one after
 * another would meet them: a variable an earlier step exports is not asked for again.
 */
export function implicitInputsByStep(
  steps: Step[],
  declared: Iterable<string>,
  available: (name: string) => boolean = () => false,
): StepImplicitInputs[] {
  const names = [...declared];
  const exportedEarlier = new Set<string>();
  const result: StepImplicitInputs[] = [];
  for (const step of steps) {
    if (step.family !== 'shell') continue;
    const analysis = shellAnalysisOf(step);
    result.push({ step, inputs: implicitInputs(analysis, { declared: names, available, exportedEarlier }) });
    for (const name of analysis.exported) exportedEarlier.add(name);
  }
  return result;
}
