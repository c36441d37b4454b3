// The values a step runs with: what the front end knows (declared inputs, implicit values given
// earlier), plus values asked for the implicit inputs nothing provides, and the checks every value
// must pass before anything starts.

import { implicitInputsByStep, stepValueProblems, type Runbook, type Step } from '../runbook';
import { stepImplicitInputs } from '../run/stepRunner';
import type { ShellSession } from '../run/shellSession';
import type { KnownValues, RunFrontEnd } from './frontEnd';
import type { RunOutcome, ValueProblem } from './outcome';

export type Environment = Record<string, string | undefined>;

/** What is wrong with the values `step` would get (the core's one check), each naming the step. */
export function stepProblems(runbook: Runbook, step: Step, values: Record<string, string>): ValueProblem[] {
  return stepValueProblems(runbook, step, values).map((problem) => ({ ...problem, stepId: step.id }));
}

/** Problems of every planned step, each input named once, in step order. */
export function planProblems(runbook: Runbook, steps: Step[], values: Record<string, string>): ValueProblem[] {
  const seen = new Set<string>();
  const problems: ValueProblem[] = [];
  for (const step of steps) {
    for (const problem of stepProblems(runbook, step, values)) {
      if (seen.has(problem.name)) continue;
      seen.add(problem.name);
      problems.push(problem);
    }
  }
  return problems;
}

type Missing = NonNullable<RunOutcome['missing']>;

/**
 * Asks for the implicit inputs of `steps` that nothing provides, all at once and in step order (a
 * variable an earlier step exports is not asked for). Returns the values given and those missing.
 */
export async function askImplicit(
  runbook: Runbook,
  steps: Step[],
  known: KnownValues,
  frontEnd: RunFrontEnd,
  env: Environment,
  session: ShellSession,
  dynamic: boolean,
): Promise<{ given: Record<string, string>; missing: Missing }> {
  const declared = runbook.inputs.map((input) => input.name);
  const available = (name: string) => env[name] !== undefined || session.has(name) || known.values[name] !== undefined;
  // One step at run time sees the session as it is now; a plan sees what earlier steps will export.
  const needs = dynamic
    ? steps.map((step) => ({ step, inputs: stepImplicitInputs(runbook, step, env, session) }))
    : implicitInputsByStep(steps, declared, available);
  const requests = [];
  const seen = new Set<string>();
  for (const { step, inputs } of needs) {
    for (const input of inputs) {
      if (seen.has(input.name) || known.values[input.name] !== undefined) continue;
      seen.add(input.name);
      requests.push({ runbook, step, input });
    }
  }
  if (requests.length === 0) return { given: {}, missing: [] };
  const answered = await frontEnd.askValues(requests);
  const given: Record<string, string> = {};
  const missing: Missing = [];
  for (const request of requests) {
    const value = answered[request.input.name];
    if (value === undefined) missing.push({ ...request.input, stepId: request.step.id });
    else {
      given[request.input.name] = value;
      frontEnd.rememberValue?.(request.input.name, value);
    }
  }
  return { given, missing };
}

/** Each declared input's value, else its default; inputs with neither are left out. */
export function inputValues(runbook: Runbook, values: Record<string, string> | ReadonlyMap<string, string>): Record<string, string> {
  const get = (name: string) => (values instanceof Map ? values.get(name) : (values as Record<string, string>)[name]);
  const inputs: Record<string, string> = {};
  for (const spec of runbook.inputs) {
    const value = get(spec.name) ?? spec.default;
    if (value !== undefined) inputs[spec.name] = value;
  }
  return inputs;
}
