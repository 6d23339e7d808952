import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { RunbookLanguageService } from '../../../server/src/service/languageService';
import { builtinTemplate } from '../../../server/src/service/template/builtin';
import { defaultSettings } from '../../../server/src/service/settings';
import { applyEdits } from '../../../server/src/service/edits';
import { LineIndex } from '../../../server/src/service/model/text';
import { TODAY, edit, example, expectAt, lint, lintRule, marked } from '../../support/lint';

// The table of contents against the headings. The example's contents list is in step: there the rule is silent.

const schema = builtinTemplate();
const entry = (n: number, title: string, anchor: string) => `${n}. [${title}](#${anchor})\n`;
const rollbackEntry = entry(8, 'Rollback Procedures', 'section-8-rollback-procedures');
const rollback = example.slice(example.indexOf('## Section 8: Rollback Procedures'), example.indexOf('## Section 9: Troubleshooting Guide'));
const tocList = example.slice(example.indexOf('1. [System Overview]'), example.indexOf('11. [Change Log](#section-11-change-log)\n') + '11. [Change Log](#section-11-change-log)\n'.length);

/** Diagnostics and code actions from one service, as an editor gets them for one version. */
async function actionsOf(text: string, rule: string) {
  const service = new RunbookLanguageService();
  const model = service.getModel({ uri: 'file:///work/runbooks/toc-runbook.md', version: 1, getText: () => text });
  const diagnostics = (await service.diagnostics(model, schema, defaultSettings, TODAY))!.filter((d) => d.code === rule);
  const actions = (await service.codeActions(model, schema, defaultSettings, { diagnostics }, TODAY))!;
  return { diagnostics, actions };
}

function apply(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  return applyEdits(text, edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText })));
}

test('toc is silent on the clean example and on a runbook without a contents list', async () => {
  assert.deepEqual(await lintRule(example, 'toc'), []);
  assert.deepEqual(await lintRule(edit(example, tocList, ''), 'toc'), []);
});

test('toc fires where a present section\'s entry is missing from the list', async () => {
  await expectAt(edit(example, rollbackEntry, '‸'), 'toc', /^Section "Rollback Procedures" is not in the table of contents\.$/);
  // The last entry missing: reported on the line after the list.
  await expectAt(edit(example, '11. [Change Log](#section-11-change-log)\n', '‸'), 'toc', /^Section "Change Log" is not in the table of contents\.$/);
});

test('toc fires at an entry out of the document\'s order, naming where its section is', async () => {
  const swapped = edit(edit(example, rollbackEntry, ''), '1. [System Overview]', '8. «[Rollback Procedures](#section-8-rollback-procedures)»\n1. [System Overview]');
  await expectAt(swapped, 'toc', /^Contents entry "Rollback Procedures" is out of the document's order: the section comes after "Incident Response"\.$/);
});

test('an entry for a section the runbook lacks is one toc finding at the entry, not also a broken link', async () => {
  const doc = edit(edit(example, rollback, ''), rollbackEntry, '8. «[Rollback Procedures](#section-8-rollback-procedures)»\n');
  await expectAt(doc, 'toc', /^Contents entry "Rollback Procedures" names section "Rollback Procedures", which this runbook does not have: add the section or remove the entry\.$/);
  const text = marked(doc).text;
  assert.deepEqual(await lintRule(text, 'broken-link'), []);
  assert.equal((await lintRule(text, 'missing-section')).length, 1);
  // With toc off the link is still reported, by broken-link.
  assert.equal((await lintRule(text, 'broken-link', { settings: { rules: { toc: 'off' } } })).length, 1);
});

test('an entry whose anchor is broken still counts for its section by its text: broken-link alone reports it', async () => {
  const doc = edit(example, '(#section-8-rollback-procedures)', '(#section-8-rollback)');
  assert.deepEqual(await lintRule(doc, 'toc'), []);
  assert.equal((await lintRule(doc, 'broken-link')).length, 1);
});

test('a section of the document\'s own after the contents belongs in the list; one the list names before it stays', async () => {
  const extra = edit(example, '## Appendix', '## Glossary\n\nTerms.\n\n## Appendix');
  const { text, ranges } = marked(edit(extra, '11. [Change Log](#section-11-change-log)\n', '11. [Change Log](#section-11-change-log)\n‸'));
  assert.deepEqual((await lintRule(text, 'toc')).map((d) => [d.range, d.message]), [[ranges[0], 'Section "Glossary" is not in the table of contents.']]);
  const named = edit(example, '1. [System Overview]', '0. [Document Information](#document-information)\n1. [System Overview]');
  assert.deepEqual(await lintRule(named, 'toc'), []);
});

test('the quick fix is the Update Table of Contents edit: the list is in step after it and nothing else changed', async () => {
  const access = entry(3, 'Access and Credentials', 'section-3-access-and-credentials');
  const deployment = entry(4, 'Deployment Procedures', 'section-4-deployment-procedures');
  const changeLog = entry(11, 'Change Log', 'section-11-change-log');
  // Rollback Procedures gone from the document but not from the list, 3 and 4 swapped, Change Log not listed.
  const broken = edit(edit(edit(example, rollback, ''), access + deployment, deployment + access), changeLog, '');
  const { diagnostics, actions } = await actionsOf(broken, 'toc');
  assert.deepEqual(diagnostics.map((d) => d.message.replace(/:.*/, '')), ['Contents entry "Deployment Procedures" is out of the document\'s order', 'Contents entry "Rollback Procedures" names section "Rollback Procedures", which this runbook does not have', 'Section "Change Log" is not in the table of contents.']);
  const fixes = actions.filter((a) => a.title === 'Update the table of contents from the headings');
  assert.equal(fixes.length, 3);
  const edits = Object.values(fixes[0].edit!.changes!)[0];
  const after = apply(broken, edits);
  const renumbered = tocList.replace(rollbackEntry, '').replace(/^(\d+)\. \[(Troubleshooting|Contact|Change)/gm, (m, n, w) => `${n - 1}. [${w}`);
  assert.equal(after, edit(broken, broken.slice(broken.indexOf('1. [System Overview]'), broken.indexOf('10. [Contact Information](#section-10-contact-information)\n') + '10. [Contact Information](#section-10-contact-information)\n'.length), renumbered));
  const service = new RunbookLanguageService();
  const model = service.getModel({ uri: 'file:///work/runbooks/toc-runbook.md', version: 1, getText: () => broken });
  assert.deepEqual(edits, service.updateToc(model, schema).map((e) => ({ range: model.lines.range(e.start, e.end), newText: e.newText })));
  assert.deepEqual(await lintRule(after, 'toc'), []);
  assert.deepEqual(await lintRule(after, 'broken-link'), []);
});

test('no quick fix when rebuilding the list would lose what the person wrote: notes, sub-entries, entries for subsections', async () => {
  const missing = edit(example, rollbackEntry, '');
  for (const doc of [
    edit(missing, '1. [System Overview](#section-1-system-overview)\n', '1. [System Overview](#section-1-system-overview): what it does\n'),
    edit(missing, '1. [System Overview](#section-1-system-overview)\n', '1. [System Overview](#section-1-system-overview)\n   - [Purpose](#11-purpose)\n'),
    edit(missing, '11. [Change Log](#section-11-change-log)\n', '11. [Change Log](#section-11-change-log)\n12. [Purpose](#11-purpose)\n'),
  ]) {
    const { diagnostics, actions } = await actionsOf(doc, 'toc');
    assert.equal(diagnostics.length, 1, doc.slice(0, 1200));
    assert.deepEqual(actions.map((a) => a.title), ['Disable toc for this line']);
  }
});

test('Update Table of Contents keeps a bulleted list bulleted', async () => {
  const bulleted = example.replace(/^\d+\. (\[[^\]]+\]\(#section-)/gm, '- $1');
  const without = edit(bulleted, '- [Rollback Procedures](#section-8-rollback-procedures)\n', '');
  const { actions } = await actionsOf(without, 'toc');
  const fix = actions.find((a) => a.title.startsWith('Update'))!;
  assert.equal(apply(without, Object.values(fix.edit!.changes!)[0]), bulleted);
});

test('toc reports at the list with CRLF line breaks too', async () => {
  const doc = edit(example, rollbackEntry, '‸').replace(/\n/g, '\r\n');
  const found = await expectAt(doc, 'toc');
  assert.equal(found.length, 1);
  const all = await lint(marked(doc).text);
  assert.ok(!all.some((d: Diagnostic) => d.code === 'broken-link'));
});
