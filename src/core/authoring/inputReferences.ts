// Where step code refers to a declared input, for semantic highlighting: what a TextMate grammar
// cannot know is which `$NAME`s are the runbook's inputs. Shell steps are read with the same
// analysis the engine uses (so single quotes, comments and quoted here-documents are left out, and
// `<pod-name>` is the input POD_NAME); Python, Node and PowerShell steps by their environment
// accessors.

import { shellAnalysisOf, type Runbook, type Step } from '../runbook';
import { codeLocator, sourceLocator } from './locate';

export interface InputReference {
  name: string;
  line: number;
  column: number;
  length: number;
}

const ACCESSORS: Record<Exclude<Step['family'], 'shell'>, RegExp> = {
  python: /\bos\.(?:environ\s*\[\s*|environ\.get\(\s*|getenv\(\s*)(["'])([A-Za-z_][A-Za-z0-9_]*)\1/g,
  node: /\bprocess\.env(?:\.([A-Za-z_$][\w$]*)|\[\s*(["'`])([A-Za-z_][A-Za-z0-9_]*)\2)/g,
  powershell: /\$env:([A-Za-z_][A-Za-z0-9_]*)/gi,
};

export function declaredInputReferences(runbook: Runbook, lines: readonly string[]): InputReference[] {
  const declared = new Set(runbook.inputs.map((input) => input.name));
  if (declared.size === 0) return [];
  const found: InputReference[] = [];
  for (const step of runbook.steps) {
    if (step.family === 'shell') {
      const analysis = shellAnalysisOf(step);
      const locate = codeLocator(step, lines);
      const add = (name: string, start: number, end: number) => {
        const at = declared.has(name) ? locate(start) : undefined;
        if (at) found.push({ name, line: at.line, column: at.column, length: end - start });
      };
      for (const expansion of analysis.expansions) add(expansion.name, expansion.start, expansion.end);
      for (const placeholder of analysis.placeholders) add(placeholder.variable, placeholder.start, placeholder.end);
    } else {
      const accessor = ACCESSORS[step.family];
      const locate = sourceLocator(step, lines);
      (step.source === '' ? [] : step.source.split('\n')).forEach((text, line) => {
        for (const match of text.matchAll(accessor)) {
          const name = match[match.length - 1] ?? match[1];
          const at = declared.has(name) ? locate(line, match.index + match[0].lastIndexOf(name)) : undefined;
          if (at) found.push({ name, line: at.line, column: at.column, length: name.length });
        }
      });
    }
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}
