import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edit, example, expectAt, lint, lintRule, marked } from '../../support/lint';

// Draft markers (TBD, TODO, ...) left where content belongs; the example is where the rule stays silent.

const purpose = '### 1.1 Purpose\n';
/** The example with `text` as a paragraph at the top of section 1.1. */
const withText = (text: string) => edit(example, purpose, `${purpose}\n${text}\n`);

test('draft-marker is silent on the clean example', async () => {
  assert.deepEqual(await lintRule(example, 'draft-marker'), []);
});

test('draft-marker fires on each marker in prose, a heading and a list, in any case, at the marker', async () => {
  await expectAt(withText('The failover steps are «TBD» until the Q3 drill; «todo»: ask «FixMe» about «xxx».'), 'draft-marker', /Draft marker "(TBD|todo|FixMe|xxx)" is still here/);
  await expectAt(withText('- «TBC» by the database team\n- Who owns the replay job? «???»'), 'draft-marker');
  await expectAt(edit(example, '### 8.1 When to Rollback', '### 8.1 When to Rollback «TODO»'), 'draft-marker');
});

test('draft-marker fires in a table cell that is no field value of its own', async () => {
  await expectAt(edit(example, '| `PAYMENTS_ENV` | Environment name used in logs and metrics |', '| `PAYMENTS_ENV` | Environment name, «TBD» which one |'), 'draft-marker');
});

test('draft-marker leaves code, links, URLs, comments and longer words alone', async () => {
  const doc = withText(
    [
      'Run `grep TODO` first, then read [the list](https://wiki.example.com/TODO) and <https://example.com/TBD>.',
      'Mail todo@example.com or see https://example.com/FIXME/xxx and www.example.com/TBD for TODOS on XXXL hosts.',
      'What??? The file TODO.md is the checklist.',
      '<!-- TODO: remove before publishing -->',
      '',
      '```bash',
      '# TODO: parametrise',
      'echo TBD',
      '```',
      '',
      '??? note "Collapsed by MkDocs"',
      '    Details here.',
    ].join('\n'),
  );
  assert.deepEqual(await lintRule(doc, 'draft-marker'), []);
});

test('a field that is only a marker is one empty-field finding, not a draft-marker, invalid-date or invalid-value too', async () => {
  const doc = edit(edit(edit(example, '| **Owner** | Priya Raman (Engineering Manager, Payments) |', '| **Owner** | «TBD» |'), '| **Last Updated** | 2026-11-20 |', '| **Last Updated** | «tbc» |'), '| **Classification** | Confidential |', '| **Classification** | «TODO:» |');
  const { text, ranges } = marked(doc);
  const found = (await lint(text)).filter((d) => d.range.start.line <= ranges[2].start.line && d.range.start.line >= ranges[0].start.line);
  assert.deepEqual(
    found.map((d) => [d.code, d.range]),
    [
      ['empty-field', ranges[0]],
      ['empty-field', ranges[1]],
      ['empty-field', ranges[2]],
    ],
  );
  assert.match(found[0].message, /^Field "Last Updated" in "Document Information" is still a draft \("tbc"\); fill in its value \(a date, YYYY-MM-DD\)\.$/);
  assert.match(found[1].message, /^Field "Owner" in "Document Information" is still a draft \("TBD"\)/);
  assert.match(found[2].message, /"TODO".*one of Internal, Confidential/);
});

test('a marker in a cell of a filled template row is that cell empty; a row of markers is an empty row', async () => {
  const tbd = edit(example, '| 2.0 | 2025-10-15 | Marcus Oyelaran |', '| 2.0 | 2025-10-15 | «TBD» |');
  await expectAt(tbd, 'empty-field', /^"Author" is still a draft \("TBD"\) for "2.0" in table "Document History"\.$/);
  assert.deepEqual(await lintRule(marked(tbd).text, 'draft-marker'), []);
  const row = edit(example, '| 2.0 | 2025-10-15 | Marcus Oyelaran | Rewritten for the move from EC2 to EKS and Argo CD |', '«| TBD | ??? | TODO | TBD |»');
  await expectAt(row, 'empty-field', /^Row holding only draft markers in table "Document History"/);
  assert.deepEqual(await lintRule(marked(row).text, 'draft-marker'), []);
});

test('a field holding a marker and more text is a draft-marker finding, not an empty field', async () => {
  const doc = edit(example, '| **Owner** | Priya Raman (Engineering Manager, Payments) |', '| **Owner** | «TBD» - ask Priya |');
  await expectAt(doc, 'draft-marker');
  assert.deepEqual(await lintRule(marked(doc).text, 'empty-field'), []);
});

test('with empty-field off, a field that is only a marker is still reported, by draft-marker', async () => {
  await expectAt(edit(example, '| **Owner** | Priya Raman (Engineering Manager, Payments) |', '| **Owner** | «TBD» |'), 'draft-marker', undefined, { settings: { rules: { 'empty-field': 'off' } } });
});

test('the marker list comes from the settings: other words, or none at all', async () => {
  const doc = withText('Steps: «WIP». Owner TODO.');
  await expectAt(doc, 'draft-marker', /"WIP"/, { settings: { draftMarkers: ['WIP'] } });
  assert.deepEqual(await lintRule(marked(doc).text, 'draft-marker', { settings: { draftMarkers: [] } }), []);
  await expectAt(withText('Value «to be decided» later, «N.B.» and «(?)»'), 'draft-marker', undefined, { settings: { draftMarkers: ['to be decided', 'N.B.', '(?)', '  '] } });
});

test('draft-marker places the marker exactly after emoji and CJK text, with CRLF line breaks', async () => {
  const doc = withText('🚀 部署 «TODO» 🚀').replace(/\n/g, '\r\n');
  await expectAt(doc, 'draft-marker');
});
