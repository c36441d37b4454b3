// The one message protocol between the runbook preview's webview and the extension host, shared by
// both and checked on both sides. The webview is untrusted: it names steps by id together with
// the document version it rendered, and the host runs only steps of its own parse of that version.
// No `vscode` import: the webview bundle includes this file.
//
// The host sends the document's HTML only when the document changed, and otherwise incremental
// messages: step states per step, output as it streams. Output already sent is never sent again.

import type { StepState } from '../../core/run/state';

/** The one state vocabulary of src/core (`pending`, `queued`, `running`, `passed` …). */
export type StepStatus = StepState;

/** What the preview shows of a step's state (the wire form of the core's StepSnapshot). */
export interface StepView {
  status: StepStatus;
  exitCode?: number;
  durationMs?: number;
  /** Epoch ms when the step started, for the running timer. */
  startedAt?: number;
  message?: string;
  /** Difference between expected and actual output, when the check failed. */
  diff?: string;
  droppedBytes?: number;
}

export interface InputView {
  name: string;
  type: 'string' | 'number' | 'boolean';
  description?: string;
  /** Current value; never sent for secrets. */
  value?: string;
  placeholder?: string;
  pattern?: string;
  min?: number;
  max?: number;
  choices?: string[];
  required: boolean;
  secret: boolean;
  /** For secrets: whether a value is stored. */
  hasValue: boolean;
}

export interface HeaderView {
  title: string;
  description?: string;
  owner?: string;
  tags: string[];
  environment?: string;
  productionLike: boolean;
}

export type HostMessage =
  | {
      /** The rendered document: on first load and whenever the document or trust changed. */
      type: 'document';
      /** The runbook's URI; the webview keeps it in its state so the preview is restored after a reload. */
      resource: string;
      documentVersion: number;
      html: string;
      header: HeaderView;
      inputs: InputView[];
      /** The state of every step of this version. */
      steps: Record<string, StepView>;
      /** Whether each manual step (task-list item) is checked off in the progress. */
      manual: Record<string, boolean>;
      trusted: boolean;
    }
  /** Output the webview does not have yet (after a (re)load, or for a step that reappeared). */
  | { type: 'outputs'; outputs: Record<string, string> }
  /** States of the steps that changed. */
  | { type: 'steps'; steps: Record<string, StepView> }
  | { type: 'manual'; manual: Record<string, boolean> }
  | { type: 'output'; stepId: string; text: string }
  | { type: 'clearOutput'; stepId: string }
  | { type: 'inputs'; inputs: InputView[] }
  /** Processes steps left running in the background (empty: none). */
  | { type: 'background'; processes: Array<{ pid: number; command: string; step: string }> }
  /** Scroll the block that holds this source line into view (the editor's cursor moved there). */
  | { type: 'scrollToLine'; line: number };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'run'; stepId: string; documentVersion: number }
  | { type: 'stop'; stepId: string; documentVersion: number }
  | { type: 'copy'; stepId: string; documentVersion: number }
  | { type: 'runInTerminal'; stepId: string; documentVersion: number }
  | { type: 'runAll'; documentVersion: number }
  | { type: 'resetSession' }
  | { type: 'stopBackground' }
  | { type: 'showBackgroundLog' }
  | { type: 'setInput'; name: string; value: string }
  | { type: 'reveal'; line: number };

const STEP_ACTIONS = new Set(['run', 'stop', 'copy', 'runInTerminal']);
const MAX_ID = 200;
const MAX_INPUT = 64 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function hasOnlyKeys(value: Record<string, unknown>, keys: string[]): boolean {
  return Object.keys(value).every((key) => keys.includes(key));
}

/** The host's check of anything a webview posts. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (!isRecord(value) || typeof value.type !== 'string') return false;
  if (STEP_ACTIONS.has(value.type)) {
    return (
      hasOnlyKeys(value, ['type', 'stepId', 'documentVersion']) &&
      typeof value.stepId === 'string' &&
      value.stepId.length > 0 &&
      value.stepId.length <= MAX_ID &&
      isVersion(value.documentVersion)
    );
  }
  switch (value.type) {
    case 'ready':
    case 'resetSession':
    case 'stopBackground':
    case 'showBackgroundLog':
      return hasOnlyKeys(value, ['type']);
    case 'runAll':
      return hasOnlyKeys(value, ['type', 'documentVersion']) && isVersion(value.documentVersion);
    case 'setInput':
      return (
        hasOnlyKeys(value, ['type', 'name', 'value']) &&
        typeof value.name === 'string' &&
        /^[A-Za-z_][A-Za-z0-9_]*$/.test(value.name) &&
        typeof value.value === 'string' &&
        value.value.length <= MAX_INPUT
      );
    case 'reveal':
      return hasOnlyKeys(value, ['type', 'line']) && isVersion(value.line);
    default:
      return false;
  }
}

/** The webview's check of what the host posts (a bug there must not break the page). */
export function isHostMessage(value: unknown): value is HostMessage {
  if (!isRecord(value) || typeof value.type !== 'string') return false;
  switch (value.type) {
    case 'document':
      return typeof value.resource === 'string' && isVersion(value.documentVersion) && typeof value.html === 'string' && isRecord(value.header) && Array.isArray(value.inputs) && isRecord(value.steps) && isRecord(value.manual);
    case 'outputs':
      return isRecord(value.outputs) && Object.values(value.outputs).every((text) => typeof text === 'string');
    case 'steps':
      return isRecord(value.steps) && Object.values(value.steps).every((state) => isRecord(state) && typeof state.status === 'string');
    case 'manual':
      return isRecord(value.manual);
    case 'background':
      return Array.isArray(value.processes) && value.processes.every((entry) => isRecord(entry) && typeof entry.pid === 'number' && typeof entry.command === 'string' && typeof entry.step === 'string');
    case 'output':
      return typeof value.stepId === 'string' && typeof value.text === 'string';
    case 'clearOutput':
      return typeof value.stepId === 'string';
    case 'inputs':
      return Array.isArray(value.inputs);
    case 'scrollToLine':
      return isVersion(value.line);
    default:
      return false;
  }
}
