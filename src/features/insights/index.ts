// Runbook Insights: the "Show Insights" command and its panel (one per window, restored after a
// reload), over the workspace services and the Runbooks view's list of runbooks.

import * as vscode from 'vscode';
import { Disposable } from '../workspace/disposable';
import type { InsightsPanel, InsightsServices } from './insightsPanel';
import { INSIGHTS_VIEW_TYPE } from './viewType';

/** The panel's code loads the first time it is shown (a file of its own in the bundle), not at activation. */
const loadPanel = () => import('./insightsPanel').then((module) => module.InsightsPanel);

/** Opens, reveals and restores the one insights panel. */
export class InsightsManager extends Disposable implements vscode.WebviewPanelSerializer {
  private current: InsightsPanel | undefined;

  constructor(private readonly services: InsightsServices) {
    super();
  }

  get panel(): InsightsPanel | undefined {
    return this.current;
  }

  async show(): Promise<InsightsPanel> {
    if (this.current) {
      this.current.reveal();
      return this.current;
    }
    const Panel = await loadPanel();
    if (this.current) return this.current;
    const panel = vscode.window.createWebviewPanel(INSIGHTS_VIEW_TYPE, 'Runbook Insights', vscode.ViewColumn.Active, { enableScripts: true, enableFindWidget: true });
    return this.track(new Panel(panel, this.services, undefined));
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (this.current) {
      panel.dispose();
      return;
    }
    const period = typeof state === 'object' && state !== null ? (state as { period?: unknown }).period : undefined;
    const Panel = await loadPanel();
    this.track(new Panel(panel, this.services, period));
  }

  private track(panel: InsightsPanel): InsightsPanel {
    this.current = panel;
    panel.onDidDispose(() => {
      if (this.current === panel) this.current = undefined;
    });
    return panel;
  }

  override dispose(): void {
    this.current?.dispose();
    super.dispose();
  }
}

export function registerInsights(context: vscode.ExtensionContext, services: Omit<InsightsServices, 'extensionUri' | 'workspaceState'>): InsightsManager {
  const manager = new InsightsManager({ ...services, extensionUri: context.extensionUri, workspaceState: context.workspaceState });
  context.subscriptions.push(
    manager,
    vscode.window.registerWebviewPanelSerializer(INSIGHTS_VIEW_TYPE, manager),
    vscode.commands.registerCommand('runbooks.showInsights', () => manager.show()),
  );
  return manager;
}
