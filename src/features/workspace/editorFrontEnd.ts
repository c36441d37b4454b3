// The editor's side of a run: what the core runner asks, answered with VS Code's dialogs, input
// boxes and stored values (workspace state, SecretStorage). Rules about when to ask live in
// src/core/runner; this only asks.

import * as vscode from 'vscode';
import type { ImplicitInput, Runbook, Step } from '../../core/runbook';
import type { ConfirmRequest, KnownValues, ManualAnswer, RunFrontEnd, ValueRequest } from '../../core/runner';
import type { InputStore } from './inputStore';

/** The two questions a person answers in a dialog. Tests swap them for scripted answers. */
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

/** The front end of one runbook's runner in the editor. */
export class EditorFrontEnd implements RunFrontEnd {
  constructor(
    private readonly uri: vscode.Uri,
    private readonly inputs: InputStore,
    private readonly prompts: () => RunPrompts,
  ) {}

  knownValues(runbook: Runbook): Promise<KnownValues> {
    return this.inputs.values(this.uri, runbook);
  }

  confirm({ step, runbook, reasons }: ConfirmRequest): Promise<boolean> {
    return this.prompts().confirm(step, runbook, reasons);
  }

  /** One input box after another; Escape on one stops asking (the run then names what is missing). */
  async askValues(requests: ValueRequest[]): Promise<Record<string, string>> {
    const given: Record<string, string> = {};
    for (const { step, input } of requests) {
      const value = await this.prompts().askValue(step, input);
      if (value === undefined) break;
      given[input.name] = value;
    }
    return given;
  }

  rememberValue(name: string, value: string): void {
    this.inputs.setImplicit(this.uri, name, value);
  }

  /** In the editor a manual step is checked off in the Steps view; Run all waits until then. */
  async manualStep(): Promise<ManualAnswer> {
    return 'stop';
  }

  sessionReset(): void {
    this.inputs.clearImplicit(this.uri);
  }
}
