// When a step must ask before it runs: the same rules in the editor and in generated scripts.

import type { Runbook, Step } from '../runbook';

/** Regular expressions (case-insensitive) for code that destroys things. */
export const DEFAULT_DANGEROUS_PATTERNS: readonly string[] = [
  String.raw`\brm\s+(-[a-zA-Z]*\s+)*-[a-zA-Z]*(r[a-zA-Z]*f|f[a-zA-Z]*r)`,
  String.raw`\bdrop\s+(table|database|schema)\b`,
  String.raw`\btruncate\s+table\b`,
  String.raw`\bdelete\s+from\b`,
  String.raw`\bkubectl\s+(\S+\s+)*delete\b`,
  String.raw`\bhelm\s+(uninstall|delete)\b`,
  String.raw`\bterraform\s+(destroy|apply\s+.*-destroy)\b`,
  String.raw`\bmkfs(\.\w+)?\b`,
  String.raw`\bdd\s+.*\bof=/dev/`,
  String.raw`\b(shutdown|reboot|poweroff|halt)\b`,
  String.raw`\bgit\s+push\s+.*(--force|-f)\b`,
];

export const DEFAULT_PRODUCTION_ENVIRONMENTS: readonly string[] = ['production', 'prod', 'prd', 'live'];

export interface SafetyRules {
  dangerousPatterns?: readonly string[];
  productionEnvironments?: readonly string[];
}

export function isProductionLike(environment: string | undefined, names: readonly string[] = DEFAULT_PRODUCTION_ENVIRONMENTS): boolean {
  if (!environment) return false;
  const value = environment.trim().toLowerCase();
  // `production`, `prod-eu`, `live_us` are production-like; `preprod` and `non-prod` are not.
  return names.some((name) => {
    const n = name.toLowerCase();
    return value === n || value.startsWith(`${n}-`) || value.startsWith(`${n}_`) || value.startsWith(`${n}.`);
  });
}

/** The dangerous patterns the code matches, as written in the rules. Bad patterns are skipped. */
export function dangerousMatches(code: string, patterns: readonly string[] = DEFAULT_DANGEROUS_PATTERNS): string[] {
  const found: string[] = [];
  for (const pattern of patterns) {
    try {
      const match = new RegExp(pattern, 'i').exec(code);
      if (match) found.push(match[0].trim());
    } catch {
      // a broken user pattern must not block running; the settings UI reports it
    }
  }
  return found;
}

/** Why `step` needs confirmation; empty when it does not. */
export function confirmationReasons(runbook: Runbook, step: Step, rules: SafetyRules = {}): string[] {
  const reasons: string[] = [];
  if (step.attributes.confirm) reasons.push('the step is marked confirm');
  if (isProductionLike(runbook.meta.environment, rules.productionEnvironments)) {
    reasons.push(`the runbook's environment is ${runbook.meta.environment}`);
  }
  for (const match of dangerousMatches(step.code, rules.dangerousPatterns)) reasons.push(`its code contains "${match}"`);
  return reasons;
}
