// What a screen reader says about the preview without the reader moving: one polite live region
// (the shell's #runbook-announcer), and the sentences for a step's state changes. A change is said
// once, when it happens: a step seen for the first time (the first render, a reload, an edit that
// gave it a new id) is only remembered, so the page is never read out again.

import type { StepView } from '../features/preview/protocol';
import { container } from './dom';
import { formatDuration } from './format';

/** Sentences that arrive together (Run all: one step ends, the next starts) are said as one. */
const GATHER_MS = 150;

let region: HTMLElement | undefined;
let queued: string[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
const lastSaid = new Map<string, string>();

function liveRegion(): HTMLElement {
  if (region?.isConnected) return region;
  region = container('runbook-announcer', 'div', 'visually-hidden', document.getElementById('app') ?? document.body);
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  region.setAttribute('aria-atomic', 'true');
  return region;
}

/** Has `text` said by screen readers, politely (after what they are saying now). */
export function announce(text: string): void {
  if (!text) return;
  queued.push(text);
  if (timer !== undefined) return;
  timer = setTimeout(() => {
    timer = undefined;
    const sentence = queued.join('. ');
    queued = [];
    const live = liveRegion();
    // The same words twice in a row are a new announcement too: screen readers ignore a region
    // whose text did not change, so it is emptied first and filled on the next task.
    if (live.textContent === sentence) {
      live.textContent = '';
      setTimeout(() => (live.textContent = sentence), 50);
    } else {
      live.textContent = sentence;
    }
  }, GATHER_MS);
}

/** What to say when a step reaches `state`, or undefined for states not worth interrupting for. */
export function stateSentence(title: string, state: StepView): string | undefined {
  switch (state.status) {
    case 'running':
      return `Running ${title}`;
    case 'passed':
      return state.durationMs !== undefined ? `${title} passed in ${formatDuration(state.durationMs)}` : `${title} passed`;
    case 'failed':
      if (state.exitCode !== undefined) return `${title} failed with exit code ${state.exitCode}`;
      return state.message ? `${title} failed: ${state.message}` : `${title} failed`;
    case 'timed-out':
      return `${title} timed out`;
    case 'cancelled':
      return `${title} was stopped`;
    default:
      return undefined;
  }
}

/** Announces `stepId`'s state if it changed since it was last shown (see the header). */
export function announceStepState(section: HTMLElement, stepId: string, state: StepView): void {
  // A new run has a new start time, so passed → running → passed is said twice over two runs.
  const key = [state.status, state.startedAt ?? '', state.exitCode ?? ''].join('|');
  const previous = lastSaid.get(stepId);
  lastSaid.set(stepId, key);
  if (previous === undefined || previous === key) return;
  const title = section.querySelector('.step-title')?.textContent?.trim() || stepId;
  const sentence = stateSentence(title, state);
  if (sentence) announce(sentence);
}
