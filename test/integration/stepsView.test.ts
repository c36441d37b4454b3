import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { StepsNode, StepsTreeProvider } from '../../src/features/steps/stepsTree';
import { api, openFixture, waitFor } from './helpers';

async function labels(tree: StepsTreeProvider, node?: StepsNode): Promise<string[]> {
  const children = await tree.getChildren(node);
  return children.map((child) => String(tree.getTreeItem(child).label));
}

describe('Steps view', () => {
  it('shows the sections and steps of the active runbook', async () => {
    const editor = await openFixture('basic.runbook.md');
    const { stepsTree } = await api();
    await waitFor(() => stepsTree.activeDocument === editor.document, 'the view to follow the editor');
    const roots = await stepsTree.getChildren();
    const rootLabels = roots.map((node) => String(stepsTree.getTreeItem(node).label));
    const expected = ['Prepare', 'Verify'];
    const sectionsFound = [];
    // Sections may sit under the runbook's H1; walk down until both appear.
    const queue = [...roots];
    while (queue.length > 0) {
      const node = queue.shift()!;
      const item = stepsTree.getTreeItem(node);
      if (node.kind === 'section') {
        if (expected.includes(String(item.label))) sectionsFound.push(String(item.label));
        queue.push(...(await stepsTree.getChildren(node)));
      }
    }
    assert.deepEqual(sectionsFound, expected, `sections under ${rootLabels.join(', ')}`);

    const { documents } = await api();
    const runbook = documents.get(editor.document);
    assert.equal(runbook.steps.length, 3);
    assert.equal(runbook.manualSteps.length, 1);
    const allItems: string[] = [];
    const walk = async (node?: StepsNode) => {
      for (const child of await stepsTree.getChildren(node)) {
        if (child.kind === 'section') await walk(child);
        else allItems.push(String(stepsTree.getTreeItem(child).label));
      }
    };
    await walk();
    assert.deepEqual(allItems, runbook.items.map((item) => item.title));
    assert.ok(allItems.includes('greet'));
  });

  it('gives each step a context value and a command that reveals its line', async () => {
    const editor = await openFixture('basic.runbook.md');
    const { stepsTree, documents } = await api();
    await waitFor(() => stepsTree.activeDocument === editor.document, 'the view to follow the editor');
    const step = documents.get(editor.document).steps.find((s) => s.id === 'greet');
    assert.ok(step, 'the fixture has a step named greet');
    const item = stepsTree.getTreeItem({ kind: 'step', uri: editor.document.uri, item: step });
    assert.equal(item.contextValue, 'step');
    assert.equal(item.command?.command, 'runbooks.revealStep');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const active = await waitFor(() => vscode.window.activeTextEditor, 'an active editor');
    assert.equal(active.selection.active.line, step.startLine);
  });

  it('updates when the runbook is edited', async () => {
    const editor = await openFixture('basic.runbook.md');
    const { stepsTree } = await api();
    await waitFor(() => stepsTree.activeDocument === editor.document, 'the view to follow the editor');
    const changed = new Promise<void>((resolve) => {
      const subscription = stepsTree.onDidChangeTreeData(() => {
        subscription.dispose();
        resolve();
      });
    });
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    await editor.edit((edit) => edit.insert(end, '\n\n## Added\n\n```bash\necho added\n```\n'));
    await changed;
    const titles: string[] = [];
    for (const node of await stepsTree.getChildren()) {
      titles.push(String(stepsTree.getTreeItem(node).label));
      if (node.kind === 'section') titles.push(...(await labels(stepsTree, node)));
    }
    assert.ok(titles.includes('Added'), `the new section appears (got ${titles.join(', ')})`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('shows nothing for a Markdown file without steps, and can be focused', async () => {
    const editor = await openFixture('not-a-runbook.md');
    const { stepsTree } = await api();
    await waitFor(() => stepsTree.activeDocument === editor.document, 'the view to follow the editor');
    assert.deepEqual(await stepsTree.getChildren(), []);
    await vscode.commands.executeCommand('runbooks.steps.focus');
  });
});
