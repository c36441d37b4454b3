// The run orchestration's public face: what a run means, for every front end.
export { RunbookRunner, type RunAllOptions, type RunnerOptions, type RunPlan } from './runbookRunner';
export { EventHub, type RunEvent, type RunListener, type RunbookRef } from './events';
export type { ConfirmRequest, KnownValues, ManualAnswer, ManualRequest, RunFrontEnd, ValueRequest } from './frontEnd';
export { exitCodeOf, type BlockReason, type RunOutcome, type ValueProblem } from './outcome';
export { MemoryProgress, historySink, type HistorySink, type ProgressBackend } from './progressBackend';
export { DEFAULT_RUN_SETTINGS, type RunSettings } from './settings';
export { recordedSnapshot, STALE_MESSAGE, type StepSnapshot } from './snapshot';
export { inputValues, planProblems, stepProblems } from './values';
export type { TerminalLaunch } from './terminalLaunch';
