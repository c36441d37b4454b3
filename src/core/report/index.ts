// Run records for headless runs and CI: JUnit XML, the Markdown run report, history lines. Each
// module is self-contained so generated scripts embed the same code (see scaffold/embed.ts).
export { junitXml, xmlAttribute, xmlText, type JUnitCase, type JUnitSuite } from './junit';
export { markdownRunReport, escapeMarkdownInline, codeSpan, fenceFor, plainOutput, outputTail, type ReportState, type ReportStep, type RunReport } from './markdown';
export { appendHistoryLine, currentUser, headlessOrigin, historyInputs, MAX_HISTORY_INPUT_CHARS, type HistoryLine } from './historyLine';
