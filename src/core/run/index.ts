// The execution engine's public face.
export { RunbookSession, type SessionRunOptions } from './runbookSession';
export { runStep, stepDirectory, stepImplicitInputs, stepTimeout, runbookFolder, DEFAULT_TIMEOUT_MS, type RunStepOptions } from './stepRunner';
export { ShellSession } from './shellSession';
export { checkExpected, lineDiff } from './expected';
export { OutputBuffer, DEFAULT_OUTPUT_LIMIT } from './outputBuffer';
export { SecretMasker, MASK } from './secretMasker';
export { killTree, descendants, isAlive } from './processTree';
export { confirmationReasons, dangerousMatches, isProductionLike, DEFAULT_DANGEROUS_PATTERNS, DEFAULT_PRODUCTION_ENVIRONMENTS, type SafetyRules } from './safety';
export type * from './types';
