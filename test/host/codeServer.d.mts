// Types for codeServer.mjs, which stays plain JavaScript so scripts can run it without a build.
import type { Browser } from 'playwright-core';

export const CHROMIUM_ARGS: string[];
export function freePort(): Promise<number>;
export interface CodeServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  output(): string;
}
export function startCodeServer(options: {
  /** The folder to open; none opens an empty window. */
  folder?: string;
  port?: number;
  env?: Record<string, string>;
  quiet?: boolean;
  userDataDir?: string;
  workspaceTrust?: boolean;
  settings?: Record<string, unknown>;
}): Promise<CodeServer>;
export function launchChromium(): Promise<Browser>;
export function developmentUrl(url: string, options: { folder?: string; extensionPath: string; testsPath?: string }): string;
