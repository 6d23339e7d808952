import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { RunbookLanguageService } from '../../server/src/service/languageService';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { defaultSettings } from '../../server/src/service/settings';
import { applyEdits } from '../../server/src/service/edits';
import { LineIndex } from '../../server/src/service/model/text';
import { TODAY, edit, example, marked } from '../support/lint';

// A code action request that carries the diagnostics of an older version (the person typed, then
// pressed Ctrl+. before the new diagnostics arrived) gets the fixes of the same problems in the
// current version, and never a fix of another problem.

const schema = builtinTemplate();
const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
const URI = 'file:///work/runbooks/stale-runbook.md';

/** One service, as the server keeps it: version 1 analysed, then `v2` is current. */
async function afterTyping(v1: string, v2: string) {
  const service = new RunbookLanguageService();
  const old = (await service.diagnostics(service.getModel({ uri: URI, version: 1, getText: () => v1 }), schema, defaultSettings, TODAY))!;
  const model = service.getModel({ uri: URI, version: 2, getText: () => v2 });
  const actions = async (diagnostics: Diagnostic[]) => (await service.codeActions(model, schema, defaultSettings, { diagnostics }, TODAY))!;
  return { old, actions };
}

function apply(text: string, action: CodeAction): string {
  const lines = new LineIndex(text);
  const edits = Object.values(action.edit!.changes!)[0] as TextEdit[];
  return applyEdits(text, edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText })));
}

const missing = (old: Diagnostic[], title: string) => old.find((d) => d.code === 'missing-section' && d.message.startsWith(`Missing section "${title}"`))!;
const count = (text: string, line: string) => text.split('\n').filter((l) => l === line).length;

test('typing above a missing section, then asking at once: the insert-section fix of the current version, applied once', async () => {
  const v2 = edit(draft, '### 1.1 Purpose\n', '### 1.1 Purpose\n\nA line typed just now.\n');
  const { old, actions } = await afterTyping(draft, v2);
  const rollback = missing(old, 'Rollback Procedures');
  const offered = await actions([rollback]);
  assert.deepEqual(offered.map((a) => a.title), ['Insert section "Rollback Procedures" from the template', 'Disable missing-section for this line']);
  assert.deepEqual(offered[0].diagnostics, [rollback]);
  const fixed = apply(v2, offered[0]);
  assert.equal(count(fixed, '## Section 8: Rollback Procedures'), 1);
  // The fix landed where the section belongs in the current text: right after the line it was reported at, moved down by two.
  const disable = Object.values(offered[1].edit!.changes!)[0][0] as TextEdit;
  assert.equal(disable.range.start.line, rollback.range.start.line + 2);
  assert.ok(fixed.includes('A line typed just now.'));
});

test('typing below the problem: its place did not move, and it is found there', async () => {
  const v2 = edit(draft, '## Section 5: Monitoring and Alerts\n', '## Section 5: Monitoring and Alerts\n\nTyped here.\n\n\n');
  const { old, actions } = await afterTyping(draft, v2);
  const network = old.find((d) => d.code === 'missing-subsection' && d.message.includes('"Network Configuration"'))!;
  const offered = await actions([network]);
  assert.equal(offered[0].title, 'Insert subsection "Network Configuration" from the template');
  const disable = Object.values(offered[1].edit!.changes!)[0][0] as TextEdit;
  assert.equal(disable.range.start.line, network.range.start.line);
  assert.equal(count(apply(v2, offered[0]), '### 2.4 Network Configuration'), 1);
});

test('every old diagnostic at one place gets its own section, not its neighbour\'s', async () => {
  const v2 = edit(draft, '### 1.1 Purpose\n', '### 1.1 Purpose\n\nTyped.\n');
  const { old, actions } = await afterTyping(draft, v2);
  const all = old.filter((d) => d.code === 'missing-section');
  assert.ok(all.length >= 5);
  const offered = await actions(all);
  const titles = offered.filter((a) => a.title.startsWith('Insert')).map((a) => a.title);
  assert.deepEqual(titles, all.map((d) => `Insert section "${/"([^"]+)"/.exec(d.message)![1]}" from the template`));
});

test('a problem the edit solved offers nothing, and never the fix of another problem at that place', async () => {
  const routine = example.slice(example.indexOf('## Section 6: Routine Operations'), example.indexOf('## Section 7: Incident Response'));
  const incident = example.slice(example.indexOf('## Section 7: Incident Response'), example.indexOf('## Section 8: Rollback Procedures'));
  const v1 = edit(example, routine + incident, '');
  const v2 = edit(example, incident, '');
  const { old, actions } = await afterTyping(v1, v2);
  assert.deepEqual(await actions([missing(old, 'Routine Operations')]), []);
  const still = await actions([missing(old, 'Incident Response')]);
  assert.equal(still[0].title, 'Insert section "Incident Response" from the template');
});

test('typing inside a value: the same cell is the same problem, with the fixes of what is there now', async () => {
  const v1 = edit(example, '| **Classification** | Confidential |', '| **Classification** | Urgen |');
  const { text: v2, ranges } = marked(edit(example, '| **Classification** | Confidential |', '| **Classification** | «Urgent» |'));
  const { old, actions } = await afterTyping(v1, v2);
  const offered = await actions(old.filter((d) => d.code === 'invalid-value'));
  assert.deepEqual(offered.map((a) => a.title), ['Change to "Internal"', 'Change to "Confidential"', 'Disable invalid-value for this table']);
  assert.deepEqual((Object.values(offered[1].edit!.changes!)[0][0] as TextEdit).range, ranges[0]);
  assert.ok(apply(v2, offered[1]).includes('| **Classification** | Confidential |'));
});

test('identical problems on neighbouring lines each find their own line, whichever side the edit is on', async () => {
  const rows = '| 2.3 | 2026-08-12 | Dana Whitfield | Added webhook backlog troubleshooting and SQS dead-letter replay |\n';
  const v1 = edit(example, rows, rows + '| 2.3.1 | 2026-08-13 | Dana Whitfield |\n| 2.3.2 | 2026-08-14 | Dana Whitfield |\n');
  for (const v2 of [edit(v1, '### 1.1 Purpose\n', '### 1.1 Purpose\n\nTyped.\n'), v1 + '\nTyped at the end.\n']) {
    const { old, actions } = await afterTyping(v1, v2);
    const short = old.filter((d) => d.code === 'table-shape');
    assert.equal(short.length, 2);
    const shift = v2.split('\n').length - v1.split('\n').length;
    const moved = v2.startsWith(v1) ? 0 : shift;
    for (const d of short) {
      const offered = await actions([d]);
      const pad = offered.find((a) => /^Add/.test(a.title))!;
      assert.ok(pad, offered.map((a) => a.title).join(' | '));
      assert.equal((Object.values(pad.edit!.changes!)[0][0] as TextEdit).range.start.line, d.range.start.line + moved);
    }
  }
});

test('a diagnostic that came back without its data still gets the fixes of the current version', async () => {
  const { old, actions } = await afterTyping(draft, draft);
  const bare = { ...missing(old, 'Change Log'), data: undefined };
  const offered = await actions([bare]);
  assert.equal(offered[0].title, 'Insert section "Change Log" from the template');
});
