// The execution engine's public face.
export { RunbookSession, type SessionRunOptions, type RunbookSessionOptions, type SessionBackgroundProcess } from './runbookSession';
export { runStep, interpreterCommand, stepDirectory, stepImplicitInputs, stepTimeout, runbookFolder, DEFAULT_TIMEOUT_MS, type RunStepOptions } from './stepRunner';
export { ShellSession } from './shellSession';
export { checkExpected, lineDiff } from './expected';
export { OutputBuffer, DEFAULT_OUTPUT_LIMIT } from './outputBuffer';
export { SecretMasker, MASK } from './secretMasker';
export { killTree, stopTree, descendants, isAlive, createContainer, type ProcessTree, type ProcessContainer } from './processTree';
export { executeCode, environmentProblem, findExecutable, type CodeRun, type CodeResult } from './stepProcess';
export { confirmationReasons, dangerousMatches, isProductionLike, DEFAULT_DANGEROUS_PATTERNS, DEFAULT_PRODUCTION_ENVIRONMENTS, type SafetyRules } from './safety';
export type * from './types';
export { isActiveState } from './state';
