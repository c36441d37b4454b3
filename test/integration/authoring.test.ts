import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { api, fixtureUri, openFixture, waitFor } from './helpers';

const FIXTURE = 'authoring.runbook.md';
/** What the fixture as written gets, as `code@line`. */
const FIXTURE_PROBLEMS = [
  'confirm-without-environment@16',
  'duplicate-name@16',
  'input-without-description@4',
  'undeclared-input@13',
  'unknown-attribute@12',
  'unused-input@5',
];

function runbookDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'runbooks');
}

function codesOf(diagnostics: vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`).sort();
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
}

describe('authoring help in the editor', () => {
  let original: string | undefined;
  before(async () => {
    original = (await vscode.workspace.openTextDocument(fixtureUri(FIXTURE))).getText();
  });

  afterEach(async () => {
    // Each test starts from the fixture as it was, and so do the other suites (saved or not).
    const document = await vscode.workspace.openTextDocument(fixtureUri(FIXTURE));
    if (original !== undefined && document.getText() !== original) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), original);
      await vscode.workspace.applyEdit(edit);
    }
    if (document.isDirty) await document.save();
    // The Problems panel catches up after its debounce; the next test reads it.
    await waitFor(() => codesOf(runbookDiagnostics(document.uri)).join() === FIXTURE_PROBLEMS.join(), 'the problems of the fixture as written');
  });

  it('shows the runbook problems in the Problems panel when the file opens, each on what it is about', async () => {
    const editor = await openFixture(FIXTURE);
    const uri = editor.document.uri;
    await waitFor(() => runbookDiagnostics(uri).length >= 6, 'the runbook diagnostics');
    const found = runbookDiagnostics(uri);
    assert.deepEqual(codesOf(found), FIXTURE_PROBLEMS);
    const unknown = found.find((d) => d.code === 'unknown-attribute')!;
    assert.equal(editor.document.getText(unknown.range), 'timout=2m');
    assert.equal(unknown.severity, vscode.DiagnosticSeverity.Warning);
    const undeclared = found.find((d) => d.code === 'undeclared-input')!;
    assert.equal(editor.document.getText(undeclared.range), '$CLUSTER');
    assert.equal(found.find((d) => d.code === 'duplicate-name')!.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(found.find((d) => d.code === 'unused-input')!.tags, [vscode.DiagnosticTag.Unnecessary]);
  });

  it('updates them after an edit, and leaves plain Markdown alone', async () => {
    const editor = await openFixture(FIXTURE);
    const uri = editor.document.uri;
    await waitFor(() => runbookDiagnostics(uri).length >= 6, 'the runbook diagnostics');
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'environment: staging\n'));
    await waitFor(() => !codesOf(runbookDiagnostics(uri)).some((code) => code.startsWith('confirm-without-environment')), 'the confirm warning to go');
    assert.ok(codesOf(runbookDiagnostics(uri)).includes('unknown-attribute@13'), 'the others moved down a line');

    const plain = await vscode.workspace.openTextDocument({ language: 'markdown', content: '# Notes\n\n```bash {timout=1}\necho "$SOMETHING"\n```\n' });
    await vscode.window.showTextDocument(plain);
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(runbookDiagnostics(plain.uri), []);
    // Nor its completions or hovers: a README's `bash` block is not a runbook step.
    const offered = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', plain.uri, new vscode.Position(2, 9), '{');
    // (VS Code's word-based suggestions, of kind Text, are not ours.)
    const ours = offered.items.filter((item) => item.kind !== vscode.CompletionItemKind.Text);
    assert.deepEqual(ours.map((item) => item.label), []);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', plain.uri, new vscode.Position(2, 10));
    assert.ok(!hoverText(hovers).includes('Stop the step'), hoverText(hovers));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('leaves read-only copies alone (the git side of a diff, say), which would repeat every problem', async () => {
    const text = new TextEncoder().encode((await vscode.workspace.openTextDocument(fixtureUri(FIXTURE))).getText());
    const readOnly: vscode.FileSystemProvider = {
      onDidChangeFile: new vscode.EventEmitter<vscode.FileChangeEvent[]>().event,
      watch: () => new vscode.Disposable(() => undefined),
      stat: () => ({ type: vscode.FileType.File, ctime: 0, mtime: 0, size: text.length }),
      readDirectory: () => [],
      createDirectory: () => undefined,
      readFile: () => text,
      writeFile: () => undefined,
      delete: () => undefined,
      rename: () => undefined,
    };
    const registration = vscode.workspace.registerFileSystemProvider('runbooks-test-readonly', readOnly, { isReadonly: true });
    try {
      const copy = await vscode.workspace.openTextDocument(vscode.Uri.parse(`runbooks-test-readonly:/copy/${FIXTURE}`));
      assert.equal(copy.languageId, 'markdown');
      await vscode.window.showTextDocument(copy);
      // The writable fixture gets its problems at once; give the copy the same time and more.
      await waitFor(() => runbookDiagnostics(fixtureUri(FIXTURE)).length >= 6, 'the fixture\'s problems');
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(runbookDiagnostics(copy.uri), []);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      registration.dispose();
    }
  });

  it('declares a missing input with its quick fix, and the warning goes', async () => {
    const editor = await openFixture(FIXTURE);
    const uri = editor.document.uri;
    const undeclared = await waitFor(() => runbookDiagnostics(uri).find((d) => d.code === 'undeclared-input'), 'the undeclared input');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, undeclared.range, vscode.CodeActionKind.QuickFix.value);
    const declare = actions.find((action) => action.title === 'Declare input CLUSTER in the front matter');
    assert.ok(declare?.edit, actions.map((a) => a.title).join(', '));
    assert.equal(declare.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(declare.edit));
    assert.equal(editor.document.lineAt(6).text, '  CLUSTER: { description: Cluster }');
    await waitFor(() => !runbookDiagnostics(uri).some((d) => d.code === 'undeclared-input'), 'the warning to go');
    const runbooks = await api();
    assert.deepEqual(runbooks.documents.get(editor.document).inputs.map((input) => input.name), ['REGION', 'TOKEN', 'LEFTOVER', 'CLUSTER']);
  });

  it('fixes a misspelt attribute and renames a duplicate step', async () => {
    const editor = await openFixture(FIXTURE);
    const uri = editor.document.uri;
    const unknown = await waitFor(() => runbookDiagnostics(uri).find((d) => d.code === 'unknown-attribute'), 'the unknown attribute');
    const fixes = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, unknown.range, vscode.CodeActionKind.QuickFix.value);
    assert.deepEqual(fixes.map((a) => a.title), ['Change "timout" to "timeout"', 'Remove attribute "timout"']);
    assert.ok(await vscode.workspace.applyEdit(fixes[0].edit!));
    assert.equal(editor.document.lineAt(12).text, '```bash {name=check timeout=2m}');
    const duplicate = runbookDiagnostics(uri).find((d) => d.code === 'duplicate-name')!;
    const [rename] = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, duplicate.range, vscode.CodeActionKind.QuickFix.value);
    assert.ok(await vscode.workspace.applyEdit(rename.edit!));
    assert.equal(editor.document.lineAt(16).text, '```bash {name=check-2 confirm}');
    await waitFor(() => !runbookDiagnostics(uri).some((d) => ['unknown-attribute', 'duplicate-name'].includes(String(d.code))), 'both problems to go');
  });

  it('completes front matter keys and fence attributes', async () => {
    const editor = await openFixture(FIXTURE);
    const uri = editor.document.uri;
    await editor.edit((edit) => edit.insert(new vscode.Position(2, 0), 'env\n'));
    const keys = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(2, 3));
    const keyLabels = keys.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(keyLabels.includes('environment'), keyLabels.join(', '));
    assert.ok(!keyLabels.includes('title'), 'keys already written are not offered');

    const fence = editor.document.lineAt(13).text;
    assert.ok(fence.startsWith('```bash {name=check'), fence);
    const attributes = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(13, fence.indexOf('{') + 1), '{');
    const attributeLabels = attributes.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    for (const expected of ['confirm', 'cwd', 'interactive', 'skip']) assert.ok(attributeLabels.includes(expected), attributeLabels.join(', '));
    assert.ok(!attributeLabels.includes('name'), 'name is already written');
  });

  it('shows an input reference\'s description and value on hover, never a secret', async () => {
    const editor = await openFixture(FIXTURE);
    const uri = editor.document.uri;
    const region = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(13, editor.document.lineAt(13).text.indexOf('REGION')));
    const regionText = hoverText(region);
    assert.match(regionText, /Region to act on/);
    assert.match(regionText, /Current value: `eu-west-1`/);

    const runbooks = await api();
    const runbook = runbooks.documents.get(editor.document);
    await runbooks.inputs.set(uri, runbook.inputs.find((input) => input.name === 'TOKEN')!, 'hover-secret-value');
    try {
      const token = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(17, editor.document.lineAt(17).text.indexOf('TOKEN') + 1));
      const tokenText = hoverText(token);
      assert.match(tokenText, /secret/);
      assert.match(tokenText, /set, hidden/);
      assert.ok(!tokenText.includes('hover-secret-value'));
    } finally {
      await runbooks.inputs.set(uri, runbook.inputs.find((input) => input.name === 'TOKEN')!, '');
    }
  });

  it('marks the references to declared inputs for semantic highlighting, secret ones as such', async () => {
    const editor = await openFixture(FIXTURE);
    const uri = editor.document.uri;
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', uri);
    const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', uri);
    const decoded: string[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      const [deltaLine, deltaStart, length, type, modifiers] = tokens.data.slice(i, i + 5);
      line += deltaLine;
      character = deltaLine === 0 ? character + deltaStart : deltaStart;
      const text = editor.document.getText(new vscode.Range(line, character, line, character + length));
      const flags = legend.tokenModifiers.filter((_, bit) => modifiers & (1 << bit));
      decoded.push([line, text, legend.tokenTypes[type], ...flags].join(' '));
    }
    // $REGION is declared, $CLUSTER is not; TOKEN is a secret input.
    assert.deepEqual(decoded, ['13 REGION runbookInput', '17 TOKEN runbookInput secret', '23 REGION runbookInput']);
  });

  it('lists the named steps, with their section, for the outline and Go to Symbol', async () => {
    const editor = await openFixture(FIXTURE);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri);
    const flat = (list: vscode.DocumentSymbol[]): vscode.DocumentSymbol[] => list.flatMap((s) => [s, ...flat(s.children ?? [])]);
    const steps = flat(symbols).filter((symbol) => symbol.kind === vscode.SymbolKind.Function);
    assert.deepEqual(steps.map((s) => [s.name, s.detail, s.range.start.line]), [['check', 'Deploy', 12], ['check', 'Deploy', 16], ['report', 'Deploy', 22]]);
    // Markdown's own provider lists the heading once; the runbook's does not repeat it.
    assert.equal(flat(symbols).filter((symbol) => symbol.name.replace(/^#+\s*/, '') === 'Deploy').length, 1);
  });
});
