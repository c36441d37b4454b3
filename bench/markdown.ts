// Rows for the parser and the preview renderer: ours against markdown-it's own parse and render
// with the same configuration (createMarkdownIt), and the host-side refresh of a long runbook.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMarkdownIt, parseRunbook, renderRunbook } from '../src/core/runbook';
import { declaredInputReferences, lintRunbook, stepSymbols } from '../src/core/authoring';
import { markdownFilesUnder } from '../test/support/corpus';
import { editNearMiddle, generateManyStepRunbook, generateRunbook } from './lib/generate';
import { judge, type Row } from './lib/report';
import { median, pair } from './lib/stats';

const MiB = 1024 * 1024;
const RUNS = { warmup: 5, runs: 21 };

/** Every `.md` file under `dir` but its README, in a stable order, joined by blank lines. */
function concatenateMarkdown(dir: string): { text: string; files: number } {
  const files = markdownFilesUnder(dir).filter((file) => file !== join(dir, 'README.md'));
  return { text: files.map((f) => readFileSync(f, 'utf8')).join('\n\n'), files: files.length };
}

async function parseAndRenderRows(label: string, id: string, text: string): Promise<Row[]> {
  const md = createMarkdownIt();
  const parse = await pair(() => parseRunbook(text), () => md.parse(text, {}), RUNS);
  const runbook = parseRunbook(text);
  const render = await pair(() => renderRunbook(text, runbook), () => md.render(text), RUNS);
  return [
    judge({
      id: `parse-${id}`,
      what: `parse ${label}`,
      unit: 'ms',
      ours: median(parse.ours),
      baseline: median(parse.baseline),
      baselineLabel: 'md.parse',
      kind: 'ratio',
      budget: 1.1,
      note:
        id === 'generated'
          ? "parseRunbook → the model (markdown-it's block pass, inline parsing only for headings, step intros and task items) against md.parse (block and inline passes over everything)"
          : undefined,
      samples: parse,
    }),
    judge({
      id: `render-${id}`,
      what: `render ${label}`,
      unit: 'ms',
      ours: median(render.ours),
      baseline: median(render.baseline),
      baselineLabel: 'md.render',
      kind: 'ratio',
      budget: 1.25,
      note: id === 'generated' ? 'renderRunbook of an already parsed runbook (the ratio excludes parseRunbook); both sides include markdown-it tokenizing' : undefined,
      samples: render,
    }),
  ];
}

export async function generatedRows(): Promise<Row[]> {
  const text = generateRunbook(MiB);
  const runbook = parseRunbook(text);
  const label = `1 MiB runbook (${runbook.steps.length} steps)`;
  return parseAndRenderRows(label, 'generated', text);
}

export async function corpusRows(root: string): Promise<Row[]> {
  const dir = join(root, '../shared/corpus');
  let corpus: { text: string; files: number } | undefined;
  try {
    corpus = concatenateMarkdown(dir);
  } catch {
    corpus = undefined;
  }
  if (!corpus || corpus.files === 0) {
    const skipped = (kind: 'parse' | 'render', budget: number): Row =>
      judge({
        id: `${kind}-corpus`,
        what: `${kind} ../shared/corpus`,
        unit: 'ms',
        baselineLabel: kind === 'parse' ? 'md.parse' : 'md.render',
        kind: 'ratio',
        budget,
        note: `skipped: no Markdown files at ${dir}`,
      });
    return [skipped('parse', 1.1), skipped('render', 1.25)];
  }
  const size = (Buffer.byteLength(corpus.text) / MiB).toFixed(1);
  return parseAndRenderRows(`corpus (${corpus.files} files, ${size} MiB)`, 'corpus', corpus.text);
}

/**
 * What the host does when a long runbook is edited: parse the new text once (the shared model,
 * cached per version) and render the preview from it. The Steps outline and CodeLens are built
 * from the same model by code that needs `vscode`, so they are not part of this figure.
 */
export async function refreshRow(): Promise<Row> {
  const original = generateManyStepRunbook(2000);
  const steps = parseRunbook(original).steps.length;
  // A different text on every run, as successive edits are.
  const edits = Array.from({ length: RUNS.warmup + RUNS.runs + 1 }, (_, i) => editNearMiddle(original, ` ${'x'.repeat(i + 1)}`));
  let ours = 0;
  let theirs = 0;
  const md = createMarkdownIt();
  const result = await pair(
    () => {
      const text = edits[ours++ % edits.length];
      const runbook = parseRunbook(text);
      // The editor's own work on the new version: Problems, semantic tokens and symbols.
      const lines = text.split('\n');
      const editor = [lintRunbook(runbook, lines), declaredInputReferences(runbook, lines), stepSymbols(runbook)];
      return [renderRunbook(text, runbook), editor];
    },
    () => md.render(edits[theirs++ % edits.length]),
    RUNS,
  );
  return judge({
    id: 'refresh-2000',
    what: `refresh after an edit (${steps} steps)`,
    unit: 'ms',
    ours: median(result.ours),
    baseline: median(result.baseline),
    baselineLabel: 'md.render',
    kind: 'max',
    budget: 50,
    note: 'parseRunbook + renderRunbook + the editor\'s lint, input references and step symbols of the edited text (the host-side work; the Steps outline and CodeLens need vscode and are not included); md.render is shown for context',
    samples: result,
  });
}
