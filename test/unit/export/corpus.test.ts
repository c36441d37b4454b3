// The real runbooks of ../shared/corpus (skipped when absent), each with all its steps extracted:
// both exports are made without a crash, GitHub's parser accepts every workflow, every GitLab file
// is a spec header and a job document, and none is refused (their inputs all fit both engines).

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { exportGitHubWorkflow, exportGitLabPipeline } from '../../../src/core/export';
import { CORPUS, markdownFilesUnder } from '../../support/corpus';
import { githubWorkflowErrors } from './support/githubParser';
import { PROJECT } from './support/gitlabLocal';
import { prepareText } from './support/sources';


describe('export: the corpus of real runbooks', function () {
  this.timeout(300_000);

  it('exports every corpus runbook with steps both ways', async function () {
    const files = markdownFilesUnder(CORPUS).map((file) => relative(CORPUS, file));
    if (files.length === 0) this.skip();
    let exported = 0;
    const failures: string[] = [];
    for (const file of files) {
      const prepared = prepareText(file.split('/').pop()!, readFileSync(join(CORPUS, file), 'utf8'));
      if (prepared.runbook.steps.length === 0) continue;
      exported++;
      const github = exportGitHubWorkflow(prepared.source);
      const gitlab = exportGitLabPipeline(prepared.source);
      for (const problem of [...github.problems, ...gitlab.problems]) if (problem.severity === 'error') failures.push(`${file}: refused: ${problem.message}`);
      for (const error of await githubWorkflowErrors(github.text)) failures.push(`${file}: GitHub: ${error}`);
      const docs = parseAllDocuments(gitlab.text);
      if (docs.length !== 2 || docs.some((doc) => doc.errors.length > 0)) failures.push(`${file}: GitLab: not a spec header and a job`);
    }
    assert.ok(exported > 100, `only ${exported} runbooks with steps in ${relative(PROJECT, CORPUS)}`);
    assert.deepEqual(failures, []);
  });
});
