// The runbook model's public face: import from here, not from the files behind it.
export { parseRunbook, type ParseOptions } from './parse';
export {
  checkInputValue,
  environmentValueProblem,
  secretValueProblem,
  INPUT_NAME_PATTERN,
  MAX_INPUT_VALUE_BYTES,
  MIN_SECRET_LENGTH,
  type InputRules,
} from './inputValue';
export { isReservedVariable, reservedVariableReason } from './reservedNames';
export { parseDuration, durationProblem, formatDuration, MAX_TIMEOUT_MS } from './duration';
export { MAX_FRONT_MATTER_ALIASES, MAX_FRONT_MATTER_CHARS, MAX_FRONT_MATTER_DEPTH } from './frontMatter';
export { DEFAULT_LANGUAGES, fenceLanguage, type LanguageInfo } from './languages';
export { createMarkdownIt } from './markdown';
export { slugify } from './slug';
export { transcriptCommandLines, transcriptCommands, type CommandLine } from './transcript';
export type * from './types';
export {
  analyzeShell,
  implicitInputs,
  isShellVariable,
  NOT_PLACEHOLDERS,
  placeholderVariable,
  replacePlaceholders,
  type ImplicitInput,
  type Expansion,
  type ImplicitInputContext,
  type Occurrence,
  type Placeholder,
  type ShellAnalysis,
} from './shellAnalysis';
export { arithmeticValueProblem, WHOLE_NUMBER } from './arithmeticValue';
export { stepValueProblems, type StepValueProblem } from './stepValues';
export { implicitInputsByStep, inputsUsedBy, shellAnalysisOf, stepUsesInput, stepsUsingInput, type StepImplicitInputs } from './inputUsage';
export { renderRunbook, escapeHtml, type RenderOptions } from './render';
export { markdownBody } from './body';
