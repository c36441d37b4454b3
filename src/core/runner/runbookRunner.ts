// One runbook's runs: what a Run, a Run all, Continue and Run from here mean, for every front end.
// A step runs once at a time (claimed synchronously, before anything is awaited, so a double
// click, a CodeLens and a tree request arriving together run it once); confirmation, inputs and
// implicit inputs are resolved here by the same rules everywhere; every result is recorded to the
// progress and the history before views hear of it. Front ends only ask (RunFrontEnd) and show
// (the event stream).

import { randomUUID } from 'node:crypto';
import { recordManual, recordResult, recordSkip, recordStart, reconcile, resetStep } from '../progress/model';
import { emptyProgress, itemDone } from '../progress/model';
import { currentUser, historyEntry, manualHistoryEntry, type HistoryContext } from '../progress/history';
import type { RunOrigin, RunbookProgress } from '../progress/types';
import type { ManualStep, Runbook, RunbookItem, Step } from '../runbook';
import { OutputBuffer } from '../run/outputBuffer';
import { RunbookSession } from '../run/runbookSession';
import { confirmationReasons } from '../run/safety';
import { stepDirectory } from '../run/stepRunner';
import type { StepResult } from '../run/types';
import { EventHub, type RunbookRef, type RunEvent } from './events';
import type { KnownValues, RunFrontEnd } from './frontEnd';
import type { BlockReason, RunOutcome } from './outcome';
import type { HistorySink, ProgressBackend } from './progressBackend';
import type { RunSettings } from './settings';
import { recordedSnapshot, type StepSnapshot } from './snapshot';
import { TerminalLaunches, type TerminalLaunch } from './terminalLaunch';
import { askImplicit, inputValues, planProblems, stepProblems, type Environment } from './values';

export interface RunnerOptions {
  /** The runbook's key in progress and history (path relative to the workspace folder or repository). */
  key: string;
  frontEnd: RunFrontEnd;
  progress: ProgressBackend;
  history?: HistorySink;
  /** Read at each step, so changed settings apply to the next one. */
  settings: () => RunSettings;
  where: RunOrigin;
  who?: string;
  /** The environment steps start from (default: this process's). */
  baseEnv?: () => Environment;
  /** Told of a listener or recorder that threw; the run goes on. */
  onError?: (error: unknown) => void;
}

export interface RunAllOptions {
  /** Start at this item (Continue, Run from here). */
  from?: string;
  /** Run just these steps, in document order (their `skip` does not apply). */
  only?: string[];
  /** The runbook as it is now: Run all stops when this is no longer the runbook it started with. */
  current?: () => Runbook | undefined;
  /** The run's id in events and history; a caller that started the run elsewhere (the alert bridge's correlation id) gives its own. */
  runId?: string;
}

/** One execution of a step as the runner saw it. */
type Execution =
  | { kind: 'ran'; result: StepResult }
  | { kind: 'blocked'; reason: BlockReason; fields: Partial<RunOutcome> }
  | { kind: 'stopped' };

interface Claim {
  controller: AbortController;
  done: Promise<Execution>;
}

interface LiveStep {
  state: 'queued' | 'running';
  startedAt?: number;
  output: OutputBuffer;
}

export class RunbookRunner {
  readonly events: EventHub<RunEvent>;
  private readonly session: RunbookSession;
  private readonly terminals = new TerminalLaunches();
  private readonly claims = new Map<string, Claim>();
  private readonly live = new Map<string, LiveStep>();
  /** Output of each step's latest run in this process; the record keeps only its tail. */
  private readonly lastOutput = new Map<string, OutputBuffer>();
  /** When Run all began waiting at a manual step, to log how long the person took. */
  private readonly waitingSince = new Map<string, number>();
  private runAllController: AbortController | undefined;
  private disposed = false;

  constructor(private readonly options: RunnerOptions) {
    this.events = new EventHub<RunEvent>((error) => this.reportError(error));
    this.session = new RunbookSession({
      onBackgroundChange: (processes) => this.emit({ type: 'background', processes: processes.map(({ pid, command, stepId, startedAt }) => ({ pid, command, stepId, startedAt })) }),
      onBackgroundOutput: (text, stepId) => this.emit({ type: 'background-output', stepId, text }),
    });
  }

  get key(): string {
    return this.options.key;
  }

  /** The shell session shared by the runbook's shell steps (exports, directory). */
  get shellSession() {
    return this.session.shellSession;
  }

  // ─── Runs ───

  /**
   * Runs one step of `runbook` (the host's own parse). Resolves with how it ended; a step already
   * queued, running or waiting for an answer is not run again (`blocked`, `busy`).
   */
  runStep(runbook: Runbook, stepId: string): Promise<RunOutcome> {
    const runId = randomUUID();
    const step = runbook.steps.find((candidate) => candidate.id === stepId);
    if (!step) return Promise.resolve(this.outcome(runId, 'blocked', [], { reason: 'no-such-step', message: `There is no step "${stepId}" in ${runbook.title}.` }));
    const unreadable = unreadableFrontMatter(runbook);
    if (unreadable) return Promise.resolve(this.outcome(runId, 'blocked', [], { reason: 'invalid-runbook', stepId: step.id, stepTitle: step.title, message: unreadable }));
    if (this.disposed || this.claims.has(step.id)) return Promise.resolve(this.busy(runId, step));
    const claim = this.claim(step, (controller) => this.execute(runbook, step, runId, controller));
    return this.single(runbook, step, runId, claim);
  }

  private async single(runbook: Runbook, step: Step, runId: string, claim: Claim): Promise<RunOutcome> {
    this.emit({ type: 'run-start', runId, at: Date.now(), runbook: this.ref(runbook), mode: 'step', items: [step.id] });
    const execution = await claim.done;
    const outcome = this.fromExecution(runId, step, execution, execution.kind === 'ran' ? [execution.result] : [], []);
    this.emit({ type: 'run-end', runId, at: Date.now(), outcome });
    return outcome;
  }

  /**
   * Runs the runbook's items in order: code steps run (except `skip` ones and those skipped by
   * hand); it stops at the first step that does not pass, before an interactive step, at a manual
   * step that is not done (unless the front end says it is done now or to skip it), and when the
   * runbook changes. Every value is checked, and every implicit input asked for, before the first
   * step starts.
   */
  runAll(runbook: Runbook, options: RunAllOptions = {}): Promise<RunOutcome> {
    const runId = options.runId ?? randomUUID();
    if (this.disposed || this.runAllController) {
      return Promise.resolve(this.outcome(runId, 'blocked', [], { reason: 'busy', message: `Run all is already running for ${runbook.title}.` }));
    }
    const unreadable = unreadableFrontMatter(runbook);
    if (unreadable) return Promise.resolve(this.outcome(runId, 'blocked', [], { reason: 'invalid-runbook', message: unreadable }));
    const plan = this.plan(runbook, options);
    if ('error' in plan) return Promise.resolve(this.outcome(runId, 'blocked', [], { reason: 'no-such-step', message: plan.error }));
    const controller = new AbortController();
    this.runAllController = controller;
    return this.all(runbook, plan.items, new Set(options.only ?? []), options.current, runId, controller).finally(() => {
      if (this.runAllController === controller) this.runAllController = undefined;
    });
  }

  /**
   * What Run all with `options` would go through, without running anything: the code steps it
   * would run, which of those ask for confirmation and why, and the manual steps not done yet. A
   * front end that cannot ask (no TTY) uses this to stop before anything runs.
   */
  preview(runbook: Runbook, options: RunAllOptions = {}): RunPlan | { error: string; reason: 'invalid-runbook' | 'no-such-step' } {
    // What Run all would refuse, a preview refuses too: no plan for a runbook it cannot read.
    const unreadable = unreadableFrontMatter(runbook);
    if (unreadable) return { error: unreadable, reason: 'invalid-runbook' };
    const plan = this.plan(runbook, options);
    if ('error' in plan) return { ...plan, reason: 'no-such-step' };
    const only = new Set(options.only ?? []);
    const progress = this.progressOf();
    const settings = this.options.settings();
    const steps = plan.items.filter((item): item is Step => item.kind === 'code' && willRun(item, only, progress));
    return {
      items: plan.items,
      steps,
      confirmations: steps.map((step) => ({ step, reasons: confirmationReasons(runbook, step, settings) })).filter((entry) => entry.reasons.length > 0),
      manual: plan.items.filter((item): item is ManualStep => item.kind === 'manual' && !itemDone(progress, item)),
    };
  }

  private plan(runbook: Runbook, options: RunAllOptions): { items: RunbookItem[] } | { error: string } {
    if (options.only && options.only.length > 0) {
      const unknown = options.only.filter((id) => !runbook.items.some((item) => item.id === id));
      if (unknown.length > 0) return { error: `No such step: ${unknown.join(', ')}.` };
      const wanted = new Set(options.only);
      return { items: runbook.items.filter((item) => wanted.has(item.id)) };
    }
    const start = options.from === undefined ? 0 : runbook.items.findIndex((item) => item.id === options.from);
    if (start < 0) return { error: `There is no step "${options.from}" in ${runbook.title}.` };
    return { items: runbook.items.slice(start) };
  }

  private async all(runbook: Runbook, items: RunbookItem[], only: Set<string>, current: RunAllOptions['current'], runId: string, controller: AbortController): Promise<RunOutcome> {
    this.emit({ type: 'run-start', runId, at: Date.now(), runbook: this.ref(runbook), mode: 'all', items: items.map((item) => item.id) });
    const results: StepResult[] = [];
    const manualSkipped: string[] = [];
    const finish = (status: RunOutcome['status'], fields: Partial<RunOutcome> = {}) => {
      const outcome = this.outcome(runId, status, results, { manualSkipped, ...fields });
      this.emit({ type: 'run-end', runId, at: Date.now(), outcome });
      return outcome;
    };
    const progress = () => this.progressOf();
    const runs = (item: RunbookItem): boolean => item.kind === 'code' && willRun(item, only, progress());

    // Before anything runs: every value valid, every implicit input given.
    try {
      const planned = items.filter((item): item is Step => item.kind === 'code' && runs(item));
      const known = await this.options.frontEnd.knownValues(runbook);
      const problems = planProblems(runbook, planned, known.values);
      if (problems.length > 0) return finish('blocked', { reason: 'invalid-input', problems, message: problems.map((p) => p.message).join(' ') });
      const { missing } = await askImplicit(runbook, planned, known, this.options.frontEnd, this.env(), this.session.shellSession, false);
      if (missing.length > 0) {
        return finish('blocked', { reason: 'missing-input', missing, message: `No value for ${missing.map((m) => m.label).join(', ')}.` });
      }
    } catch (error) {
      return finish('blocked', { reason: 'front-end-error', message: `Could not get the values to run with: ${errorText(error)}` });
    }

    for (const item of items) {
      if (controller.signal.aborted) return finish('cancelled', { message: 'Run all was stopped.' });
      const at = { stepId: item.id, stepTitle: item.title };
      if (item.kind === 'manual') {
        if (itemDone(progress(), item)) continue;
        let answer;
        try {
          answer = await this.options.frontEnd.manualStep({ runbook, step: item });
        } catch (error) {
          return finish('blocked', { ...at, reason: 'front-end-error', message: `Could not ask about the manual step "${item.title}": ${errorText(error)}` });
        }
        if (answer === 'stop') {
          if (!this.waitingSince.has(item.id)) this.waitingSince.set(item.id, Date.now());
          return finish('blocked', { ...at, reason: 'manual-step', message: `Waiting for the manual step "${item.title}".` });
        }
        if (answer === 'skip') manualSkipped.push(item.id);
        this.recordManual(runbook, item, answer === 'done' ? 'checked' : 'skipped', runId);
        continue;
      }
      if (!runs(item)) {
        const reason = item.attributes.skip ? 'skip-attribute' : 'skipped-by-hand';
        this.emit({ type: 'step-skipped', runId, stepId: item.id, title: item.title, reason });
        continue;
      }
      if (item.attributes.interactive) {
        return finish('blocked', { ...at, reason: 'interactive-step', message: `Stopped before "${item.title}", which is interactive.` });
      }
      if (current && current() !== runbook) {
        return finish('blocked', { ...at, reason: 'document-changed', message: `${runbook.title} changed while Run all ran.` });
      }
      // A step another request already runs is not started again: Run all waits for that run.
      const existing = this.claims.get(item.id);
      const execution = await (existing ?? this.claim(item, (stepController) => this.execute(runbook, item, runId, stepController))).done;
      if (execution.kind === 'ran') results.push(execution.result);
      if (execution.kind !== 'ran' || execution.result.status !== 'passed') {
        const outcome = this.fromExecution(runId, item, execution, results, manualSkipped);
        this.emit({ type: 'run-end', runId, at: Date.now(), outcome });
        return outcome;
      }
    }
    return finish('passed', { message: `${runbook.title}: every step passed.` });
  }

  /** Claims a step synchronously: from here until `work` ends, no other request runs it. */
  private claim(step: Step, work: (controller: AbortController) => Promise<Execution>): Claim {
    const controller = new AbortController();
    const claim: Claim = { controller, done: Promise.resolve({ kind: 'stopped' }) };
    this.claims.set(step.id, claim);
    claim.done = work(controller)
      .catch((error): Execution => ({ kind: 'ran', result: failedResult(step, `The run failed: ${errorText(error)}`) }))
      .finally(() => {
        if (this.claims.get(step.id) === claim) this.claims.delete(step.id);
      });
    return claim;
  }

  /**
   * What is asked before a step runs, here or in a terminal: its confirmation when the rules want
   * one, then the values it needs (known ones, and the implicit inputs asked for). Stopped when
   * Stop came while a question was open.
   */
  private async askBefore(
    runbook: Runbook,
    step: Step,
    signal?: AbortSignal,
  ): Promise<{ kind: 'answered'; known: KnownValues; given: Record<string, string> } | Exclude<Execution, { kind: 'ran' }>> {
    const { frontEnd } = this.options;
    const reasons = confirmationReasons(runbook, step, this.options.settings());
    if (reasons.length > 0) {
      const confirmed = await frontEnd.confirm({ runbook, step, reasons });
      if (signal?.aborted) return { kind: 'stopped' };
      if (!confirmed) return { kind: 'blocked', reason: 'not-confirmed', fields: { confirmReasons: reasons, message: `"${step.title}" was not confirmed.` } };
    }
    const known = await frontEnd.knownValues(runbook);
    const { given, missing } = await askImplicit(runbook, [step], known, frontEnd, this.env(), this.session.shellSession, true);
    if (signal?.aborted) return { kind: 'stopped' };
    if (missing.length > 0) return { kind: 'blocked', reason: 'missing-input', fields: { missing, message: `No value was given for ${missing.map((m) => m.label).join(', ')}.` } };
    return { kind: 'answered', known, given };
  }

  /** Confirmation, values, then the engine; the result recorded before anyone hears of it. */
  private async execute(runbook: Runbook, step: Step, runId: string, controller: AbortController): Promise<Execution> {
    const settings = this.options.settings();
    let values: Record<string, string>;
    let secrets: string[];
    try {
      const answer = await this.askBefore(runbook, step, controller.signal);
      if (answer.kind !== 'answered') return answer;
      values = { ...answer.known.values, ...answer.given };
      secrets = answer.known.secrets;
    } catch (error) {
      return { kind: 'blocked', reason: 'front-end-error', fields: { message: `Could not ask before running "${step.title}": ${errorText(error)}` } };
    }

    const live: LiveStep = { state: 'queued', output: new OutputBuffer() };
    this.live.set(step.id, live);
    this.lastOutput.delete(step.id);
    this.emit({ type: 'step-queued', runId, stepId: step.id, at: Date.now() });
    let result: StepResult;
    const problems = stepProblems(runbook, step, values);
    if (problems.length > 0) {
      result = failedResult(step, `${problems.map((problem) => problem.message).join(' ')} Fix it before running "${step.title}".`);
    } else {
      try {
        const running = this.session.run({
          runbook,
          step,
          values,
          secrets,
          interpreter: settings.interpreters[step.language],
          defaultTimeoutMs: settings.defaultTimeoutMs,
          baseEnv: this.env(),
          onStart: (startedAt) => {
            live.state = 'running';
            live.startedAt = startedAt;
            this.record((progress) => recordStart(progress, step, startedAt));
            this.emit({ type: 'step-start', runId, stepId: step.id, title: step.title, at: startedAt });
          },
          onOutput: (text, stream) => {
            live.output.append(Buffer.from(text));
            this.emit({ type: 'output', runId, stepId: step.id, text, stream });
          },
        });
        // Stop may have come while the confirmation or the values were asked for.
        if (controller.signal.aborted) this.session.stop(step.id);
        const onAbort = () => this.session.stop(step.id);
        controller.signal.addEventListener('abort', onAbort);
        result = await running.finally(() => controller.signal.removeEventListener('abort', onAbort));
      } catch (error) {
        result = failedResult(step, `The step could not run: ${errorText(error)}`);
      }
    }
    this.record((progress) => recordResult(progress, step, result));
    this.lastOutput.set(step.id, live.output);
    this.live.delete(step.id);
    if (!(result.notStarted && result.status === 'cancelled')) this.logExecution(runbook, step, result, values, runId);
    this.emit({ type: 'step-end', runId, stepId: step.id, title: step.title, result });
    return { kind: 'ran', result };
  }

  /**
   * Prepares "Run in terminal" for a step: the same confirmation and values as a run, then a
   * launcher whose command the front end types into a terminal. Nothing is recorded: what happens
   * in a terminal is the person's.
   */
  async prepareTerminal(runbook: Runbook, stepId: string): Promise<{ launch: TerminalLaunch } | { outcome: RunOutcome }> {
    const runId = randomUUID();
    const step = runbook.steps.find((candidate) => candidate.id === stepId);
    if (!step) return { outcome: this.outcome(runId, 'blocked', [], { reason: 'no-such-step', message: `There is no step "${stepId}" in ${runbook.title}.` }) };
    const settings = this.options.settings();
    const blocked = (reason: BlockReason, fields: Partial<RunOutcome>) => ({ outcome: this.outcome(runId, 'blocked', [], { stepId: step.id, stepTitle: step.title, reason, ...fields }) });
    const unreadable = unreadableFrontMatter(runbook);
    if (unreadable) return blocked('invalid-runbook', { message: unreadable });
    try {
      const answer = await this.askBefore(runbook, step);
      if (answer.kind !== 'answered') return { outcome: this.fromExecution(runId, step, answer, [], []) };
      const values: Record<string, string> = Object.fromEntries(this.session.shellSession.variables);
      for (const spec of runbook.inputs) if (spec.default !== undefined) values[spec.name] = spec.default;
      Object.assign(values, answer.known.values, answer.given);
      const problems = stepProblems(runbook, step, values);
      if (problems.length > 0) return blocked('invalid-input', { problems, message: problems.map((problem) => problem.message).join(' ') });
      const cwd = stepDirectory(runbook, step, this.session.shellSession).dir;
      return { launch: await this.terminals.prepare(step, { values, cwd, interpreter: settings.interpreters[step.language] }) };
    } catch (error) {
      return blocked('front-end-error', { message: `Could not prepare "${step.title}" for the terminal: ${errorText(error)}` });
    }
  }

  // ─── Stopping ───

  /** Stops the step's run wherever it is: waiting for an answer, queued, or running. */
  stop(stepId: string): boolean {
    const claim = this.claims.get(stepId);
    if (!claim) return false;
    claim.controller.abort();
    this.session.stop(stepId);
    return true;
  }

  /** Stops Run all and every step (Ctrl-C, closing the runbook's session). */
  stopAll(): void {
    this.runAllController?.abort();
    for (const [stepId, claim] of this.claims) {
      claim.controller.abort();
      this.session.stop(stepId);
    }
  }

  // ─── What views read ───

  snapshot(step: Step): StepSnapshot {
    const live = this.live.get(step.id);
    if (live) return live.startedAt === undefined ? { status: live.state } : { status: live.state, startedAt: live.startedAt };
    return recordedSnapshot(this.progressOf(), step);
  }

  /** The step's output: its run now or its latest run in this process, else the tail its record kept. */
  output(stepId: string): string | undefined {
    const buffer = this.live.get(stepId)?.output ?? this.lastOutput.get(stepId);
    if (buffer) return buffer.text();
    const progress = this.progressOf();
    return Object.hasOwn(progress.steps, stepId) ? progress.steps[stepId].outputTail : undefined;
  }

  /** Ids of the steps queued or running now. */
  activeStepIds(): string[] {
    return [...this.live.keys()];
  }

  get runningAll(): boolean {
    return this.runAllController !== undefined;
  }

  progressOf(): RunbookProgress {
    return this.options.progress.get(this.key) ?? emptyProgress();
  }

  // ─── Changes by hand ───

  /** A manual step checked off or unchecked (the Steps view's checkbox). */
  setManual(runbook: Runbook, step: ManualStep, checked: boolean): void {
    if (checked) this.recordManual(runbook, step, 'checked');
    else {
      this.record((progress) => recordManual(progress, step, false, Date.now()));
      this.emit({ type: 'manual-step', stepId: step.id, title: step.title, result: 'unchecked' });
    }
  }

  skip(runbook: Runbook, item: RunbookItem): void {
    if (item.kind === 'manual') {
      this.recordManual(runbook, item, 'skipped');
      return;
    }
    this.record((progress) => recordSkip(progress, item, Date.now()));
    this.lastOutput.delete(item.id);
    this.emit({ type: 'progress', stepIds: [item.id] });
  }

  resetItem(itemId: string): void {
    this.record((progress) => resetStep(progress, itemId));
    this.lastOutput.delete(itemId);
    this.waitingSince.delete(itemId);
    this.emit({ type: 'progress', stepIds: [itemId] });
  }

  resetAll(): void {
    this.record(() => emptyProgress());
    this.lastOutput.clear();
    this.waitingSince.clear();
    this.emit({ type: 'progress', stepIds: 'all' });
  }

  /**
   * Fits the records to the runbook as it is now: records of items that no longer exist go, and a
   * record left "running" with nothing running behind it (a reload) becomes cancelled.
   */
  reconcile(runbook: Runbook): void {
    const progress = this.progressOf();
    const reconciled = reconcile(progress, runbook, { activeStepIds: this.activeStepIds() });
    if (reconciled === progress) return;
    this.record(() => reconciled);
    for (const id of this.lastOutput.keys()) if (!Object.hasOwn(reconciled.steps, id)) this.lastOutput.delete(id);
    this.emit({ type: 'progress', stepIds: 'all' });
  }

  /**
   * Clears what steps exported, the directory they moved to and remembered implicit values, and
   * stops the processes steps left running in the background.
   */
  resetSession(): Promise<void> {
    this.options.frontEnd.sessionReset?.();
    return this.session.reset();
  }

  /** The processes steps left running in the background (a server started with `&`). */
  background() {
    return this.session.background();
  }

  /** Stops every background process; resolves with how many were stopped. */
  stopBackground(): Promise<number> {
    return this.session.stopBackground();
  }

  /** Where background processes write (the session's log file), once one has. */
  get backgroundLogPath(): string | undefined {
    return this.session.backgroundLogPath;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.stopAll();
    await Promise.all([...this.claims.values()].map((claim) => claim.done));
    await Promise.all([this.session.dispose(), this.terminals.dispose()]);
    await this.options.history?.flush();
  }

  // ─── Records ───

  private record(change: (progress: RunbookProgress) => RunbookProgress): void {
    try {
      this.options.progress.update(this.key, change);
    } catch (error) {
      this.reportError(error);
    }
  }

  private context(runbook: Runbook, runId?: string): HistoryContext {
    return { runbookKey: this.key, runbook, who: this.options.who ?? currentUser(), where: this.options.where, runId };
  }

  private recordManual(runbook: Runbook, step: ManualStep, result: 'checked' | 'skipped', runId?: string): void {
    const at = Date.now();
    const since = this.waitingSince.get(step.id);
    this.waitingSince.delete(step.id);
    this.record((progress) => (result === 'checked' ? recordManual(progress, step, true, at) : recordSkip(progress, step, at)));
    this.options.history?.append(manualHistoryEntry({ ...this.context(runbook, runId), step, result, at, waitedMs: since === undefined ? undefined : at - since }));
    this.emit({ type: 'manual-step', runId, stepId: step.id, title: step.title, result });
  }

  private logExecution(runbook: Runbook, step: Step, result: StepResult, values: Record<string, string>, runId: string): void {
    if (!this.options.history) return;
    const inputs = inputValues(runbook, values);
    const secretNames = new Set(runbook.inputs.filter((input) => input.secret).map((input) => input.name));
    try {
      this.options.history.append(historyEntry({ ...this.context(runbook, runId), step, result, inputs, secretNames }));
    } catch (error) {
      this.reportError(error);
    }
  }

  // ─── Helpers ───

  private env(): Environment {
    return this.options.baseEnv?.() ?? process.env;
  }

  private ref(runbook: Runbook): RunbookRef {
    return { key: this.key, title: runbook.title, path: runbook.path };
  }

  private emit(event: RunEvent): void {
    this.events.emit(event);
  }

  private reportError(error: unknown): void {
    this.options.onError?.(error);
  }

  private busy(runId: string, step: Step): RunOutcome {
    return this.outcome(runId, 'blocked', [], { reason: 'busy', stepId: step.id, stepTitle: step.title, message: `"${step.title}" is already queued or running.` });
  }

  private outcome(runId: string, status: RunOutcome['status'], results: StepResult[], fields: Partial<RunOutcome>): RunOutcome {
    return { runId, status, results: [...results], manualSkipped: [], message: '', ...fields };
  }

  private fromExecution(runId: string, step: Step, execution: Execution, results: StepResult[], manualSkipped: string[]): RunOutcome {
    const at = { stepId: step.id, stepTitle: step.title, manualSkipped };
    switch (execution.kind) {
      case 'stopped':
        return this.outcome(runId, 'cancelled', results, { ...at, message: `"${step.title}" was stopped before it started.` });
      case 'blocked':
        return this.outcome(runId, 'blocked', results, { ...at, reason: execution.reason, ...execution.fields });
      case 'ran': {
        const { result } = execution;
        return this.outcome(runId, result.status, results, { ...at, message: result.message ?? `"${step.title}" ${result.status}.` });
      }
    }
  }
}

/** A plan of Run all, as `preview` gives it. */
export interface RunPlan {
  items: RunbookItem[];
  steps: Step[];
  confirmations: Array<{ step: Step; reasons: string[] }>;
  manual: ManualStep[];
}

/** Whether Run all runs a code step: named in `only`, or neither marked `skip` nor skipped by hand. */
function willRun(step: Step, only: Set<string>, progress: RunbookProgress): boolean {
  return only.has(step.id) || (!step.attributes.skip && progress.steps[step.id]?.state !== 'skipped');
}

/**
 * Why a runbook must not run: front matter that did not parse may hide its `environment` (and so
 * every confirmation) or its inputs' rules.
 */
function unreadableFrontMatter(runbook: Runbook): string | undefined {
  const errors = runbook.diagnostics.filter((d) => d.severity === 'error' && (d.code === 'yaml' || d.code.startsWith('front-matter')));
  if (errors.length === 0) return undefined;
  return `The front matter of ${runbook.title} has errors, so its environment and inputs cannot be trusted; fix ${errors.map((d) => `line ${d.line + 1}: ${d.message}`).join('; ')} first.`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A result for a step that could not run at all. */
function failedResult(step: Step, message: string): StepResult {
  return { stepId: step.id, status: 'failed', startedAt: Date.now(), durationMs: 0, output: '', droppedBytes: 0, totalBytes: 0, message, notStarted: true };
}
