import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { RunbookLanguageService } from '../../../server/src/service/languageService';
import { compileTemplate } from '../../../server/src/service/template/compile';
import { builtinTemplate } from '../../../server/src/service/template/builtin';
import { defaultSettings } from '../../../server/src/service/settings';
import { applyEdits } from '../../../server/src/service/edits';
import { LineIndex } from '../../../server/src/service/model/text';
import { TODAY, edit, example, expectAt, lint, lintRule, marked } from '../../support/lint';

// Dates that cannot all be true (today is TODAY, 2026-11-27). The example (Last Updated 2026-11-20, Next
// Review 2027-02-20, the latest change log entries 2026-11-20 and 2026-11-12) is where the rule stays silent.

const LAST = '| **Last Updated** | 2026-11-20 |';
const NEXT = '| **Next Review** | 2027-02-20 |';

/** The document after the quick fix titled like `title` of the date-order diagnostic at `at`. */
async function fixed(text: string, at: Diagnostic, title: RegExp): Promise<string> {
  const service = new RunbookLanguageService();
  const model = service.getModel({ uri: 'file:///work/runbooks/dates-runbook.md', version: 1, getText: () => text });
  const diagnostics = (await service.diagnostics(model, builtinTemplate(), defaultSettings, TODAY))!;
  const diagnostic = diagnostics.find((d) => d.code === 'date-order' && JSON.stringify(d.range) === JSON.stringify(at.range));
  assert.ok(diagnostic, 'the diagnostic is not there');
  const actions = (await service.codeActions(model, builtinTemplate(), defaultSettings, { diagnostics: [diagnostic] }, TODAY))!;
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `no action like ${title} among ${actions.map((a) => a.title).join(' | ')}`);
  const lines = new LineIndex(text);
  const edits = Object.values(action.edit!.changes!)[0] as TextEdit[];
  return applyEdits(text, edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText })));
}

test('date-order is silent on the clean example', async () => {
  assert.deepEqual(await lintRule(example, 'date-order'), []);
});

test('date-order fires on a Last Updated after today, at its value; the fix sets today', async () => {
  const doc = edit(example, LAST, '| **Last Updated** | «2026-12-20» |');
  const [d] = await expectAt(doc, 'date-order', /^"Last Updated" is 2026-12-20, after today \(2026-11-27\)/);
  const after = await fixed(marked(doc).text, d, /Set "Last Updated" to today \(2026-11-27\)/);
  assert.ok(after.includes('| **Last Updated** | 2026-11-27 |'));
  assert.deepEqual(await lintRule(after, 'date-order'), []);
});

test('date-order fires on a Next Review before Last Updated, once: review-overdue leaves it to date-order', async () => {
  const doc = edit(example, NEXT, '| **Next Review** | «2026-02-20» |');
  const [d] = await expectAt(doc, 'date-order', /^"Next Review" \(2026-02-20\) is before "Last Updated" \(2026-11-20\): if it was reviewed on 2026-11-20, the next review is 2027-02-20 \(Quarterly\); if not, the review is overdue \(today is 2026-11-27\)\.$/);
  const text = marked(doc).text;
  assert.deepEqual(await lintRule(text, 'review-overdue'), []);
  // A year typed wrong: Next Review from Last Updated.
  const typo = await fixed(text, d, /^Set "Next Review" to 2027-02-20 \(Quarterly after "Last Updated"\)$/);
  assert.ok(typo.includes(NEXT));
  assert.deepEqual((await lint(typo)).map((d) => d.code), []);
  // Edited without the review that was due: reviewed today.
  const reviewed = await fixed(text, d, /^Mark as reviewed today: Next Review 2027-02-27, Last Updated 2026-11-27$/);
  assert.ok(reviewed.includes('| **Next Review** | 2027-02-27 |') && reviewed.includes('| **Last Updated** | 2026-11-27 |'));
  assert.deepEqual((await lint(reviewed)).map((d) => d.code), []);
});

test('with date-order off, a Next Review before Last Updated and before today is an overdue review', async () => {
  const doc = edit(example, NEXT, '| **Next Review** | «2026-02-20» |');
  await expectAt(doc, 'review-overdue', /Review overdue/, { settings: { rules: { 'date-order': 'off' } } });
  assert.deepEqual(await lintRule(marked(doc).text, 'date-order', { settings: { rules: { 'date-order': 'off' } } }), []);
});

test('a Next Review after today but before a future Last Updated: both dates are reported, each at its cell', async () => {
  const doc = edit(edit(example, LAST, '| **Last Updated** | «2027-03-01» |'), NEXT, '| **Next Review** | «2027-02-20» |');
  await expectAt(doc, 'date-order');
});

test('date-order fires on a Document History or System Change History entry newer than Last Updated, at its date', async () => {
  const history = edit(example, '| 2.4 | 2026-11-20 | Priya Raman |', '| 2.4 | «2026-11-25» | Priya Raman |');
  const [d] = await expectAt(history, 'date-order', /^This "Document History" entry is dated 2026-11-25, after "Last Updated" \(2026-11-20\): the runbook changed since, so "Last Updated" should be at least 2026-11-25\.$/);
  const after = await fixed(marked(history).text, d, /Set "Last Updated" to 2026-11-25, the latest change/);
  assert.ok(after.includes('| **Last Updated** | 2026-11-25 |'));
  assert.deepEqual(await lintRule(after, 'date-order'), []);

  const system = edit(example, '| 2026-11-12 | ElastiCache resized', '| «2026-11-26» | ElastiCache resized');
  await expectAt(system, 'date-order', /^This "System Change History" entry is dated 2026-11-26/);
});

test('a change log entry dated after today says so and offers no date to copy', async () => {
  const doc = edit(example, '| 2026-11-12 | ElastiCache resized', '| «2027-01-05» | ElastiCache resized');
  const [d] = await expectAt(doc, 'date-order', /dated 2027-01-05, after "Last Updated" \(2026-11-20\) and after today \(2026-11-27\): check the date\.$/);
  assert.deepEqual((d.data as { fixes: unknown[] }).fixes, []);
});

test('dates that are not dates yet (placeholders, TBD, typos) are other rules\' findings, not date-order\'s', async () => {
  for (const value of ['[DATE]', 'TBD', '2026-13-01', 'last week']) {
    assert.deepEqual(await lintRule(edit(example, LAST, `| **Last Updated** | ${value} |`), 'date-order'), [], value);
    assert.deepEqual(await lintRule(edit(example, NEXT, `| **Next Review** | ${value} |`), 'date-order'), [], value);
  }
});

test('the fields and the change log come from the template: a team template with other names works the same', async () => {
  const schema = compileTemplate(
    [
      '# Service Sheet: [NAME]',
      '',
      '## About',
      '',
      '| Field | Value |',
      '|---|---|',
      '| **Last Modified** | [DATE] |',
      '| **Next Review** | [DATE] |',
      '| **Review Cadence** | Monthly |',
      '',
      '## Revisions',
      '',
      '| Revision | Date | Summary |',
      '|---|---|---|',
      '| 1 | [DATE] | First |',
      '',
    ].join('\n'),
    'team.md',
  );
  const doc = [
    '# Service Sheet: Ledger',
    '',
    '## About',
    '',
    '| Field | Value |',
    '|---|---|',
    '| **Last Modified** | 2026-10-01 |',
    '| **Next Review** | «2026-09-01» |',
    '| **Review Cadence** | Monthly |',
    '',
    '## Revisions',
    '',
    '| Revision | Date | Summary |',
    '|---|---|---|',
    '| 1 | 2026-09-15 | First |',
    '| 2 | «2026-10-20» | Second |',
    '',
  ].join('\n');
  const found = await expectAt(doc, 'date-order', undefined, { schema });
  assert.match(found[0].message, /^"Next Review" \(2026-09-01\) is before "Last Modified" \(2026-10-01\): if it was reviewed on 2026-10-01, the next review is 2026-11-01 \(Monthly\); if not, the review is overdue/);
  assert.match(found[1].message, /^This "Revisions" entry is dated 2026-10-20, after "Last Modified"/);
});
