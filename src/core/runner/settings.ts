// The settings a run reads: the same names in the editor (from VS Code's configuration) and on the
// command line (from flags and defaults).

import { DEFAULT_TIMEOUT_MS } from '../run/stepRunner';
import type { SafetyRules } from '../run/safety';

export interface RunSettings extends SafetyRules {
  /** Fence language → command, overriding the runbook's interpreter. */
  interpreters: Record<string, string>;
  /** Timeout of steps whose runbook and step set none. */
  defaultTimeoutMs: number;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = { interpreters: {}, defaultTimeoutMs: DEFAULT_TIMEOUT_MS };
