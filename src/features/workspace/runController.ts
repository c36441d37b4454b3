// The one way a step runs, whether from the preview, CodeLens, the tree or the palette: trust,
// the host's own parse of the document version asked for, confirmation, inputs and implicit
// inputs, then the engine; state and output go out as events that every view redraws from.

import * as vscode from 'vscode';
import {
  confirmationReasons,
  OutputBuffer,
  RunbookSession,
  stepDirectory,
  stepImplicitInputs,
  type StepResult,
} from '../../core/run';
import { analyzeShell, formatDuration, replacePlaceholders, type ImplicitInput, type ManualStep, type Runbook, type Step } from '../../core/runbook';
import type { StepView } from '../preview/protocol';
import type { InputStore } from './inputStore';
import type { RunbookDocuments } from './runbookDocuments';
import { readRunSettings } from './settings';

export interface StepStateChange {
  uri: vscode.Uri;
  stepId: string;
  state: StepView;
}

export interface StepOutputChange {
  uri: vscode.Uri;
  stepId: string;
  /** New text to append; with `reset`, the output starts over. */
  text: string;
  reset?: boolean;
}

/** What the controller asks a person. Tests replace it to answer without a dialog. */
export interface RunPrompts {
  confirm(step: Step, runbook: Runbook, reasons: string[]): Promise<boolean>;
  askValue(step: Step, input: ImplicitInput): Promise<string | undefined>;
}

export const dialogPrompts: RunPrompts = {
  async confirm(step, runbook, reasons) {
    const where = runbook.meta.environment ? ` in ${runbook.meta.environment}` : '';
    const answer = await vscode.window.showWarningMessage(
      `Run "${step.title}"${where}?`,
      { modal: true, detail: `This step asks for confirmation because ${reasons.join('; ')}.\n\n${step.code.slice(0, 600)}` },
      'Run',
    );
    return answer === 'Run';
  },
  async askValue(step, input) {
    return vscode.window.showInputBox({
      title: `Value for ${input.label}`,
      prompt: `"${step.title}" uses ${input.label}. The value reaches the step as the environment variable ${input.name}; it is never pasted into the code.`,
      ignoreFocusOut: true,
    });
  },
};

/**
 * What the progress store needs to hear of each run, and what Run all needs to know of manual
 * steps. Called before the state events fire, so views that redraw on them see the record.
 */
export interface RunObserver {
  started(uri: vscode.Uri, runbook: Runbook, step: Step, at: number): void;
  finished(uri: vscode.Uri, runbook: Runbook, step: Step, result: StepResult, inputs: { values: Record<string, string>; secretNames: Set<string> }): void;
  /** Whether a manual step is checked off or skipped, so that Run all may pass it. */
  manualDone(uri: vscode.Uri, step: ManualStep): boolean;
  /** Whether a code step was skipped on purpose in this run. */
  skipped(uri: vscode.Uri, step: Step): boolean;
}

const OUTPUT_FLUSH_MS = 50;
const STATUS_OF: Record<StepResult['status'], StepView['status']> = {
  passed: 'passed',
  failed: 'failed',
  'timed-out': 'timed-out',
  cancelled: 'cancelled',
};

export class RunController implements vscode.Disposable {
  private readonly sessions = new Map<string, RunbookSession>();
  private readonly states = new Map<string, Map<string, StepView>>();
  private readonly outputs = new Map<string, Map<string, OutputBuffer>>();
  private readonly pending = new Map<string, { uri: vscode.Uri; stepId: string; text: string }>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly terminals = new Map<string, vscode.Terminal>();
  private readonly stateChanged = new vscode.EventEmitter<StepStateChange>();
  private readonly outputChanged = new vscode.EventEmitter<StepOutputChange>();
  private readonly subscriptions: vscode.Disposable[] = [];
  readonly onDidChangeState = this.stateChanged.event;
  readonly onDidOutput = this.outputChanged.event;
  prompts: RunPrompts = dialogPrompts;
  observer: RunObserver | undefined;

  constructor(
    private readonly documents: RunbookDocuments,
    private readonly inputs: InputStore,
    private readonly log: vscode.OutputChannel,
  ) {
    this.subscriptions.push(
      this.stateChanged,
      this.outputChanged,
      vscode.window.onDidCloseTerminal((terminal) => {
        for (const [key, value] of this.terminals) if (value === terminal) this.terminals.delete(key);
      }),
    );
  }

  state(uri: vscode.Uri, stepId: string): StepView {
    return this.states.get(uri.toString())?.get(stepId) ?? { status: 'idle' };
  }

  outputsOf(uri: vscode.Uri): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [stepId, buffer] of this.outputs.get(uri.toString()) ?? []) result[stepId] = buffer.text();
    return result;
  }

  private session(uri: vscode.Uri): RunbookSession {
    const key = uri.toString();
    let session = this.sessions.get(key);
    if (!session) this.sessions.set(key, (session = new RunbookSession()));
    return session;
  }

  private setState(uri: vscode.Uri, stepId: string, state: StepView): void {
    const key = uri.toString();
    if (!this.states.has(key)) this.states.set(key, new Map());
    this.states.get(key)!.set(stepId, state);
    this.flushOutput();
    this.stateChanged.fire({ uri, stepId, state });
  }

  private resetOutput(uri: vscode.Uri, stepId: string): void {
    const key = uri.toString();
    if (!this.outputs.has(key)) this.outputs.set(key, new Map());
    this.outputs.get(key)!.set(stepId, new OutputBuffer());
    this.pending.delete(`${key}#${stepId}`);
    this.outputChanged.fire({ uri, stepId, text: '', reset: true });
  }

  /** Output is batched so a step printing megabytes a second costs a few messages per second. */
  private appendOutput(uri: vscode.Uri, stepId: string, text: string): void {
    const key = uri.toString();
    this.outputs.get(key)?.get(stepId)?.append(Buffer.from(text));
    const pendingKey = `${key}#${stepId}`;
    const entry = this.pending.get(pendingKey);
    if (entry) entry.text += text;
    else this.pending.set(pendingKey, { uri, stepId, text });
    this.flushTimer ??= setTimeout(() => this.flushOutput(), OUTPUT_FLUSH_MS);
  }

  private flushOutput(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const { uri, stepId, text } of batch) this.outputChanged.fire({ uri, stepId, text });
  }

  /**
   * Runs a step of `document`. With `documentVersion`, only if the document is still at that
   * version (a preview asks for what it rendered; anything else is ignored).
   */
  async runStep(document: vscode.TextDocument, stepId: string, documentVersion?: number): Promise<StepResult | undefined> {
    const found = this.resolve(document, stepId, documentVersion);
    if (!found) return undefined;
    const { runbook, step } = found;
    if (!this.checkTrust()) return undefined;
    if (step.attributes.interactive) {
      await this.runInTerminal(document, stepId, documentVersion);
      return undefined;
    }
    const session = this.session(document.uri);
    if (session.isQueuedOrRunning(step.id)) return undefined;

    const settings = readRunSettings(document.uri);
    const reasons = confirmationReasons(runbook, step, settings);
    if (reasons.length > 0 && !(await this.prompts.confirm(step, runbook, reasons))) {
      this.log.appendLine(`Not run: "${step.title}" was not confirmed.`);
      return undefined;
    }
    const values = await this.collectValues(document.uri, runbook, step, session);
    if (!values) return undefined;

    this.resetOutput(document.uri, step.id);
    this.setState(document.uri, step.id, { status: 'queued' });
    const secretNames = new Set(runbook.inputs.filter((input) => input.secret).map((input) => input.name));
    const result = await session.run({
      runbook,
      step,
      values: values.values,
      secrets: values.secrets,
      interpreter: settings.interpreters[step.language],
      defaultTimeoutMs: settings.defaultTimeoutMs,
      onStart: (startedAt) => {
        this.observer?.started(document.uri, runbook, step, startedAt);
        this.setState(document.uri, step.id, { status: 'running', startedAt });
      },
      onOutput: (text) => this.appendOutput(document.uri, step.id, text),
    });
    this.observer?.finished(document.uri, runbook, step, result, { values: values.values, secretNames });
    this.setState(document.uri, step.id, {
      status: STATUS_OF[result.status],
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      startedAt: result.startedAt,
      message: result.message,
      diff: result.expected?.diff,
      droppedBytes: result.droppedBytes,
    });
    this.log.appendLine(`${step.title}: ${result.status}${result.exitCode !== undefined ? `, exit ${result.exitCode}` : ''} in ${formatDuration(result.durationMs)}${result.message ? ` — ${result.message}` : ''}`);
    return result;
  }

  /**
   * Runs the runbook's items in order, from `fromItemId` when given: code steps run (except `skip`
   * ones and those skipped in the progress); it stops at the first step that does not pass, before
   * an interactive step, and at a manual step not yet checked off, which it waits for.
   */
  async runAll(document: vscode.TextDocument, documentVersion?: number, fromItemId?: string): Promise<void> {
    if (documentVersion !== undefined && documentVersion !== document.version) return this.ignore('Run all', 'stale document version');
    if (!this.checkTrust()) return;
    const runbook = this.documents.get(document);
    const start = fromItemId ? runbook.items.findIndex((item) => item.id === fromItemId) : 0;
    if (start < 0) return this.ignore(fromItemId ?? '', 'no such step');
    for (const item of runbook.items.slice(start)) {
      if (item.kind === 'manual') {
        if (this.observer?.manualDone(document.uri, item)) continue;
        void vscode.window.showInformationMessage(`Run all is waiting for the manual step "${item.title}": check it off in the Steps view, then Continue.`);
        return;
      }
      if (item.attributes.skip || this.observer?.skipped(document.uri, item)) continue;
      if (item.attributes.interactive) {
        void vscode.window.showInformationMessage(`Run all stopped before "${item.title}", which is interactive: run it in the terminal, then Continue from the next step.`);
        return;
      }
      // The document may change while steps run; then the run stops rather than guess.
      if (this.documents.get(document) !== runbook) {
        void vscode.window.showWarningMessage(`Run all stopped: ${vscode.workspace.asRelativePath(document.uri)} changed while it ran.`);
        return;
      }
      const result = await this.runStep(document, item.id, document.version);
      if (!result || result.status !== 'passed') return;
    }
  }

  /** Ids of the steps of `uri` that are queued or running now. */
  activeStepIds(uri: vscode.Uri): string[] {
    return [...(this.states.get(uri.toString()) ?? [])].filter(([, state]) => state.status === 'queued' || state.status === 'running').map(([id]) => id);
  }

  /** The live state of a step that is queued or running, if it is. */
  liveState(uri: vscode.Uri, stepId: string): StepView | undefined {
    const state = this.states.get(uri.toString())?.get(stepId);
    return state && (state.status === 'queued' || state.status === 'running') ? state : undefined;
  }

  stop(uri: vscode.Uri, stepId: string): void {
    this.sessions.get(uri.toString())?.stop(stepId);
  }

  resetSession(uri: vscode.Uri): void {
    this.sessions.get(uri.toString())?.reset();
    this.inputs.clearImplicit(uri);
    this.log.appendLine(`Session reset for ${vscode.workspace.asRelativePath(uri)}: exported variables, directory and placeholder values cleared.`);
  }

  async copy(document: vscode.TextDocument, stepId: string, documentVersion?: number): Promise<void> {
    const found = this.resolve(document, stepId, documentVersion);
    if (!found) return;
    await vscode.env.clipboard.writeText(found.step.code);
    void vscode.window.setStatusBarMessage(`Copied "${found.step.title}"`, 2000);
  }

  /** Sends the step's code to the runbook's integrated terminal, inputs travelling in its environment. */
  async runInTerminal(document: vscode.TextDocument, stepId: string, documentVersion?: number): Promise<void> {
    const found = this.resolve(document, stepId, documentVersion);
    if (!found || !this.checkTrust()) return;
    const { runbook, step } = found;
    const session = this.session(document.uri);
    const settings = readRunSettings(document.uri);
    const reasons = confirmationReasons(runbook, step, settings);
    if (reasons.length > 0 && !(await this.prompts.confirm(step, runbook, reasons))) return;
    const values = await this.collectValues(document.uri, runbook, step, session);
    if (!values) return;
    const key = document.uri.toString();
    let terminal = this.terminals.get(key);
    if (!terminal || terminal.exitStatus !== undefined) {
      const env: Record<string, string> = {};
      for (const spec of runbook.inputs) if (spec.default !== undefined) env[spec.name] = spec.default;
      Object.assign(env, values.values);
      terminal = vscode.window.createTerminal({
        name: `Runbook: ${runbook.title}`,
        cwd: stepDirectory(runbook, step).dir,
        env,
        isTransient: true,
      });
      this.terminals.set(key, terminal);
    }
    terminal.show();
    const code = step.family === 'shell' ? replacePlaceholders(step.code, analyzeShell(step.code).placeholders) : step.code;
    if (step.family === 'shell') terminal.sendText(code, true);
    else terminal.sendText(`${step.interpreter} - <<'RUNBOOK_STEP'\n${code}\nRUNBOOK_STEP`, true);
  }

  private resolve(document: vscode.TextDocument, stepId: string, documentVersion?: number): { runbook: Runbook; step: Step } | undefined {
    if (documentVersion !== undefined && documentVersion !== document.version) {
      this.ignore(stepId, `it was asked for version ${documentVersion} of ${vscode.workspace.asRelativePath(document.uri)}, which is now at version ${document.version}`);
      return undefined;
    }
    const runbook = this.documents.get(document);
    const step = runbook.steps.find((s) => s.id === stepId);
    if (!step) {
      this.ignore(stepId, `${vscode.workspace.asRelativePath(document.uri)} has no such step`);
      return undefined;
    }
    return { runbook, step };
  }

  private ignore(what: string, why: string): undefined {
    this.log.appendLine(`Ignored a request to run ${JSON.stringify(what)}: ${why}.`);
    return undefined;
  }

  private checkTrust(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage('Running runbook steps needs a trusted workspace. Trust this folder (Manage Workspace Trust) to run steps.');
    return false;
  }

  /** Declared inputs from the store, and a value for every implicit input, asked for if missing. */
  private async collectValues(uri: vscode.Uri, runbook: Runbook, step: Step, session: RunbookSession) {
    const { values, secrets } = await this.inputs.values(uri, runbook);
    const implicit = stepImplicitInputs(runbook, step, process.env, session.shellSession);
    for (const input of implicit) {
      if (values[input.name] !== undefined) continue;
      const value = await this.prompts.askValue(step, input);
      if (value === undefined) {
        this.log.appendLine(`Not run: no value was given for ${input.label} in "${step.title}".`);
        return undefined;
      }
      this.inputs.setImplicit(uri, input.name, value);
      values[input.name] = value;
    }
    return { values, secrets };
  }

  dispose(): void {
    this.flushOutput();
    for (const session of this.sessions.values()) void session.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
