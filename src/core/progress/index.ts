// Progress and history: run records, step states, the history log and the run report. Pure
// TypeScript and Node; no `vscode`. Import from here, not from the files behind it.
export type * from './types';
export { PROGRESS_FORMAT, PROGRESS_VERSION } from './types';
export {
  INTERRUPTED_MESSAGE,
  codeHash,
  emptyProgress,
  isEmptyProgress,
  itemDone,
  manualChecked,
  manualState,
  nextItem,
  outputTail,
  recordManual,
  recordResult,
  recordSkip,
  recordStart,
  reconcile,
  resetStep,
  stepState,
  summarize,
  tailOf,
  type ManualState,
  type ProgressSummary,
  type ReconcileOptions,
} from './model';
export { ProgressStore, emptyProgressFile, type ProgressStoreOptions } from './store';
export { HistoryLog, currentUser, historyEntry, loggedInputs, manualHistoryEntry, type HistoryContext } from './history';
export { renderRunReport, codeSpan, escapeMarkdownInline, fenceFor } from './report';
