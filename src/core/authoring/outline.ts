// Named steps as symbols, for the Outline view, breadcrumbs and Go to Symbol. Markdown's own
// provider already lists the headings; these add what only runbooks have, with their section.

import type { Runbook } from '../runbook';

export interface StepSymbol {
  name: string;
  /** The headings above the step, outermost first, as `Deploy › Drain`. */
  detail: string;
  line: number;
  endLine: number;
}

export function stepSymbols(runbook: Runbook): StepSymbol[] {
  return runbook.steps
    .filter((step) => step.attributes.name)
    .map((step) => ({ name: step.attributes.name as string, detail: step.sectionPath.join(' › '), line: step.startLine, endLine: step.endLine }));
}
