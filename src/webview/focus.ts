// Keeping the keyboard's place in the preview. Updates replace or move nodes (the morph of a new
// document version), and a step's buttons are disabled while it runs; either drops focus to the
// page's start, and the next Tab would begin again at the top. The element that had focus is
// remembered by what it is (which step, which button), not by node, and focus is put back on it
// or, when it cannot take focus now, on its step block.

const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]';

/** Where focus was: a step and the index of the focusable element within it, or an element id. */
interface FocusPlace {
  stepId?: string;
  /** Index among the step's (or the content's) focusable elements; -1 for the step block itself. */
  index: number;
  id?: string;
}

let root: HTMLElement | undefined;
let last: FocusPlace | undefined;

function stepOf(element: Element): HTMLElement | null {
  return element.closest<HTMLElement>('section.step[data-step-id]');
}

function placeOf(element: Element): FocusPlace | undefined {
  if (!root?.contains(element)) return element.id ? { id: element.id, index: 0 } : undefined;
  const step = stepOf(element);
  if (step) {
    if (step === element) return { stepId: step.dataset.stepId, index: -1 };
    return { stepId: step.dataset.stepId, index: Array.from(step.querySelectorAll(FOCUSABLE)).indexOf(element) };
  }
  if (element.id) return { id: element.id, index: 0 };
  return { index: Array.from(root.querySelectorAll(FOCUSABLE)).filter((candidate) => !stepOf(candidate)).indexOf(element) };
}

function elementAt(place: FocusPlace): HTMLElement | undefined {
  if (place.id !== undefined) return document.getElementById(place.id) ?? undefined;
  if (!root) return undefined;
  if (place.stepId !== undefined) {
    const step = Array.from(root.querySelectorAll<HTMLElement>('section.step[data-step-id]')).find((s) => s.dataset.stepId === place.stepId);
    if (!step) return undefined;
    if (place.index < 0) return step;
    const element = step.querySelectorAll<HTMLElement>(FOCUSABLE)[place.index];
    // A control that cannot take focus now (Run while the step runs): the step block instead, which
    // a screen reader names with the step's title and state.
    return element && canTakeFocus(element) ? element : step;
  }
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((candidate) => !stepOf(candidate))[place.index];
}

function canTakeFocus(element: HTMLElement): boolean {
  if ((element as HTMLButtonElement).disabled) return false;
  if (element.closest('[hidden]')) return false;
  return element.getClientRects().length > 0;
}

/** Whether focus was lost: nothing, the page, or an element that is gone or can no longer hold it. */
function focusLost(): boolean {
  const active = document.activeElement;
  if (!active || active === document.body || active === document.documentElement) return true;
  return !active.isConnected || (active instanceof HTMLElement && !canTakeFocus(active));
}

function restore(place: FocusPlace | undefined): void {
  // Never take focus back from the workbench (the editor, a dialog) or from where the reader put it.
  if (!place || !document.hasFocus() || !focusLost()) return;
  const element = elementAt(place);
  if (element && element !== document.activeElement && canTakeFocus(element)) element.focus({ preventScroll: true });
}

/** Starts remembering what has focus in `content` (the rendered document) and in the page around it. */
export function trackFocus(content: HTMLElement): void {
  root = content;
  document.addEventListener('focusin', (event) => {
    if (event.target instanceof Element) last = placeOf(event.target);
  });
  // A click on text (not focusable) moves focus to the page on purpose: forget the old place.
  document.addEventListener('pointerdown', (event) => {
    if (!(event.target instanceof Element) || !event.target.closest(FOCUSABLE)) last = undefined;
  });
}

/** Runs `update` (which may replace or move the focused element) and puts focus back where it was. */
export function keepFocus<T>(update: () => T): T {
  const active = document.activeElement;
  const place = active && active !== document.body ? (placeOf(active) ?? last) : last;
  try {
    return update();
  } finally {
    restore(place);
  }
}

/** Puts focus back if an update took it away (a focused button got disabled or removed). */
export function restoreFocus(): void {
  restore(last);
}
