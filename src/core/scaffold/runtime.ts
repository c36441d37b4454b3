// The part of every generated script that does not depend on the runbook: reading options and
// checking inputs (the rules of `checkInputValue`), the loop over the steps, confirmations, manual
// steps, and running code as the engine does (interpreter, cwd, timeout with the whole process group
// stopped, errexit, the shell session carried in an EXIT trap, expected-output checks as
// `checkExpected`). It is emitted as written, after the runbook's inputs and steps.

export const RUNTIME = `// ─── How it runs: options, the loop over the steps, and running code as the runbook editor does ───

interface Input {
  name: string; // the environment variable the steps read
  option?: string; // none for secrets: they come from the environment only
  description?: string;
  type?: 'number' | 'boolean';
  default?: string;
  pattern?: string;
  min?: number;
  max?: number;
  choices?: string[];
  required?: boolean;
  secret?: boolean;
  fromEnv?: boolean; // also read from the environment variable (placeholders and unset variables)
  usedBy: string[]; // a missing value matters only when one of these steps runs
}

interface StepEntry {
  id: string;
  title: string;
  run: () => Promise<void>;
  manual?: boolean;
  confirm?: string[]; // why it asks before running
  skip?: boolean; // runs only when named with --only
}

interface CodeStep {
  command: string[]; // the interpreter and its arguments; the code's file comes last
  extension: string;
  shell?: boolean; // shares the session (exports, cd) and stops at the first failing command
  errexit?: boolean;
  cwd?: string; // relative to WORK_DIR
  timeoutMs: number;
  interactive?: boolean; // uses this terminal directly; output is not captured
  code: string;
  expected?: { match: 'contains' | 'exact' | 'regex'; text: string };
}

const settings = { dryRun: false, yes: false };
const inputEnv: Record<string, string> = {}; // input values, given to every step as environment variables
const session = { vars: new Map<string, string>(), unset: new Set<string>(), cwd: undefined as string | undefined };
let current: StepEntry | undefined;
let running: { pid: number; group: boolean; stopping?: Promise<void> } | undefined;
let interrupted = false;
let scratch: string | undefined;

async function main(): Promise<void> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    'dry-run': { type: 'boolean' }, yes: { type: 'boolean' }, from: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean' },
  };
  for (const input of INPUTS) if (input.option) options[input.option] = { type: 'string' };
  const values = parseCommandLine(options);
  if (values.help) return printHelp();
  settings.dryRun = values['dry-run'] === true;
  settings.yes = values.yes === true;
  const steps = chooseSteps(values.from, values.only);
  readInputs(values, new Set(steps.map((step) => step.id)));
  process.on('SIGINT', interrupt).on('SIGTERM', interrupt);
  process.on('exit', () => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  for (const step of steps) {
    current = step;
    console.log(\`[\${STEPS.indexOf(step) + 1}/\${STEPS.length}] \${step.title}\`);
    if (step.confirm) await confirmStep(step, step.confirm.join('; '));
    const started = Date.now();
    await step.run();
    if (!settings.dryRun) console.log(\`  ✓ \${step.manual ? 'done' : 'passed'} in \${seconds(Date.now() - started)}\`);
  }
}

function parseCommandLine(options: Record<string, { type: 'string' | 'boolean' }>): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    const message = (error as Error).message.split('\\n')[0];
    const option = /^Unknown option '(--?[^']*)'/.exec(message)?.[1];
    const secret = INPUTS.find((input) => input.secret && option === \`--\${input.name.toLowerCase().replaceAll('_', '-')}\`);
    if (secret) return usage(\`\${option} is a secret: set the environment variable \${secret.name} instead\`);
    return usage(option ? \`unknown option \${option} (see --help)\` : \`\${message.replace(/\\.$/, '')} (see --help)\`);
  }
}

function chooseSteps(from: unknown, only: unknown): StepEntry[] {
  if (from !== undefined && only !== undefined) usage('use --from or --only, not both');
  const find = (option: string, wanted: string): number => {
    const index = /^\\d+$/.test(wanted) ? Number(wanted) - 1 : STEPS.findIndex((step) => step.id === wanted);
    if (index >= 0 && index < STEPS.length) return index;
    return usage(\`\${option}: no step "\${wanted}"; give a number from 1 to \${STEPS.length} or one of: \${STEPS.map((step) => step.id).join(', ')}\`);
  };
  if (typeof only === 'string') return [STEPS[find('--only', only)]];
  return STEPS.slice(typeof from === 'string' ? find('--from', from) : 0).filter((step) => !step.skip);
}

/** Takes each input from its option (or environment variable), checks it, and keeps it for the steps. */
function readInputs(values: Record<string, unknown>, ids: Set<string>): void {
  for (const input of INPUTS) {
    const given = input.option ? values[input.option] : undefined;
    const value = typeof given === 'string' ? given : ((input.secret || input.fromEnv ? process.env[input.name] : undefined) ?? input.default);
    const problem = checkValue(input, value, input.usedBy.some((id) => ids.has(id)));
    if (problem) usage(\`\${input.option ? \`--\${input.option}\` : input.name} \${problem}\${value && !input.secret ? \` (got \${JSON.stringify(value)})\` : ''}\`);
    if (value !== undefined) inputEnv[input.name] = value;
  }
}

/** Why \`value\` is not acceptable for \`input\`: the same rules as in the runbook editor. */
function checkValue(input: Input, value: string | undefined, needed: boolean): string | undefined {
  if (value === undefined || value === '') {
    if (!input.required || !needed) return undefined;
    if (input.secret) return \`is required: set the environment variable \${input.name}\`;
    return input.fromEnv ? \`is required (or set the environment variable \${input.name})\` : 'is required';
  }
  if (input.type === 'number') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) return 'must be a number';
    if (input.min !== undefined && n < input.min) return \`must be at least \${input.min}\`;
    if (input.max !== undefined && n > input.max) return \`must be at most \${input.max}\`;
  }
  if (input.type === 'boolean' && value !== 'true' && value !== 'false') return 'must be true or false';
  if (input.choices && !input.choices.includes(value)) return \`must be one of \${input.choices.join(', ')}\`;
  if (input.pattern !== undefined && !new RegExp(input.pattern, 'u').test(value)) return \`must match the pattern \${input.pattern}\`;
  return undefined;
}

function printHelp(): void {
  const rows = INPUTS.map((input): [string, string] => {
    const notes = [
      input.default !== undefined && \`default: \${input.default}\`,
      input.choices && \`one of: \${input.choices.join(', ')}\`,
      input.pattern !== undefined && \`pattern: \${input.pattern}\`,
      (input.min !== undefined || input.max !== undefined) && \`from \${input.min ?? '-∞'} to \${input.max ?? '∞'}\`,
      input.type === 'boolean' && 'true or false',
      input.required && input.default === undefined && 'required',
      input.secret ? \`secret: from the environment variable \${input.name}\` : input.fromEnv && \`or the environment variable \${input.name}\`,
    ].filter(Boolean);
    const left = input.option ? \`--\${input.option} <\${input.type === 'number' ? 'number' : 'value'}>\` : \`\${input.name} (environment)\`;
    return [left, \`\${input.description ?? ''}\${notes.length ? \` (\${notes.join('; ')})\` : ''}\`];
  });
  const options: Array<[string, string]> = [
    ['--dry-run', 'Print what each step would run, and run nothing'],
    ['--yes', 'Answer yes to every confirmation and manual step'],
    ['--from <step>', 'Start at this step (its id or number) and run the rest'],
    ['--only <step>', 'Run just this step'],
    ['--help', 'Show this help'],
  ];
  const width = Math.max(...[...rows, ...options].map(([left]) => left.length)) + 2;
  const table = (list: Array<[string, string]>) => list.map(([left, right]) => \`  \${left.padEnd(width)}\${right}\`.trimEnd());
  const steps = STEPS.map((step, i) => \`  \${i + 1}. \${step.id}: \${step.title}\${step.manual ? ' (manual)' : ''}\${step.skip ? ' (only with --only)' : ''}\`);
  console.log([ABOUT, '', \`Usage: \${USAGE} [options]\`, '', 'Inputs:', ...(rows.length ? table(rows) : ['  (none)']), '', 'Options:', ...table(options), '', 'Steps:', ...steps].join('\\n'));
}

async function confirmStep(step: StepEntry, reasons: string): Promise<void> {
  if (settings.dryRun) return console.log(\`  asks for confirmation: \${reasons}\`);
  if (settings.yes) return;
  if (!process.stdin.isTTY) fail(3, \`✗ "\${step.title}" needs confirmation (\${reasons}): rerun with --yes or in a terminal\`);
  console.log(\`  Needs confirmation: \${reasons}\`);
  if (!/^y(es)?$/i.test((await ask(\`Run "\${step.title}"? [y/N] \`)).trim())) fail(3, \`✗ Not confirmed: \${step.title}\`);
}

/** A step for a person: show it and wait until they say it is done. */
async function manualStep(text: string): Promise<void> {
  console.log(\`  Manual step: \${text}\`);
  if (settings.dryRun) return;
  if (settings.yes) return console.log('  (continuing: --yes)');
  if (!process.stdin.isTTY) fail(3, \`✗ Manual step "\${text}" needs a person: rerun in a terminal, or with --yes once it is done\`);
  await ask('  Press Enter when it is done (Ctrl+C stops) ');
}

async function runCode(step: CodeStep): Promise<void> {
  const title = current?.title ?? '';
  const cwd = step.cwd === undefined && session.cwd ? session.cwd : path.resolve(WORK_DIR, step.cwd ?? '.');
  if (settings.dryRun) {
    console.log(\`  \${step.command.join(' ')} in \${cwd}, timeout \${seconds(step.timeoutMs)}\\n\${step.code.replace(/^/gm, '  | ')}\`);
    if (step.expected) console.log(\`  expects output (\${step.expected.match}):\\n\${step.expected.text.replace(/^/gm, '  > ')}\`);
    return;
  }
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) fail(1, \`✗ Step "\${title}" could not start: the working directory \${cwd} does not exist\`);
  scratch ??= mkdtempSync(path.join(tmpdir(), 'runbook-script-'));
  const file = path.join(scratch, \`step\${step.extension}\`);
  const state = path.join(scratch, 'session');
  writeFileSync(file, step.shell ? shellCode(step.code, step.errexit !== false, state) : step.code, { mode: 0o600 });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !session.unset.has(key)) env[key] = value;
  Object.assign(env, Object.fromEntries(session.vars), inputEnv, { PWD: cwd });

  const [command, ...args] = step.command;
  const { execa } = await import('execa'); // loaded here so the script also runs where tsx treats it as CommonJS
  // detached: the step gets its own process group, so a timeout or Ctrl+C stops everything it started.
  const child = execa(command, [...args, file], {
    cwd, env, extendEnv: false, reject: false, buffer: false, cleanup: false, detached: !step.interactive,
    stdio: step.interactive ? 'inherit' : (['ignore', 'pipe', 'pipe'] as const),
  });
  const chunks: Buffer[] = [];
  const forward = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
    to.write(chunk);
    if (step.expected) chunks.push(chunk);
  };
  child.stdout?.on('data', forward(process.stdout));
  child.stderr?.on('data', forward(process.stderr));
  if (child.pid !== undefined) running = { pid: child.pid, group: !step.interactive };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (running) running.stopping ??= stopGroup(running);
  }, step.timeoutMs);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  await running?.stopping;
  running = undefined;
  await Promise.race([child, new Promise((resolve) => setTimeout(resolve, 200))]); // output still in the pipes
  child.stdout?.destroy();
  child.stderr?.destroy();
  if (step.shell) absorbSession(state, env, cwd);

  if (exit.error) {
    const missing = (exit.error as NodeJS.ErrnoException).code === 'ENOENT';
    fail(missing ? 127 : 1, \`✗ Step "\${title}" could not start: \${missing ? \`\${command} is not installed or not on PATH\` : exit.error.message}\`);
  }
  if (interrupted) fail(130, \`✗ Stopped during "\${title}"\`);
  if (timedOut) fail(124, \`✗ Step "\${title}" timed out after \${seconds(step.timeoutMs)}; it and everything it started were stopped\`);
  if (exit.signal) fail(128 + (constants.signals[exit.signal] ?? 0), \`✗ Step "\${title}" was killed by \${exit.signal}\`);
  if (exit.code !== 0) fail(exit.code ?? 1, \`✗ Step "\${title}" failed with exit code \${exit.code}\`);
  if (step.expected) checkOutput(title, Buffer.concat(chunks).toString('utf8'), step.expected);
}

/** The step's shell code with errexit and pipefail, saving its exports and directory when it ends. */
function shellCode(code: string, errexit: boolean, state: string): string {
  const file = (extension: string) => \`'\${(state + extension).replaceAll("'", \`'\\\\''\`)}'\`;
  const save = \`__runbook_save() { __runbook_status=$?; env -0 > \${file('.env')} 2>/dev/null || env > \${file('.env')}; pwd > \${file('.cwd')}; return $__runbook_status; }\`;
  return [save, 'trap __runbook_save EXIT', ...(errexit ? ['set -e', '(set -o pipefail) 2>/dev/null && set -o pipefail'] : []), code, ''].join('\\n');
}

/** Keeps what a shell step exported, unset or cd'ed into, for the steps after it (as in one terminal). */
function absorbSession(state: string, started: Record<string, string>, startedIn: string): void {
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  const [envText, ended] = [read(\`\${state}.env\`), read(\`\${state}.cwd\`)?.replace(/\\n$/, '')];
  rmSync(\`\${state}.env\`, { force: true });
  rmSync(\`\${state}.cwd\`, { force: true });
  if (ended && realpathSync(ended) !== realpathSync(startedIn)) session.cwd = ended;
  if (envText === undefined) return;
  const owned = (key: string) => ['_', 'SHLVL', 'PWD', 'OLDPWD', 'PS1'].includes(key) || key.startsWith('__runbook_');
  const after = new Map(envText.split(envText.includes('\\0') ? '\\0' : '\\n').filter((entry) => entry.indexOf('=') > 0).map((entry) => {
    const eq = entry.indexOf('=');
    return [entry.slice(0, eq), entry.slice(eq + 1)] as const;
  }));
  for (const [key, value] of after) {
    if (owned(key) || started[key] === value) continue;
    session.vars.set(key, value);
    session.unset.delete(key);
  }
  for (const key of Object.keys(started)) {
    if (after.has(key) || owned(key)) continue;
    session.vars.delete(key);
    session.unset.add(key);
  }
}

/** The runbook editor's expected-output check: contains, exact or regex, ignoring trailing spaces and blank lines around. */
function checkOutput(title: string, output: string, expected: NonNullable<CodeStep['expected']>): void {
  const normalize = (text: string) => text.replace(/\\r\\n?/g, '\\n').replace(/[ \\t]+$/gm, '').replace(/^\\n+|\\n+$/g, '');
  const [actual, wanted] = [normalize(output), normalize(expected.text)];
  if (expected.match === 'exact' ? actual === wanted : expected.match === 'regex' ? new RegExp(wanted, 'm').test(actual) : actual.includes(wanted)) return;
  const how = { exact: 'equal', regex: 'match the pattern', contains: 'contain' }[expected.match];
  const diff = [...wanted.split('\\n').map((line) => \`  - \${line}\`), ...actual.split('\\n').slice(-20).map((line) => \`  + \${line}\`)];
  fail(1, [\`✗ Step "\${title}": its output does not \${how} the expected output (- expected, + printed)\`, ...diff].join('\\n'));
}

/** SIGTERM to the step's process group, then SIGKILL to whatever is left after 2 seconds. */
async function stopGroup(target: { pid: number; group: boolean }): Promise<void> {
  const signal = (name: NodeJS.Signals | 0) => {
    try {
      return process.kill(target.group ? -target.pid : target.pid, name);
    } catch {
      return false;
    }
  };
  signal('SIGTERM');
  for (let waited = 0; waited < 2000 && signal(0); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  signal('SIGKILL');
}

function interrupt(): void {
  if (!running) fail(130, \`✗ Stopped\${current ? \` during "\${current.title}"\` : ''}\`);
  interrupted = true;
  running.stopping ??= stopGroup(running);
}

async function ask(question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  prompt.on('SIGINT', () => fail(130, '\\n✗ Stopped'));
  return prompt.question(question).finally(() => prompt.close());
}

function seconds(ms: number): string {
  return ms < 60_000 ? \`\${(ms / 1000).toFixed(1)}s\` : \`\${Math.floor(ms / 60_000)}m\${ms % 60_000 ? \` \${Math.round((ms % 60_000) / 1000)}s\` : ''}\`;
}

function usage(message: string): never {
  return fail(2, \`error: \${message}\`);
}

function fail(code: number, message: string): never {
  console.error(message);
  process.exit(code);
}

main().catch((error: unknown) => fail(1, \`✗ \${error instanceof Error ? error.message : String(error)}\`));
`;
