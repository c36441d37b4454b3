// Turns the engine's self-contained modules (runtimeModules.json) into the runtime part of a
// generated script: one file, so a script needs nothing but Node and tsx. Each module may import
// only `node:` modules (named imports, merged into one import per module at the top of the
// script) and the other embedded modules (those imports are dropped: their code is in the same file). `export` keywords
// are dropped, re-exports too. Anything else is refused loudly, and a unit test runs this over the
// real modules, so a module that stops being self-contained fails the build's tests, not a user's
// script.

import { RUNTIME_MODULES, runtimeSource } from './runtimeSources';

export interface EmbeddedRuntime {
  /** What the modules import from `node:` modules, by module. */
  imports: ReadonlyMap<string, ReadonlySet<string>>;
  /** The modules' code, in order, each under a line naming where it comes from. */
  body: string;
  /** Every top-level name the runtime declares or imports: step functions must not take them. */
  names: Set<string>;
}

const IMPORT = /^import\s+(type\s+)?(\{[^}]*\}|[\w$]+|\*\s+as\s+[\w$]+)\s+from\s+'([^']+)';[ \t]*\n/gm;
const RE_EXPORT = /^export\s+(?:type\s+)?(?:\*|\{[^}]*\})(?:\s+from\s+'[^']+')?;[ \t]*\n/gm;
const EXPORTED_DECLARATION = /^export\s+(?=(?:async\s+)?function\b|const\b|let\b|class\b|abstract\s+class\b|interface\b|type\b|enum\b)/gm;
const TOP_LEVEL_NAME = /^(?:(?:async\s+)?function\*?\s+([\w$]+)|(?:const|let|var)\s+([\w$]+)|(?:abstract\s+)?class\s+([\w$]+)|interface\s+([\w$]+)|type\s+([\w$]+)|enum\s+([\w$]+))/gm;

/** Reads `a, type B, c as d` into specifiers, each `type`-marked when the import is type-only. */
function specifiers(list: string, typeOnly: boolean): string[] {
  return list
    .replace(/^\{|\}$/g, '')
    .split(',')
    .map((spec) => spec.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
    .map((spec) => (typeOnly && !spec.startsWith('type ') ? `type ${spec}` : spec));
}

/** The module's code without its imports and export syntax; its `node:` imports go into `imports`. */
export function stripModule(path: string, text: string, imports: Map<string, Set<string>>): string {
  const code = text.replace(IMPORT, (_match, typeOnly: string | undefined, what: string, from: string) => {
    if (from.startsWith('./') || from.startsWith('../')) {
      const target = `${path.split('/').slice(0, -1).join('/')}/${from}.ts`.split('/').reduce<string[]>((parts, part) => {
        if (part === '..') parts.pop();
        else if (part !== '.') parts.push(part);
        return parts;
      }, []);
      if (!RUNTIME_MODULES.includes(target.join('/'))) throw new Error(`${path} imports ${from}, which generated scripts do not embed`);
      return '';
    }
    if (!from.startsWith('node:')) throw new Error(`${path} imports ${from}: embedded modules may import only node: modules`);
    if (!what.startsWith('{')) throw new Error(`${path}: import ${what} from '${from}' must be a named import to be merged`);
    const set = imports.get(from) ?? new Set<string>();
    for (const spec of specifiers(what, typeOnly !== undefined)) set.add(spec);
    imports.set(from, set);
    return '';
  });
  const stripped = code.replace(RE_EXPORT, '').replace(EXPORTED_DECLARATION, '');
  const left = /^(?:import|export)\b.*$/m.exec(stripped);
  if (left) throw new Error(`${path}: cannot embed "${left[0]}"`);
  return stripped.trim();
}

/** One import line per module; a name imported both as a type and as a value is imported once. */
export function importLines(imports: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  return [...imports.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([from, set]) => {
      const values = new Set([...set].filter((spec) => !spec.startsWith('type ')));
      const specs = [...set].filter((spec) => !spec.startsWith('type ') || !values.has(spec.slice(5)));
      const sorted = specs.sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, '')));
      return `import { ${sorted.join(', ')} } from '${from}';`;
    });
}

let cached: EmbeddedRuntime | undefined;

/** The runtime every generated script holds (built once per process). */
export function embeddedRuntime(): EmbeddedRuntime {
  if (cached) return cached;
  const imports = new Map<string, Set<string>>();
  const parts = RUNTIME_MODULES.map((module) => `// ─── src/core/${module} ───\n\n${stripModule(module, runtimeSource(module), imports)}`);
  const body = parts.join('\n\n');
  const names = new Set<string>();
  for (const match of body.matchAll(TOP_LEVEL_NAME)) names.add(match.slice(1).find((name) => name !== undefined)!);
  for (const set of imports.values()) for (const spec of set) names.add(spec.replace(/^type /, '').split(' as ').pop()!);
  cached = { imports, body, names };
  return cached;
}
