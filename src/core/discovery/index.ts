// Runbook discovery's public face: which files are runbooks, and what lists show of them.
export { readRunbookHeader, firstHeadingText, type RunbookHeader } from './header';
export { DEFAULT_INCLUDE, isIgnoredPath, isMarkdownPath, isRunbookFile, matchesInclude } from './rules';
export { RunbookIndex } from './runbookIndex';
export { discoverRunbooks, type DiscoverOptions, type FoundRunbook } from './discover';
