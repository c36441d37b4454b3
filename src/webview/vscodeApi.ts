// The VS Code webview API, acquired once (acquireVsCodeApi may be called only once per page).

import type { WebviewMessage } from '../features/preview/protocol';

/** What survives a reload of the webview: the host's serializer reads `resource` to restore the panel. */
export interface PersistedState {
  resource?: string;
  scrollY?: number;
}

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PersistedState | undefined;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function getState(): PersistedState {
  const state = api.getState();
  return typeof state === 'object' && state !== null ? state : {};
}

export function setState(state: PersistedState): void {
  api.setState(state);
}
