// Where a runbook stands on the ladder runbook → tool → service, read from the repository, never
// guessed:
// - `tool`: the runbook holds the note Extract Steps to Script adds (src/core/scaffold/note.ts),
//   `> **Automated:** the steps "A" and "B" are now done by the script `scripts/x.ts`.`, and that
//   script exists; the steps it names that the runbook still has are the automated ones
//   ("3 of 7 steps automated");
// - `service`: the runbook's exported workflow exists (src/core/export/names.ts: the GitHub Actions
//   or the GitLab CI file for its slug);
// - `runbook`: neither.
// The note is found in the Markdown structure (a block quote's paragraph), so a note quoted inside
// a code block does not count, and an editor that re-wrapped its lines does not hide it.

import { stat as statCallback } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { isAbsolute, join, relative } from 'node:path';
import { githubWorkflowPath, gitlabWorkflowPath, workflowSlug } from '../export/names';
import { createMarkdownIt, markdownBody, parseRunbook, type Runbook, type RunbookItem } from '../runbook';
import type { Ladder } from './types';

/** One tool note as written: the quoted step titles and the script. */
export interface AutomationNote {
  /** The list of quoted titles, spacing collapsed: `"A", "B" and "C"`. */
  steps: string;
  /** The script's path as the note gives it (workspace-relative). */
  script: string;
  /** 0-based line of the note. */
  line: number;
}

const NOTE_PATTERN = /^\*\*Automated:\*\* the steps? (.+) (?:is|are) now done by the script (`+) ?(.+?) ?\2\./;

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

type Md = ReturnType<typeof createMarkdownIt>;
let blockParser: Md | undefined;

/** The tool notes in a runbook's text, in document order. */
export function automationNotes(text: string): AutomationNote[] {
  if (!text.includes('**Automated:**')) return [];
  if (!blockParser) {
    blockParser = createMarkdownIt();
    blockParser.core.ruler.enableOnly(['normalize', 'block']);
  }
  const tokens = blockParser.parse(markdownBody(text).body, {});
  const notes: AutomationNote[] = [];
  let quoteDepth = 0;
  for (const token of tokens) {
    if (token.type === 'blockquote_open') quoteDepth++;
    else if (token.type === 'blockquote_close') quoteDepth--;
    else if (token.type === 'inline' && quoteDepth > 0) {
      const match = NOTE_PATTERN.exec(collapse(token.content));
      if (match) notes.push({ steps: match[1], script: match[3], line: token.map?.[0] ?? 0 });
    }
  }
  return notes;
}

/** What the repository holds for a runbook: which of the notes' scripts, which workflow files. */
export interface LadderFiles {
  /** Scripts (as the notes write them) that exist. */
  scripts: ReadonlySet<string>;
  /** Repository-relative workflow files that exist. */
  workflows: readonly string[];
}

/** The ladder from the parsed runbook, its notes and the files that exist. */
export function ladderOf(runbook: Runbook, notes: readonly AutomationNote[], files: LadderFiles): Ladder {
  const automated = new Set<RunbookItem>();
  const unknown: string[] = [];
  const scripts: string[] = [];
  const missing: string[] = [];
  // Longest titles first, so "Drain node" cannot claim the quotes of "Drain node pool".
  const byTitle = new Map<string, RunbookItem[]>();
  for (const item of runbook.items) {
    const title = collapse(item.title);
    byTitle.set(title, [...(byTitle.get(title) ?? []), item]);
  }
  const titles = [...byTitle.keys()].sort((a, b) => b.length - a.length);
  for (const note of notes) {
    if (!files.scripts.has(note.script)) {
      if (!missing.includes(note.script)) missing.push(note.script);
      continue;
    }
    if (!scripts.includes(note.script)) scripts.push(note.script);
    let rest = note.steps;
    for (const title of titles) {
      const quoted = `"${title}"`;
      const parts = rest.split(quoted);
      if (parts.length === 1) continue;
      // A title listed k times covers the first k steps that carry it.
      for (const item of (byTitle.get(title) ?? []).slice(0, parts.length - 1)) automated.add(item);
      rest = parts.join(' ');
    }
    for (const [, title] of rest.matchAll(/"([^"]*)"/g)) if (!unknown.includes(title)) unknown.push(title);
  }
  const steps = runbook.items.length;
  const automatedStepTitles = runbook.items.filter((item) => automated.has(item)).map((item) => item.title);
  const stage = files.workflows.length > 0 ? 'service' : scripts.length > 0 ? 'tool' : 'runbook';
  const coverage = `${automated.size} of ${steps} ${steps === 1 ? 'step' : 'steps'} automated`;
  return {
    stage,
    steps,
    automatedSteps: automated.size,
    automatedStepTitles,
    scripts,
    missingScripts: missing,
    unknownNoteSteps: unknown,
    workflows: [...files.workflows],
    badge: stage === 'tool' ? `tool ${automated.size}/${steps}` : stage,
    summary: `${coverage} · ${files.workflows.length > 0 ? `workflow ${files.workflows.join(', ')}` : 'no workflow'}`,
  };
}

/** The callback `stat`, cheaper per call than `fs/promises`' in Node 20 (see sources.ts). */
const stat = promisify(statCallback);

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** A repository-relative path inside `root`, or undefined for one that would leave it. */
function inside(root: string, path: string): string | undefined {
  if (isAbsolute(path)) return undefined;
  const full = join(root, path);
  const back = relative(root, full);
  return back === '' || back.startsWith('..') || isAbsolute(back) ? undefined : full;
}

/** The workflow files that would serve the runbook at `path` (repository-relative): GitHub's, then GitLab's. */
function workflowCandidates(path: string): string[] {
  const slug = workflowSlug(path);
  return [githubWorkflowPath(slug), gitlabWorkflowPath(slug)];
}

/** The exported workflow files of the runbook at `path` (repository-relative) that exist under `root`. */
export async function existingWorkflows(root: string, path: string): Promise<string[]> {
  const candidates = workflowCandidates(path);
  const found = await Promise.all(candidates.map((candidate) => isFile(join(root, candidate))));
  return candidates.filter((_, index) => found[index]);
}

/**
 * Every exported workflow file in the repository (repository-relative), listed once: ranking a few
 * hundred runbooks then looks each one up instead of asking the disk twice per runbook.
 */
export async function listWorkflowFiles(root: string): Promise<Set<string>> {
  const folders = [...new Set(workflowCandidates('x.md').map((candidate) => candidate.slice(0, candidate.lastIndexOf('/'))))];
  const files = new Set<string>();
  await Promise.all(
    folders.map(async (folder) => {
      try {
        for (const entry of await readdir(join(root, folder), { withFileTypes: true })) if (entry.isFile()) files.add(`${folder}/${entry.name}`);
      } catch {
        // No such folder: no workflow there.
      }
    }),
  );
  return files;
}

/**
 * The ladder of the runbook at `path` (repository-relative) in the repository at `root`. Pass the
 * text and the parsed runbook when you have them (the editor's shared parse), and the workflow
 * files from `listWorkflowFiles` when placing many runbooks; otherwise the file is read and parsed
 * and the workflow files are looked up. Rejects when the file cannot be read.
 */
export async function readLadder(root: string, path: string, known?: { text: string; runbook?: Runbook; workflowFiles?: ReadonlySet<string> }): Promise<Ladder> {
  const source = known?.text ?? (await readFile(join(root, path), 'utf8'));
  const runbook = known?.runbook ?? parseRunbook(source, { path: join(root, path) });
  const notes = automationNotes(source);
  const scripts = new Set<string>();
  await Promise.all(
    [...new Set(notes.map((note) => note.script))].map(async (script) => {
      const full = inside(root, script);
      if (full && (await isFile(full))) scripts.add(script);
    }),
  );
  const listed = known?.workflowFiles;
  const workflows = listed ? workflowCandidates(path).filter((candidate) => listed.has(candidate)) : await existingWorkflows(root, path);
  return ladderOf(runbook, notes, { scripts, workflows });
}
