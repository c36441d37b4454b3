// Step output: text arrives in chunks (possibly very fast), is turned into HTML by a per-step
// AnsiUp (so colours carry across chunks, and the text is HTML-escaped), and is written to the
// page at most once per animation frame. Each step keeps at most OUTPUT_CAP characters in the page,
// dropping the oldest.

import { AnsiUp } from 'ansi_up';

export const OUTPUT_CAP = 2 * 1024 * 1024;
/** Longest a frame may be awaited (frames stall in a hidden webview). */
const FLUSH_FALLBACK_MS = 250;
const ANSI_STYLES = new Set(['font-weight', 'opacity', 'font-style', 'text-decoration', 'color', 'background-color']);

/** Beyond this, a stream stops remembering the text it received (see outputMatches). */
const RAW_CAP = 4 * OUTPUT_CAP;

interface Stream {
  ansi: AnsiUp;
  /** All text received since the output was last set, or null once that grew past RAW_CAP. */
  raw: string | null;
  /** Characters of text now in the page. */
  length: number;
  /** HTML waiting for the next frame, with each chunk's text length. */
  pending: string[];
  pendingLengths: number[];
  pendingLength: number;
  /** The page's output is older than what was dropped from `pending`: clear it first. */
  replace: boolean;
  /** Older output was removed from the page to stay under the cap. */
  trimmed: boolean;
}

const streams = new Map<string, Stream>();
let findSection: (stepId: string) => HTMLElement | undefined = () => undefined;
let frame: number | undefined;
let fallback: ReturnType<typeof setTimeout> | undefined;

export function setSectionLookup(lookup: (stepId: string) => HTMLElement | undefined): void {
  findSection = lookup;
}

function createAnsi(): AnsiUp {
  const ansi = new AnsiUp();
  // The 16 basic colours as classes (themed in preview.css); the rest becomes inline styles,
  // which toFragment moves to the CSSOM (the CSP refuses style attributes).
  ansi.use_classes = true;
  ansi.escape_html = true;
  return ansi;
}

function streamOf(stepId: string): Stream {
  let stream = streams.get(stepId);
  if (!stream) {
    stream = { ansi: createAnsi(), raw: '', length: 0, pending: [], pendingLengths: [], pendingLength: 0, replace: false, trimmed: false };
    streams.set(stepId, stream);
  }
  return stream;
}

function parts(section: HTMLElement): { details: HTMLDetailsElement; pre: HTMLElement } | undefined {
  const details = section.querySelector<HTMLDetailsElement>('details.step-output');
  const pre = details?.querySelector<HTMLElement>('pre.output');
  return details && pre ? { details, pre } : undefined;
}

/** AnsiUp's HTML as nodes, with its inline styles applied through the CSSOM. */
function toFragment(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html.replace(/<span style="/g, '<span data-ansi-style="');
  const fragment = document.importNode(template.content, true);
  for (const span of Array.from(fragment.querySelectorAll<HTMLElement>('[data-ansi-style]'))) {
    for (const declaration of (span.dataset.ansiStyle ?? '').split(';')) {
      const colon = declaration.indexOf(':');
      if (colon < 0) continue;
      const property = declaration.slice(0, colon).trim();
      if (ANSI_STYLES.has(property)) span.style.setProperty(property, declaration.slice(colon + 1).trim());
    }
    span.removeAttribute('data-ansi-style');
  }
  for (const link of Array.from(fragment.querySelectorAll('a'))) link.rel = 'noopener noreferrer';
  return fragment;
}

/** Queues `text` for `stepId`'s output. */
export function appendOutput(stepId: string, text: string): void {
  if (!text) return;
  const stream = streamOf(stepId);
  if (stream.raw !== null) stream.raw = stream.raw.length + text.length <= RAW_CAP ? stream.raw + text : null;
  const html = stream.ansi.ansi_to_html(text);
  if (!html) return;
  stream.pending.push(html);
  stream.pendingLengths.push(text.length);
  stream.pendingLength += text.length;
  while (stream.pending.length > 1 && stream.pendingLength - stream.pendingLengths[0] >= OUTPUT_CAP) {
    stream.pending.shift();
    stream.pendingLength -= stream.pendingLengths.shift()!;
    stream.replace = true;
    stream.trimmed = true;
  }
  schedule();
}

/** Whether the page shows (or is about to show) exactly `text` as `stepId`'s output. */
export function outputMatches(stepId: string, text: string): boolean {
  const stream = streams.get(stepId);
  if (!stream) return text === '';
  if (stream.raw !== text) return false;
  if (text === '' || stream.pending.length > 0) return true;
  const section = findSection(stepId);
  const found = section && parts(section);
  return Boolean(found && found.pre.hasChildNodes());
}

/** Replaces `stepId`'s whole output (from a render's `outputs`). */
export function setOutput(stepId: string, text: string): void {
  streams.delete(stepId);
  const section = findSection(stepId);
  const found = section && parts(section);
  if (found) {
    found.pre.replaceChildren();
    found.details.hidden = true;
    updateTrimNote(found.details, false);
  }
  if (text) appendOutput(stepId, text);
}

export function clearOutput(stepId: string): void {
  setOutput(stepId, '');
}

/** Forgets queued chunks (a render's `outputs` already holds them). */
export function dropPending(): void {
  for (const stream of streams.values()) {
    stream.pending = [];
    stream.pendingLengths = [];
    stream.pendingLength = 0;
    stream.replace = false;
  }
}

/** Forgets the streams of steps no longer rendered. */
export function retainStreams(stepIds: Set<string>): void {
  for (const id of streams.keys()) if (!stepIds.has(id)) streams.delete(id);
}

function schedule(): void {
  if (frame !== undefined) return;
  frame = requestAnimationFrame(flush);
  fallback = setTimeout(flush, FLUSH_FALLBACK_MS);
}

export function flush(): void {
  if (frame !== undefined) cancelAnimationFrame(frame);
  clearTimeout(fallback);
  frame = undefined;
  fallback = undefined;

  // Read the layout first, then write, so the frame lays out once.
  const work: { stream: Stream; details: HTMLDetailsElement; pre: HTMLElement; atBottom: boolean }[] = [];
  for (const [id, stream] of streams) {
    if (stream.pending.length === 0) continue;
    const section = findSection(id);
    const found = section && parts(section);
    if (!found) {
      // Not on the page: the next render's `outputs` brings it.
      stream.pending = [];
      stream.pendingLengths = [];
      stream.pendingLength = 0;
      continue;
    }
    const { pre } = found;
    const atBottom = found.details.hidden || pre.scrollHeight - pre.scrollTop - pre.clientHeight < 4;
    work.push({ stream, ...found, atBottom });
  }
  for (const { stream, details, pre } of work) {
    if (stream.replace) {
      pre.replaceChildren();
      stream.length = 0;
    }
    pre.append(toFragment(stream.pending.join('')));
    stream.length += stream.pendingLength;
    stream.pending = [];
    stream.pendingLengths = [];
    stream.pendingLength = 0;
    stream.replace = false;
    if (stream.length > OUTPUT_CAP) {
      stream.length -= trimStart(pre, stream.length - OUTPUT_CAP);
      stream.trimmed = true;
    }
    updateTrimNote(details, stream.trimmed);
    details.hidden = false;
  }
  for (const { pre, atBottom } of work) {
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }
}

/** Removes about `excess` characters from the start of `pre`; returns how many went. */
function trimStart(pre: HTMLElement, excess: number): number {
  let removed = 0;
  while (removed < excess && pre.firstChild) {
    const node = pre.firstChild;
    const length = node.textContent?.length ?? 0;
    if (removed + length <= excess) {
      node.remove();
      removed += length;
      continue;
    }
    const cut = excess - removed;
    const text = node.nodeType === Node.TEXT_NODE ? (node as Text) : firstText(node);
    if (text) {
      const take = Math.min(cut, text.data.length);
      text.data = text.data.slice(take);
      removed += take;
      if (take === 0) break;
    } else {
      node.remove();
      removed += length;
    }
  }
  return removed;
}

function firstText(node: Node): Text | undefined {
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  let text = walker.nextNode() as Text | null;
  while (text && text.data.length === 0) text = walker.nextNode() as Text | null;
  return text ?? undefined;
}

function updateTrimNote(details: HTMLElement, trimmed: boolean): void {
  let note = details.querySelector<HTMLElement>(':scope > .output-trimmed');
  if (!trimmed) {
    note?.remove();
    return;
  }
  if (!note) {
    note = document.createElement('div');
    note.className = 'output-note output-trimmed';
    note.textContent = `Older output is not shown: the preview keeps the last ${Math.round(OUTPUT_CAP / (1024 * 1024))} MiB.`;
    const pre = details.querySelector(':scope > pre.output');
    if (pre) pre.before(note);
    else details.append(note);
  }
}
