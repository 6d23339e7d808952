import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CodeAction, CompletionList, DocumentSymbol, FoldingRange, Hover, Location, TextDocumentEdit } from 'vscode-languageserver-types';
import { LspClient } from '../support/lsp';
import { edit, example } from '../support/lint';
import { SERVER_COMMANDS } from '../../server/src/protocol';

// The built server over stdio, driven as an editor drives it: open, change, request.

const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
const notes = readFileSync(new URL('../../examples/notes.md', import.meta.url), 'utf8');
const RUNBOOK = 'file:///work/examples/payments-api-runbook.md';
const DRAFT = 'file:///work/examples/runbooks/checkout-worker.md';
const NOTES = 'file:///work/examples/notes.md';

let client: LspClient;

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
