// The Steps view: the active Markdown editor's sections and steps, in the EventEmitter +
// contextValue pattern of VS Code's tree-view sample.

import * as vscode from 'vscode';
import type { Runbook, RunbookItem } from '../../core/runbook';
import { isMarkdown, type RunbookDocuments } from '../workspace/runbookDocuments';

export type StepsNode =
  | { kind: 'section'; index: number; title: string; line: number }
  | { kind: 'step' | 'manual'; item: RunbookItem };

/** Sections with their children, computed once per runbook version. */
interface Outline {
  roots: StepsNode[];
  children: Map<number, StepsNode[]>;
}

const REFRESH_DELAY_MS = 150;

export class StepsTreeProvider implements vscode.TreeDataProvider<StepsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<StepsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private document: vscode.TextDocument | undefined;
  private outline: { runbook: Runbook; value: Outline } | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly documents: RunbookDocuments) {
    this.subscriptions.push(
      this.changed,
      // Focus moving to a preview or a panel leaves no active editor: keep showing the last runbook.
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.follow(editor.document)),
      documents.onDidChange((document) => {
        if (document === this.document) this.scheduleRefresh();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document === this.document) this.follow(undefined);
      }),
    );
    this.follow(vscode.window.activeTextEditor?.document);
  }

  /** The document the view shows; it keeps showing the last runbook while a non-Markdown editor is active. */
  get activeDocument(): vscode.TextDocument | undefined {
    return this.document;
  }

  /** Shows `document`'s steps; a non-Markdown document leaves the view as it is. */
  follow(document: vscode.TextDocument | undefined): void {
    if (document && !isMarkdown(document)) return;
    if (document === this.document) return;
    this.document = document;
    this.refresh();
  }

  refresh(): void {
    this.outline = undefined;
    this.changed.fire(undefined);
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
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
    return sectionNode(runbook, parent);
  }

  getTreeItem(element: StepsNode): vscode.TreeItem {
    const uri = this.document?.uri;
    if (element.kind === 'section') {
      const item = new vscode.TreeItem(element.title, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `${uri?.toString()}#section-${element.index}`;
      item.contextValue = 'section';
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      item.command = uri && revealCommand(uri, element.line);
      return item;
    }
    const step = element.item;
    const item = new vscode.TreeItem(step.title, vscode.TreeItemCollapsibleState.None);
    item.id = `${uri?.toString()}#${step.id}`;
    item.command = uri && revealCommand(uri, step.startLine);
    if (step.kind === 'manual') {
      item.contextValue = 'manualStep';
      item.iconPath = new vscode.ThemeIcon('tasklist');
      item.description = 'manual';
      item.tooltip = step.title;
    } else {
      item.contextValue = 'step';
      item.iconPath = new vscode.ThemeIcon('circle-outline');
      item.description = [step.language, step.attributes.confirm ? 'confirm' : ''].filter(Boolean).join(' · ');
      const tooltip = new vscode.MarkdownString();
      tooltip.appendMarkdown(`**${escapeMarkdown(step.title)}**\n\n`);
      tooltip.appendCodeblock(step.code, step.family === 'shell' ? 'bash' : step.language);
      item.tooltip = tooltip;
    }
    return item;
  }

  private currentOutline(): Outline | undefined {
    if (!this.document || this.document.isClosed) return undefined;
    const runbook = this.documents.get(this.document);
    if (this.outline?.runbook !== runbook) this.outline = { runbook, value: buildOutline(runbook) };
    return this.outline.value;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

function sectionNode(runbook: Runbook, index: number): StepsNode {
  const section = runbook.sections[index];
  return { kind: 'section', index, title: section.title, line: section.line };
}

/** Sections that hold no step, directly or below, are left out: prose-only headings are noise here. */
function buildOutline(runbook: Runbook): Outline {
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
      childList(item.sectionIndex).push({ kind: item.kind === 'code' ? 'step' : 'manual', item });
    }
  };
  runbook.sections.forEach((section, index) => {
    flushItemsBefore(section.line);
    if (hasItems[index]) childList(section.parent).push(sectionNode(runbook, index));
  });
  flushItemsBefore(Number.POSITIVE_INFINITY);
  return { roots, children };
}

function revealCommand(uri: vscode.Uri, line: number): vscode.Command {
  return { command: 'runbooks.revealStep', title: 'Reveal in Editor', arguments: [uri, line] };
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
