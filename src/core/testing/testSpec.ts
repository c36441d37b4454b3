// A runbook's `test:` block: how `runbook test` runs it on a laptop or in CI without touching real
// systems. `inputs` gives the values to use; `path` names a folder of stand-in commands (a fake
// `kubectl`, say), relative to the runbook, that goes first on PATH.
//
//   test:
//     inputs: { NAMESPACE: test }
//     path: test/bin

import type { Runbook, RunbookDiagnostic } from '../runbook';

export interface TestSpec {
  inputs: Record<string, string>;
  /** Relative to the runbook's folder. */
  path?: string;
}

export const TEST_KEYS = ['inputs', 'path'];

/** The line of the front matter's top-level `test:` key (the front matter's first line if not found). */
export function testKeyLine(runbook: Runbook, lines: readonly string[]): number {
  const range = runbook.frontMatterRange;
  if (!range) return 0;
  for (let line = range.startLine; line < Math.min(range.endLine, lines.length); line++) if (/^test\s*:/.test(lines[line])) return line;
  return range.startLine;
}

/** The runbook's test spec, or undefined when it has no `test:` block; problems name what is wrong. */
export function readTestSpec(runbook: Runbook, keyLine = 0): { spec?: TestSpec; problems: RunbookDiagnostic[] } {
  const value = runbook.frontMatter?.test;
  if (value === undefined || value === null) return { problems: [] };
  const problem = (message: string): RunbookDiagnostic => ({ severity: 'error', code: 'front-matter-value', message: `test: ${message}`, line: keyLine, endLine: keyLine, subject: 'test' });
  if (value === true) return { spec: { inputs: {} }, problems: [] };
  if (typeof value !== 'object' || Array.isArray(value)) return { problems: [problem('write a mapping such as { inputs: { NAMESPACE: test }, path: test/bin }, or true.')] };
  const record = value as Record<string, unknown>;
  const problems: RunbookDiagnostic[] = [];
  for (const key of Object.keys(record)) if (!TEST_KEYS.includes(key)) problems.push({ ...problem(`unknown key "${key}" (known: ${TEST_KEYS.join(', ')}).`), severity: 'warning' });
  const inputs: Record<string, string> = {};
  if (record.inputs !== undefined) {
    if (typeof record.inputs !== 'object' || record.inputs === null || Array.isArray(record.inputs)) problems.push(problem('inputs must be a mapping of input names to values.'));
    else {
      for (const [name, given] of Object.entries(record.inputs)) {
        if (typeof given === 'string' || typeof given === 'number' || typeof given === 'boolean') inputs[name] = String(given);
        else problems.push(problem(`inputs.${name} must be a single value.`));
      }
    }
  }
  let path: string | undefined;
  if (record.path !== undefined) {
    if (typeof record.path !== 'string' || record.path.trim() === '') problems.push(problem('path must be a folder relative to the runbook.'));
    else if (record.path.startsWith('/') || record.path.split(/[\\/]/).includes('..')) problems.push(problem('path must stay inside the runbook\'s folder.'));
    else path = record.path;
  }
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { spec: { inputs, path }, problems };
}
