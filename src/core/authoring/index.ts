// Authoring help that does not need VS Code: lint, quick fixes, completions, hovers, outline.
export { completionsAt, type Completions, type Suggestion, type SuggestionKind } from './completions';
export { hoverAt, type HoverTarget } from './hover';
export { lintRunbook, type LintOptions } from './lint';
export { runbookProblems } from './problems';
export { diagnosticRange, type ColumnRange } from './locate';
export { stepSymbols, type StepSymbol } from './outline';
export { quickFixes, declareInputEdit, type QuickFix, type TextEdit } from './quickFixes';
export { FRONT_MATTER_KEYS, INPUT_FIELD_TERMS, STEP_ATTRIBUTES, EXPECTED_ATTRIBUTES, type Term } from './vocabulary';
export { declaredInputReferences, type InputReference } from './inputReferences';
