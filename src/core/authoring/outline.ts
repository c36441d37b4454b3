// The runbook's outline for the editor's Outline view and Go to Symbol: sections as written,
// nested by level, with the named steps inside them.

import type { Runbook } from '../runbook';

export interface OutlineNode {
  kind: 'section' | 'step';
  name: string;
  detail: string;
  /** The heading's or the fence's line. */
  line: number;
  /** The last line the node spans: to the next heading of the same or a higher level. */
  endLine: number;
  children: OutlineNode[];
}

export function runbookOutline(runbook: Runbook): OutlineNode[] {
  const lastLine = Math.max(0, runbook.lineCount - 1);
  const nodes = runbook.sections.map((section, index): OutlineNode => {
    const next = runbook.sections.slice(index + 1).find((later) => later.level <= section.level);
    return { kind: 'section', name: section.title, detail: '', line: section.line, endLine: next ? Math.max(section.line, next.line - 1) : lastLine, children: [] };
  });
  const roots: OutlineNode[] = [];
  const place = (node: OutlineNode, sectionIndex: number) => (sectionIndex >= 0 ? nodes[sectionIndex].children : roots).push(node);
  // Sections and steps in document order, so each list of children reads top to bottom.
  const entries = [
    ...runbook.sections.map((section, index) => ({ line: section.line, add: () => place(nodes[index], section.parent) })),
    ...runbook.steps
      .filter((step) => step.attributes.name)
      .map((step) => ({
        line: step.startLine,
        add: () =>
          place({ kind: 'step', name: step.attributes.name as string, detail: step.language, line: step.startLine, endLine: step.endLine, children: [] }, step.sectionIndex),
      })),
  ].sort((a, b) => a.line - b.line);
  for (const entry of entries) entry.add();
  return roots;
}
