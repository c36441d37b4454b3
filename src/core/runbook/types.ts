// The runbook model: what `parseRunbook` returns. Plain data, so it can cross to a webview or a
// worker as JSON. Lines are 0-based throughout; `endLine` is inclusive.

export type Severity = 'error' | 'warning' | 'info';

export interface RunbookDiagnostic {
  severity: Severity;
  /** Stable machine-readable kind, e.g. `unknown-attribute`; editor features key quick fixes on it. */
  code: DiagnosticCode;
  message: string;
  line: number;
  endLine: number;
  /** Columns on `line` and `endLine`, when the problem is narrower than its lines. */
  column?: number;
  endColumn?: number;
  /** What the problem is about: an attribute key, an input name, a variable. */
  subject?: string;
  /** A value that fixes it, where one is obvious: the free name for a duplicate step name. */
  replacement?: string;
}

export type DiagnosticCode =
  | 'yaml'
  | 'front-matter-shape'
  | 'front-matter-value'
  | 'front-matter-unclosed'
  /** Front matter over a size, nesting or alias limit: it is not read at all. */
  | 'front-matter-limit'
  | 'bad-attributes'
  | 'unknown-attribute'
  | 'bad-attribute-value'
  | 'bad-timeout'
  | 'duplicate-name'
  | 'invalid-input'
  | 'unknown-input-field'
  | 'orphan-expected'
  | 'unclosed-fence'
  // From lintRunbook (src/core/authoring): how the runbook is written rather than whether it parses.
  | 'undeclared-input'
  | 'undeclared-placeholder'
  | 'unused-input'
  | 'input-without-description'
  | 'confirm-without-environment'
  // From `runbook check`: an exported CI workflow no longer matches its runbook or script.
  | 'export-drift'
  | 'arithmetic-input'
  | 'reserved-variable'
  // From lintAlerts (src/core/alerts): the front matter's alerts: and automation:.
  | 'alerts-shape'
  | 'bad-automation'
  | 'alert-unknown-input'
  | 'alert-template'
  | 'alert-unfilled-input';

export interface LineRange {
  startLine: number;
  endLine: number;
}

export type LanguageFamily = 'shell' | 'python' | 'node' | 'powershell';

export type InputType = 'string' | 'number' | 'boolean';

export interface InputSpec {
  name: string;
  type: InputType;
  description?: string;
  default?: string;
  pattern?: string;
  min?: number;
  max?: number;
  choices?: string[];
  secret: boolean;
  required: boolean;
  /** Line of the input's key in the front matter. */
  line: number;
}

export interface StepAttributes {
  name?: string;
  confirm: boolean;
  /** Milliseconds; undefined means "inherit from the runbook or the setting". */
  timeoutMs?: number;
  cwd?: string;
  interactive: boolean;
  skip: boolean;
  errexit: boolean;
  /** Every key as written, known or not, for tools that want the raw form. */
  raw: Record<string, string | boolean>;
}

export type MatchMode = 'contains' | 'exact' | 'regex';

export interface ExpectedOutput extends LineRange {
  text: string;
  match: MatchMode;
}

export interface Step extends LineRange {
  kind: 'code';
  /** `name` when given, else `<section-slug>-<hash of code>`; unique within the runbook. */
  id: string;
  title: string;
  /** The info string's language as written, lower-cased. */
  language: string;
  family: LanguageFamily;
  /** Program that runs the code, e.g. `bash`, `python3`, `node`. */
  interpreter: string;
  /** What runs: for a transcript, only its commands. */
  code: string;
  /** The fence's content as written. */
  source: string;
  /** True when `code` was taken from `$ `-prompted lines of a transcript. */
  transcript: boolean;
  attributes: StepAttributes;
  /** Titles of the headings above the step, outermost first. */
  sectionPath: string[];
  sectionIndex: number;
  /** First and last line of the code between the fences. */
  codeStartLine: number;
  expected?: ExpectedOutput;
}

export interface ManualStep extends LineRange {
  kind: 'manual';
  id: string;
  title: string;
  /** Whether the file says `[x]`; this is not progress, which is stored apart from the file. */
  checkedInFile: boolean;
  sectionPath: string[];
  sectionIndex: number;
}

export type RunbookItem = Step | ManualStep;

export interface Section {
  title: string;
  /** GitHub-style anchor slug, unique within the runbook. */
  slug: string;
  level: number;
  line: number;
  /** Index of the enclosing section, -1 at top level. */
  parent: number;
}

export interface RunbookMeta {
  description?: string;
  owner?: string;
  tags: string[];
  environment?: string;
  shell?: string;
  cwd?: string;
  timeoutMs?: number;
  /** `runbook: true` in the front matter marks a file as a runbook without inputs. */
  declaredRunbook: boolean;
}

export interface Runbook {
  path?: string;
  title: string;
  meta: RunbookMeta;
  /** The front matter as parsed, or undefined when there is none or it is not a mapping. */
  frontMatter?: Record<string, unknown>;
  /** Line range of the front matter block including its `---` fences. */
  frontMatterRange?: LineRange;
  inputs: InputSpec[];
  sections: Section[];
  steps: Step[];
  manualSteps: ManualStep[];
  /** Steps and manual steps in document order. */
  items: RunbookItem[];
  diagnostics: RunbookDiagnostic[];
  lineCount: number;
}
