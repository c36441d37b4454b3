// The runbook preview's webview script (bundled as an IIFE into dist/webview.js). It shows what the
// host renders, keeps step state and output up to date from the host's messages, and turns clicks
// into messages back. Everything the host sends is checked (isHostMessage) and its HTML sanitized.

import morphdom from 'morphdom';
import { isHostMessage, type HostMessage } from '../features/preview/protocol';
import { installAccessibility, keepFocus } from './accessibility';
import { renderBackground } from './background';
import { container, el } from './dom';
import { renderHeader, UNTRUSTED_MESSAGE } from './header';
import { renderInputs } from './inputsForm';
import { appendOutput, clearOutput, retainStreams, setOutput, setSectionLookup } from './output';
import { sanitizeRunbookHtml } from './sanitize';
import { applyState, isTrusted, resetStates, setState, setTimerContent, setTrusted, stepSections } from './steps';
import { getState, post, setState as persistState } from './vscodeApi';

const STEP_ACTIONS = new Set(['run', 'stop', 'copy', 'runInTerminal']);
const SCROLL_SAVE_MS = 200;

const app = document.getElementById('app') ?? document.body;
const headerRoot = container('runbook-header', 'header', 'runbook-header', app);
const inputsRoot = container('runbook-inputs', 'section', 'runbook-inputs', app);
const actionsRoot = container('runbook-actions', 'div', 'runbook-actions', app);
const content = container('content', 'main', 'runbook-content', app);

let documentVersion: number | undefined;
let sections = new Map<string, HTMLElement>();
let rendered = false;

const runAllButton = el('button', 'button button-primary', 'Run all');
runAllButton.type = 'button';
runAllButton.id = 'run-all';
runAllButton.dataset.command = 'runAll';
runAllButton.disabled = true;
const resetButton = el('button', 'button button-secondary', 'Reset session');
resetButton.type = 'button';
resetButton.id = 'reset-session';
resetButton.dataset.command = 'resetSession';
resetButton.title = 'Start a fresh session: clears exported variables, the working directory and placeholder values';
const backgroundRoot = el('div', 'runbook-background');
backgroundRoot.id = 'runbook-background';
backgroundRoot.setAttribute('role', 'status');
backgroundRoot.hidden = true;
actionsRoot.replaceChildren(runAllButton, resetButton, backgroundRoot);
inputsRoot.setAttribute('aria-label', 'Inputs');
if (!inputsRoot.hasChildNodes()) inputsRoot.hidden = true;

function sectionOf(stepId: string): HTMLElement | undefined {
  const section = sections.get(stepId);
  return section?.isConnected ? section : undefined;
}

setSectionLookup(sectionOf);
setTimerContent(content);
installAccessibility(content, actionsRoot);

function updateRunAll(): void {
  const trusted = isTrusted();
  runAllButton.disabled = !trusted || documentVersion === undefined;
  runAllButton.title = trusted ? 'Run every step in order (except skipped ones), stopping at the first that does not pass' : UNTRUSTED_MESSAGE;
}

function isStepSection(node: Node): node is HTMLElement {
  return node instanceof HTMLElement && node.tagName === 'SECTION' && node.classList.contains('step') && Boolean(node.dataset.stepId);
}

/** Keys for the top-level blocks: their HTML without line numbers, so unchanged blocks keep their
 * node (and images, selection, open state) when lines are inserted above them. */
const blockKeys = new WeakMap<Node, string>();

function hashText(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return `${(hash >>> 0).toString(36)}.${text.length}`;
}

function assignBlockKeys(parent: Element): void {
  const seen = new Map<string, number>();
  for (const child of Array.from(parent.children)) {
    // Steps have their own key; blocks holding steps change with the steps' state: leave them unkeyed.
    if (isStepSection(child) || child.querySelector('section.step')) continue;
    const base = `block:${child.tagName}:${hashText(child.outerHTML.replace(/ data-line="\d+"/g, ''))}`;
    const index = seen.get(base) ?? 0;
    seen.set(base, index + 1);
    blockKeys.set(child, `${base}:${index}`);
  }
}

/** Open state of the document's own <details>, by summary text, to re-apply after morphing. */
function saveDetails(): Map<string, boolean[]> {
  const saved = new Map<string, boolean[]>();
  for (const details of Array.from(content.querySelectorAll('details:not(.step-output)'))) {
    const key = details.querySelector(':scope > summary')?.textContent ?? '';
    saved.set(key, [...(saved.get(key) ?? []), (details as HTMLDetailsElement).open]);
  }
  return saved;
}

function restoreDetails(saved: Map<string, boolean[]>): void {
  const seen = new Map<string, number>();
  for (const details of Array.from(content.querySelectorAll<HTMLDetailsElement>('details:not(.step-output)'))) {
    const key = details.querySelector(':scope > summary')?.textContent ?? '';
    const index = seen.get(key) ?? 0;
    seen.set(key, index + 1);
    const open = saved.get(key)?.[index];
    if (open !== undefined && details.open !== open) details.open = open;
  }
}

function morphContent(next: HTMLElement): void {
  const details = saveDetails();
  assignBlockKeys(content);
  assignBlockKeys(next);
  keepFocus(() => morphdom(content, next, {
    childrenOnly: true,
    getNodeKey(node) {
      if (isStepSection(node)) return `step:${node.dataset.stepId}`;
      return blockKeys.get(node) ?? (node instanceof Element && node.id ? node.id : undefined);
    },
    onBeforeElUpdated(fromEl, toEl) {
      // Output and result belong to the host's state, not to the Markdown: keep them as they are.
      if (fromEl.classList.contains('step-output') || fromEl.classList.contains('step-result')) return false;
      // Keep what the reader opened or closed.
      if (fromEl instanceof HTMLDetailsElement && toEl instanceof HTMLDetailsElement) toEl.open = fromEl.open;
      return !fromEl.isEqualNode(toEl);
    },
  }));
  restoreDetails(details);
}

/** Hides the header's title when the document's first heading already shows it. */
function markTitleInContent(): void {
  const title = headerRoot.querySelector('.runbook-title')?.textContent?.trim();
  const first = content.querySelector('h1, h2, h3, h4, h5, h6');
  headerRoot.classList.toggle('title-in-content', Boolean(title && first?.tagName === 'H1' && first.textContent?.trim() === title));
}

/** The rendered document: morphed into the page, so unchanged blocks, output and focus stay. */
function onDocument(message: Extract<HostMessage, { type: 'document' }>): void {
  documentVersion = message.documentVersion;
  setTrusted(message.trusted === true);
  renderHeader(headerRoot, message.header, message.trusted === true);
  renderInputs(inputsRoot, message.inputs);
  updateRunAll();

  const next = document.createElement('main');
  next.append(sanitizeRunbookHtml(message.html));
  morphContent(next);

  markTitleInContent();

  sections = stepSections(content);
  // Output belongs to the step, not to the document: a step that is still there keeps what it showed.
  retainStreams(new Set(sections.keys()));
  resetStates(message.steps);
  for (const [id, section] of sections) applyState(section, id);

  applyManual(message.manual);

  const saved = getState();
  if (typeof message.resource === 'string' && saved.resource !== message.resource) {
    // Another runbook than the one the saved scroll position belongs to.
    const scrollY = saved.resource === undefined ? saved.scrollY : undefined;
    persistState({ resource: message.resource, scrollY });
  }
  if (!rendered) {
    rendered = true;
    const { scrollY } = getState();
    if (typeof scrollY === 'number' && scrollY > 0) window.scrollTo(0, scrollY);
  }
}

function onMessage(message: HostMessage): void {
  switch (message.type) {
    case 'document':
      onDocument(message);
      break;
    case 'outputs':
      for (const [stepId, text] of Object.entries(message.outputs)) setOutput(stepId, text);
      break;
    case 'steps':
      for (const [stepId, state] of Object.entries(message.steps)) {
        setState(stepId, state);
        const section = sectionOf(stepId);
        if (section) applyState(section, stepId);
      }
      break;
    case 'manual':
      applyManual(message.manual);
      break;
    case 'output':
      appendOutput(message.stepId, message.text);
      break;
    case 'clearOutput':
      clearOutput(message.stepId);
      break;
    case 'inputs':
      renderInputs(inputsRoot, message.inputs);
      break;
    case 'background':
      renderBackground(backgroundRoot, message.processes);
      break;
    case 'scrollToLine':
      scrollToLine(message.line);
      break;
  }
}

/** Task-list checkboxes show the progress (checked off in the Steps view), not the file's `[x]`. */
function applyManual(manual: Record<string, boolean>): void {
  for (const box of content.querySelectorAll<HTMLInputElement>('input.task-checkbox[data-manual-id]')) {
    const id = box.dataset.manualId ?? '';
    if (id in manual) box.checked = manual[id] === true;
  }
}

/** Brings the block that holds `line` into view, unless it is already visible. */
function scrollToLine(line: number): void {
  let target: Element | undefined;
  for (const element of content.querySelectorAll('[data-line]')) {
    const at = Number(element.getAttribute('data-line'));
    if (at > line) break;
    target = element;
  }
  const box = target?.getBoundingClientRect();
  if (target && box && (box.top < 0 || box.bottom > window.innerHeight)) target.scrollIntoView({ block: 'center' });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostMessage(event.data)) return;
  try {
    onMessage(event.data);
  } catch (error) {
    console.error('Runbook preview: could not handle a message', error);
  }
});

function lineOf(element: Element | null | undefined): number | undefined {
  const text = element?.getAttribute('data-line');
  if (!text || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

document.addEventListener('click', (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;

  const command = target.closest<HTMLButtonElement>('button[data-command]');
  if (command && actionsRoot.contains(command)) {
    if (command.disabled) return;
    if (command.dataset.command === 'runAll' && documentVersion !== undefined) post({ type: 'runAll', documentVersion });
    else if (command.dataset.command === 'resetSession') post({ type: 'resetSession' });
    else if (command.dataset.command === 'stopBackground') post({ type: 'stopBackground' });
    else if (command.dataset.command === 'showBackgroundLog') post({ type: 'showBackgroundLog' });
    return;
  }

  if (!content.contains(target)) return;
  const button = target.closest<HTMLButtonElement>('button[data-action]');
  if (button) {
    const action = button.dataset.action;
    const section = button.closest<HTMLElement>('section.step[data-step-id]');
    const stepId = section?.dataset.stepId;
    if (button.disabled || !action || !STEP_ACTIONS.has(action) || !stepId || documentVersion === undefined) return;
    post({ type: action as 'run' | 'stop' | 'copy' | 'runInTerminal', stepId, documentVersion });
    return;
  }

  // Reveal the source of a heading or a step header, unless the click was on something
  // interactive or ended a text selection.
  if (target.closest('a, button, input, select, textarea, summary, label')) return;
  if (window.getSelection()?.toString()) return;
  const stepHeader = target.closest('.step-header');
  const line = stepHeader ? lineOf(stepHeader.closest('section.step')) : lineOf(target.closest('.heading[data-line]'));
  if (line !== undefined) post({ type: 'reveal', line });
});

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener(
  'scroll',
  () => {
    if (scrollTimer !== undefined) return;
    scrollTimer = setTimeout(() => {
      scrollTimer = undefined;
      persistState({ ...getState(), scrollY: Math.round(window.scrollY) });
    }, SCROLL_SAVE_MS);
  },
  { passive: true },
);

post({ type: 'ready' });
