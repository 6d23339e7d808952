import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CodeLens, Diagnostic } from 'vscode-languageserver-types';
import { RunbookLanguageService } from '../../server/src/service/languageService';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { defaultSettings } from '../../server/src/service/settings';
import { applyEdits } from '../../server/src/service/edits';
import { LineIndex } from '../../server/src/service/model/text';
import { insertedHeadingOffset } from '../../server/src/service/features/commands';
import { rowCursor } from '../../server/src/service/features/codeActions';
import { TODAY, edit, example, lint } from '../support/lint';

const schema = builtinTemplate();
const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
const COMMANDS = { insertMissingSections: 'insert-all', markReviewed: 'mark-reviewed' };
const URI = 'file:///work/runbooks/lens-runbook.md';

function modelOf(text: string) {
  const service = new RunbookLanguageService();
  return { service, model: service.getModel({ uri: URI, version: 1, getText: () => text }) };
}

/** The lenses of a runbook as a person reads them: each title with the command it runs ('' for a label). */
async function lensesOf(text: string): Promise<[title: string, command: string][]> {
  const { service, model } = modelOf(text);
  const diagnostics = (await service.diagnostics(model, schema, defaultSettings, TODAY))!;
  const summary = service.summary(model, schema, diagnostics, TODAY);
  const lenses: CodeLens[] = await service.codeLenses(model, schema, summary, COMMANDS, TODAY);
  for (const lens of lenses) {
    assert.deepEqual(lens.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    if (lens.command!.command) assert.deepEqual(lens.command!.arguments, [URI]);
  }
  return lenses.map((l) => [l.command!.title, l.command!.command]);
}

test('lenses of the draft: the summary as a label, then "Insert 7 missing sections and 7 subsections" and "Mark as reviewed"', async () => {
  const lenses = await lensesOf(draft);
  assert.equal(lenses.length, 3);
  assert.match(lenses[0][0], /^7\/14 sections · \d+ placeholders? · review overdue$/);
  assert.equal(lenses[0][1], '', 'the summary runs nothing');
  assert.deepEqual(lenses.slice(1), [
    ['Insert 7 missing sections and 7 subsections', 'insert-all'],
    ['Mark as reviewed', 'mark-reviewed'],
  ]);
});

test('the insert lens counts the missing-section and missing-subsection problems, and is gone after Insert All', async () => {
  const problems = await lint(draft);
  assert.equal(problems.filter((d) => d.code === 'missing-section').length, 7);
  assert.equal(problems.filter((d) => d.code === 'missing-subsection').length, 7);
  const { service, model } = modelOf(draft);
  const inserted = applyEdits(draft, await service.insertMissingSections(model, schema, TODAY));
  const after = await lensesOf(inserted);
  assert.match(after[0][0], /^14\/14 sections/);
  assert.ok(!after.some(([title]) => title.startsWith('Insert')), after.map(([t]) => t).join(' | '));
});

test('a complete runbook whose review is not close has the summary lens only', async () => {
  assert.deepEqual(await lensesOf(example), [['14/14 sections', '']]);
});

test('one missing section, one missing subsection, or a review due soon: each lens says so', async () => {
  const rollback = example.slice(example.indexOf('## Section 8: Rollback Procedures'), example.indexOf('## Section 9: Troubleshooting Guide'));
  assert.deepEqual((await lensesOf(edit(example, rollback, ''))).slice(1), [['Insert 1 missing section', 'insert-all']]);
  const verification = example.slice(example.indexOf('### 8.5 Rollback Verification'), example.indexOf('## Section 9'));
  assert.deepEqual((await lensesOf(edit(example, verification, ''))).slice(1), [['Insert 1 missing subsection', 'insert-all']]);
  const dueSoon = await lensesOf(edit(example, '| **Next Review** | 2027-02-20 |', '| **Next Review** | 2026-12-05 |'));
  assert.deepEqual(dueSoon, [
    ['14/14 sections · review due in 8 days', ''],
    ['Mark as reviewed', 'mark-reviewed'],
  ]);
  const unknown = await lensesOf(edit(example, '| **Next Review** | 2027-02-20 |', '| **Next Review** | [DATE] |'));
  assert.ok(!unknown.some(([title]) => title === 'Mark as reviewed'), 'no review date: nothing to mark');
});

test('Mark as Reviewed without a change log sets the dates and says that no history row was added', async () => {
  const { service, model } = modelOf(draft);
  const { edits, message } = service.markReviewed(model, schema, TODAY);
  const result = applyEdits(draft, edits);
  assert.match(result, /\| \*\*Last Updated\*\* \| 2026-11-27 \|/);
  assert.match(result, /\| \*\*Next Review\*\* \| 2027-02-27 \|/);
  assert.equal(message, 'No history row added (this runbook has no "Document History" table in "Change Log"); Last Updated and Next Review updated.');
  // With its change log the runbook gets the row and no message.
  assert.equal(modelOf(example).service.markReviewed(modelOf(example).model, schema, TODAY).message, undefined);
});

test('an inserted section: the cursor goes to the start of its heading in the edited text', async () => {
  const rollback = example.slice(example.indexOf('## Section 8: Rollback Procedures'), example.indexOf('## Section 9: Troubleshooting Guide'));
  const doc = edit(example, rollback, '');
  const { service, model } = modelOf(doc);
  const edits = await service.insertSection(model, schema, 'Rollback Procedures', TODAY);
  const edited = applyEdits(doc, edits);
  const at = insertedHeadingOffset(edits)!;
  assert.equal(edited.slice(at, edited.indexOf('\n', at)), '## Section 8: Rollback Procedures');
  // Edits before it move it by their length; an edit without a heading is passed over.
  const shifted = [{ start: 0, end: 0, newText: 'x\n' }, ...edits];
  assert.equal(insertedHeadingOffset(shifted), at + 2);
  assert.equal(insertedHeadingOffset([{ start: 0, end: 0, newText: 'text\n' }]), undefined);
});

/** The fix of a diagnostic as code actions give it, with a select command. */
async function addRow(text: string): Promise<{ edited: string; selected: string; diagnostic: Diagnostic }> {
  const { service, model } = modelOf(text);
  const diagnostic = (await service.diagnostics(model, schema, defaultSettings, TODAY))!.find((d) => d.code === 'missing-field')!;
  const actions = (await service.codeActions(model, schema, defaultSettings, { diagnostics: [diagnostic] }, TODAY, undefined, { select: 'select' }))!;
  const action = actions.find((a) => /^Add the ".*" row$/.test(a.title))!;
  assert.equal(action.command?.command, 'select');
  const [uri, range] = action.command!.arguments!;
  assert.equal(uri, URI);
  const lines = new LineIndex(text);
  const edited = applyEdits(text, action.edit!.changes![URI].map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText })));
  const after = new LineIndex(edited);
  return { edited, selected: edited.slice(after.offsetAt(range.start), after.offsetAt(range.end)), diagnostic };
}

test('"Add the row": after the edit the cursor selects the new row\'s value, the template\'s example', async () => {
  const doc = edit(example, '| **Owner** | Priya Raman (Engineering Manager, Payments) |\n', '');
  const { edited, selected } = await addRow(doc);
  assert.equal(selected, '[Name/Role]');
  assert.match(edited, /\| \*\*Owner\*\* \| \[Name\/Role\] \|\n/);
  // CRLF and a row added at the end of a file without a final line break.
  const crlf = doc.replace(/\n/g, '\r\n');
  assert.equal((await addRow(crlf)).selected, '[Name/Role]');
});

test('rowCursor: the value cell of one inserted row, the cell text selected; other fixes get none', () => {
  const at = (newText: string) => rowCursor([{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, newText }]) ?? 'none';
  const place = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });
  assert.deepEqual(at('| **Owner** | [Name/Role] |\n'), place(4, 14, 25));
  assert.deepEqual(at('\n| **Owner** | [Name/Role] |'), place(5, 14, 25));
  assert.deepEqual(at('| **Owner** |  |\r\n'), place(4, 14, 14));
  assert.deepEqual(at('| a \\| b | c |\n'), place(4, 11, 12));
  assert.equal(at('| a | b |\n| c | d |\n'), 'none');
  assert.equal(at('## Heading\n'), 'none');
  assert.equal(rowCursor([]), undefined);
  assert.equal(rowCursor([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } }, newText: '| a | b |' }]), undefined);
});

test('without a select command the quick fixes carry no command', async () => {
  const doc = edit(example, '| **Owner** | Priya Raman (Engineering Manager, Payments) |\n', '');
  const { service, model } = modelOf(doc);
  const diagnostic = (await lint(doc)).find((d) => d.code === 'missing-field')!;
  const fresh = (await service.diagnostics(model, schema, defaultSettings, TODAY))!.find((d) => d.code === diagnostic.code)!;
  const actions = (await service.codeActions(model, schema, defaultSettings, { diagnostics: [fresh] }, TODAY))!;
  assert.ok(actions.length > 0);
  assert.ok(actions.every((a) => a.command === undefined));
});
