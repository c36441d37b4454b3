// What an author can write: front matter keys and input fields (read from the front matter's JSON
// schema, so the schema, completions and hovers say the same thing) and fence attributes.

import schema from '../../../schemas/runbook-front-matter.schema.json';
import { EXPECTED_ATTRIBUTE_KEYS, MATCH_MODES, STEP_ATTRIBUTE_KEYS } from '../runbook/attributes';

export interface Term {
  name: string;
  description: string;
  /** Values worth offering after the name: an enum, booleans, or examples. */
  values: string[];
}

interface SchemaProperty {
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  examples?: unknown[];
}

function terms(properties: Record<string, SchemaProperty>): Term[] {
  return Object.entries(properties).map(([name, property]) => ({
    name,
    description: property.description ?? '',
    values: (property.enum ?? property.examples ?? (property.type === 'boolean' ? [true, false] : [])).map(String),
  }));
}

/** Top-level front matter keys. */
export const FRONT_MATTER_KEYS: readonly Term[] = terms(schema.properties as Record<string, SchemaProperty>);

/** Fields of one input's definition (`name` only matters in the list form, so it is left out). */
export const INPUT_FIELD_TERMS: readonly Term[] = terms(schema.definitions.input.properties as Record<string, SchemaProperty>).filter(
  (term) => term.name !== 'name',
);

/** Keys of one entry of `alerts:` (read by src/core/alerts). */
export const ALERT_FIELD_TERMS: readonly Term[] = terms(schema.definitions.alert.properties as Record<string, SchemaProperty>);

const BOOLEAN = ['true', 'false'];
const ATTRIBUTE_DOCS: Record<string, Omit<Term, 'name'>> = {
  name: { description: 'A stable name for the step: its identity in progress and history, and how scripts and `--only` refer to it. Letters, digits, `.`, `_`, `-`.', values: [] },
  confirm: { description: 'Ask for confirmation before the step runs.', values: BOOLEAN },
  timeout: { description: 'Stop the step after this long: seconds (90) or 90s, 10m, 1h. Default: the front matter\'s `timeout`, else the `runbooks.defaultTimeout` setting.', values: ['30s', '2m', '10m', '1h'] },
  cwd: { description: 'Working directory of the step, relative to the runbook\'s `cwd` (default: the runbook\'s folder).', values: [] },
  interactive: { description: 'Run the step in the integrated terminal, for commands that ask questions.', values: BOOLEAN },
  skip: { description: 'Leave the step out of Run all; it still runs on its own Run.', values: BOOLEAN },
  excludeFromRunAll: { description: 'The same as `skip`, as other runbook tools write it.', values: BOOLEAN },
  errexit: { description: '`errexit=false` lets a shell step go on after a failing command (no `set -e`).', values: BOOLEAN },
  match: { description: 'How the step\'s output is compared with this block: `contains` (default), `exact` or `regex`.', values: [...MATCH_MODES] },
};

function attributeTerms(keys: readonly string[]): Term[] {
  return keys.map((name) => ({ name, ...(ATTRIBUTE_DOCS[name] ?? { description: '', values: [] }) }));
}

/** Attributes of a runnable fence, and of an `output`/`expected` fence. */
export const STEP_ATTRIBUTES: readonly Term[] = attributeTerms(STEP_ATTRIBUTE_KEYS);
export const EXPECTED_ATTRIBUTES: readonly Term[] = attributeTerms(EXPECTED_ATTRIBUTE_KEYS);

/** Levenshtein distance, for "did you mean" on misspelt keys. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known name closest to `word`, when it is close enough to be a slip of the keyboard. */
export function closestName(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.min(2, Math.floor(best.length / 3)) ? best : undefined;
}
