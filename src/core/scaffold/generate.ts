// The script generator: chosen steps of a runbook become one TypeScript file that runs them the
// way the editor does, with the runbook's inputs as validated command-line options. The file is the
// runbook's part (where it came from and its digest, its inputs, its steps as functions a person may
// edit) followed by the runtime, the engine's own modules embedded as text (embed.ts).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  analyzeShell,
  formatDuration,
  implicitInputsByStep,
  isReservedVariable,
  replacePlaceholders,
  shellAnalysisOf,
  slugify,
  stepsUsingInput,
  type InputSpec,
  type ManualStep,
  type Runbook,
  type Step,
} from '../runbook';
import { confirmationReasons, type SafetyRules } from '../run/safety';
import { interpreterCommand, stepTimeout } from '../run/stepRunner';
import { embeddedRuntime, importLines } from './embed';
import { commentText, functionName, literal, optionName, textLiteral } from './names';

export interface ScaffoldOptions {
  /** Ids of the runbook items (code and manual steps) to extract, any order; the script keeps document order. */
  itemIds: string[];
  /** The runbook's path as the header should show it (workspace-relative). */
  runbookPath: string;
  /** The script's own path relative to the workspace, for "how to run". */
  scriptPath: string;
  /** Relative path from the script's folder to the runbook's folder: the base of the steps' working directories. */
  runbookDirFromScript: string;
  generatedAt: Date;
  safety?: SafetyRules;
  /** Language → command overrides (the `runbooks.interpreters` setting). */
  interpreters?: Record<string, string>;
  /** Timeout of steps whose runbook and step set none (the `runbooks.defaultTimeout` setting). */
  defaultTimeoutMs?: number;
  /**
   * The runbook file's text the runbook was parsed from, for `RUNBOOK_SHA256` (the drift check);
   * read from `runbook.path` when not given.
   */
  runbookText?: string;
}

/** The sha256 (hex) of a runbook's text: what a script records as `RUNBOOK_SHA256`. */
export function runbookDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Options of the script itself: no input's option may take one of these names. */
export const SCRIPT_OPTIONS = ['dry-run', 'yes', 'skip-manual', 'from', 'only', 'report', 'junit', 'history', 'help'];

/** An input of the script: declared in the front matter, or implicit in a shell step. */
export interface ScriptInput {
  name: string;
  option?: string;
  spec?: InputSpec;
  /** For implicit inputs: `<pod-name>` or `$CLUSTER`. */
  label?: string;
  usedBy: string[];
}

export interface PlannedStep {
  item: Step | ManualStep;
  functionName: string;
  number: number;
}

/** The runbook items the options select, in document order. */
export function selectedItems(runbook: Runbook, itemIds: string[]): Array<Step | ManualStep> {
  const wanted = new Set(itemIds);
  return runbook.items.filter((item) => wanted.has(item.id));
}

/** The script's inputs: the declared ones, then the implicit inputs of the selected shell steps. */
export function scriptInputs(runbook: Runbook, items: Array<Step | ManualStep>): ScriptInput[] {
  const steps = items.filter((item): item is Step => item.kind === 'code');
  // A name that controls how programs start never becomes an option or a default, even in a runbook
  // object that did not come from the parser (which refuses such inputs): the engine refuses it too.
  const usable = runbook.inputs.filter((input) => !isReservedVariable(input.name));
  const declared = usable.map((input) => input.name);
  const inputs: ScriptInput[] = usable.map((spec) => ({
    name: spec.name,
    spec,
    option: spec.secret ? undefined : optionName(spec.name),
    usedBy: stepsUsingInput(steps, spec.name).map((step) => step.id),
  }));
  const implicit = new Map<string, ScriptInput>();
  for (const { step, inputs: found } of implicitInputsByStep(steps, declared)) {
    for (const { name, label } of found) {
      const input = implicit.get(name) ?? { name, label, usedBy: [] };
      input.usedBy.push(step.id);
      implicit.set(name, input);
    }
  }
  inputs.push(...implicit.values());
  // Options must not clash with each other or with the script's own.
  const taken = new Set(SCRIPT_OPTIONS);
  for (const input of inputs) {
    if (input.spec?.secret) continue;
    let option = optionName(input.name);
    while (taken.has(option)) option = `${option}-input`;
    taken.add(option);
    input.option = option;
  }
  return inputs;
}

function inputEntry(input: ScriptInput, steps: Map<string, string>, arithmetic: Set<string>): string {
  const fields: string[] = [`name: ${literal(input.name)}`];
  if (input.option) fields.push(`option: ${literal(input.option)}`);
  const spec = input.spec;
  if (spec) {
    if (spec.description !== undefined) fields.push(`description: ${literal(spec.description)}`);
    if (spec.type !== 'string') fields.push(`type: '${spec.type}'`);
    if (spec.default !== undefined) fields.push(`default: ${literal(spec.default)}`);
    if (spec.pattern !== undefined) fields.push(`pattern: ${literal(spec.pattern)}`);
    if (spec.min !== undefined) fields.push(`min: ${spec.min}`);
    if (spec.max !== undefined) fields.push(`max: ${spec.max}`);
    if (spec.choices) fields.push(`choices: [${spec.choices.map(literal).join(', ')}]`);
    if (spec.required) fields.push('required: true');
    if (spec.secret) fields.push('secret: true');
  } else {
    const where = input.usedBy.map((id) => `"${steps.get(id) ?? id}"`).join(', ');
    fields.push(`description: ${literal(commentText(`Value for ${input.label} in ${where}`))}`, 'required: true');
  }
  fields.push(`usedBy: [${input.usedBy.map(literal).join(', ')}]`);
  if (arithmetic.has(input.name)) fields.push('arithmetic: true');
  return `  { ${fields.join(', ')} },`;
}

function codeFunction(runbook: Runbook, step: Step, name: string, options: ScaffoldOptions): string {
  const interpreter = interpreterCommand(step, options.interpreters?.[step.language]);
  const command = [interpreter.command, ...interpreter.args];
  const shell = step.family === 'shell';
  const code = shell ? replacePlaceholders(step.code, analyzeShell(step.code).placeholders) : step.code;
  const timeoutMs = stepTimeout(runbook, step, options.defaultTimeoutMs);
  const how = [`command: [${command.map(literal).join(', ')}]`, `extension: '${interpreter.extension}'`];
  if (shell) how.push('shell: true');
  if (shell && !step.attributes.errexit) how.push('errexit: false');
  if (step.attributes.cwd) how.push(`cwd: ${literal(step.attributes.cwd)}`);
  how.push(`timeoutMs: ${timeoutMs.toLocaleString('en-US').replaceAll(',', '_')} /* ${formatDuration(timeoutMs)} */`);
  if (step.attributes.interactive) how.push('interactive: true');
  const fields = [how.join(', '), `code: ${textLiteral(code.replace(/\n$/, ''), '    ')}`];
  if (step.expected) fields.push(`expected: { match: '${step.expected.match}', text: ${textLiteral(step.expected.text.replace(/\n$/, ''), '    ')} }`);
  return [
    `// ${commentText(step.title)} (${commentText(options.runbookPath)}, line ${step.startLine + 1})`,
    `function ${name}(step: StepRunner): Promise<void> {`,
    '  return step.code({',
    ...fields.map((field) => `    ${field},`),
    '  });',
    '}',
  ].join('\n');
}

function header(runbook: Runbook, planned: PlannedStep[], options: ScaffoldOptions): string[] {
  const line = (text: string) => (text ? `// ${commentText(text)}` : '//');
  const steps = planned.map(({ item, number }) => {
    const id = item.kind === 'code' && item.title !== item.id ? ` (${item.id})` : '';
    return `//   ${commentText(`${number}. ${item.title}${id}${item.kind === 'manual' ? ' (manual)' : ''}`)}`;
  });
  return [
    line(`${runbook.title}: steps extracted from the runbook ${options.runbookPath}`),
    '//',
    ...steps,
    '//',
    line(`Generated by Executable Runbooks on ${options.generatedAt.toISOString()}. This file is yours: edit it as you`),
    line('like (regenerating it from the runbook overwrites it).'),
    '//',
    line(`Run:   npx tsx ${options.scriptPath} --help`),
    line('Needs: Node 20 or later, with tsx installed (npm install --save-dev tsx).'),
    '//',
    line('As in the runbook editor, inputs reach the steps only as environment variables (never pasted into'),
    line('code), shell steps share a session (what they export and the directory they cd into carry over to'),
    line('later steps), a timeout or Ctrl+C stops a step with everything it started, and secret values are'),
    line('masked in its output. Each input comes from its option, else the environment variable of the same'),
    line('name, else its default; secrets only from the environment. Exit codes: 0 all passed, 1 a step'),
    line('failed, 2 bad usage or input, 3 a confirmation or manual step needs a person, 124 a timeout,'),
    line('130 interrupted. The part after the steps is the runbook editor\'s own engine, embedded.'),
  ];
}

/** The generated script's text. */
export function generateScript(runbook: Runbook, options: ScaffoldOptions): string {
  const runtime = embeddedRuntime();
  const items = selectedItems(runbook, options.itemIds);
  const reserved = new Set<string>([...runtime.names, ...PREAMBLE_NAMES]);
  const taken = new Set<string>();
  const planned: PlannedStep[] = items.map((item, i) => ({
    item,
    number: i + 1,
    functionName: item.kind === 'code' ? functionName(item.attributes.name ?? item.title, taken, reserved) : '',
  }));
  const inputs = scriptInputs(runbook, items);
  const titles = new Map(items.map((item) => [item.id, item.title]));
  const workDir = runbook.meta.cwd ? `resolve(RUNBOOK_DIR, ${literal(runbook.meta.cwd)})` : 'RUNBOOK_DIR';
  const text = options.runbookText ?? readRunbookText(runbook);

  const table = planned.map(({ item, functionName: name }) => {
    const fields = [`id: ${literal(item.id)}`, `title: ${literal(item.title)}`];
    if (item.kind === 'manual') fields.push('manual: true');
    else {
      fields.push(`run: ${name}`);
      const reasons = confirmationReasons(runbook, item, options.safety);
      if (reasons.length > 0) fields.push(`confirm: [${reasons.map(literal).join(', ')}]`);
      if (item.attributes.skip) fields.push('skip: true');
    }
    return `  { ${fields.join(', ')} },`;
  });
  // Names a selected shell step evaluates as arithmetic: the script takes only whole numbers for them.
  const arithmetic = new Set(
    planned.flatMap(({ item }) => (item.kind === 'code' && item.family === 'shell' ? shellAnalysisOf(item).arithmetic.map((use) => use.name) : [])),
  );
  const functions = planned.flatMap(({ item, functionName: name }) => (item.kind === 'code' ? [codeFunction(runbook, item, name, options)] : []));
  const imports = new Map<string, Set<string>>([...runtime.imports].map(([from, set]) => [from, new Set(set)]));
  for (const [from, names] of Object.entries(PREAMBLE_IMPORTS)) for (const name of names) imports.set(from, (imports.get(from) ?? new Set()).add(name));

  return [
    ...header(runbook, planned, options),
    '',
    ...importLines(imports),
    '',
    '/** The runbook this script was made from (repository-relative) and the sha256 of its text then: compare to detect drift. */',
    `const RUNBOOK_PATH = ${literal(options.runbookPath)};`,
    `const RUNBOOK_SHA256 = '${text === undefined ? '' : runbookDigest(text)}';`,
    "/** The runbook's folder; steps run in WORK_DIR (the front matter's cwd) unless they set their own cwd. */",
    `const RUNBOOK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), ${literal(options.runbookDirFromScript || '.')});`,
    `const WORK_DIR = ${workDir};`,
    '',
    "/** The runbook's inputs: command-line options or environment variables (secrets: environment only), passed to the steps as environment variables. */",
    'const INPUTS: InputEntry[] = [',
    ...inputs.map((input) => inputEntry(input, titles, arithmetic)),
    '];',
    '',
    '/** The steps, in the order they run. */',
    'const STEPS: StepEntry[] = [',
    ...table,
    '];',
    '',
    functions.join('\n\n'),
    '',
    '// ─── How it runs: the runbook editor\'s engine, embedded (regenerating the script updates it) ───',
    '',
    runtime.body,
    '',
    '// ─── Run (last, so that everything above is defined) ───',
    '',
    'void runScript({',
    `  about: ${literal(commentText(`${runbook.title}: steps from ${options.runbookPath}`))},`,
    `  usage: ${literal(commentText(`npx tsx ${options.scriptPath}`))},`,
    `  runbookTitle: ${literal(runbook.title)},`,
    '  runbookPath: RUNBOOK_PATH,',
    '  runbookSha256: RUNBOOK_SHA256,',
    '  workDir: WORK_DIR,',
    '  inputs: INPUTS,',
    '  steps: STEPS,',
    '});',
    '',
  ].join('\n');
}

/** What the runbook's part of the script imports itself. */
const PREAMBLE_IMPORTS: Record<string, string[]> = { 'node:path': ['dirname', 'resolve'], 'node:url': ['fileURLToPath'] };
/** Top-level names of the runbook's part of the script, which step functions must not take. */
const PREAMBLE_NAMES = ['RUNBOOK_PATH', 'RUNBOOK_SHA256', 'RUNBOOK_DIR', 'WORK_DIR', 'INPUTS', 'STEPS', 'fileURLToPath', 'process', 'console'];

function readRunbookText(runbook: Runbook): string | undefined {
  if (!runbook.path) return undefined;
  try {
    return readFileSync(runbook.path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `Restart the payments API` → `restart-the-payments-api.ts`. */
export function defaultScriptName(runbook: Runbook): string {
  const slug = slugify(runbook.title)
    .normalize('NFKD')
    .replace(/[^a-z0-9-]+/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'runbook'}.ts`;
}

/** Where Extract Steps to Script puts a runbook's script by default: `scripts/restart-the-payments-api.ts` (workspace-relative). */
export function defaultScriptPath(runbook: Runbook, scriptsFolder = 'scripts'): string {
  return `${scriptsFolder.replace(/\/+$/, '')}/${defaultScriptName(runbook)}`.replace(/^\.\//, '');
}
