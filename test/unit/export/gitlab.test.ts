// GitLab CI exports, run for real on gitlab-ci-local (its shell executor) in a scratch git
// repository that includes every runbook of the real pass (the examples and the export and
// workspace fixtures), each with its generated script and exported include file. One pipeline per
// runbook, named by the RUNBOOK pipeline variable, with its per-run values as pipeline variables:
// only that runbook's job runs, and its exit code, per-step outcomes (the JUnit artifact) and each
// step's printed output are those of the headless runner (`runbook run`, the real bundle) given the
// same values. Also: a pipeline that names no runbook runs none, include inputs are the project's
// defaults that per-run values win over, the confirm gate, production's environment and --yes,
// secrets from CI/CD variables, the correlation id as the history's run id, and hostile values
// that never execute, whether written for GitLab's variable expansion or not.

import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { canWrite, exportGitLabPipeline, gitlabJobCondition, gitlabJobName, gitlabPipelineVariables, planExport, type ExportPlan } from '../../../src/core/export';
import { inertText } from '../../../src/core/export/yamlText';
import { buildCli, runCli, type CliResult } from '../cli/runCli';
import { commandLog, jobDirectory, makeRepository, provisionEngines, removeRepository, repositoryTemp, runPipeline, type Engines, type JobRun, type PipelineRun } from './support/gitlabLocal';
import { SECRET_VALUE, allRunbookFiles, engineRunbookFiles, label, prepareFile, prepareText, sampleValues, type Prepared } from './support/sources';

interface Job {
  stage: string;
  image: string;
  rules: Array<{ if: string }>;
  resource_group: string;
  environment?: { name: string; deployment_tier: string };
  timeout: string;
  variables: Record<string, string | { value: string; expand: boolean }>;
  script: string[];
  artifacts: { when: string; paths: string[]; reports: { junit: string } };
}

interface Spec {
  spec: { inputs: Record<string, { type?: string; default?: unknown; options?: unknown[]; regex?: string; description?: string }> };
}

function documents(text: string): [Spec, Record<string, Job>] {
  const docs = parseAllDocuments(text).map((doc) => doc.toJS() as unknown);
  assert.equal(docs.length, 2, 'a spec header, then ---, then the jobs');
  return docs as [Spec, Record<string, Job>];
}

/** One runbook of the project, and the values a run of it gets. */
interface RunCase {
  prepared: Prepared;
  plan: ExportPlan;
  job: string;
  /** Per-run input values: pipeline variables for the job, `--input` flags for the runner. */
  values: Record<string, string>;
  /** Secrets: CI/CD variables for the job, the environment for the runner. */
  secrets: Record<string, string>;
  correlationId: string;
}

/** What a pipeline and the runner's run of the same runbook left, read as soon as they ended (later pipelines reuse the project). */
interface BothRuns {
  pipeline: PipelineRun;
  /** The runbook jobs that started (only the named one may). */
  started: string[];
  job?: JobRun;
  /** The script's records, from the job's artifacts. */
  junit?: string;
  report?: string;
  history?: string;
  /** gitlab-ci-local's expanded configuration (includes and inputs resolved). */
  expanded: string;
  /** Files in the job's copy of the repository and its TMPDIR, and in the runner's. */
  jobFiles: string[];
  runnerFiles: string[];
  runner: CliResult;
  runnerJunit?: string;
  runnerHistory?: string;
  /** Where each ran, and their TMPDIRs: the paths normalised away when outputs are compared. */
  jobDir: string;
  jobTemp: string;
  runnerDir: string;
  runnerTemp: string;
}

/**
 * Lines no two runs print alike, left out of comparisons: runpath's background step leaves a
 * process printing `tick` every 0.2 s, which lands between the later steps' lines wherever the
 * clock puts it (and the script shows it there, where the runner keeps it to the step's log).
 */
const UNREPEATABLE: Record<string, RegExp> = { 'runpath.runbook.md': /^tick$/ };

/** Values that try to run code on their way to the script: none of it may run. */
const HOSTILE = {
  TARGET: '$(touch target.pwned) `touch backtick.pwned` \'; touch quote.pwned; \' "; touch dquote.pwned; " $HOME ${HOME}',
  NOTE: 'first line\ntouch newline.pwned\n$[[ inputs.TARGET ]] ${{ github.token }}',
  POD_NAME: '"$(touch pod.pwned)"',
};

const linesOf = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
const filesUnder = (dir: string) => (existsSync(dir) ? (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((file) => !file.includes('node_modules')) : []);

/**
 * Text that differs between two runs of the same thing: the repository's and the temporary
 * folder's paths, the runners' scratch folders, and numbers (durations, disk usage, dates, pids)
 * with the spaces that pad them.
 */
function normalized(lines: string[], repository: string, temporary: string, unrepeatable?: RegExp): string[] {
  return lines
    .filter((line) => !unrepeatable?.test(line))
    .map((line) =>
      line
        .split(temporary)
        .join('<tmp>')
        .split(repository)
        .join('<repo>')
        .replace(/runbook-(script|session)-[A-Za-z0-9]+/g, '<scratch>')
        .replace(/\d+/g, 'N')
        .replace(/[ \t]+/g, ' ') // numbers padded to their width (a pid of 4 or 5 digits)
        .trimEnd(),
    );
}

/** A code step as a run printed it: its title and its output's lines. */
interface PrintedStep {
  title: string;
  lines: string[];
}

/** The script's own lines inside a step: its verdict, background processes, warnings, a manual step left. */
const SCRIPT_LINE = /^ {2}(✓ passed in |↳ left running in the background: |⚠ |⏭ left for a person)/;

/** The code steps in the script's part of a job log: `[k/N] title` opens one; the run's ending closes the last. */
function scriptSteps(lines: string[]): PrintedStep[] {
  const steps: Array<PrintedStep & { manual?: boolean }> = [];
  for (const line of lines) {
    if (/^(✗ |Stopping \d+ background process|Left for a person:$)/.test(line)) break;
    const header = /^\[\d+\/\d+\] (.*)$/.exec(line);
    if (header) steps.push({ title: header[1], lines: [] });
    else if (line.startsWith('  Manual step: ')) steps[steps.length - 1].manual = true;
    else if (steps.length > 0 && !SCRIPT_LINE.test(line)) steps[steps.length - 1].lines.push(line);
  }
  return steps.filter((step) => !step.manual).map(({ title, lines: printed }) => ({ title, lines: printed }));
}

/** The code steps in the runner's plain output: `▶ title`, the step's lines as `  │ line`, then `✓`/`✗`/`■ title …`. */
function runnerSteps(stdout: string): PrintedStep[] {
  const steps: PrintedStep[] = [];
  let current: PrintedStep | undefined;
  for (const line of linesOf(stdout)) {
    const start = /^▶ (.*)$/.exec(line);
    const printed = /^ {2}│ ?(.*)$/.exec(line);
    if (start) steps.push((current = { title: start[1], lines: [] }));
    else if (printed && current) current.lines.push(printed[1]);
    else if (/^[✓✗■] /.test(line)) current = undefined;
  }
  return steps;
}

interface Case {
  name: string;
  outcome: 'passed' | 'failure' | 'skipped';
  type?: string;
  message?: string;
  output: string[];
  details: string[];
}

type Element = string | (Record<string, string> & { '#text'?: string });
const text = (element: Element | undefined) => (typeof element === 'string' ? element : (element?.['#text'] ?? ''));

/** The test cases of a JUnit file, read back with a real XML parser. */
function junitCases(xml: string): Case[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', trimValues: false, htmlEntities: true, isArray: (name) => name === 'testcase' || name === 'testsuite' });
  const suites = (parser.parse(xml) as { testsuites: { testsuite: Array<{ testcase?: Array<Record<string, Element>> }> } }).testsuites.testsuite;
  return suites.flatMap((suite) => suite.testcase ?? []).map((element): Case => {
    const failure = element.failure as Record<string, string> | undefined;
    const skipped = element.skipped as Record<string, string> | undefined;
    return {
      name: String(element.name),
      outcome: failure !== undefined ? 'failure' : skipped !== undefined ? 'skipped' : 'passed',
      type: failure?.type,
      message: failure?.message ?? skipped?.message,
      output: linesOf(text(element['system-out'])),
      details: linesOf(text(failure)),
    };
  });
}

function comparableCases(xml: string, dir: string, temporary: string, unrepeatable?: RegExp) {
  return junitCases(xml).map((c) => ({ ...c, message: c.message === undefined ? undefined : normalized([c.message], dir, temporary)[0], output: normalized(c.output, dir, temporary, unrepeatable), details: normalized(c.details, dir, temporary, unrepeatable) }));
}

function describeRuns(both: BothRuns): string {
  return [
    `=== pipeline (exit ${both.pipeline.code})`,
    ...(both.job ? both.job.log : [both.pipeline.stdout, both.pipeline.stderr]),
    `=== runbook run (exit ${both.runner.code}${both.runner.hung ? ', killed by the watchdog' : ''})`,
    both.runner.stdout,
    '--- stderr',
    both.runner.stderr,
  ].join('\n');
}

describe('export: GitLab CI pipelines on gitlab-ci-local', function () {
  this.timeout(240_000);
  const files = engineRunbookFiles();
  let engines: Engines;
  const repositories: string[] = [];
  const repository = (projectFiles: Record<string, string>, install: 'packages' | 'link') => {
    const dir = makeRepository(projectFiles, engines, install);
    repositories.push(dir);
    return dir;
  };

  // The project: every runbook of the real pass under runbooks/ (a file keeps its name unless
  // another took it), its script, its include file; track's include gives a project default.
  const PROJECT_DEFAULT = { file: 'workspace/track.runbook.md', inputs: { WHO: 'project-default' } };
  const cases = new Map<string, RunCase>();
  const projectFiles: Record<string, string> = {};
  let jobs: string[] = [];
  /** Two copies of the project, so that two pipelines run at once (one per core). */
  let copies: string[] = [];
  /** GitLab's JSON schema checks the project once (its first pipeline); the others skip that costly check. */
  let validated = false;
  const validateOnce = () => !validated && (validated = true);

  before(async function () {
    this.timeout(600_000); // the first run installs gitlab-ci-local, rsync, and the npm cache
    const names = new Map<string, string>();
    const include: Array<Record<string, unknown>> = [];
    for (const file of files) {
      const base = file.split('/').pop()!;
      const name = [...names.values()].includes(base) ? `${file.split('/').slice(-2, -1)[0]}-${base}` : base;
      names.set(file, name);
      const prepared = prepareText(name, readFileSync(file, 'utf8'));
      const plan = planExport(prepared.source);
      const exported = exportGitLabPipeline(prepared.source);
      assert.ok(canWrite(exported), `${label(file)}: ${JSON.stringify(exported.problems)}`);
      Object.assign(projectFiles, prepared.files, { [exported.path]: exported.text });
      include.push(file.endsWith(PROJECT_DEFAULT.file) ? { local: exported.path, inputs: PROJECT_DEFAULT.inputs } : { local: exported.path });
      const { inputs, secrets } = sampleValues(plan);
      cases.set(file, { prepared, plan, job: gitlabJobName(plan.slug), values: inputs, secrets, correlationId: `INC-${plan.slug}` });
    }
    projectFiles['.gitlab-ci.yml'] = stringify({ include });
    jobs = [...cases.values()].map((c) => c.job);
    assert.equal(new Set(jobs).size, jobs.length, 'two runbooks share a job name');
    [engines] = await Promise.all([provisionEngines(), buildCli()]);
    copies = [repository(projectFiles, 'packages'), repository(projectFiles, 'packages')];
  });

  after(() => {
    for (const dir of repositories) removeRepository(dir);
  });

  const caseOf = (suffix: string) => [...cases.entries()].find(([file]) => file.endsWith(suffix))![1];

  /** The runner's flags for the job's values: `--yes` where the job gives the script `--yes`. */
  function runnerArgs(c: RunCase, values: Record<string, string>): string[] {
    return [
      'run',
      c.prepared.source.runbookPath,
      ...Object.entries(values).flatMap(([name, value]) => ['--input', `${name}=${value}`]),
      ...(c.plan.gate === 'none' ? [] : ['--yes']),
      '--skip-manual',
      '--reporter',
      'junit',
      '--report',
      'runner-junit.xml',
      '--history',
      'runner-history.jsonl',
    ];
  }

  /**
   * One pipeline in `ci` that names the runbook, with `variables` as its pipeline variables (and
   * the secrets as CI/CD variables); then, in a fresh copy of the project, `runbook run` of the
   * same runbook with `runnerValues` and the secrets and correlation id in its environment.
   */
  async function runBoth(c: RunCase, ci: string, options: { source: string; variables: Record<string, string>; runnerValues?: Record<string, string> }): Promise<BothRuns> {
    const pipeline = await runPipeline(ci, engines, { jobs, variables: { ...options.variables, ...c.secrets }, source: options.source, validateSchema: validateOnce() });
    const artifacts = join(ci, '.gitlab-ci-local', 'artifacts', c.job, 'runbook-output');
    const jobDir = jobDirectory(ci, c.job);
    const local = repository(projectFiles, 'link');
    const runner = await runCli(runnerArgs(c, options.runnerValues ?? c.values), {
      cwd: local,
      env: { ...c.secrets, CI: 'true', TMPDIR: repositoryTemp(local), RUNBOOK_CORRELATION_ID: c.correlationId, RUNBOOK_RUN_ID: '' },
      watchdogMs: 180_000,
    });
    return {
      pipeline,
      started: Object.keys(pipeline.jobs),
      job: pipeline.jobs[c.job],
      junit: read(join(artifacts, 'junit.xml')),
      report: read(join(artifacts, 'report.md')),
      history: read(join(artifacts, 'history.jsonl')),
      expanded: read(join(ci, '.gitlab-ci-local', 'expanded-gitlab-ci.yml')) ?? '',
      jobFiles: [...filesUnder(jobDir), ...filesUnder(repositoryTemp(ci)).map((file) => `<tmp>/${file}`)],
      runnerFiles: filesUnder(local),
      runner,
      runnerJunit: read(join(local, 'runner-junit.xml')),
      runnerHistory: read(join(local, 'runner-history.jsonl')),
      jobDir,
      jobTemp: repositoryTemp(ci),
      runnerDir: local,
      runnerTemp: repositoryTemp(local),
    };
  }

  /** The pipeline variables of a run of `c` with `values`: RUNBOOK, the values, the correlation id, and the confirmation where the runbook asks. */
  const variablesOf = (c: RunCase, values: Record<string, string>, confirmed = c.plan.gate === 'confirm-input') =>
    Object.fromEntries(gitlabPipelineVariables(c.plan.slug, values, { correlationId: c.correlationId, confirmed }).map(({ key, value }) => [key, value]));

  /** Only the named runbook's job ran, and its exit code, JUnit cases and each step's printed output are the runner's. */
  function assertSameAsRunner(c: RunCase, both: BothRuns): void {
    const context = `\n${describeRuns(both)}`;
    assert.deepEqual(both.started, [c.job], `the pipeline for ${c.plan.slug} started ${both.started.join(', ') || 'no job'}${context}`);
    const job = both.job!;
    const script = commandLog(job, `npx tsx ${c.prepared.source.scriptPath}`);
    assert.ok(script, `the job did not run the script${context}`);
    assert.equal(both.runner.hung, false, `runbook run waited on something${context}`);
    assert.equal(job.exitCode, both.runner.code, `exit codes differ${context}`);

    const unrepeatable = UNREPEATABLE[c.prepared.source.runbookPath.split('/').pop()!];
    assert.ok(both.junit, `the job left no JUnit report${context}`);
    assert.ok(both.runnerJunit, `runbook run wrote no JUnit report${context}`);
    assert.deepEqual(
      comparableCases(both.junit, both.jobDir, both.jobTemp, unrepeatable),
      comparableCases(both.runnerJunit, both.runnerDir, both.runnerTemp, unrepeatable),
      `the JUnit cases differ (job's, then runner's)${context}`,
    );
    const printed = (steps: PrintedStep[], dir: string, temporary: string) => steps.map((step) => ({ title: step.title, lines: normalized(step.lines, dir, temporary, unrepeatable) }));
    assert.deepEqual(printed(scriptSteps(script), both.jobDir, both.jobTemp), printed(runnerSteps(both.runner.stdout), both.runnerDir, both.runnerTemp), `the steps printed different output (job's, then runner's)${context}`);

    // Both record the run under the correlation id, as run in CI.
    for (const [who, history] of [['job', both.history], ['runner', both.runnerHistory]] as const) {
      for (const line of linesOf(history ?? '')) {
        const entry = JSON.parse(line) as { where: string; runId: string };
        assert.deepEqual([entry.where, entry.runId], ['ci', c.correlationId], `${who}'s history: ${line}`);
      }
    }
    assert.equal(linesOf(both.history ?? '').length, linesOf(both.runnerHistory ?? '').length, 'as many history lines');
    for (const value of Object.values(c.secrets)) {
      for (const where of [both.pipeline.stdout, both.pipeline.stderr, both.runner.stdout, both.runner.stderr]) assert.ok(!where.includes(value), 'a secret reached a log');
    }
  }

  it('writes a spec header then the job, which runs only when a pipeline names its runbook', () => {
    for (const file of allRunbookFiles()) {
      const prepared = prepareFile(file);
      const result = exportGitLabPipeline(prepared.source);
      assert.ok(canWrite(result), `${label(file)}: ${JSON.stringify(result.problems)}`);
      const plan = planExport(prepared.source);
      assert.equal(result.path, `.gitlab/runbooks/${plan.slug}.yml`);
      const [header, jobsOf] = documents(result.text);
      const job = jobsOf[gitlabJobName(plan.slug)];
      assert.deepEqual(job.rules, [{ if: `$CI_PIPELINE_SOURCE =~ /^(web|api|trigger)$/ && $RUNBOOK == "${plan.slug}"` }]);
      assert.equal(job.rules[0].if, gitlabJobCondition(plan.slug));
      assert.match(result.text, new RegExp(`^#   RUNBOOK=${plan.slug} .*RUNBOOK_CORRELATION_ID=INC-42`, 'm'), 'the header says how to start it');
      assert.equal(job.resource_group, gitlabJobName(plan.slug));
      assert.equal(job.image, 'node:20');
      assert.equal(job.timeout, `${plan.timeoutMinutes}m`);
      assert.equal(job.script[0], 'npm ci');
      assert.deepEqual(job.artifacts.reports, { junit: 'runbook-output/junit.xml' });
      assert.equal(job.artifacts.when, 'always');
      assert.equal(job.environment?.name, plan.gate === 'environment' ? plan.environment : undefined);
      for (const input of plan.inputs) {
        const entry = header.spec.inputs[input.name];
        if (input.spec?.secret) {
          assert.equal(entry, undefined, `${label(file)}: the secret ${input.name} is an input`);
          assert.equal(job.variables[input.name], undefined);
          continue;
        }
        assert.ok(entry && entry.default !== undefined, `${label(file)}: ${input.name} has no default`);
        if (input.spec?.choices) assert.ok(entry.options?.includes(entry.default), `${label(file)}: ${input.name}'s default is not an option`);
        // The form's own checks, from the runbook's definition: type, regex, a description.
        const spec = input.spec;
        const expectedType = spec?.choices ? undefined : spec?.type === 'boolean' ? 'boolean' : spec?.type === 'number' && spec.default !== undefined ? 'number' : undefined;
        assert.equal(entry.type, expectedType, `${label(file)}: ${input.name}'s type`);
        if (spec?.pattern !== undefined && !spec.choices && spec.type !== 'boolean' && !(spec.type === 'number' && spec.default !== undefined) && entry.regex !== undefined) {
          assert.ok(entry.regex.endsWith(spec.pattern), `${label(file)}: ${input.name}'s regex ${entry.regex} is not its pattern ${spec.pattern}`);
          if (spec.default === undefined) assert.ok(entry.regex.startsWith('^$|'), `${label(file)}: ${input.name} may be left empty in the form`);
        }
        // The description keeps the runbook's (made inert where it looks like an expression) and states
        // the rules the form cannot check, which the script does.
        const description = String(entry.description ?? '');
        if (spec?.description) assert.ok(description.startsWith(inertText(spec.description).slice(0, 40)), `${label(file)}: ${input.name}'s description: ${description}`);
        if (spec?.pattern !== undefined) assert.ok(description.toLowerCase().includes(`must match ${spec.pattern}`.toLowerCase()), `${label(file)}: ${input.name}'s pattern is stated`);
        if (spec?.min !== undefined) assert.ok(description.includes(String(spec.min)), `${label(file)}: ${input.name}'s minimum is stated`);
        if (spec?.max !== undefined) assert.ok(description.includes(String(spec.max)), `${label(file)}: ${input.name}'s maximum is stated`);
        // The job's variable holds the default; a pipeline variable of the same name wins over it.
        const variable = job.variables[input.name];
        assert.equal(typeof variable === 'string' ? variable : variable.value, `$[[ inputs.${input.name} ]]`);
      }
    }
  });

  describe('one pipeline per runbook, with its values as pipeline variables, beside the headless runner', () => {
    const runs = new Map<string, BothRuns>();

    before(async function () {
      this.timeout(1_500_000); // twenty pipelines, two at a time: a few minutes on two idle cores
      // Per-run values that differ from the defaults, where the runbook has something to show it.
      caseOf('workspace/track.runbook.md').values.WHO = 'per-run';
      Object.assign(caseOf('export/hostile.runbook.md').values, HOSTILE);
      // Two workers, one copy of the project each; a runbook's pipeline, then its runner, so the two
      // never run at once (one example listens on a port).
      const queue = [...cases.entries()];
      const sources = ['web', 'api', 'trigger'];
      let started = 0;
      const worker = async (ci: string) => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [file, c] = next;
          runs.set(file, await runBoth(c, ci, { source: sources[started++ % sources.length], variables: variablesOf(c, c.values) }));
        }
      };
      await Promise.all(copies.map(worker));
    });

    for (const file of files) {
      it(`runs ${label(file)}: only its job, with the runner's exit code, step outcomes and output`, () => {
        const c = cases.get(file)!;
        const both = runs.get(file)!;
        assertSameAsRunner(c, both);
        const job = both.job!;
        assert.ok(commandLog(job, 'if [ -n "$RUNBOOK_CORRELATION_ID" ]')?.includes(`Correlation id: ${c.correlationId}`), 'the job log shows the correlation id');
        if (job.exitCode !== 2) {
          const report = both.report!.replace(/\\(.)/g, '$1'); // Markdown escapes undone
          for (const manual of c.plan.manual) assert.ok(report.includes(manual.title), `the report does not list the manual step "${manual.title}"`);
        }
      });
    }

    it('hands typed values over as pipeline variables', () => {
      const both = runs.get(files.find((file) => file.endsWith('export/inputs.runbook.md'))!)!;
      assert.ok(commandLog(both.job!, 'npx tsx')!.includes('name=value count=1 limit=5 verbose=true level=low yes=on cluster=web-1'), describeRuns(both));
    });

    it("takes per-run values over the project's include inputs, which are the defaults", async () => {
      const [file, c] = [...cases.entries()].find(([name]) => name.endsWith(PROJECT_DEFAULT.file))!;
      assert.ok(commandLog(runs.get(file)!.job!, 'npx tsx')!.includes('first by per-run'), 'the pipeline variable did not win');
      const defaults = await runBoth(c, copies[0], { source: 'web', variables: variablesOf(c, {}), runnerValues: PROJECT_DEFAULT.inputs });
      assertSameAsRunner(c, defaults);
      assert.ok(commandLog(defaults.job!, 'npx tsx')!.includes('first by project-default'), describeRuns(defaults));
    });

    it('runs no runbook in a pipeline that names none, names another, or was not started by a person or the API', async () => {
      const basic = caseOf('workspace/basic.runbook.md');
      for (const [source, variables] of [
        ['web', {}],
        ['api', { RUNBOOK: 'no-such-runbook', NAME: 'x' }],
        ['push', { RUNBOOK: basic.plan.slug }],
      ] as const) {
        const pipeline = await runPipeline(copies[0], engines, { jobs, variables, source, validateSchema: validateOnce() });
        assert.equal(pipeline.code, 0, `${pipeline.stdout}\n${pipeline.stderr}`);
        assert.deepEqual(Object.keys(pipeline.jobs), [], `a ${source} pipeline with ${JSON.stringify(variables)} started jobs\n${pipeline.stdout}`);
      }
    });

    it('refuses a required input left empty, as the runner does (exit 2), and reports every step not run', async () => {
      const c = caseOf('export/inputs.runbook.md');
      const values = Object.fromEntries(Object.entries(c.values).filter(([name]) => name !== 'NAME'));
      const both = await runBoth(c, copies[0], { source: 'web', variables: variablesOf(c, values), runnerValues: values });
      assertSameAsRunner(c, both);
      assert.equal(both.job!.exitCode, 2);
      assert.match(both.job!.stderr.join('\n'), /--name\b.*required/i);
      assert.ok(junitCases(both.junit!).every((step) => step.outcome === 'skipped' && /^not run: /.test(step.message ?? '')));
    });

    it('runs nothing until the pipeline sets RUNBOOK_CONFIRMED, then runs the confirm step', async () => {
      const c = caseOf('export/gated.runbook.md');
      const confirmed = runs.get(files.find((file) => file.endsWith('export/gated.runbook.md'))!)!;
      assert.ok(confirmed.jobFiles.includes('runbooks/gated.marker'), 'the confirmed step did not run');
      assert.ok(commandLog(confirmed.job!, 'npx tsx')!.includes('marker left'));

      const pipeline = await runPipeline(copies[0], engines, { jobs, variables: variablesOf(c, c.values, false), source: 'web', validateSchema: validateOnce() });
      const job = pipeline.jobs[c.job];
      assert.equal(job?.exitCode, 3, `${pipeline.stdout}\n${pipeline.stderr}`);
      assert.equal(commandLog(job, 'npx tsx'), undefined, 'the script ran without confirmation');
      assert.match(job.stderr.join('\n'), /Steps ask for confirmation.*variable RUNBOOK_CONFIRMED set to true\. Nothing ran\.\n- "leave-marker": the step is marked confirm/s);
      assert.match(job.stderr.join('\n'), /Left for a person:\n- \[ \] Tell the team that the marker is there/);
      assert.equal(existsSync(join(jobDirectory(copies[0], c.job), 'runbooks', 'gated.marker')), false);
    });

    it('gives a production runbook its protected environment, --yes, and its secret from a CI/CD variable', () => {
      const c = caseOf('export/production-secret.runbook.md');
      const both = runs.get(files.find((file) => file.endsWith('export/production-secret.runbook.md'))!)!;
      assert.equal(both.job!.exitCode, 0);
      const printed = commandLog(both.job!, 'npx tsx')!.filter((line) => /^(token|region):/.test(line));
      assert.deepEqual(printed, [`token: ${SECRET_VALUE.length} characters`, `region: ${c.values.REGION}`]);
      const resolved = (parse(both.expanded) as Record<string, Job>)[c.job];
      assert.deepEqual(resolved.environment, { name: 'production', deployment_tier: 'production' });
      assert.ok(resolved.script.some((line) => /^npx tsx scripts\/production-secret\.ts --yes /.test(line)));
      assert.equal(resolved.variables.API_TOKEN, undefined, 'the secret is a pipeline input');
    });

    it('never executes hostile values, and passes them on unchanged when written for GitLab ($$)', () => {
      const both = runs.get(files.find((file) => file.endsWith('export/hostile.runbook.md'))!)!;
      const expected = ['[1/2] print-values', `target=[${HOSTILE.TARGET}]`, 'note=[first line', 'touch newline.pwned', '$[[ inputs.TARGET ]] ${{ github.token }}]', `pod=[${HOSTILE.POD_NAME}]`];
      assert.deepEqual(commandLog(both.job!, 'npx tsx')!.slice(0, 6), expected, describeRuns(both));
      assert.deepEqual(runnerSteps(both.runner.stdout)[0].lines, expected.slice(1));
      assert.deepEqual([...both.jobFiles, ...both.runnerFiles].filter((file) => file.endsWith('.pwned')), [], 'hostile values ran');
    });

    it('never executes hostile values given as they are either: GitLab expands $NAME in them, nothing more', async () => {
      const c = caseOf('export/hostile.runbook.md');
      const variables = { ...variablesOf(c, {}), ...HOSTILE }; // not written with $$
      const pipeline = await runPipeline(copies[0], engines, { jobs, variables, source: 'web', validateSchema: validateOnce() });
      const job = pipeline.jobs[c.job];
      assert.equal(job?.exitCode, 0, `${pipeline.stdout}\n${pipeline.stderr}`);
      const target = commandLog(job, 'npx tsx')!.find((line) => line.startsWith('target=['))!;
      assert.ok(target.includes('$(touch target.pwned) `touch backtick.pwned`'), target);
      const planted = [...filesUnder(jobDirectory(copies[0], c.job)), ...filesUnder(repositoryTemp(copies[0]))].filter((file) => file.endsWith('.pwned'));
      assert.deepEqual(planted, [], 'hostile values ran');
    });
  });
});
