// Completion after "## ": the template's sections that the runbook lacks.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TEMPLATE_SECTIONS, activeExtension, labelOf, lineOf, requireCapability, scratchRunbook, waitForRunbookDiagnostics } from './helpers';

suite('Completion', () => {
  suiteSetup(async () => {
    await activeExtension();
  });

  test('after "## " on an empty line the list offers the missing "Rollback Procedures"', async () => {
    // An empty "## " line before Section 9, where Section 8 belongs.
    const { doc } = await scratchRunbook('completion', (t) =>
      t.replace('## Section 9: Troubleshooting Guide', '## \n\n## Section 9: Troubleshooting Guide'),
    );
    await waitForRunbookDiagnostics(doc.uri);
    const line = lineOf(doc, '## ');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(line, 3),
    );
    const items = list?.items ?? [];
    const text = (i: vscode.CompletionItem) =>
      `${labelOf(i)} ${typeof i.insertText === 'string' ? i.insertText : i.insertText?.value ?? ''} ${i.filterText ?? ''}`;
    // Plain words of the document (word-based suggestions, kind Text) are not ours.
    const ours = items.filter((i) => i.kind !== vscode.CompletionItemKind.Text && TEMPLATE_SECTIONS.some((s) => text(i).includes(s)));
    requireCapability(
      'completion',
      ours.length > 0,
      `no completion item names a template section after "## " (${items.length} items: ${items.slice(0, 10).map((i) => `${labelOf(i)} (${vscode.CompletionItemKind[i.kind ?? 0]})`).join(' | ')})`,
    );
    assert.ok(
      ours.some((i) => text(i).includes('Rollback Procedures')),
      `"Rollback Procedures" missing from: ${ours.map(labelOf).join(' | ')}`,
    );
  });

  test('after "](#" each heading anchor is offered once (VS Code\'s Markdown extension lists them; ours are left out)', async () => {
    const { doc } = await scratchRunbook('anchors', (t) => t.replace('## Section 9: Troubleshooting Guide', 'See [rollback](#\n\n## Section 9: Troubleshooting Guide'));
    await waitForRunbookDiagnostics(doc.uri);
    const line = lineOf(doc, 'See [rollback](#');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, 'See [rollback](#'.length), '#');
    const anchors = (list?.items ?? []).filter((i) => i.kind !== vscode.CompletionItemKind.Text).map((i) => labelOf(i).replace(/^#/, ''));
    assert.ok(anchors.includes('section-2-architecture'), `no anchor section-2-architecture among ${anchors.slice(0, 20).join(' | ')}`);
    const twice = anchors.filter((a, i) => anchors.indexOf(a) !== i);
    assert.deepEqual(twice, [], 'anchors listed twice');
  });
});
