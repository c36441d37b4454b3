// Runbook Insights in the real host: the command opens the panel over the fixture history (found
// through runbooks.historyFolders), the command line's history ($RUNBOOKS_HISTORY) and an issue
// export chosen through the panel; the periods are
// summarized from one read; the webview's messages are checked; overlapping refreshes end on the
// newest read; the Runbooks view shows each runbook's ladder stage, and a Run all in the editor
// counts after Refresh. Earlier tests of the suite leave editor history behind: the fixtures'
// numbers are checked as what they add to a baseline read before they were configured.

import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunbookInsight } from '../../src/core/insights';
import type { InsightsPanel } from '../../src/features/insights/insightsPanel';
import type { InsightsHostMessage, InsightsPeriodChoice } from '../../src/features/insights/protocol';
import type { RunbooksInternals } from '../../src/extension';
import { api, fixtureUri, waitFor, workspaceRoot } from './helpers';
import { HISTORY_FILE, ISSUES_FILE, redateInsightsData } from './insightsFixture';

const WORKFLOW = '.github/workflows/runbook-ops-guide.yml';

describe('runbook insights', () => {
  let runbooks: RunbooksInternals;
  let panel: InsightsPanel;
  let data: string;
  /** The command line's history, where $RUNBOOKS_HISTORY points (the extension host's own environment). */
  let cliHistory: string;
  const savedCliHistory = process.env.RUNBOOKS_HISTORY;
  /** Runs per period and runbook before the fixtures were added: the editor's history of the suite so far. */
  const baseline = new Map<InsightsPeriodChoice, Map<string, RunbookInsight>>();
  const config = () => vscode.workspace.getConfiguration('runbooks');
  const row = (path: string): RunbookInsight => {
    const found = panel.lastView?.insights.runbooks.find((candidate) => candidate.path === path);
    assert.ok(found, `${path} is ranked: ${panel.lastView?.insights.runbooks.map((r) => r.path).join(', ')}`);
    return found;
  };
  /** What the fixtures added to a runbook's numbers in the period shown. */
  const added = (path: string, field: 'runs' | 'attendedRuns' | 'unattendedRuns' | 'failedRuns') => {
    const before = baseline.get(panel.lastView!.period)?.get(path);
    return row(path)[field] - (before?.[field] ?? 0);
  };

  before(async () => {
    runbooks = await api();
    runbooks.controller.prompts = { confirm: async () => true, askValue: async () => undefined };
    data = join(workspaceRoot().fsPath, 'insights-data');
    redateInsightsData(data);
    cliHistory = join(mkdtempSync(join(tmpdir(), 'runbooks-cli-history-')), 'history.jsonl');
    // Not there yet: the baseline counts the editor's history only.
    process.env.RUNBOOKS_HISTORY = cliHistory;
    mkdirSync(join(workspaceRoot().fsPath, '.github/workflows'), { recursive: true });
    writeFileSync(join(workspaceRoot().fsPath, WORKFLOW), 'name: Ops guide\non: workflow_dispatch\njobs: {}\n');
    await runbooks.runbooksTree.settled();
  });

  after(async () => {
    if (panel) await panel.handle({ type: 'clearIssueFiles' });
    panel?.dispose();
    await config().update('historyFolders', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('runbookUrlPrefixes', undefined, vscode.ConfigurationTarget.Workspace);
    rmSync(join(workspaceRoot().fsPath, '.github'), { recursive: true, force: true });
    if (savedCliHistory === undefined) delete process.env.RUNBOOKS_HISTORY;
    else process.env.RUNBOOKS_HISTORY = savedCliHistory;
    rmSync(join(cliHistory, '..'), { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the insights panel, and reads in the history of runbooks.historyFolders and the command line when they change', async () => {
    panel = (await vscode.commands.executeCommand<InsightsPanel>('runbooks.showInsights'))!;
    assert.ok(panel, 'the command returns its panel');
    const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const tab = await waitFor(
      () => tabs().find((candidate) => candidate.input instanceof vscode.TabInputWebview && candidate.input.viewType.endsWith('runbooks.insights')),
      `an insights webview tab among ${tabs().map((candidate) => `${candidate.label} (${(candidate.input as { viewType?: string })?.viewType})`).join(', ')}`,
    );
    assert.equal(tab.label, 'Runbook Insights');
    await panel.settled();
    assert.equal(panel.lastView!.period, '90d', 'the default period');
    assert.ok(!panel.lastView!.insights.sources.historyFiles.includes(join(data, HISTORY_FILE)));
    for (const period of ['30d', '365d', '90d'] as const) {
      await panel.receiveMessage({ type: 'setPeriod', period });
      baseline.set(period, new Map(panel.lastView!.insights.runbooks.map((insight) => [insight.path, insight])));
    }

    const at = new Date(Date.now() - 2 * 86_400_000).toISOString();
    writeFileSync(cliHistory, `${JSON.stringify({ runbook: 'run.runbook.md', runbookTitle: 'Run fixture', step: 'hello', kind: 'code', who: 'gina', where: 'cli', runId: 'cli-1', at, durationMs: 4000, result: 'passed', inputs: {} })}\n`);
    await config().update('historyFolders', ['insights-data'], vscode.ConfigurationTarget.Workspace);
    await config().update('runbookUrlPrefixes', { 'https://runbooks.example.com/': '' }, vscode.ConfigurationTarget.Workspace);
    // The panel reads its sources again by itself when the settings change.
    await waitFor(async () => {
      await panel.settled();
      return panel.lastView?.insights.sources.historyFiles.includes(join(data, HISTORY_FILE));
    }, 'the panel to read the history folder');
    const view = panel.lastView!;
    assert.equal(view.period, '90d');
    assert.ok(view.insights.sources.historyFiles.includes(cliHistory), 'the command line\'s history ($RUNBOOKS_HISTORY)');
    assert.match(view.labels[cliHistory], /^Command-line history/);
    assert.equal(added('run.runbook.md', 'runs'), 1);
    assert.equal(added('track.runbook.md', 'runs'), 5);
    assert.equal(added('track.runbook.md', 'failedRuns'), 1);
    assert.ok(row('track.runbook.md').people >= 3, 'alice, bob and carol');
    assert.equal(added('basic.runbook.md', 'runs'), 7);
    assert.equal(added('basic.runbook.md', 'unattendedRuns'), 1);
    // The history's cut-short line is a problem with its file and line; the rest still counts.
    assert.deepEqual(
      view.insights.problems.filter((problem) => problem.file === join(data, HISTORY_FILE)).map((problem) => problem.line),
      [8],
    );
    assert.ok(view.insights.unknownRunbooks.some((unknown) => unknown.path === 'runbooks/old-restart.md'));
    assert.equal(row('docs/ops-guide.md').ladder.stage, 'service');
    assert.equal(row('track.runbook.md').ladder.badge, 'runbook');
  });

  it('reads an issue export chosen in the panel, and keeps the choice', async () => {
    assert.equal(panel.lastView!.issueFiles.length, 0, 'no issue export yet');
    assert.equal(row('track.runbook.md').mentions, 0);
    const issues = join(data, ISSUES_FILE);
    let offered: vscode.Uri | undefined;
    panel.prompts = {
      chooseIssueFiles: async (defaultUri) => {
        offered = defaultUri;
        return [issues];
      },
    };
    await panel.receiveMessage({ type: 'chooseIssueFiles' });
    assert.equal(offered?.toString(), workspaceRoot().toString(), 'the picker starts in the workspace folder');
    assert.deepEqual(panel.issueFiles, [issues], 'the choice is kept in the workspace state');
    const withIssues = panel.lastView!;
    assert.deepEqual(withIssues.issueFiles, [issues]);
    assert.equal(row('track.runbook.md').mentions, 1, 'named by its path');
    assert.equal(row('basic.runbook.md').mentions, 1, 'named by a runbook_url under runbooks.runbookUrlPrefixes');
    assert.equal(row('docs/ops-guide.md').mentions, 1);
    assert.equal(withIssues.insights.totals.issues, 4, 'issues created in the last 90 days');
    assert.equal(withIssues.insights.totals.issuesMentioningRunbooks, 3);
    // Shown again, the command reveals the same panel.
    assert.equal(await vscode.commands.executeCommand('runbooks.showInsights'), panel);
  });

  it('switches between 30, 90 and 365 days from one read', async () => {
    const reads = panel.reads;
    await panel.receiveMessage({ type: 'setPeriod', period: '30d' });
    assert.equal(panel.lastView!.period, '30d');
    assert.equal(added('track.runbook.md', 'runs'), 3);
    assert.equal(added('basic.runbook.md', 'runs'), 1);
    assert.equal(added('docs/ops-guide.md', 'runs'), 0);
    await panel.receiveMessage({ type: 'setPeriod', period: '365d' });
    assert.equal(added('track.runbook.md', 'runs'), 9);
    assert.equal(added('basic.runbook.md', 'runs'), 7);
    assert.equal(added('docs/ops-guide.md', 'runs'), 2);
    assert.equal(row('track.runbook.md').mentions, 2);
    assert.equal(panel.reads, reads, 'no source was read again');
    assert.ok(panel.lastView!.insights.charts.runsPerWeek.weeks.length >= 52);
  });

  it('drops malformed messages and opens only runbooks and files it ranked or read', async () => {
    const rejected = panel.rejectedMessages;
    await panel.receiveMessage({ type: 'setPeriod', period: '7d' });
    await panel.receiveMessage({ type: 'openRunbook', path: 'track.runbook.md', extra: true });
    await panel.receiveMessage({ type: 'runStep', stepId: 'first' });
    assert.equal(panel.rejectedMessages, rejected + 3);
    assert.equal(panel.lastView!.period, '365d', 'unchanged');

    const opened = () => vscode.workspace.textDocuments.map((document) => document.uri.toString()).sort();
    const before = opened();
    await panel.receiveMessage({ type: 'openRunbook', path: '../outside.md' });
    await panel.receiveMessage({ type: 'openRunbook', path: 'notes/plain.md' });
    await panel.receiveMessage({ type: 'openSource', file: '/etc/passwd' });
    assert.deepEqual(opened(), before, 'nothing was opened');
    const active = () => vscode.window.activeTextEditor;

    await panel.receiveMessage({ type: 'openRunbook', path: 'track.runbook.md' });
    assert.equal(active()?.document.uri.toString(), fixtureUri('track.runbook.md').toString());
    await panel.receiveMessage({ type: 'openSource', file: join(data, HISTORY_FILE), line: 8 });
    const editor = active()!;
    assert.equal(editor.document.uri.fsPath, join(data, HISTORY_FILE));
    assert.equal(editor.selection.active.line, 7, 'at the problem line');
  });

  it('ends overlapping refreshes on the newest read, in the period chosen last', async () => {
    const posted: InsightsHostMessage[] = [];
    const listener = panel.onDidPost((message) => posted.push(message));
    try {
      const reads = panel.reads;
      await Promise.all([panel.receiveMessage({ type: 'refresh' }), panel.receiveMessage({ type: 'refresh' }), panel.receiveMessage({ type: 'setPeriod', period: '30d' })]);
      await panel.settled();
      assert.equal(panel.reads, reads + 2);
      const views = posted.filter((message) => message.type === 'insights');
      assert.equal(posted.at(-1)?.type, 'insights', 'the panel does not stay on "loading"');
      assert.equal(views.at(-1)?.type === 'insights' && views.at(-1)?.view.period, '30d');
      assert.equal(added('track.runbook.md', 'runs'), 3);
      // Only the newest read is shown: at most the period switch (on the first read's sources, none yet) and the last read.
      assert.ok(views.length <= 2, `${views.length} summaries posted`);
    } finally {
      listener.dispose();
    }
  });

  it('shows each runbook\'s ladder stage in the Runbooks view, and follows the workflow folder', async () => {
    const tree = runbooks.runbooksTree;
    const node = (path: string) => {
      const all = tree.getChildren().flatMap((child) => (child.kind === 'folder' ? tree.getChildren(child) : [child]));
      const found = all.find((candidate) => candidate.kind === 'runbook' && candidate.uri.path.endsWith(path));
      assert.ok(found, path);
      return found;
    };
    /** The row's description once its ladder is read (the view reads it when the row is drawn). */
    const description = async (path: string) => {
      tree.getTreeItem(node(path));
      await tree.settled();
      return String(tree.getTreeItem(node(path)).description);
    };
    // The workflow written in `before` may reach the view's file watcher after a first read.
    await waitFor(async () => / · service$/.test(await description('docs/ops-guide.md')), 'the service stage of docs/ops-guide.md');
    const ops = tree.getTreeItem(node('docs/ops-guide.md'));
    assert.match(String(ops.tooltip), /0 of 1 step automated · workflow \.github\/workflows\/runbook-ops-guide\.yml/);
    assert.match(await description('track.runbook.md'), / · runbook$/);
    assert.match(String(tree.getTreeItem(node('track.runbook.md')).tooltip), /0 of 4 steps automated · no workflow/);

    // The folder as a whole (`rm -r .github`): the watcher reports the top folder reliably, while a
    // sub-folder made a moment ago may not be watched yet.
    await vscode.workspace.fs.delete(vscode.Uri.file(join(workspaceRoot().fsPath, '.github')), { recursive: true });
    await waitFor(async () => / · runbook$/.test(await description('docs/ops-guide.md')), 'the stage to drop back to runbook once the workflow is gone');
    assert.ok(!existsSync(join(workspaceRoot().fsPath, WORKFLOW)));
  });

  it('counts a Run all in the editor after Refresh', async () => {
    await panel.receiveMessage({ type: 'setPeriod', period: '30d' });
    const before = row('basic.runbook.md');
    const document = await vscode.workspace.openTextDocument(fixtureUri('basic.runbook.md'));
    runbooks.controller.resetAll(document.uri);
    // Both code steps run, then Run all waits at the manual step: one run of two lines.
    await runbooks.controller.runAll(document);
    await panel.receiveMessage({ type: 'refresh' });
    const after = row('basic.runbook.md');
    assert.equal(after.runs, before.runs + 1);
    assert.equal(after.attendedRuns, before.attendedRuns + 1);
    assert.ok(after.handsOnMs > before.handsOnMs);
    assert.ok(panel.lastView!.insights.sources.historyFiles.some((file) => runbooks.progress.historyFiles().includes(file)), 'the editor history is read');
    runbooks.controller.resetAll(document.uri);
  });
});
