// The Steps view: the active runbook's sections and steps with their state, in the EventEmitter +
// contextValue pattern of VS Code's tree-view sample. Manual steps are checkboxes.

import * as vscode from 'vscode';
import { formatDuration, type ManualStep, type Runbook, type RunbookItem, type Step } from '../../core/runbook';
import type { StepState } from '../../core/run';
import { Delayer } from '../workspace/delayer';
import { Disposable } from '../workspace/disposable';
import type { ProgressService } from '../workspace/progressService';
import type { RunController } from '../workspace/runController';
import type { RunbookDocuments } from '../workspace/runbookDocuments';

export type StepsNode =
  | { kind: 'section'; uri: vscode.Uri; index: number; title: string; line: number }
  | { kind: 'step'; uri: vscode.Uri; item: Step }
  | { kind: 'manual'; uri: vscode.Uri; item: ManualStep };

/** Sections with their children, computed once per runbook version. */
interface Outline {
  roots: StepsNode[];
  children: Map<number, StepsNode[]>;
}

const REFRESH_DELAY_MS = 100;

const ICONS: Record<StepState, vscode.ThemeIcon> = {
  pending: new vscode.ThemeIcon('circle-outline'),
  queued: new vscode.ThemeIcon('clock'),
  running: new vscode.ThemeIcon('sync~spin'),
  passed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  'timed-out': new vscode.ThemeIcon('watch', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('testing.iconSkipped')),
  skipped: new vscode.ThemeIcon('debug-step-over', new vscode.ThemeColor('testing.iconSkipped')),
  stale: new vscode.ThemeIcon('history', new vscode.ThemeColor('list.warningForeground')),
};

const STATE_WORDS: Record<StepState, string> = {
  pending: 'pending',
  queued: 'queued',
  running: 'running',
  passed: 'passed',
  failed: 'failed',
  'timed-out': 'timed out',
  cancelled: 'cancelled',
  skipped: 'skipped',
  stale: 'stale (code changed since it ran)',
};

export class StepsTreeProvider extends Disposable implements vscode.TreeDataProvider<StepsNode> {
  private readonly changed = this._register(new vscode.EventEmitter<StepsNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly followed = this._register(new vscode.EventEmitter<vscode.TextDocument | undefined>());
  /** Fires when the view starts showing another runbook. */
  readonly onDidChangeDocument = this.followed.event;

  private document: vscode.TextDocument | undefined;
  private outline: { runbook: Runbook; value: Outline } | undefined;
  private readonly refreshes = this._register(new Delayer(REFRESH_DELAY_MS));

  constructor(
    private readonly documents: RunbookDocuments,
    private readonly progress: ProgressService,
    private readonly controller: RunController,
  ) {
    super();
    const ours = (uri: vscode.Uri) => uri.toString() === this.document?.uri.toString();
    // Focus moving to a preview or a panel leaves no active editor: keep showing the last runbook.
    this._register(vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.follow(editor.document)));
    this._register(documents.onDidChange((document) => document === this.document && this.scheduleRefresh()));
    this._register(controller.onDidChangeState(({ uri }) => ours(uri) && this.scheduleRefresh()));
    this._register(progress.onDidLoad(() => this.scheduleRefresh()));
    this._register(vscode.workspace.onDidCloseTextDocument((document) => document === this.document && this.follow(undefined)));
    this.follow(vscode.window.activeTextEditor?.document);
  }

  /** The document the view shows; it keeps showing the last runbook while a non-Markdown editor is active. */
  get activeDocument(): vscode.TextDocument | undefined {
    return this.document;
  }

  /** Shows `document`'s steps; a non-Markdown document leaves the view as it is. */
  follow(document: vscode.TextDocument | undefined): void {
    if (document && document.languageId !== 'markdown') return;
    if (document === this.document) return;
    this.document = document;
    this.followed.fire(document);
    this.refresh();
  }

  refresh(): void {
    this.outline = undefined;
    this.changed.fire(undefined);
  }

  private scheduleRefresh(): void {
    this.refreshes.trigger(() => this.refresh());
  }

  getChildren(element?: StepsNode): StepsNode[] {
    const outline = this.currentOutline();
    if (!outline) return [];
    if (!element) return outline.roots;
    return element.kind === 'section' ? outline.children.get(element.index) ?? [] : [];
  }

  getParent(element: StepsNode): StepsNode | undefined {
    const runbook = this.currentOutline() && this.outline?.runbook;
    if (!runbook) return undefined;
    const parent = element.kind === 'section' ? runbook.sections[element.index].parent : element.item.sectionIndex;
    if (parent < 0) return undefined;
    return sectionNode(element.uri, runbook, parent);
  }

  getTreeItem(element: StepsNode): vscode.TreeItem {
    const uri = element.uri;
    if (element.kind === 'section') {
      const item = new vscode.TreeItem(element.title, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `${uri.toString()}#section-${element.index}`;
      item.contextValue = 'section';
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      item.command = revealCommand(uri, element.line);
      return item;
    }
    if (element.kind === 'manual') return this.manualItem(uri, element.item);
    return this.stepItem(uri, element.item);
  }

  private manualItem(uri: vscode.Uri, step: ManualStep): vscode.TreeItem {
    const record = this.progress.progress(uri).manual[step.id];
    const item = new vscode.TreeItem(step.title, vscode.TreeItemCollapsibleState.None);
    item.id = `${uri.toString()}#${step.id}`;
    item.contextValue = 'manualStep';
    item.checkboxState = record?.checked ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
    item.description = record?.skipped ? 'manual · skipped' : record?.checked ? `checked ${new Date(record.at).toLocaleTimeString()}` : 'manual';
    item.tooltip = `${step.title}\n\nA manual step: do it, then check it off. Run all waits here until it is checked or skipped.`;
    item.command = revealCommand(uri, step.startLine);
    return item;
  }

  private stepItem(uri: vscode.Uri, step: Step): vscode.TreeItem {
    const state = this.controller.snapshot(uri, step);
    const item = new vscode.TreeItem(step.title, vscode.TreeItemCollapsibleState.None);
    item.id = `${uri.toString()}#${step.id}`;
    item.command = revealCommand(uri, step.startLine);
    item.contextValue = state.status === 'running' || state.status === 'queued' ? 'step.running' : 'step';
    item.iconPath = ICONS[state.status];
    const parts: string[] = [step.language];
    if (state.exitCode !== undefined && state.status !== 'passed') parts.push(`exit ${state.exitCode}`);
    if (state.durationMs !== undefined && state.status !== 'running') parts.push(formatDuration(state.durationMs));
    if (step.attributes.confirm) parts.push('confirm');
    item.description = parts.join(' · ');
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${escapeMarkdown(step.title)}** — ${STATE_WORDS[state.status]}\n\n`);
    if (state.message) tooltip.appendMarkdown(`${escapeMarkdown(state.message)}\n\n`);
    const tail = this.progress.progress(uri).steps[step.id]?.outputTail;
    if (tail) tooltip.appendCodeblock(lastLines(tail, 10), 'text');
    else tooltip.appendCodeblock(step.code, step.family === 'shell' ? 'bash' : step.language);
    item.tooltip = tooltip;
    return item;
  }

  /** The node of an item, for revealing it in the view. */
  nodeOf(uri: vscode.Uri, item: RunbookItem): StepsNode {
    return item.kind === 'code' ? { kind: 'step', uri, item } : { kind: 'manual', uri, item };
  }

  private currentOutline(): Outline | undefined {
    // The same gate as every runbook feature: a README's code blocks are not steps to track.
    if (!this.document || this.document.isClosed || !this.documents.isRunbook(this.document)) return undefined;
    const runbook = this.documents.get(this.document);
    if (this.outline?.runbook !== runbook) this.outline = { runbook, value: buildOutline(this.document.uri, runbook) };
    return this.outline.value;
  }

}

function sectionNode(uri: vscode.Uri, runbook: Runbook, index: number): StepsNode {
  const section = runbook.sections[index];
  return { kind: 'section', uri, index, title: section.title, line: section.line };
}

/** Sections that hold no step, directly or below, are left out: prose-only headings are noise here. */
function buildOutline(uri: vscode.Uri, runbook: Runbook): Outline {
  const children = new Map<number, StepsNode[]>();
  const roots: StepsNode[] = [];
  const hasItems = new Array<boolean>(runbook.sections.length).fill(false);
  for (const item of runbook.items) {
    for (let s = item.sectionIndex; s >= 0 && !hasItems[s]; s = runbook.sections[s].parent) hasItems[s] = true;
  }
  const childList = (parent: number) => {
    if (parent < 0) return roots;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    return list;
  };
  // Items of a section always come before its subsections in the document, so one pass in
  // document order keeps both in reading order.
  let nextItem = 0;
  const flushItemsBefore = (line: number) => {
    while (nextItem < runbook.items.length && runbook.items[nextItem].startLine < line) {
      const item = runbook.items[nextItem++];
      childList(item.sectionIndex).push(item.kind === 'code' ? { kind: 'step', uri, item } : { kind: 'manual', uri, item });
    }
  };
  runbook.sections.forEach((section, index) => {
    flushItemsBefore(section.line);
    if (hasItems[index]) childList(section.parent).push(sectionNode(uri, runbook, index));
  });
  flushItemsBefore(Number.POSITIVE_INFINITY);
  return { roots, children };
}

function revealCommand(uri: vscode.Uri, line: number): vscode.Command {
  return { command: 'runbooks.revealStep', title: 'Reveal in Editor', arguments: [uri, line] };
}

function lastLines(text: string, count: number): string {
  return text.replace(/\n$/, '').split('\n').slice(-count).join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
