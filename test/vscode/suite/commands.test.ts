// Each command the extension contributes, run as a person would from the command palette.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  PAYMENTS,
  activeExtension,
  codeValue,
  lineOf,
  describeDiagnostics,
  executeWithin,
  findDiagnostic,
  requireCapability,
  scratchRunbook,
  todayStrings,
  waitFor,
  waitForRunbookDiagnostics,
} from './helpers';

const COMMANDS = [
  'runbook.newFromTemplate',
  'runbook.insertMissingSections',
  'runbook.updateToc',
  'runbook.markReviewed',
  'runbook.insertSection',
  'runbook.showWorkspaceReport',
  'runbook.showInRunbooksView',
  'runbook.openExample',
];

async function requireCommand(id: string): Promise<void> {
  const registered = (await vscode.commands.getCommands(true)).includes(id);
  const contributed = ((vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes?.commands ?? []) as { command: string }[]).some(
    (c) => c.command === id,
  );
  requireCapability(`command ${id}`, registered && contributed, `${id} is ${registered ? '' : 'not registered'}${!registered && !contributed ? ' and ' : ''}${contributed ? '' : 'not contributed in package.json'}`);
}

suite('Commands', () => {
  suiteSetup(async () => {
    await activeExtension();
  });

  test('runbook.newFromTemplate opens a new runbook from the template', async () => {
    await requireCommand('runbook.newFromTemplate');
    const before = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const running = Promise.resolve(vscode.commands.executeCommand('runbook.newFromTemplate'));
    let failed: unknown;
    running.catch((e) => (failed = e));
    const doc = await waitFor(
      'an editor with a new "# System Runbook" document',
      async () => {
        if (failed) throw failed;
        const d = vscode.window.activeTextEditor?.document;
        if (d && !before.has(d.uri.toString()) && /^# System Runbook/m.test(d.getText())) return d;
        // Should the command ask for something (a name, a place), take the proposed answer.
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return undefined;
      },
      15_000,
    );
    assert.equal(doc.languageId, 'markdown');
    await running;
  });

  test('runbook.insertMissingSections inserts "Rollback Procedures"', async () => {
    await requireCommand('runbook.insertMissingSections');
    const { uri, doc } = await scratchRunbook('insert-missing');
    await waitForRunbookDiagnostics(uri, () => !!findDiagnostic(uri, 'missing-section'), 'missing-section');
    await executeWithin(15_000, 'runbook.insertMissingSections');
    await waitFor('a "Rollback Procedures" heading', () => /^## .*Rollback Procedures/m.test(doc.getText()));
    await waitFor('no missing-section diagnostic', () => !findDiagnostic(uri, 'missing-section'), 20_000, () => describeDiagnostics(uri));
  });

  test('runbook.updateToc puts a removed TOC entry back', async () => {
    await requireCommand('runbook.updateToc');
    const { uri, doc } = await scratchRunbook('update-toc', (t) => t.replace('2. [Architecture](#section-2-architecture)\n', ''));
    await waitForRunbookDiagnostics(uri);
    assert.ok(!doc.getText().includes('](#section-2-architecture)'));
    await executeWithin(15_000, 'runbook.updateToc');
    await waitFor('the TOC to link #section-2-architecture again', () => doc.getText().includes('](#section-2-architecture)'), 10_000, () =>
      doc.getText().slice(0, 1200),
    );
  });

  test("runbook.markReviewed writes today's date", async () => {
    await requireCommand('runbook.markReviewed');
    const { uri, doc } = await scratchRunbook('mark-reviewed');
    await waitForRunbookDiagnostics(uri);
    const today = todayStrings();
    assert.ok(!today.some((t) => doc.getText().includes(t)), 'the fixture must not hold today\'s date yet');
    await executeWithin(15_000, 'runbook.markReviewed');
    await waitFor(`today's date (${today.join(' or ')}) in the runbook`, () => today.some((t) => doc.getText().includes(t)), 10_000);
  });

  test('runbook.insertSection (the Runbooks view action) inserts one missing section', async () => {
    await requireCommand('runbook.insertSection');
    const { uri, doc } = await scratchRunbook('insert-one');
    await waitForRunbookDiagnostics(uri, () => !!findDiagnostic(uri, 'missing-section'), 'missing-section');
    await executeWithin(15_000, 'runbook.insertSection', uri.toString(), 'Rollback Procedures');
    await waitFor('a "Rollback Procedures" heading', () => /^## .*Rollback Procedures/m.test(doc.getText()));
    // The cursor is on the inserted heading, and the heading is on screen.
    const heading = lineOf(doc, '## Section 8: Rollback Procedures');
    const editor = await waitFor('the cursor on the inserted heading', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document === doc && e.selection.active.line === heading ? e : undefined;
    });
    assert.ok(editor.visibleRanges.some((r) => r.contains(new vscode.Position(heading, 0))), `line ${heading} is not visible: ${JSON.stringify(editor.visibleRanges)}`);
    await waitFor('no missing-section diagnostic', () => !findDiagnostic(uri, 'missing-section'), 20_000, () => describeDiagnostics(uri));
  });

  test('runbook.markReviewed on a runbook without a change log says that it added no history row', async () => {
    const { uri } = await scratchRunbook('no-change-log', (t) => t.slice(0, t.indexOf('## Section 11: Change Log')) + t.slice(t.indexOf('## Appendix')));
    await waitForRunbookDiagnostics(uri);
    const result = await executeWithin<{ applied: boolean; message?: string }>(15_000, 'runbook.markReviewed');
    assert.equal(result.applied, true);
    assert.match(result.message ?? '', /^No history row added \(this runbook has no "Document History" table in "Change Log"\); Last Updated and Next Review updated\.$/);
  });

  test('"Add the row" puts the cursor into the new value cell', async () => {
    const { uri, doc } = await scratchRunbook('add-row', (t) => t.replace('| **Owner** | Payments Platform Team |\n', ''));
    const missing = (await waitForRunbookDiagnostics(uri, () => !!findDiagnostic(uri, 'missing-field', 'Owner'), 'missing-field Owner')).find((d) => codeValue(d) === 'missing-field')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, missing.range, vscode.CodeActionKind.QuickFix.value);
    const add = actions.find((a) => a.title === 'Add the "Owner" row');
    assert.ok(add?.edit && add.command, `no "Add the row" fix with a command: ${actions.map((a) => a.title).join(' | ')}`);
    // As the light bulb does: the edit, then the command.
    assert.ok(await vscode.workspace.applyEdit(add.edit));
    await vscode.commands.executeCommand(add.command.command, ...(add.command.arguments ?? []));
    const editor = await waitFor('the value cell selected', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document === doc && !e.selection.isEmpty ? e : undefined;
    });
    assert.equal(doc.lineAt(editor.selection.start.line).text, '| **Owner** | [Name/Role] |');
    assert.equal(doc.getText(editor.selection), '[Name/Role]');
  });

  test('runbook.openExample opens the example draft as an untitled runbook with its problems and lenses', async () => {
    await requireCommand('runbook.openExample');
    const uriText = await executeWithin<string>(15_000, 'runbook.openExample');
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.uri.toString(), uriText);
    assert.equal(doc.uri.scheme, 'untitled');
    assert.equal(doc.languageId, 'markdown');
    assert.equal(doc.lineAt(0).text, '# System Runbook: Checkout Worker');
    await waitForRunbookDiagnostics(doc.uri, () => !!findDiagnostic(doc.uri, 'missing-section'), 'missing-section on the example');
    const lenses = await waitFor('three code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return found.length === 3 ? found : undefined;
    });
    const [summary, insert, reviewed] = lenses.map((l) => l.command!);
    assert.match(summary.title, /^7\/14 sections · .*review overdue$/);
    assert.equal(summary.command, 'runbook.showInRunbooksView', 'the summary shows the runbook in the Runbooks view');
    assert.match(insert.title, /^Insert 7 missing sections and \d+ subsections?$/);
    assert.equal(insert.command, 'runbook.server.insertMissingSections');
    assert.equal(reviewed.title, 'Mark as reviewed');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('runbook.showInRunbooksView reveals the active runbook in the Runbooks view', async () => {
    await requireCommand('runbook.showInRunbooksView');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, PAYMENTS));
    await vscode.window.showTextDocument(doc);
    await waitForRunbookDiagnostics(doc.uri);
    assert.equal(await executeWithin(15_000, 'runbook.showInRunbooksView', doc.uri.toString()), true);
  });

  test('runbook.showWorkspaceReport opens the report in a webview tab that counts the runbooks', async () => {
    await requireCommand('runbook.showWorkspaceReport');
    await executeWithin(20_000, 'runbook.showWorkspaceReport');
    const tab = await waitFor('a "Runbook Report (N)" webview tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /^Runbook Report \(\d+\)$/.test(t.label)),
    );
    assert.ok(Number(/\((\d+)\)/.exec(tab.label)![1]) >= 1, tab.label);
    await vscode.window.tabGroups.close(tab);
  });

  test('every contributed runbook.* command is covered here', () => {
    const contributed = ((vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes?.commands ?? []) as { command: string }[]).map(
      (c) => c.command,
    );
    const uncovered = contributed.filter((c) => !COMMANDS.includes(c));
    assert.deepEqual(uncovered, [], 'add a test for each new command');
  });
});
