// The script generator: chosen steps of a runbook become one TypeScript file that runs them the
// way the editor does, with the runbook's inputs as validated command-line options.

import {
  analyzeShell,
  formatDuration,
  implicitInputsByStep,
  replacePlaceholders,
  slugify,
  stepsUsingInput,
  type InputSpec,
  type ManualStep,
  type Runbook,
  type Step,
} from '../runbook';
import { confirmationReasons, type SafetyRules } from '../run/safety';
import { stepTimeout } from '../run/stepRunner';
import { commentText, functionName, literal, optionName, textLiteral } from './names';
import { RUNTIME } from './runtime';

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
}

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
  const declared = runbook.inputs.map((input) => input.name);
  const inputs: ScriptInput[] = runbook.inputs.map((spec) => ({
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
  const taken = new Set(['dry-run', 'yes', 'from', 'only', 'help']);
  for (const input of inputs) {
    if (input.spec?.secret) continue;
    let option = optionName(input.name);
    while (taken.has(option)) option = `${option}-input`;
    taken.add(option);
    input.option = option;
  }
  return inputs;
}

function interpreterCommand(step: Step, interpreters: Record<string, string> | undefined): { command: string[]; extension: string } {
  const command = (interpreters?.[step.language] ?? step.interpreter).trim().split(/\s+/);
  switch (step.family) {
    case 'python':
      return { command: [...command, '-u'], extension: '.py' };
    case 'node':
      return { command, extension: '.cjs' };
    case 'powershell':
      return { command: [...command, '-NoProfile', '-NonInteractive', '-File'], extension: '.ps1' };
    default:
      return { command, extension: '.sh' };
  }
}

function inputEntry(input: ScriptInput, steps: Map<string, string>): string {
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
    fields.push(`description: ${literal(commentText(`Value for ${input.label} in ${where}`))}`, 'required: true', 'fromEnv: true');
  }
  fields.push(`usedBy: [${input.usedBy.map(literal).join(', ')}]`);
  return `  { ${fields.join(', ')} },`;
}

function codeFunction(runbook: Runbook, step: Step, name: string, options: ScaffoldOptions): string {
  const { command, extension } = interpreterCommand(step, options.interpreters);
  const shell = step.family === 'shell';
  const code = shell ? replacePlaceholders(step.code, analyzeShell(step.code).placeholders) : step.code;
  const timeoutMs = stepTimeout(runbook, step);
  const how = [`command: [${command.map(literal).join(', ')}]`, `extension: '${extension}'`];
  if (shell) how.push('shell: true');
  if (shell && !step.attributes.errexit) how.push('errexit: false');
  if (step.attributes.cwd) how.push(`cwd: ${literal(step.attributes.cwd)}`);
  how.push(`timeoutMs: ${timeoutMs.toLocaleString('en-US').replaceAll(',', '_')} /* ${formatDuration(timeoutMs)} */`);
  if (step.attributes.interactive) how.push('interactive: true');
  const fields = [how.join(', '), `code: ${textLiteral(code.replace(/\n$/, ''), '    ')}`];
  if (step.expected) fields.push(`expected: { match: '${step.expected.match}', text: ${textLiteral(step.expected.text.replace(/\n$/, ''), '    ')} }`);
  return [
    `// ${commentText(step.title)} (${commentText(options.runbookPath)}, line ${step.startLine + 1})`,
    `function ${name}(): Promise<void> {`,
    '  return runCode({',
    ...fields.map((field) => `    ${field},`),
    '  });',
    '}',
  ].join('\n');
}

function manualFunction(step: ManualStep, name: string, options: ScaffoldOptions): string {
  return [
    `// Manual: ${commentText(step.title)} (${commentText(options.runbookPath)}, line ${step.startLine + 1})`,
    `function ${name}(): Promise<void> {`,
    `  return manualStep(${literal(step.title)});`,
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
    line('Needs: Node 20 or later, with execa 9 and tsx installed (npm install --save-dev execa tsx).'),
    '//',
    line('As in the runbook editor, inputs reach the steps only as environment variables (never pasted into'),
    line('code), and shell steps share a session: what they export and the directory they cd into carry'),
    line('over to later steps. Unlike the editor, output is not masked: secrets a step prints are shown.'),
  ];
}

/** The generated script's text. */
export function generateScript(runbook: Runbook, options: ScaffoldOptions): string {
  const items = selectedItems(runbook, options.itemIds);
  const taken = new Set<string>();
  const planned: PlannedStep[] = items.map((item, i) => ({
    item,
    number: i + 1,
    functionName: functionName(item.kind === 'code' && item.attributes.name ? item.attributes.name : item.title, taken),
  }));
  const inputs = scriptInputs(runbook, items);
  const titles = new Map(items.map((item) => [item.id, item.title]));
  const workDir = runbook.meta.cwd ? `path.resolve(RUNBOOK_DIR, ${literal(runbook.meta.cwd)})` : 'RUNBOOK_DIR';

  const table = planned.map(({ item, functionName: name }) => {
    const fields = [`id: ${literal(item.id)}`, `title: ${literal(item.title)}`, `run: ${name}`];
    if (item.kind === 'manual') fields.push('manual: true');
    else {
      const reasons = confirmationReasons(runbook, item, options.safety);
      if (reasons.length > 0) fields.push(`confirm: [${reasons.map(literal).join(', ')}]`);
      if (item.attributes.skip) fields.push('skip: true');
    }
    return `  { ${fields.join(', ')} },`;
  });
  const functions = planned.map(({ item, functionName: name }) =>
    item.kind === 'code' ? codeFunction(runbook, item, name, options) : manualFunction(item, name, options),
  );

  return [
    ...header(runbook, planned, options),
    '',
    "import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';",
    "import { constants, tmpdir } from 'node:os';",
    "import path from 'node:path';",
    "import { createInterface } from 'node:readline/promises';",
    "import { fileURLToPath } from 'node:url';",
    "import { parseArgs } from 'node:util';",
    '',
    "/** The runbook's folder; steps run in WORK_DIR (the front matter's cwd) unless they set their own cwd. */",
    `const RUNBOOK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), ${literal(options.runbookDirFromScript || '.')});`,
    `const WORK_DIR = ${workDir};`,
    `const ABOUT = ${literal(commentText(`${runbook.title}: steps from ${options.runbookPath}`))};`,
    `const USAGE = ${literal(commentText(`npx tsx ${options.scriptPath}`))};`,
    '',
    '/** The runbook\'s inputs: command-line options (secrets: environment variables), passed to the steps as environment variables. */',
    'const INPUTS: Input[] = [',
    ...inputs.map((input) => inputEntry(input, titles)),
    '];',
    '',
    '/** The steps, in the order they run. */',
    'const STEPS: StepEntry[] = [',
    ...table,
    '];',
    '',
    functions.join('\n\n'),
    '',
    RUNTIME,
  ].join('\n');
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
