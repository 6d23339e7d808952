// Each command the extension contributes, run as a person would from the command palette.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  activeExtension,
  describeDiagnostics,
  executeWithin,
  findDiagnostic,
  requireCapability,
  scratchRunbook,
  todayStrings,
  waitFor,
  waitForRunbookDiagnostics,
} from './helpers';

const COMMANDS = ['runbook.newFromTemplate', 'runbook.insertMissingSections', 'runbook.updateToc', 'runbook.markReviewed', 'runbook.insertSection', 'runbook.showWorkspaceReport'];

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
    await waitFor('no missing-section diagnostic', () => !findDiagnostic(uri, 'missing-section'), 20_000, () => describeDiagnostics(uri));
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
