// The values a command-line run starts with: `--input NAME=value` flags, then an inputs file, then
// environment variables of the same name, then the runbook's defaults (applied by the engine).
// Secrets come only from the environment (or a masked prompt on a TTY): never from a flag or a
// file, which end up in shell history and repositories.

import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type * as Yaml from 'yaml';
import { implicitInputsByStep, INPUT_NAME_PATTERN, isReservedVariable, type Runbook } from '../core/runbook';
import { CliError } from './errors';

export interface GivenValues {
  values: Map<string, string>;
  secrets: string[];
}

/** Names a value may be given for: declared inputs, and the implicit inputs of the runbook's shell steps. */
export function knownInputNames(runbook: Runbook): Map<string, string> {
  const names = new Map<string, string>();
  for (const input of runbook.inputs) names.set(input.name, input.name);
  for (const { inputs } of implicitInputsByStep(runbook.steps, [])) for (const input of inputs) if (!names.has(input.name)) names.set(input.name, input.label);
  return names;
}

function describeKnown(known: Map<string, string>): string {
  if (known.size === 0) return 'this runbook has no inputs';
  return `its inputs are ${[...known].map(([name, label]) => (label === name ? name : `${name} (${label})`)).join(', ')}`;
}

function checkName(runbook: Runbook, known: Map<string, string>, name: string, where: string): void {
  if (!INPUT_NAME_PATTERN.test(name)) throw new CliError(`${where}: "${name}" is not an input name (letters, digits and _)`);
  if (isReservedVariable(name)) throw new CliError(`${where}: ${name} cannot be set by a runbook run: it controls how programs start`);
  const spec = runbook.inputs.find((input) => input.name === name);
  if (spec?.secret) throw new CliError(`${where}: ${name} is a secret: set the environment variable ${name} instead`);
  if (!known.has(name)) throw new CliError(`${where}: unknown input ${name}; ${describeKnown(known)}`);
}

/** `NAME=value` flags, in order (a later one wins). */
export function parseInputFlags(runbook: Runbook, flags: string[]): Map<string, string> {
  const known = knownInputNames(runbook);
  const values = new Map<string, string>();
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new CliError(`--input ${flag}: write NAME=value`);
    const name = flag.slice(0, eq);
    checkName(runbook, known, name, `--input ${name}`);
    values.set(name, flag.slice(eq + 1));
  }
  return values;
}

/** A YAML or JSON mapping of input names to values. */
export async function readInputsFile(runbook: Runbook, file: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`--inputs-file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let data: unknown;
  try {
    if (extname(file).toLowerCase() === '.json') data = JSON.parse(text);
    else {
      // A require, not import(): the launcher's vm.Script on Node 20 has no loader for import().
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { parse } = require('yaml') as typeof Yaml;
      data = parse(text, { maxAliasCount: 10 });
    }
  } catch (error) {
    throw new CliError(`--inputs-file ${file}: not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new CliError(`--inputs-file ${file}: must be a mapping of input names to values`);
  const known = knownInputNames(runbook);
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(data)) {
    checkName(runbook, known, name, `${file}: ${name}`);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new CliError(`${file}: ${name} must be a single value`);
    values.set(name, String(value));
  }
  return values;
}

/** Flags over the file over the environment, for declared inputs; secrets from the environment only. */
export function gatherValues(runbook: Runbook, flags: Map<string, string>, file: Map<string, string>, env: NodeJS.ProcessEnv): GivenValues {
  const values = new Map<string, string>();
  const secrets: string[] = [];
  for (const spec of runbook.inputs) {
    const fromEnv = env[spec.name];
    if (fromEnv !== undefined && fromEnv !== '') values.set(spec.name, fromEnv);
    if (spec.secret && fromEnv) secrets.push(fromEnv);
  }
  for (const [name, value] of file) values.set(name, value);
  for (const [name, value] of flags) values.set(name, value);
  return { values, secrets };
}
