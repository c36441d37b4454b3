// The one check of every value a step would get, before it starts: the declared inputs it uses
// (their type and constraints), any value whose name no input may set, values the step evaluates
// as arithmetic (whole numbers only), and what any value must be to travel in the environment.
// The run orchestration calls it for each step it is about to start; every front end shows its
// messages as they are. A secret's value never appears in a message.

import { MASK } from '../run/secretMasker';
import { arithmeticValueProblem } from './arithmeticValue';
import { inputsUsedBy, shellAnalysisOf } from './inputUsage';
import { checkInputValue, environmentValueProblem } from './inputValue';
import { reservedVariableReason } from './reservedNames';
import type { Runbook, Step } from './types';

export interface StepValueProblem {
  /** The variable the value is for. */
  name: string;
  /** A sentence naming the variable and what is wrong. */
  message: string;
}

/**
 * What is wrong with the values `step` would run with; empty when it may start. `values` are those
 * the run has by variable name (declared inputs, placeholders, asked-for variables); a declared
 * input without one gets its default, as the step would. One problem per name, the first found.
 */
export function stepValueProblems(runbook: Runbook, step: Step, values: Record<string, string>): StepValueProblem[] {
  const problems: StepValueProblem[] = [];
  const named = new Set<string>();
  const add = (name: string, message: string) => {
    if (named.has(name)) return;
    named.add(name);
    problems.push({ name, message });
  };
  const declared = new Map(runbook.inputs.map((spec) => [spec.name, spec]));
  const valueOf = (name: string): string | undefined => (Object.hasOwn(values, name) ? values[name] : declared.get(name)?.default);
  const shown = (name: string, message: string, value: string | undefined) =>
    declared.get(name)?.secret && value ? message.replaceAll(value, MASK) : message;

  // Declared inputs the step uses: their own rules, with the default when no value is given.
  for (const spec of inputsUsedBy(runbook.inputs, step)) {
    const value = valueOf(spec.name);
    const problem = checkInputValue(spec, value);
    if (problem) add(spec.name, `Input ${spec.name}: ${shown(spec.name, problem, value)}`);
  }
  // Every value reaches the step's environment (all declared inputs with a value do): none may
  // set a variable that steers a program, and each must fit in an environment variable.
  const reaching = new Set([...Object.keys(values), ...runbook.inputs.filter((spec) => valueOf(spec.name) !== undefined).map((spec) => spec.name)]);
  for (const name of reaching) {
    const reason = reservedVariableReason(name);
    if (reason) add(name, `${name} cannot be set by a runbook value because ${reason}.`);
  }
  for (const name of reaching) {
    const value = valueOf(name);
    const problem = value === undefined ? undefined : environmentValueProblem(value);
    if (problem) add(name, `${declared.has(name) ? 'Input ' : 'The value for '}${name}: ${shown(name, problem, value)}`);
  }
  // Values the step evaluates as arithmetic.
  if (step.family === 'shell') {
    for (const { name } of shellAnalysisOf(step).arithmetic) {
      const value = valueOf(name);
      const problem = value === undefined ? undefined : arithmeticValueProblem(value);
      if (!problem) continue;
      const got = declared.get(name)?.secret ? '' : ` It is "${value!.length > 40 ? `${value!.slice(0, 40)}…` : value}".`;
      add(name, `${declared.has(name) ? 'Input ' : 'The value for '}${name}: ${problem}${got}`);
    }
  }
  return problems;
}
