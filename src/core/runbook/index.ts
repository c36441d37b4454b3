// The runbook model's public face: import from here, not from the files behind it.
export { parseRunbook, type ParseOptions } from './parse';
export { checkInputValue, INPUT_NAME_PATTERN } from './inputs';
export { parseDuration, formatDuration } from './duration';
export { DEFAULT_LANGUAGES, fenceLanguage, type LanguageInfo } from './languages';
export { createMarkdownIt } from './markdown';
export { slugify } from './slug';
export { transcriptCommandLines, transcriptCommands, type CommandLine } from './transcript';
export type * from './types';
export {
  analyzeShell,
  implicitInputs,
  placeholderVariable,
  replacePlaceholders,
  type ImplicitInput,
  type Expansion,
  type ImplicitInputContext,
  type Placeholder,
  type ShellAnalysis,
} from './shellAnalysis';
export { implicitInputsByStep, inputsUsedBy, shellAnalysisOf, stepsUsingInput, type StepImplicitInputs } from './inputUsage';
export { renderRunbook, escapeHtml, type RenderOptions } from './render';
export { markdownBody } from './body';
