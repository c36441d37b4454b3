// Step blocks: the badge, the toolbar's enabled state, the result (message and diff) and the
// running timer, from the host's StepView per step.

import type { StepView } from '../features/preview/protocol';
import { el } from './dom';
import { badgeText, formatMiB, isBusy } from './format';
import { UNTRUSTED_MESSAGE } from './header';
import { stepStateShown } from './accessibility';

const PENDING: StepView = { status: 'pending' };
const RESULT_STATUSES = new Set(['passed', 'failed', 'timed-out', 'cancelled']);

const states = new Map<string, StepView>();
let trusted = false;
let timer: ReturnType<typeof setInterval> | undefined;

export function setTrusted(value: boolean): void {
  trusted = value;
}

export function isTrusted(): boolean {
  return trusted;
}

export function stepState(stepId: string): StepView {
  return states.get(stepId) ?? PENDING;
}

/** The rendered step blocks by id (the first, should an id repeat). */
export function stepSections(content: HTMLElement): Map<string, HTMLElement> {
  const sections = new Map<string, HTMLElement>();
  for (const section of Array.from(content.querySelectorAll<HTMLElement>('section.step[data-step-id]'))) {
    const id = section.dataset.stepId;
    if (id && !sections.has(id)) sections.set(id, section);
  }
  return sections;
}

/** Replaces every known state (steps missing from `steps` are pending). */
export function resetStates(steps: Record<string, StepView>): void {
  states.clear();
  for (const [id, state] of Object.entries(steps)) {
    if (isStepView(state)) states.set(id, state);
  }
}

export function setState(stepId: string, state: StepView): void {
  states.set(stepId, state);
}

function isStepView(value: unknown): value is StepView {
  return typeof value === 'object' && value !== null && typeof (value as StepView).status === 'string';
}

/** Shows `stepId`'s state in its section. */
export function applyState(section: HTMLElement, stepId: string): void {
  const state = stepState(stepId);
  const badge = section.querySelector<HTMLElement>('.step-badge');
  if (badge) {
    badge.dataset.status = state.status;
    const text = badgeText(state, Date.now());
    badge.textContent = text;
    badge.title = state.message && state.status !== 'running' ? state.message : text;
    if (text) badge.setAttribute('aria-label', `Status: ${text}`);
    else badge.removeAttribute('aria-label');
  }
  section.dataset.status = state.status;
  applyControls(section, state);
  applyResult(section, state);
  applyDropped(section, state);
  updateTimer();
  stepStateShown(section, stepId, state);
}

function applyControls(section: HTMLElement, state: StepView): void {
  const busy = isBusy(state);
  for (const button of Array.from(section.querySelectorAll<HTMLButtonElement>('.step-toolbar button[data-action]'))) {
    const action = button.dataset.action;
    if (button.dataset.title === undefined) button.dataset.title = button.title;
    let disabled = false;
    let title = button.dataset.title;
    if (action === 'run' || action === 'runInTerminal') {
      if (!trusted) {
        disabled = true;
        title = UNTRUSTED_MESSAGE;
      } else {
        disabled = busy;
      }
    } else if (action === 'stop') {
      disabled = !busy;
    }
    button.disabled = disabled;
    button.title = title;
  }
}

function applyResult(section: HTMLElement, state: StepView): void {
  const result = section.querySelector<HTMLElement>('.step-result');
  if (!result) return;
  const show = RESULT_STATUSES.has(state.status) && (Boolean(state.message) || Boolean(state.diff));
  const signature = show ? JSON.stringify([state.status, state.message, state.diff]) : '';
  if (result.dataset.signature === signature) return;
  result.dataset.signature = signature;
  result.dataset.status = state.status;
  if (!show) {
    result.replaceChildren();
    result.hidden = true;
    return;
  }
  const children: HTMLElement[] = [];
  if (state.message) children.push(el('div', 'result-message', state.message));
  if (state.diff) children.push(renderDiff(state.diff));
  result.replaceChildren(...children);
  result.hidden = false;
}

function renderDiff(diff: string): HTMLElement {
  const block = el('div', 'diff');
  const label = el('div', 'diff-label');
  label.append(el('span', 'diff-legend diff-legend-removed', '- expected'), el('span', 'diff-legend diff-legend-inserted', '+ actual'));
  const pre = el('pre', 'diff-lines');
  for (const line of diff.split('\n')) {
    const kind = line.startsWith('+ ') ? 'diff-inserted' : line.startsWith('- ') ? 'diff-removed' : 'diff-context';
    pre.append(el('span', `diff-line ${kind}`, line), document.createTextNode('\n'));
  }
  block.append(label, pre);
  return block;
}

/** The host's note that output was dropped, above the output. */
function applyDropped(section: HTMLElement, state: StepView): void {
  const details = section.querySelector<HTMLElement>('details.step-output');
  if (!details) return;
  let note = details.querySelector<HTMLElement>(':scope > .output-dropped');
  const dropped = state.droppedBytes ?? 0;
  if (dropped <= 0) {
    note?.remove();
    return;
  }
  if (!note) {
    note = el('div', 'output-note output-dropped');
    const summary = details.querySelector(':scope > summary');
    if (summary) summary.after(note);
    else details.prepend(note);
  }
  note.textContent = `Output truncated: the first ${formatMiB(dropped)} were dropped`;
}

function updateTimer(): void {
  const running = Array.from(states.values()).some((state) => state.status === 'running' && state.startedAt !== undefined);
  if (running && timer === undefined) timer = setInterval(tick, 1000);
  else if (!running && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
}

let tickContent: HTMLElement | undefined;

export function setTimerContent(content: HTMLElement): void {
  tickContent = content;
}

function tick(): void {
  if (!tickContent) return;
  const now = Date.now();
  for (const [id, section] of stepSections(tickContent)) {
    const state = stepState(id);
    if (state.status !== 'running') continue;
    const badge = section.querySelector<HTMLElement>('.step-badge');
    if (badge) {
      const text = badgeText(state, now);
      badge.textContent = text;
      badge.title = text;
      badge.setAttribute('aria-label', `Status: ${text}`);
    }
  }
}
