// The preview's accessibility, wired in at the two places that know about changes: main.ts installs
// it once and wraps the document's morph in keepFocus; steps.ts calls stepStateShown each time a
// step's state is shown. Behind them: the live region (announce.ts), focus keeping (focus.ts),
// F8 to the next failed step (keyboard.ts), focusable scrolling blocks (scrollables.ts) and
// readable ANSI colours (ansiContrast.ts).

import type { StepView } from '../features/preview/protocol';
import { announceStepState } from './announce';
import { keepAnsiColoursReadable } from './ansiContrast';
import { restoreFocus, trackFocus } from './focus';
import { installKeyboard, updateFailedSteps } from './keyboard';
import { keepScrollablesFocusable } from './scrollables';

export { keepFocus } from './focus';

export function installAccessibility(content: HTMLElement, actions: HTMLElement): void {
  trackFocus(content);
  installKeyboard(content, actions);
  keepScrollablesFocusable(content);
  keepAnsiColoursReadable();
}

let afterStates = false;

/**
 * After `section` shows `state`: say what changed; then, once for all the steps shown in this task
 * (a render shows thousands), update the failed-step button and put back focus a disabled button lost.
 */
export function stepStateShown(section: HTMLElement, stepId: string, state: StepView): void {
  announceStepState(section, stepId, state);
  if (afterStates) return;
  afterStates = true;
  queueMicrotask(() => {
    afterStates = false;
    updateFailedSteps();
    restoreFocus();
  });
}
