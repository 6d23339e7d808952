import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { LspClient } from '../support/lsp';
import { applyEdits } from '../../server/src/service/edits';
import { LineIndex } from '../../server/src/service/model/text';
import { edit } from '../support/lint';

// Over stdio, as VS Code does it when a person types and presses Ctrl+. at once: the code action request
// arrives after didChange, carrying the diagnostics published for the version before.

const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
const URI = 'file:///work/examples/runbooks/checkout-worker.md';

let client: LspClient;

before(async () => {
  client = new LspClient();
  await client.initialize('file:///work/examples');
});

after(() => client.stop());

test('a code action request with the previous version\'s diagnostics gets the insert-section fix of the current version', async () => {
  await client.open(URI, draft, 1);
  const v1 = await client.diagnosticsOf(URI, 1);
  const rollback = v1.find((d) => d.code === 'missing-section' && d.message.startsWith('Missing section "Rollback Procedures"'))!;
  assert.ok(rollback);
  const v2 = edit(draft, '### 1.1 Purpose\n', '### 1.1 Purpose\n\nTyped just now, before the new diagnostics.\n');
  await client.change(URI, 2, v2);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: URI }, range: rollback.range, context: { diagnostics: [rollback] } });
  const insert = actions.find((a) => a.title === 'Insert section "Rollback Procedures" from the template');
  assert.ok(insert, `offered: ${actions.map((a) => a.title).join(' | ')}`);
  const lines = new LineIndex(v2);
  const edits = insert.edit!.changes![URI] as TextEdit[];
  const fixed = applyEdits(v2, edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText })));
  assert.equal(fixed.split('\n').filter((l) => l === '## Section 8: Rollback Procedures').length, 1);
  assert.ok(fixed.includes('Typed just now, before the new diagnostics.'));
  // The current version, checked by the server, no longer misses the section once the fix is applied.
  await client.change(URI, 3, fixed);
  const v3 = await client.diagnosticsOf(URI, 3);
  const missingNow = v3.filter((d) => d.code === 'missing-section').map((d) => /^Missing section "([^"]+)"/.exec(d.message)?.[1]);
  assert.ok(!missingNow.includes('Rollback Procedures'), missingNow.join());
  assert.ok(missingNow.includes('Incident Response'), missingNow.join());
});
