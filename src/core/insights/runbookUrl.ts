// Which runbook a `runbook_url` names. Alerting rules link their runbook by URL (a docs site, a Git
// host's file view); a configured URL prefix maps to a folder of the repository, e.g.
// `https://runbooks.example.com/runbooks/` → `runbooks/`. One rule for insights (issues that quote
// an alert's runbook_url) and the alert bridge (which runbook an alert starts).

/** URL prefix → repository folder (`/`-separated, relative to the repository root; `''` for the root). */
export type RunbookUrlPrefixes = Readonly<Record<string, string>>;

/** The parts of a URL that locate a page: scheme and host (lower case), then the decoded path. */
function locate(url: string): { origin: string; path: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  return { origin: parsed.origin.toLowerCase(), path };
}

function cleanFolder(folder: string): string {
  return folder.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+|\/+$/g, '');
}

/**
 * The repository-relative path a URL names under the longest matching prefix, as written in the
 * URL (no extension is guessed here: see `RunbookPathIndex`), or undefined when no prefix matches
 * or the rest would leave the folder (`..`). Query and fragment are ignored; the scheme and host
 * compare case-insensitively, the path exactly.
 */
export function runbookPathFromUrl(url: string, prefixes: RunbookUrlPrefixes): string | undefined {
  const target = locate(url);
  if (!target) return undefined;
  let best: { length: number; rest: string; folder: string } | undefined;
  for (const [prefixUrl, folder] of Object.entries(prefixes)) {
    const prefix = locate(prefixUrl);
    if (!prefix || prefix.origin !== target.origin) continue;
    const base = prefix.path.endsWith('/') ? prefix.path : `${prefix.path}/`;
    const within = target.path === prefix.path.replace(/\/$/, '') ? '' : target.path.startsWith(base) ? target.path.slice(base.length) : undefined;
    if (within === undefined || (best && best.length >= base.length)) continue;
    best = { length: base.length, rest: within, folder: cleanFolder(folder) };
  }
  if (!best) return undefined;
  const segments = best.rest.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..' || segment.includes('\\'))) return undefined;
  return [best.folder, ...segments].filter((part) => part !== '').join('/');
}

/** `runbooks/Restart-API.runbook.md` → `runbooks/restart-api`: the key a URL's path is compared by. */
function pageKey(path: string): string {
  return path
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.(html?|md|markdown)$/, '')
    .replace(/\.runbook$/, '')
    .replace(/\/(readme|index|_index)$/, '');
}

/**
 * Finds runbooks by URL. Docs sites publish `runbooks/node/NodeDiskFull.md` as
 * `…/runbooks/node/nodediskfull/`, so after the prefix the path compares without case, extension
 * (`.md`, `.markdown`, `.runbook.md`, `.html`) or trailing slash, and a folder URL finds its
 * `README.md` / `index.md` / `_index.md`. An exact path wins; a key two runbooks share (`A.md` and
 * `a.md`) finds neither.
 */
export class RunbookPathIndex {
  private readonly exact = new Set<string>();
  private readonly byKey = new Map<string, string | null>();

  constructor(
    runbookPaths: Iterable<string>,
    private readonly prefixes: RunbookUrlPrefixes,
  ) {
    for (const path of runbookPaths) {
      this.exact.add(path);
      const key = pageKey(path);
      this.byKey.set(key, this.byKey.has(key) && this.byKey.get(key) !== path ? null : path);
    }
  }

  /** The runbook (one of the paths given) that `url` names, if exactly one. */
  find(url: string): string | undefined {
    const path = runbookPathFromUrl(url, this.prefixes);
    if (path === undefined) return undefined;
    if (this.exact.has(path)) return path;
    return this.byKey.get(pageKey(path)) ?? undefined;
  }
}
