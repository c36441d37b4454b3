// The VS Code webview API for the insights panel, acquired once (acquireVsCodeApi may be called
// only once per page), typed with the insights protocol.

import type { InsightsPeriodChoice, InsightsWebviewMessage } from '../../features/insights/protocol';

/** What survives a reload of the webview: the host's serializer reads the period back. */
export interface InsightsState {
  period?: InsightsPeriodChoice;
}

interface VsCodeApi {
  postMessage(message: InsightsWebviewMessage): void;
  getState(): InsightsState | undefined;
  setState(state: InsightsState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: InsightsWebviewMessage): void {
  api.postMessage(message);
}

export function saveState(state: InsightsState): void {
  api.setState(state);
}
