// Quick fixes through the API: the action exists for the diagnostic and applying it removes it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activeExtension,
  describeDiagnostics,
  findDiagnostic,
  requireCapability,
  runbookDiagnostics,
  scratchRunbook,
  waitFor,
  waitForRunbookDiagnostics,
} from './helpers';

async function actionsFor(uri: vscode.Uri, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const result = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    d.range,
  );
  return (result ?? []).filter((a): a is vscode.CodeAction => 'title' in a && ('edit' in a || 'kind' in a || 'diagnostics' in a));
}

async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applyEdit of "${action.title}" failed`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

suite('Quick fixes', () => {
  suiteSetup(async () => {
    await activeExtension();
  });

  test('missing section: an "Insert ..." quick fix inserts it and the diagnostic goes away', async () => {
    const { uri, doc } = await scratchRunbook('quickfix-section');
    await waitForRunbookDiagnostics(uri, () => !!findDiagnostic(uri, 'missing-section', 'Rollback Procedures'), 'missing-section Rollback Procedures');
    const d = findDiagnostic(uri, 'missing-section', 'Rollback Procedures')!;
    const actions = await actionsFor(uri, d);
    const ours = actions.filter((a) => /Rollback Procedures/.test(a.title) || a.diagnostics?.some((x) => x.source === 'runbook'));
    requireCapability(
      'code actions',
      ours.length > 0,
      `no quick fix for "${d.message}" (actions: ${actions.map((a) => a.title).join(' | ') || 'none'})`,
    );
    const fix = ours.find((a) => /^(Insert|Add|Replace)\b/.test(a.title));
    assert.ok(fix, `no action titled Insert/Add/Replace: ${ours.map((a) => a.title).join(' | ')}`);
    assert.ok(!fix.kind || vscode.CodeActionKind.QuickFix.contains(fix.kind), `"${fix.title}" is a ${fix.kind?.value}, expected a quickfix`);
    await apply(fix);
    await waitFor(
      'the missing-section diagnostic to disappear after the fix',
      () => !findDiagnostic(uri, 'missing-section', 'Rollback Procedures') && runbookDiagnostics(uri).length >= 0,
      20_000,
      () => describeDiagnostics(uri),
    );
    assert.match(doc.getText(), /^## .*Rollback Procedures/m, 'the section heading was inserted');
  });

  test('invalid value: a quick fix replaces "Urgent" and the diagnostic goes away', async () => {
    const { uri, doc } = await scratchRunbook('quickfix-value');
    await waitForRunbookDiagnostics(uri, () => !!findDiagnostic(uri, 'invalid-value', 'Classification'), 'invalid-value Classification');
    const d = findDiagnostic(uri, 'invalid-value', 'Classification')!;
    const actions = await actionsFor(uri, d);
    const ours = actions.filter((a) => a.diagnostics?.some((x) => x.source === 'runbook') || /Internal|Confidential/.test(a.title));
    requireCapability('code actions', ours.length > 0, `no quick fix for "${d.message}" (actions: ${actions.map((a) => a.title).join(' | ') || 'none'})`);
    await apply(ours[0]);
    await waitFor(
      'the invalid-value diagnostic to disappear after the fix',
      () => !findDiagnostic(uri, 'invalid-value', 'Classification'),
      20_000,
      () => describeDiagnostics(uri),
    );
    assert.match(doc.getText(), /\| \*\*Classification\*\* \| (Internal|Confidential) \|/);
  });
});
