// The extension's settings, read fresh at each use so changes apply without a reload.

import * as vscode from 'vscode';
import { parseDuration } from '../../core/runbook';
import { DEFAULT_DANGEROUS_PATTERNS, DEFAULT_TIMEOUT_MS } from '../../core/run';
import type { RunSettings } from '../../core/runner';

/** `runbooks.scriptsFolder`: where Extract Steps to Script puts scripts, workspace-relative. */
export function readScriptsFolder(scope?: vscode.Uri): string {
  return vscode.workspace.getConfiguration('runbooks', scope).get<string>('scriptsFolder') || 'scripts';
}

export function readRunSettings(scope?: vscode.Uri): RunSettings {
  const config = vscode.workspace.getConfiguration('runbooks', scope);
  const interpreters = config.get<Record<string, string>>('interpreters') ?? {};
  const extra = config.get<string[]>('dangerousPatterns') ?? [];
  return {
    interpreters: Object.fromEntries(Object.entries(interpreters).map(([language, command]) => [language.toLowerCase(), command])),
    defaultTimeoutMs: parseDuration(config.get<string>('defaultTimeout') ?? '') ?? DEFAULT_TIMEOUT_MS,
    productionEnvironments: config.get<string[]>('productionEnvironments'),
    dangerousPatterns: [...DEFAULT_DANGEROUS_PATTERNS, ...extra],
  };
}
