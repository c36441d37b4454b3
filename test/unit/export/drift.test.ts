// The drift check, like a lockfile's: an export is up to date until its runbook or its script
// changes, it is edited by hand, or the script no longer comes from this version of the runbook;
// each reason is reported with what to run. Also: finding a runbook's extracted script for an
// export, from real files on disk, and the line for the runbook's tool note.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  checkExportDrift,
  checkRunbookExports,
  exportWorkflow,
  findExtractedScript,
  notedScriptPath,
  readExportRecord,
  replaceProblem,
  scriptRunbookDigest,
  scriptStepIds,
  workflowNoteLine,
  type ExportEngine,
  type ReadFile,
} from '../../../src/core/export';
import { runbookNote } from '../../../src/core/scaffold';
import { runbookDigest } from '../../../src/core/scaffold/generate';
import { allRunbookFiles, label, prepareFile, prepareText } from './support/sources';

const ENGINES: ExportEngine[] = ['github', 'gitlab'];
const basicFile = () => allRunbookFiles().find((file) => file.endsWith('workspace/basic.runbook.md'))!;

/** A repository on disk with `files`, and a reader of it as the front ends give one. */
function onDisk(files: Record<string, string>): { dir: string; read: ReadFile } {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-drift-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const read: ReadFile = (path) => {
    try {
      return readFileSync(join(dir, path), 'utf8');
    } catch {
      return undefined;
    }
  };
  return { dir, read };
}

describe('export: drift check', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  for (const engine of ENGINES) {
    it(`${engine}: an export is up to date with the runbook and script it was made from`, () => {
      for (const file of allRunbookFiles()) {
        const { source } = prepareFile(file);
        const exported = exportWorkflow(engine, source);
        const report = checkExportDrift(engine, exported.path, exported.text, source);
        assert.deepEqual(report.reasons, [], label(file));
        assert.equal(report.upToDate, true);
        const record = readExportRecord(exported.text);
        assert.deepEqual(record, { engine, runbookPath: source.runbookPath, runbookSha256: runbookDigest(source.runbookText), scriptPath: source.scriptPath, scriptSha256: record?.scriptSha256 });
        // The script records the same digest of the runbook, so the chain is whole.
        assert.equal(scriptRunbookDigest(source.scriptText), record?.runbookSha256);
      }
    });

    it(`${engine}: drifts when the runbook, the script or the file itself changes, saying what to run`, () => {
      const { source } = prepareFile(basicFile());
      const exported = exportWorkflow(engine, source);
      const codes = (report: ReturnType<typeof checkExportDrift>) => report.reasons.map((reason) => reason.code);

      // Prose edited: the runbook's digest changed, and the script is now from an older version.
      const edited = { ...source, runbookText: `${source.runbookText}\nA sentence added to the prose.\n` };
      const afterEdit = checkExportDrift(engine, exported.path, exported.text, { ...edited, runbook: prepareText('basic.runbook.md', edited.runbookText).runbook });
      assert.deepEqual(codes(afterEdit), ['runbook-changed', 'script-stale']);
      assert.match(afterEdit.reasons[0].message, new RegExp(`runbooks/basic\\.runbook\\.md changed since .* was exported: regenerate it with \`runbook export ${engine} runbooks/basic\\.runbook\\.md\``));
      assert.match(afterEdit.reasons[1].message, /extract it again \(`runbook extract runbooks\/basic\.runbook\.md`\)/);

      // Re-extracted and re-exported: up to date again.
      const again = prepareText('basic.runbook.md', edited.runbookText);
      const fresh = exportWorkflow(engine, again.source);
      assert.equal(checkExportDrift(engine, fresh.path, fresh.text, again.source).upToDate, true);

      // The script edited by hand.
      const script = { ...source, scriptText: `${source.scriptText}\n// a local change\n` };
      assert.deepEqual(codes(checkExportDrift(engine, exported.path, exported.text, script)), ['script-changed']);

      // The workflow edited by hand (the record still matches).
      const handEdited = exported.text.replace('npm ci', 'npm install');
      assert.deepEqual(codes(checkExportDrift(engine, exported.path, handEdited, source)), ['edited']);
      // CRLF line ends alone are not an edit.
      assert.equal(checkExportDrift(engine, exported.path, exported.text.replace(/\n/g, '\r\n'), source).upToDate, true);

      // The record removed.
      const noRecord = exported.text.replace(/^# (executable-runbooks-export|runbook|script): .*\n/gm, '');
      assert.deepEqual(codes(checkExportDrift(engine, exported.path, noRecord, source)), ['no-record']);
    });
  }

  it('says when writing an export would replace another runbook\'s export or a file of its own', () => {
    const { source } = prepareFile(basicFile());
    const result = exportWorkflow('github', source);
    assert.equal(replaceProblem(undefined, result, source.runbookPath), undefined);
    assert.equal(replaceProblem(result.text, result, source.runbookPath), undefined);
    const other = exportWorkflow('github', { ...source, runbookPath: 'ops/basic.runbook.md' });
    assert.deepEqual(replaceProblem(other.text, result, source.runbookPath), {
      severity: 'error',
      message: '.github/workflows/runbook-basic.yml is the export of another runbook, ops/basic.runbook.md: rename one of the two runbook files so that their workflows have different names',
    });
    assert.equal(replaceProblem('on: push\n', result, source.runbookPath)?.severity, 'warning');
  });

  it('checks every exported file of a runbook from the repository, finding the script through the record', async () => {
    const { source, files } = prepareFile(basicFile());
    const github = exportWorkflow('github', source);
    const gitlab = exportWorkflow('gitlab', source);
    const repo = onDisk({ ...files, [github.path]: github.text, [gitlab.path]: gitlab.text });
    dirs.push(repo.dir);
    const { runbook, runbookText, runbookPath } = source;
    const reports = await checkRunbookExports({ runbook, runbookText, runbookPath }, repo.read);
    assert.deepEqual(reports.map((report) => [report.path, report.upToDate]), [[github.path, true], [gitlab.path, true]]);

    writeFileSync(join(repo.dir, source.scriptPath), `${source.scriptText}// changed\n`);
    const changed = await checkRunbookExports({ runbook, runbookText, runbookPath }, repo.read);
    assert.deepEqual(changed.map((report) => report.reasons.map((reason) => reason.code)), [['script-changed'], ['script-changed']]);

    rmSync(join(repo.dir, source.scriptPath));
    const gone = await checkRunbookExports({ runbook, runbookText, runbookPath }, repo.read);
    assert.match(gone[0].reasons[0].message, /runs scripts\/basic\.ts, which does not exist: extract the script again/);

    // A runbook never exported has nothing to check.
    const other = prepareFile(allRunbookFiles().find((file) => file.endsWith('workspace/track.runbook.md'))!).source;
    assert.deepEqual(await checkRunbookExports({ runbook: other.runbook, runbookText: other.runbookText, runbookPath: other.runbookPath }, repo.read), []);
  });
});

describe('export: finding the extracted script', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("reads the steps and the runbook digest back from every generated script", () => {
    for (const file of allRunbookFiles()) {
      const { source, runbook } = prepareFile(file);
      assert.deepEqual(scriptStepIds(source.scriptText), runbook.items.map((item) => item.id), label(file));
      assert.equal(scriptRunbookDigest(source.scriptText), runbookDigest(source.runbookText));
    }
    assert.equal(scriptStepIds('console.log(1);\n'), undefined);
  });

  it('finds the script the tool note names, the default name, or the one an export runs; none before extraction', async () => {
    const { source, runbook } = prepareFile(basicFile());
    const note = runbookNote(runbook, { scriptPath: 'tools/greet.ts', itemIds: runbook.items.map((item) => item.id) });
    assert.equal(notedScriptPath(note), 'tools/greet.ts');

    const before = onDisk({ [source.runbookPath]: source.runbookText });
    dirs.push(before.dir);
    assert.equal(await findExtractedScript(runbook, source.runbookText, source.runbookPath, before.read), undefined);

    // Extracted to the default place: scripts/<title>.ts.
    const atDefault = onDisk({ [source.runbookPath]: source.runbookText, 'scripts/basic-fixture.ts': source.scriptText, 'scripts/other.ts': 'console.log(1);\n' });
    dirs.push(atDefault.dir);
    assert.equal((await findExtractedScript(runbook, source.runbookText, source.runbookPath, atDefault.read))?.path, 'scripts/basic-fixture.ts');

    // Extracted elsewhere and noted in the runbook.
    const noted = `${source.runbookText}\n${note}`;
    const elsewhere = onDisk({ [source.runbookPath]: noted, 'tools/greet.ts': source.scriptText });
    dirs.push(elsewhere.dir);
    assert.equal((await findExtractedScript(runbook, noted, source.runbookPath, elsewhere.read))?.path, 'tools/greet.ts');

    // A file there that is not a generated script does not count.
    const impostor = onDisk({ 'scripts/basic-fixture.ts': 'console.log("not generated");\n' });
    dirs.push(impostor.dir);
    assert.equal(await findExtractedScript(runbook, source.runbookText, source.runbookPath, impostor.read), undefined);

    // After an export, the script it runs comes first.
    const exported = exportWorkflow('gitlab', { ...source, scriptPath: 'ops/basic.ts' });
    const afterExport = onDisk({ 'ops/basic.ts': source.scriptText, 'scripts/basic-fixture.ts': source.scriptText, [exported.path]: exported.text });
    dirs.push(afterExport.dir);
    assert.equal((await findExtractedScript(runbook, source.runbookText, source.runbookPath, afterExport.read))?.path, 'ops/basic.ts');
  });

  it('words the tool note line for each engine', () => {
    assert.equal(
      workflowNoteLine('github', 'runbooks/restart-api.runbook.md', 'Restart the API'),
      '> **In CI:** start it from GitHub Actions (Actions → "Runbook: Restart the API" → Run workflow); the workflow is `.github/workflows/runbook-restart-api.yml`.\n',
    );
    assert.match(workflowNoteLine('gitlab', 'runbooks/restart-api.runbook.md', 'Restart the API'), /include `\.gitlab\/runbooks\/restart-api\.yml` from `\.gitlab-ci\.yml`.*job `runbook-restart-api`/);
  });
});
