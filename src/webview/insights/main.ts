// The insights panel's webview script (bundled as an IIFE into dist/insights.js). It shows what
// the host summarized (checked with isInsightsHostMessage), and turns the period, folder and
// buttons into messages back. The controls are built once and kept; the content is built again
// for each summary, with focus and open tables put back where they were. A change the user asked
// for is announced once through the polite live region when its numbers arrive.

import { isInsightsHostMessage, isPeriodChoice, type InsightsHostMessage, type InsightsPeriodChoice, type InsightsView } from '../../features/insights/protocol';
import { PERIOD_CHOICES } from '../../core/insights/period';
import { announce } from '../announce';
import { container, el } from '../dom';
import { drawCharts, onThemeChange } from './charts';
import { post, saveState } from './host';
import { buildContent, periodWords, type BuiltContent } from './sections';

const app = document.getElementById('app') ?? document.body;
const summary = container('insights-summary', 'p', 'insights-summary', app);
const controls = container('insights-controls', 'div', 'insights-controls', app);
const content = container('insights-content', 'main', 'insights-content', app);

let view: InsightsView | undefined;
let built: BuiltContent | undefined;
/** Set when the user changed something: the next summary is announced. */
let announceNext = false;

// ---------------------------------------------------------------- controls (built once)

const periodGroup = el('fieldset', 'period-choice');
periodGroup.append(el('legend', undefined, 'Period'));
const periodInputs = new Map<InsightsPeriodChoice, HTMLInputElement>();
for (const choice of PERIOD_CHOICES) {
  const label = el('label', 'period-option');
  const input = el('input');
  input.type = 'radio';
  input.name = 'period';
  input.value = choice;
  input.id = `period-${choice}`;
  periodInputs.set(choice, input);
  label.append(input, document.createTextNode(` Last ${periodWords(choice)}`));
  periodGroup.append(label);
}

const folderLabel = el('label', 'folder-choice', 'Folder ');
const folderSelect = el('select', 'field-control');
folderSelect.id = 'insights-folder';
folderLabel.append(folderSelect);
folderLabel.hidden = true;

const refreshButton = el('button', 'button button-secondary', 'Refresh');
refreshButton.type = 'button';
refreshButton.id = 'insights-refresh';
refreshButton.title = 'Read the history files and issue exports again';

controls.replaceChildren(periodGroup, folderLabel, refreshButton);

periodGroup.addEventListener('change', (event) => {
  const target = event.target;
  if (!(target instanceof HTMLInputElement) || !isPeriodChoice(target.value)) return;
  announceNext = true;
  saveState({ period: target.value });
  post({ type: 'setPeriod', period: target.value });
});

folderSelect.addEventListener('change', () => {
  const folder = Number(folderSelect.value);
  if (!Number.isInteger(folder) || folder < 0) return;
  announceNext = true;
  post({ type: 'setFolder', folder });
});

refreshButton.addEventListener('click', () => {
  announceNext = true;
  post({ type: 'refresh' });
});

// ---------------------------------------------------------------- content

function setBusy(busy: boolean): void {
  content.setAttribute('aria-busy', String(busy));
  app.classList.toggle('is-loading', busy);
}

function showControls(next: InsightsView): void {
  for (const [choice, input] of periodInputs) input.checked = choice === next.period;
  folderLabel.hidden = next.folders.length <= 1;
  if (folderSelect.options.length !== next.folders.length || next.folders.some((name, index) => folderSelect.options[index]?.text !== name)) {
    folderSelect.replaceChildren(
      ...next.folders.map((name, index) => {
        const option = el('option', undefined, name);
        option.value = String(index);
        return option;
      }),
    );
  }
  folderSelect.value = String(next.folder);
}

/** Shows `next`, keeping focus on the same control and the same chart tables open. */
function showView(next: InsightsView): void {
  const active = document.activeElement instanceof HTMLElement && content.contains(document.activeElement) ? document.activeElement.dataset.focusKey : undefined;
  const open = new Set(Array.from(content.querySelectorAll<HTMLDetailsElement>('details[open]')).map((details) => details.id));
  view = next;
  summary.textContent = next.summary;
  showControls(next);
  built = buildContent(next);
  content.replaceChildren(...built.nodes);
  for (const id of open) {
    const details = document.getElementById(id);
    if (details instanceof HTMLDetailsElement) details.open = true;
  }
  if (active) content.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(active)}"]`)?.focus({ preventScroll: true });
  drawCharts(next.insights.charts, built.canvases);
  setBusy(false);
  if (announceNext) {
    announceNext = false;
    announce(next.summary);
  }
}

function onMessage(message: InsightsHostMessage): void {
  switch (message.type) {
    case 'loading':
      setBusy(true);
      if (!view) summary.textContent = 'Reading the history…';
      break;
    case 'unavailable':
      view = undefined;
      setBusy(false);
      summary.textContent = message.message;
      content.replaceChildren();
      break;
    case 'insights':
      showView(message.view);
      break;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isInsightsHostMessage(event.data)) return;
  try {
    onMessage(event.data);
  } catch (error) {
    console.error('Runbook Insights: could not handle a message', error);
  }
});

document.addEventListener('click', (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const button = target.closest<HTMLButtonElement>('button[data-command]');
  if (!button || button.disabled || !content.contains(button)) return;
  switch (button.dataset.command) {
    case 'openRunbook':
      if (button.dataset.path) post({ type: 'openRunbook', path: button.dataset.path });
      break;
    case 'openSource': {
      const file = button.dataset.file;
      const line = button.dataset.line ? Number(button.dataset.line) : undefined;
      if (file) post(line !== undefined ? { type: 'openSource', file, line } : { type: 'openSource', file });
      break;
    }
    case 'chooseIssueFiles':
      announceNext = true;
      post({ type: 'chooseIssueFiles' });
      break;
    case 'clearIssueFiles':
      announceNext = true;
      post({ type: 'clearIssueFiles' });
      break;
  }
});

onThemeChange(() => {
  if (view && built) drawCharts(view.insights.charts, built.canvases);
});

post({ type: 'ready' });
