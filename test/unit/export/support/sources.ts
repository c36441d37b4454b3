// The runbooks the export tests cover (every example, and every fixture that parses as a runbook
// with steps; the real GitLab engine runs a subset of them), each laid out as in a repository: the runbook under runbooks/, its script generated
// by Extract Steps to Script's generator under scripts/, and the export's source built from them.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { checkInputValue, parseRunbook, type Runbook } from '../../../../src/core/runbook';
import { generateScript } from '../../../../src/core/scaffold';
import type { ExportPlan, ExportSource } from '../../../../src/core/export';
import { PROJECT } from './gitlabLocal';

export const GENERATED_AT = new Date('2025-01-02T03:04:05.000Z');

function markdownFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((file) => /\.(md|markdown)$/i.test(file)).map((file) => join(dir, file)).sort();
}

/** Every example and every fixture Markdown file that parses as a runbook with at least one step. */
export function allRunbookFiles(): string[] {
  return [...markdownFiles(join(PROJECT, 'examples')), ...markdownFiles(join(PROJECT, 'test/fixtures'))].filter((file) => {
    const runbook = parseRunbook(readFileSync(file, 'utf8'), { path: file });
    return runbook.steps.length > 0;
  });
}

/**
 * The runbooks the GitLab tests run on the real engine: the examples and the export and workspace
 * fixtures. The CLI's fixtures (test/fixtures/cli/) are its own timing and timeout cases (one
 * sleeps 30 s) and the accessibility and insights fixtures serve the preview and insights tests:
 * their exports are still checked statically, and GitHub's parser reads them all.
 */
export function engineRunbookFiles(): string[] {
  return allRunbookFiles().filter((file) => /^(examples|test\/fixtures\/(export|workspace))\//.test(label(file)));
}

/** A short, unique name for a test title: `examples/log-triage.runbook.md`. */
export function label(file: string): string {
  return relative(PROJECT, file);
}

export interface Prepared {
  runbook: Runbook;
  source: ExportSource;
  /** The repository's files: the runbook and its script (add the exported file yourself). */
  files: Record<string, string>;
}

/** The runbook `text` as `runbooks/<name>` in a repository, with its script as `scripts/<stem>.ts` (all its steps). */
export function prepareText(name: string, text: string, options: { itemIds?: (runbook: Runbook) => string[] } = {}): Prepared {
  const runbookPath = `runbooks/${name}`;
  const scriptPath = `scripts/${name.replace(/\.(runbook\.)?(md|markdown)$/i, '')}.ts`;
  const runbook = parseRunbook(text, { path: runbookPath });
  const scriptText = generateScript(runbook, {
    itemIds: options.itemIds?.(runbook) ?? runbook.items.map((item) => item.id),
    runbookPath,
    scriptPath,
    runbookDirFromScript: '../runbooks',
    generatedAt: GENERATED_AT,
    runbookText: text,
  });
  return { runbook, source: { runbook, runbookText: text, runbookPath, scriptPath, scriptText }, files: { [runbookPath]: text, [scriptPath]: scriptText } };
}

export function prepareFile(file: string): Prepared {
  return prepareText(basename(file), readFileSync(file, 'utf8'));
}

export const SECRET_VALUE = 's3cret-value-42';

/**
 * Values for a run: nothing for inputs with a default (the default is used), else the first
 * choice, the minimum, `true`, or a short word that passes the input's rules; the secret value for
 * secrets; `web-1` for implicit inputs. Keyed by input name.
 */
export function sampleValues(plan: ExportPlan): { inputs: Record<string, string>; secrets: Record<string, string> } {
  const inputs: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const input of plan.inputs) {
    const spec = input.spec;
    if (spec?.secret) secrets[input.name] = SECRET_VALUE;
    else if (!spec) inputs[input.name] = 'web-1';
    else if (spec.default === undefined) {
      const candidates = spec.choices ?? (spec.type === 'number' ? [String(spec.min ?? spec.max ?? 1)] : spec.type === 'boolean' ? ['true'] : ['value', 'web-1', 'a', '1']);
      const value = candidates.find((candidate) => checkInputValue(spec, candidate) === undefined);
      if (value !== undefined) inputs[input.name] = value;
    }
  }
  return { inputs, secrets };
}
