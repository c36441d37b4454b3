// The extension's public API, for other extensions (`vscode.extensions.getExtension(…).exports`):
// run a runbook's steps through the same path as every button, and watch their state. Documented
// in the README; everything else is internal.

import * as vscode from 'vscode';
import type { RunOutcome, StepSnapshot } from '../../core/runner';
import type { StepResult } from '../../core/run';
import type { WorkspaceServices } from '.';
import type { RunEnded, StepStateChange } from './runController';

export interface RunbooksApi {
  readonly apiVersion: 1;
  /** Runs one step of the runbook at `uri` (confirmation and values asked as in the preview). */
  runStep(uri: vscode.Uri, stepId: string): Promise<StepResult | undefined>;
  /** Run all; resolves with how it ended and why. */
  runAll(uri: vscode.Uri): Promise<RunOutcome | undefined>;
  stopStep(uri: vscode.Uri, stepId: string): void;
  /** The state of a step of an open runbook. */
  stepState(uri: vscode.Uri, stepId: string): StepSnapshot;
  readonly onDidChangeStepState: vscode.Event<StepStateChange>;
  readonly onDidEndRun: vscode.Event<RunEnded>;
}

export function publicApi({ controller }: WorkspaceServices): RunbooksApi {
  const open = (uri: vscode.Uri) => vscode.workspace.openTextDocument(uri);
  return {
    apiVersion: 1,
    runStep: async (uri, stepId) => controller.runStep(await open(uri), stepId),
    runAll: async (uri) => controller.runAll(await open(uri)),
    stopStep: (uri, stepId) => controller.stop(uri, stepId),
    stepState: (uri, stepId) => controller.state(uri, stepId),
    onDidChangeStepState: controller.onDidChangeState,
    onDidEndRun: controller.onDidEndRun,
  };
}
