// Keyboard moves of the preview beyond Tab: F8 / Shift+F8 go to the next / previous step that
// failed or timed out (as F8 goes to the next problem in an editor), and a "Next failed step"
// button beside Run all, shown while a step failed, does the same for the mouse and lists the
// shortcut. The step block takes focus, so a screen reader says the step's title and its state.

import { el } from './dom';

const FAILED = 'section.step[data-status="failed"], section.step[data-status="timed-out"]';

let content: HTMLElement | undefined;
let button: HTMLButtonElement | undefined;

function failedSteps(): HTMLElement[] {
  return content ? Array.from(content.querySelectorAll<HTMLElement>(FAILED)) : [];
}

/** The failed step after (or before) where the reader is: the focused element, else the top of the view. */
function nextFailed(backwards: boolean): HTMLElement | undefined {
  const steps = failedSteps();
  if (steps.length === 0) return undefined;
  const active = document.activeElement;
  const from = active && content?.contains(active) ? active : undefined;
  const after = (step: HTMLElement): boolean => {
    if (from) {
      if (step === from || step.contains(from)) return false;
      return Boolean(from.compareDocumentPosition(step) & Node.DOCUMENT_POSITION_FOLLOWING);
    }
    return step.getBoundingClientRect().top > 1;
  };
  if (!backwards) return steps.find(after) ?? steps[0];
  const before = steps.filter((step) => !after(step) && step !== from && !step.contains(from ?? null));
  return before[before.length - 1] ?? steps[steps.length - 1];
}

/** Moves focus to the next (or previous) failed step; returns whether there was one. */
export function goToFailedStep(backwards = false): boolean {
  const step = nextFailed(backwards);
  if (!step) return false;
  step.focus({ preventScroll: true });
  step.scrollIntoView({ block: 'nearest' });
  return true;
}

/** Shows the button while some step failed, with how many did. */
export function updateFailedSteps(): void {
  if (!button) return;
  const count = failedSteps().length;
  button.hidden = count === 0;
  const text = count === 1 ? 'Next failed step' : `Next failed step (${count})`;
  if (button.textContent !== text) button.textContent = text;
}

/** Adds the button to `actions` and listens for F8 in the whole preview. */
export function installKeyboard(contentRoot: HTMLElement, actions: HTMLElement): void {
  content = contentRoot;
  button = el('button', 'button button-secondary');
  button.type = 'button';
  button.id = 'next-failed';
  button.hidden = true;
  button.title = 'Go to the next step that failed (F8; Shift+F8 goes back)';
  button.setAttribute('aria-keyshortcuts', 'F8 Shift+F8');
  button.addEventListener('click', () => goToFailedStep());
  actions.append(button);
  updateFailedSteps();

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'F8' || event.altKey || event.ctrlKey || event.metaKey) return;
    if (goToFailedStep(event.shiftKey)) event.preventDefault();
  });
}
