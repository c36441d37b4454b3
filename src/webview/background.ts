// The line under the preview's actions that says which processes steps left running in the
// background (a server started with `&`), with buttons to show their log and to stop them.

import type { HostMessage } from '../features/preview/protocol';
import { el } from './dom';

type Processes = Extract<HostMessage, { type: 'background' }>['processes'];

function button(text: string, command: string, title: string): HTMLButtonElement {
  const element = el('button', 'button button-secondary', text);
  element.type = 'button';
  element.dataset.command = command;
  element.title = title;
  return element;
}

/** Shows `processes` in `root` (hidden when there are none). */
export function renderBackground(root: HTMLElement, processes: Processes): void {
  if (processes.length === 0) {
    root.replaceChildren();
    root.hidden = true;
    return;
  }
  const count = processes.length === 1 ? '1 background process' : `${processes.length} background processes`;
  const summary = el('span', 'background-summary', `${count} still running: `);
  const list = el('span', 'background-list', processes.map((entry) => `${entry.command} (pid ${entry.pid}, from "${entry.step}")`).join('; '));
  root.replaceChildren(
    summary,
    list,
    button('Show log', 'showBackgroundLog', 'Open what the background processes wrote'),
    button('Stop them', 'stopBackground', 'Stop every process the steps left running in the background'),
  );
  root.hidden = false;
}
