// The script-injection rule, checked on every export of every example and fixture runbook (and on
// runbooks made to try): no `run:` / `script:` line holds an engine expression (`${{ … }}`,
// `$[[ … ]]`), and expressions appear only where values are handed over as data: GitHub's `env:`
// (plus the run's name and the artifact path), GitLab's job `variables:` (plus the stage).

import { strict as assert } from 'node:assert';
import { parseAllDocuments } from 'yaml';
import { exportGitHubWorkflow, exportGitLabPipeline } from '../../../src/core/export';
import { allRunbookFiles, label, prepareFile, prepareText, type Prepared } from './support/sources';

/** Every string in a YAML value with its path, e.g. `jobs.run.steps.3.run`. */
function strings(value: unknown, path: string[] = []): Array<{ path: string; text: string }> {
  if (typeof value === 'string') return [{ path: path.join('.'), text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, [...path, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => strings(item, [...path, key]));
  return [];
}

const EXPRESSION = /\$\{\{|\$\[\[/;
const GITHUB_ALLOWED = [/^run-name$/, /^jobs\.run\.steps\.\d+\.env\.[A-Za-z_][A-Za-z0-9_]*$/, /^jobs\.run\.steps\.\d+\.with\.path$/];
const GITLAB_ALLOWED = [/^[^.]+\.variables\.[A-Za-z_][A-Za-z0-9_]*(\.value)?$/, /^[^.]+\.stage$/];
const SHELL_LINE = /(^|\.)(run|script|before_script|after_script)(\.\d+)?$/;

/** Runbooks written to try to smuggle an expression in through every field the export copies. */
function sneaky(): Prepared[] {
  const expression = '${{ secrets.X }} $[[ inputs.X ]]';
  return [
    prepareText(
      'sneaky.runbook.md',
      [
        '---',
        `title: "Title ${expression}"`,
        'environment: production',
        'inputs:',
        `  X: { description: "Description ${expression}", default: "${expression}", pattern: "^.*$" }`,
        `  Y: { choices: ["${expression}", b], default: b }`,
        '---',
        '',
        `# Section ${expression}`,
        '',
        `Step ${expression}.`,
        '',
        '```bash {name=sneaky-step confirm}',
        'echo "$X $Y" <pod-name>',
        '```',
        '',
        `- [ ] Manual ${expression}`,
        '',
      ].join('\n'),
    ),
  ];
}

describe('export: no input expression in a run: or script: line', function () {
  this.timeout(60_000);
  const prepared = [...allRunbookFiles().map((file) => ({ name: label(file), prepared: prepareFile(file) })), ...sneaky().map((p) => ({ name: p.source.runbookPath, prepared: p }))];

  for (const { name, prepared: { source } } of prepared) {
    it(`GitHub and GitLab exports of ${name}`, () => {
      const github = exportGitHubWorkflow(source);
      const gitlab = exportGitLabPipeline(source);
      for (const [engine, text, allowed] of [
        ['github', github.text, GITHUB_ALLOWED],
        ['gitlab', gitlab.text, GITLAB_ALLOWED],
      ] as const) {
        const docs = parseAllDocuments(text).map((doc) => doc.toJS() as unknown);
        const body = engine === 'gitlab' ? docs[1] : docs[0];
        const all = strings(body);
        const shellLines = all.filter(({ path }) => SHELL_LINE.test(path));
        assert.ok(shellLines.length > 0, `${engine}: no run/script lines found`);
        for (const { path, text: line } of shellLines) assert.doesNotMatch(line, EXPRESSION, `${engine} ${path}: ${line}`);
        for (const { path, text: value } of all.filter(({ text: t }) => EXPRESSION.test(t))) {
          assert.ok(allowed.some((pattern) => pattern.test(path)), `${engine}: an expression at ${path}: ${value}`);
        }
        // The spec header takes values, never expressions.
        if (engine === 'gitlab') for (const { path, text: value } of strings(docs[0])) assert.doesNotMatch(value, EXPRESSION, `gitlab header ${path}`);
      }
    });
  }

  it('refuses runbook values that an engine would read as expressions', () => {
    const [{ source }] = sneaky();
    for (const result of [exportGitHubWorkflow(source), exportGitLabPipeline(source)]) {
      const named = result.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.input);
      assert.deepEqual(named.sort(), ['X', 'Y'], JSON.stringify(result.problems));
    }
  });

  it('hands every GitHub value over as exactly one input or secret reference', () => {
    for (const { prepared: { source } } of prepared) {
      const workflow = parseAllDocuments(exportGitHubWorkflow(source).text)[0].toJS() as { jobs: { run: { steps: Array<{ env?: Record<string, string> }> } } };
      for (const step of workflow.jobs.run.steps) {
        for (const [name, value] of Object.entries(step.env ?? {})) {
          if (!EXPRESSION.test(value)) continue;
          assert.match(value, /^\$\{\{ (inputs|secrets)\.[A-Za-z_][\w-]* \}\}$/, `${name}: ${value}`);
        }
      }
    }
  });
});
