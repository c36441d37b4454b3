// GitHub's own workflow parser, `@actions/workflow-parser`, for the export tests. Importing it in
// plain Node 20 fails (its JSON import has no import assertion), so it is bundled once with esbuild
// into out/ (git-ignored) and loaded from there. Errors are the ones GitHub would show for the file.

import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const PROJECT = resolve(__dirname, '../../../..');
const BUNDLE_DIR = join(PROJECT, 'out', 'export-test');

interface WorkflowParser {
  parseWorkflow(file: { name: string; content: string }, trace: unknown): { context: ParseContext; value: unknown };
  convertWorkflowTemplate(context: ParseContext, root: unknown): Promise<unknown>;
  NoOperationTraceWriter: new () => unknown;
}

interface ParseContext {
  errors: { getErrors(): Array<{ message: string }> };
}

let loaded: Promise<WorkflowParser> | undefined;

async function bundle(): Promise<WorkflowParser> {
  const version = (JSON.parse(readFileSync(join(PROJECT, 'node_modules/@actions/workflow-parser/package.json'), 'utf8')) as { version: string }).version;
  const file = join(BUNDLE_DIR, `workflow-parser-${version}.cjs`);
  if (!existsSync(file)) {
    mkdirSync(BUNDLE_DIR, { recursive: true });
    const staging = `${file}.${process.pid}.tmp`;
    await build({
      stdin: {
        contents: "export { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } from '@actions/workflow-parser';",
        resolveDir: PROJECT,
        sourcefile: 'workflow-parser-entry.mjs',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: staging,
      logLevel: 'warning',
    });
    renameSync(staging, file); // whole or not at all, even with two test runs at once
  }
  return createRequire(__filename)(file) as WorkflowParser;
}

/** GitHub's errors for a workflow file's text (parse, then conversion to a workflow template); empty when it is valid. */
export async function githubWorkflowErrors(text: string, name = 'workflow.yml'): Promise<string[]> {
  loaded ??= bundle();
  const parser = await loaded;
  const parsed = parser.parseWorkflow({ name, content: text }, new parser.NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (errors.length > 0 || parsed.value === undefined) return errors.length > 0 ? errors : ['the parser returned no workflow'];
  await parser.convertWorkflowTemplate(parsed.context, parsed.value);
  return parsed.context.errors.getErrors().map((error) => error.message);
}
