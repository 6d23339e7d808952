import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CodeAction, CompletionList, DocumentSymbol, FoldingRange, Hover, Location, TextDocumentEdit, TextEdit } from 'vscode-languageserver-types';
import { LspClient } from '../support/lsp';
import { edit, example } from '../support/lint';
import { SERVER_COMMANDS, type CommandResult } from '../../server/src/protocol';
import { applyEdits } from '../../server/src/service/edits';
import { LineIndex } from '../../server/src/service/model/text';

// The built server over stdio, driven as an editor drives it: open, change, request.

const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
const notes = readFileSync(new URL('../../examples/notes.md', import.meta.url), 'utf8');
const RUNBOOK = 'file:///work/examples/payments-api-runbook.md';
const DRAFT = 'file:///work/examples/runbooks/checkout-worker.md';
const NOTES = 'file:///work/examples/notes.md';

let client: LspClient;

function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  return applyEdits(text, edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText })));
}

before(async () => {
  client = new LspClient();
  const init = await client.initialize('file:///work/examples');
  assert.ok(init.capabilities.completionProvider);
  await client.open(RUNBOOK, example);
  await client.open(DRAFT, draft);
  await client.open(NOTES, notes);
});

after(() => client.stop());

test('a clean runbook gets an empty diagnostics list, a draft gets its problems', async () => {
  assert.deepEqual(await client.diagnosticsOf(RUNBOOK, 1), []);
  const diagnostics = await client.diagnosticsOf(DRAFT, 1);
  const codes = new Set(diagnostics.map((d) => d.code));
  for (const rule of ['missing-section', 'invalid-value', 'review-overdue', 'broken-link', 'placeholder']) assert.ok(codes.has(rule), rule);
  const overdue = diagnostics.find((d) => d.code === 'review-overdue')!;
  assert.equal(draft.split('\n')[overdue.range.start.line].includes('Next Review'), true);
});

test('ordinary Markdown gets no diagnostics and no symbols', async () => {
  assert.deepEqual(await client.diagnosticsOf(NOTES, 1), []);
  assert.equal(await client.request('textDocument/documentSymbol', { textDocument: { uri: NOTES } }), null);
});

test('an edit re-validates the new version and drops the problem it fixed', async () => {
  const broken = edit(example, '| **Classification** | Confidential |', '| **Classification** | Urgent |');
  await client.change(RUNBOOK, 2, broken);
  const v2 = await client.diagnosticsOf(RUNBOOK, 2);
  assert.deepEqual(v2.map((d) => d.code), ['invalid-value']);
  await client.change(RUNBOOK, 3, example);
  assert.deepEqual(await client.diagnosticsOf(RUNBOOK, 3), []);
});

test('document symbols are sections > subsections > components', async () => {
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: RUNBOOK } });
  const title = symbols[0];
  assert.equal(title.name, 'System Runbook: Payments API');
  const section2 = title.children!.find((s) => s.name === 'Section 2: Architecture')!;
  const components = section2.children!.find((s) => s.name === '2.2 Component Details')!;
  assert.ok(components.children!.length >= 3);
  assert.equal(section2.selectionRange.start.line, example.split('\n').indexOf('## Section 2: Architecture'));
});

test('folding covers sections, tables and code blocks', async () => {
  const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: RUNBOOK } });
  const lines = example.split('\n');
  const table = lines.indexOf('| Field | Value |');
  assert.ok(ranges.some((r) => r.startLine === table && r.endLine === table + 8));
  const section8 = lines.indexOf('## Section 8: Rollback Procedures');
  assert.ok(ranges.some((r) => r.startLine === section8 && r.kind === 'region'));
  const fence = lines.findIndex((l) => l.startsWith('```'));
  assert.ok(ranges.some((r) => r.startLine === fence));
});

test('go to definition from a table of contents entry lands on its heading', async () => {
  const lines = example.split('\n');
  const tocLine = lines.findIndex((l) => l.startsWith('8. [Rollback Procedures]'));
  const location = await client.request<Location>('textDocument/definition', { textDocument: { uri: RUNBOOK }, position: { line: tocLine, character: 8 } });
  assert.equal(location.uri, RUNBOOK);
  assert.equal(location.range.start.line, lines.indexOf('## Section 8: Rollback Procedures'));
});

test('hover on a section heading shows the template guidance', async () => {
  const line = example.split('\n').indexOf('### 2.3 Data Flow');
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: RUNBOOK }, position: { line, character: 6 } });
  const value = (hover.contents as { value: string }).value;
  assert.match(value, /Data Flow/);
  assert.match(value, /Describe how data moves through the system/);
});

test('completion after "## " offers the missing sections only', async () => {
  const uri = 'file:///work/examples/runbooks/completion-runbook.md';
  const text = edit(example, example.slice(example.indexOf('## Section 8'), example.indexOf('## Section 9')), '## \n\n');
  await client.open(uri, text);
  const line = text.split('\n').indexOf('## ');
  const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line, character: 3 } });
  const labels = list.items.map((i) => i.label);
  assert.ok(labels.includes('Rollback Procedures'), labels.join());
  assert.ok(!labels.includes('System Overview'));
});

test('a quick fix for a diagnostic, and fix-all as a source action', async () => {
  const diagnostics = await client.diagnosticsOf(DRAFT, 1);
  const missing = diagnostics.find((d) => d.code === 'missing-section')!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: DRAFT }, range: missing.range, context: { diagnostics: [missing] } });
  assert.ok(actions.some((a) => a.title.startsWith('Insert section')));
  assert.ok(actions.some((a) => a.title === 'Disable missing-section for this line'));
  const fixAll = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: DRAFT }, range: missing.range, context: { diagnostics: [], only: ['source.fixAll'] } });
  assert.equal(fixAll.length, 1);
  assert.equal(fixAll[0].kind, 'source.fixAll.runbook');
});

test('executeCommand updates the table of contents through workspace/applyEdit', async () => {
  const uri = 'file:///work/examples/runbooks/toc-runbook.md';
  const text = edit(example, '8. [Rollback Procedures](#section-8-rollback-procedures)\n', '');
  await client.open(uri, text);
  const result = await client.request<{ applied: boolean }>('workspace/executeCommand', { command: SERVER_COMMANDS.updateToc, arguments: [uri] });
  assert.equal(result.applied, true);
  const change = client.appliedEdits.at(-1)!.documentChanges![0] as TextDocumentEdit;
  assert.equal(change.textDocument.uri, uri);
  assert.match(change.edits[0].newText, /8\. \[Rollback Procedures\]\(#section-8-rollback-procedures\)/);
});

test('requests for unknown documents are answered with null, not an error', async () => {
  assert.equal(await client.request('textDocument/hover', { textDocument: { uri: 'file:///nowhere.md' }, position: { line: 0, character: 0 } }), null);
});

test('a client without window/showDocument gets no cursor command on "Add the row"', async () => {
  const uri = 'file:///work/examples/runbooks/no-cursor-runbook.md';
  const text = edit(example, '| **Owner** | Priya Raman (Engineering Manager, Payments) |\n', '');
  await client.open(uri, text);
  const missing = (await client.diagnosticsOf(uri, 1)).find((d) => d.code === 'missing-field')!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: missing.range, context: { diagnostics: [missing] } });
  const add = actions.find((a) => a.title === 'Add the "Owner" row')!;
  assert.ok(add.edit);
  assert.equal(add.command, undefined);
});

describe('an editor that can show a document with a selection (window/showDocument)', () => {
  let editor: LspClient;
  const DRAFT_IN_EDITOR = 'file:///work/examples/runbooks/review-draft.md';
  before(async () => {
    editor = new LspClient();
    await editor.initialize('file:///work/examples', { showDocument: { support: true } });
    await editor.open(DRAFT_IN_EDITOR, draft);
  });
  after(() => editor.stop());

  test('"Add the row" runs runbook.server.select after its edit: the new row\'s value cell is selected', async () => {
    const uri = 'file:///work/examples/runbooks/add-row-runbook.md';
    const text = edit(example, '| **Owner** | Priya Raman (Engineering Manager, Payments) |\n', '');
    await editor.open(uri, text);
    const missing = (await editor.diagnosticsOf(uri, 1)).find((d) => d.code === 'missing-field')!;
    const actions = await editor.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: missing.range, context: { diagnostics: [missing] } });
    const add = actions.find((a) => a.title === 'Add the "Owner" row')!;
    assert.equal(add.command?.command, SERVER_COMMANDS.select);
    // As the editor does: apply the edit, then run the command.
    const edited = applyTextEdits(text, add.edit!.changes![uri]);
    await editor.change(uri, 2, edited);
    const shown = await editor.request<boolean>('workspace/executeCommand', { command: add.command!.command, arguments: add.command!.arguments });
    assert.equal(shown, true);
    const request = editor.shownDocuments.at(-1)!;
    assert.equal(request.uri, uri);
    assert.equal(request.takeFocus, true);
    const line = edited.split('\n')[request.selection!.start.line];
    assert.equal(line, '| **Owner** | [Name/Role] |');
    assert.equal(line.slice(request.selection!.start.character, request.selection!.end.character), '[Name/Role]');
  });

  test('the insert-section quick fix, asked on the heading the section goes after, puts the cursor on the inserted heading', async () => {
    const uri = 'file:///work/examples/runbooks/quick-insert-runbook.md';
    const text = edit(example, example.slice(example.indexOf('## Section 8: Rollback Procedures'), example.indexOf('## Section 9: Troubleshooting Guide')), '');
    await editor.open(uri, text);
    const missing = (await editor.diagnosticsOf(uri, 1)).find((d) => d.code === 'missing-section')!;
    assert.equal(text.split('\n')[missing.range.start.line], '## Section 7: Incident Response');
    const actions = await editor.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: missing.range, context: { diagnostics: [missing] } });
    const insert = actions.find((a) => a.title === 'Insert section "Rollback Procedures" from the template')!;
    assert.equal(insert.command?.command, SERVER_COMMANDS.select);
    const edited = applyTextEdits(text, insert.edit!.changes![uri]);
    await editor.change(uri, 2, edited);
    assert.equal(await editor.request<boolean>('workspace/executeCommand', { command: insert.command!.command, arguments: insert.command!.arguments }), true);
    const shown = editor.shownDocuments.at(-1)!;
    assert.equal(edited.split('\n')[shown.selection!.start.line], '## Section 8: Rollback Procedures');
    assert.deepEqual(shown.selection!.start, shown.selection!.end);
    assert.equal(shown.selection!.start.character, 0);
    // The disable action has no command; it edits the line it names.
    assert.equal(actions.find((a) => a.title.startsWith('Disable'))?.command, undefined);
  });

  test('Insert Section puts the cursor on the inserted heading', async () => {
    const uri = 'file:///work/examples/runbooks/insert-one-runbook.md';
    const text = edit(example, example.slice(example.indexOf('## Section 8: Rollback Procedures'), example.indexOf('## Section 9: Troubleshooting Guide')), '');
    await editor.open(uri, text);
    await editor.diagnosticsOf(uri, 1);
    const result = await editor.request<CommandResult>('workspace/executeCommand', { command: SERVER_COMMANDS.insertSection, arguments: [uri, 'Rollback Procedures'] });
    assert.equal(result.applied, true);
    const change = editor.appliedEdits.at(-1)!.documentChanges![0] as TextDocumentEdit;
    const edited = applyTextEdits(text, change.edits);
    const shown = editor.shownDocuments.at(-1)!;
    assert.equal(shown.uri, uri);
    assert.deepEqual(result.selection, shown.selection);
    assert.equal(edited.split('\n')[shown.selection!.start.line], '## Section 8: Rollback Procedures');
    assert.equal(shown.selection!.start.character, 0);
  });

  test('Mark as Reviewed on a runbook without a change log sets the dates and says it added no history row', async () => {
    const shownBefore = editor.shownDocuments.length;
    const result = await editor.request<CommandResult>('workspace/executeCommand', { command: SERVER_COMMANDS.markReviewed, arguments: [DRAFT_IN_EDITOR] });
    assert.equal(result.applied, true);
    assert.equal(result.edits, 2);
    const expected = 'No history row added (this runbook has no "Document History" table in "Change Log"); Last Updated and Next Review updated.';
    assert.equal(result.message, expected);
    await editor.until(() => (editor.messages.includes(`Runbook Tools: ${expected}`) ? true : undefined), 'the message shown to the person');
    assert.equal(editor.shownDocuments.length, shownBefore, 'the cursor stays where it was');
  });
});
