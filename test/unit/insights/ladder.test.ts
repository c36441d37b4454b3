// Ladder stage and coverage, read from real runbook files and workflow files in a temporary
// repository: the note Extract Steps to Script adds (written here by runbookNote itself), the
// script it names, and the exported workflow files.

import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { githubWorkflowPath, gitlabWorkflowPath, workflowSlug } from '../../../src/core/export/names';
import { automationNotes, readLadder, readRunbookFacts } from '../../../src/core/insights';
import { parseRunbook } from '../../../src/core/runbook';
import { runbookNote } from '../../../src/core/scaffold';
import { copyFixtureRepo, makeTempDir, removeDir, writeFile } from './helpers';

const OPS = [
  '# Database failover',
  '',
  '## Prepare',
  '',
  '- [ ] Page the database on-call',
  '',
  'Take a snapshot.',
  '',
  '```bash',
  'pg_basebackup -D /backups/now',
  '```',
  '',
  'Check replication lag.',
  '',
  '```bash',
  'psql -c "select now() - pg_last_xact_replay_timestamp()"',
  '```',
  '',
  'Promote the replica.',
  '',
  '```bash',
  'pg_ctl promote',
  '```',
  '',
  '## Verify',
  '',
  'Point the app at the new primary.',
  '',
  '```bash',
  'kubectl set env deploy/app DB_HOST=replica',
  '```',
  '',
  'Run the smoke test.',
  '',
  '```bash',
  'npm run smoke',
  '```',
  '',
  '- [ ] Tell the channel',
  '',
].join('\n');

describe('insights: ladder stage and coverage', () => {
  let dir: string;
  let root: string;
  beforeEach(() => {
    dir = makeTempDir();
    root = copyFixtureRepo(dir);
  });
  afterEach(() => removeDir(dir));

  /** Writes the runbook with a note from runbookNote for the items titled `titles`, inserted after `afterLine`. */
  function withNote(path: string, text: string, titles: string[], script: string, afterLine: string): string {
    const runbook = parseRunbook(text, { path });
    const itemIds = runbook.items.filter((item) => titles.includes(item.title)).map((item) => item.id);
    assert.equal(itemIds.length, titles.length, `titles not in the runbook: ${titles.join(', ')}`);
    const note = runbookNote(runbook, { scriptPath: script, itemIds });
    const withIt = text.replace(`${afterLine}\n`, `${afterLine}\n\n${note.trimEnd()}\n`);
    writeFile(join(root, path), withIt);
    return withIt;
  }

  it('places the fixture runbooks: runbook, tool 2/4, service', async () => {
    const { runbooks, problems } = await readRunbookFacts(root, ['runbooks/restart-api.runbook.md', 'runbooks/rotate-certs.md', 'runbooks/clear-queue.md', 'runbooks/restart.md', 'runbooks/gone.md']);
    assert.deepEqual(problems, [{ file: 'runbooks/gone.md', message: 'no such runbook' }]);
    assert.deepEqual(
      runbooks.map((r) => [r.path, r.title, r.ladder.stage, r.ladder.badge, r.ladder.summary]),
      [
        ['runbooks/restart-api.runbook.md', 'Restart the payments API', 'runbook', 'runbook', '0 of 5 steps automated · no workflow'],
        ['runbooks/rotate-certs.md', 'Rotate the ingress certificates', 'tool', 'tool 2/4', '2 of 4 steps automated · no workflow'],
        ['runbooks/clear-queue.md', 'Clear the dead letter queue', 'service', 'service', '0 of 1 step automated · workflow .github/workflows/runbook-clear-queue.yml'],
        ['runbooks/restart.md', 'Restart', 'runbook', 'runbook', '0 of 1 step automated · no workflow'],
      ],
    );
    const certs = runbooks[1].ladder;
    assert.deepEqual(certs.automatedStepTitles, ['Fetch the new certificate', 'Install the certificate']);
    assert.deepEqual(certs.scripts, ['scripts/rotate-certs.ts']);
  });

  it('the fixture note says what Extract Steps to Script writes, and a quoted note in a code block does not count', () => {
    const text = readFileSync(join(root, 'runbooks/rotate-certs.md'), 'utf8');
    const runbook = parseRunbook(text, { path: 'runbooks/rotate-certs.md' });
    const ids = runbook.items.filter((item) => item.title.endsWith('certificate')).map((item) => item.id);
    // The first sentence is what insights read (the lines after it say how to run the script).
    const sentence = runbookNote(runbook, { scriptPath: 'scripts/rotate-certs.ts', itemIds: ids }).split('\n')[0];
    assert.ok(text.split('\n').includes(sentence), sentence);
    // The second "note" sits in a ```markdown block: documentation, not a tool note.
    assert.equal(automationNotes(text).length, 1);
  });

  it('counts the steps a note written by runbookNote names: 3 of 7, code and manual steps alike', async () => {
    withNote('runbooks/failover.md', OPS, ['Check replication lag', 'Promote the replica', 'Page the database on-call'], 'scripts/failover.ts', '## Prepare');
    writeFile(join(root, 'scripts/failover.ts'), 'export {};\n');
    const ladder = await readLadder(root, 'runbooks/failover.md');
    assert.equal(ladder.stage, 'tool');
    assert.equal(ladder.badge, 'tool 3/7');
    assert.equal(ladder.summary, '3 of 7 steps automated · no workflow');
    assert.deepEqual(ladder.automatedStepTitles, ['Page the database on-call', 'Check replication lag', 'Promote the replica']);
  });

  it('two extractions add up; a step renamed since is reported, not counted', async () => {
    const first = withNote('runbooks/failover.md', OPS, ['Check replication lag'], 'scripts/lag.ts', '## Prepare');
    withNote('runbooks/failover.md', first, ['Run the smoke test', 'Tell the channel'], 'scripts/verify.ts', '## Verify');
    const text = readFileSync(join(root, 'runbooks/failover.md'), 'utf8').replace('Run the smoke test.', 'Run the end-to-end test.');
    writeFile(join(root, 'runbooks/failover.md'), text);
    writeFile(join(root, 'scripts/lag.ts'), '');
    writeFile(join(root, 'scripts/verify.ts'), '');
    const ladder = await readLadder(root, 'runbooks/failover.md');
    assert.deepEqual(ladder.scripts, ['scripts/lag.ts', 'scripts/verify.ts']);
    assert.deepEqual(ladder.automatedStepTitles, ['Check replication lag', 'Tell the channel']);
    assert.deepEqual(ladder.unknownNoteSteps, ['Run the smoke test']);
    assert.equal(ladder.badge, 'tool 2/7');
  });

  it('a note whose script is not in the repository (or lies outside it) is not counted', async () => {
    withNote('runbooks/failover.md', OPS, ['Promote the replica'], '../elsewhere/failover.ts', '## Prepare');
    writeFile(join(dir, 'elsewhere/failover.ts'), '');
    let ladder = await readLadder(root, 'runbooks/failover.md');
    assert.equal(ladder.stage, 'runbook');
    assert.deepEqual(ladder.missingScripts, ['../elsewhere/failover.ts']);
    rmSync(join(root, 'scripts/rotate-certs.ts'));
    ladder = await readLadder(root, 'runbooks/rotate-certs.md');
    assert.equal(ladder.stage, 'runbook');
    assert.equal(ladder.automatedSteps, 0);
    assert.deepEqual(ladder.missingScripts, ['scripts/rotate-certs.ts']);
  });

  it('finds a note an editor re-wrapped (and one in a list item\'s block quote) by its structure', async () => {
    const runbook = parseRunbook(OPS, { path: 'x.md' });
    const ids = runbook.items.filter((item) => item.title === 'Promote the replica' || item.title === 'Run the smoke test').map((item) => item.id);
    const note = runbookNote(runbook, { scriptPath: 'scripts/failover.ts', itemIds: ids });
    const wrapped = note
      .split('\n')[0]
      .replace('> ', '')
      .split(' ')
      .reduce<string[]>((lines, word) => {
        const last = lines[lines.length - 1];
        if (last !== undefined && `${last} ${word}`.length < 40) lines[lines.length - 1] = `${last} ${word}`;
        else lines.push(word);
        return lines;
      }, [])
      .map((line) => `> ${line}`)
      .join('\n');
    assert.ok(wrapped.split('\n').length > 3);
    writeFile(join(root, 'runbooks/failover.md'), OPS.replace('## Verify\n', `## Verify\n\n- Notes:\n\n  ${wrapped.replace(/\n/g, '\n  ')}\n`));
    writeFile(join(root, 'scripts/failover.ts'), '');
    const ladder = await readLadder(root, 'runbooks/failover.md');
    assert.deepEqual(ladder.automatedStepTitles, ['Promote the replica', 'Run the smoke test']);
  });

  it('is a service when the GitHub or the GitLab workflow of the runbook\'s slug exists', async () => {
    writeFile(join(root, 'ops/failover.runbook.md'), OPS);
    assert.equal((await readLadder(root, 'ops/failover.runbook.md')).stage, 'runbook');
    const slug = workflowSlug('ops/failover.runbook.md');
    assert.equal(slug, 'failover');
    writeFile(join(root, gitlabWorkflowPath(slug)), 'spec: {}\n');
    let ladder = await readLadder(root, 'ops/failover.runbook.md');
    assert.equal(ladder.stage, 'service');
    assert.deepEqual(ladder.workflows, ['.gitlab/runbooks/failover.yml']);
    writeFile(join(root, githubWorkflowPath(slug)), 'on: workflow_dispatch\n');
    ladder = await readLadder(root, 'ops/failover.runbook.md');
    assert.deepEqual(ladder.workflows, ['.github/workflows/runbook-failover.yml', '.gitlab/runbooks/failover.yml']);
    assert.equal(ladder.badge, 'service');
    assert.equal(ladder.summary, '0 of 7 steps automated · workflow .github/workflows/runbook-failover.yml, .gitlab/runbooks/failover.yml');
    // Placing many runbooks lists the workflow folders once instead: the same answer.
    const facts = await readRunbookFacts(root, ['ops/failover.runbook.md', 'runbooks/clear-queue.md', 'runbooks/restart.md']);
    assert.deepEqual(
      facts.runbooks.map((r) => r.ladder.workflows),
      [['.github/workflows/runbook-failover.yml', '.gitlab/runbooks/failover.yml'], ['.github/workflows/runbook-clear-queue.yml'], []],
    );
    // A folder with the workflow's name is not a workflow.
    rmSync(join(root, '.github'), { recursive: true });
    writeFile(join(root, githubWorkflowPath('clear-queue'), 'x'), '');
    assert.equal((await readLadder(root, 'runbooks/clear-queue.md')).stage, 'runbook');
    assert.equal((await readRunbookFacts(root, ['runbooks/clear-queue.md'])).runbooks[0].ladder.stage, 'runbook');
  });

  it('uses the text and parse it is given (the editor\'s shared parse) instead of reading the file', async () => {
    const text = withNote('runbooks/failover.md', OPS, ['Promote the replica'], 'scripts/rotate-certs.ts', '## Prepare');
    rmSync(join(root, 'runbooks/failover.md'));
    const ladder = await readLadder(root, 'runbooks/failover.md', { text, runbook: parseRunbook(text, { path: 'runbooks/failover.md' }) });
    assert.equal(ladder.badge, 'tool 1/7');
  });
});
