import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunbookLanguageService } from '../../server/src/service/languageService';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { buildModel } from '../../server/src/service/model/document';
import { ChunkParser } from '../../server/src/service/model/parse';
import { matchTemplate } from '../../server/src/service/match';
import { completions } from '../../server/src/service/features/completion';
import { TODAY, edit, example, expectAt, fixAll, keepsEveryLine, lint, lintRule, withFix } from '../support/lint';

// Near misses (issue 13, item 1): a heading or field that is close to a missing one of the template is
// that section or field, for every rule and feature; one near-miss finding says so, at the heading.

const schema = builtinTemplate();
const count = (text: string, line: RegExp) => text.split(/\r?\n/).filter((l) => line.test(l)).length;
const codes = async (text: string) => [...new Set((await lint(text)).map((d) => d.code))].sort();

test('a typo in a section heading is that section: one near-miss at the heading, no missing section or subsection', async () => {
  const doc = edit(example, '## Section 7: Incident Response', '## «Section 7: Incident Reponse»');
  const [d] = await expectAt(doc, 'near-miss', /^Heading "Section 7: Incident Reponse" looks like the template section "Incident Response"\.$/);
  assert.equal(d.severity, 2);
  const text = doc.replace(/[«»]/g, '');
  assert.deepEqual(await codes(text), ['broken-link', 'near-miss'], 'the table of contents link to the heading is broken; nothing is missing');
  // The fix corrects the words and keeps the numbering; then the document is clean again.
  const fixed = withFix(text, (await lintRule(text, 'near-miss'))[0]);
  assert.equal(fixed, example);
});

test('the fix keeps the document\'s own numbering: "## 7. Incident Reponse" becomes "## 7. Incident Response"', async () => {
  const numbered = example.replace(/^## Section (\d+): /gm, '## $1. ');
  const doc = edit(numbered, '## 7. Incident Response', '## 7. «Incident Reponse»');
  await expectAt(doc.replace('## 7. «Incident Reponse»', '## «7. Incident Reponse»'), 'near-miss', /looks like the template section "Incident Response"/);
  const text = doc.replace(/[«»]/g, '');
  const [d] = await lintRule(text, 'near-miss');
  assert.match(d.message, /"7\. Incident Reponse"/);
  const fixed = withFix(text, d, /^Change the heading to "## 7\. Incident Response"$/);
  assert.equal(fixed, numbered);
  assert.deepEqual(await lintRule(fixed, 'near-miss'), []);
});

test('fix-all inserts nothing for a misspelt section: its subsections stay its own, no second copy from the template', async () => {
  const doc = edit(example, '## Section 7: Incident Response', '## 7. Incident Reponse');
  const fixed = await fixAll(doc);
  assert.equal(count(fixed, /Incident Respon/), count(doc, /Incident Respon/));
  assert.equal(fixed, doc, 'nothing else to fix in the example');
});

test('a section written a level too deep, with its subsections: one finding; the fix moves them all up a level', async () => {
  const rollback = example.slice(example.indexOf('## Section 8: Rollback Procedures'), example.indexOf('## Section 9'));
  const deeper = rollback.replace(/^(#{2,5}) /gm, '#$1 ');
  const doc = edit(example, rollback, deeper.replace('### Section 8: Rollback Procedures', '### «Section 8: Rollback Procedures»'));
  await expectAt(doc, 'near-miss', /^Heading "Section 8: Rollback Procedures" is the template section "Rollback Procedures" at level 3 \(###\); the template has it at level 2 \(##\)\.$/);
  const text = doc.replace(/[«»]/g, '');
  assert.deepEqual(await codes(text), ['near-miss'], 'no missing section, no missing subsection, no section-order finding');
  const [d] = await lintRule(text, 'near-miss');
  const fixed = withFix(text, d, /^Change the heading to "## Section 8: Rollback Procedures" and the headings below it$/);
  assert.equal(fixed, example);
  assert.equal(await fixAll(text), text, 'fix-all leaves the heading alone and inserts no second Rollback Procedures');
});

test('a section a level too deep whose subsections are already at their level: the fix changes the heading only', async () => {
  const doc = edit(example, '## Section 8: Rollback Procedures', '### «Section 8: Rollback Procedures»');
  await expectAt(doc, 'near-miss', /at level 3 \(###\); the template has it at level 2/);
  const text = doc.replace(/[«»]/g, '');
  assert.deepEqual(await codes(text), ['near-miss']);
  assert.equal(withFix(text, (await lintRule(text, 'near-miss'))[0], /^Change the heading to "## Section 8: Rollback Procedures"$/), example);
});

test('a subsection misspelt, and a subsection written under its sibling: near misses, not missing subsections', async () => {
  const typo = edit(example, '### 8.5 Rollback Verification', '### «8.5 Rollback Verificaton»');
  await expectAt(typo, 'near-miss', /^Heading "8\.5 Rollback Verificaton" looks like the template subsection "Rollback Verification" of "Rollback Procedures"\.$/);
  assert.deepEqual(await lintRule(typo.replace(/[«»]/g, ''), 'missing-subsection'), []);
  assert.equal(withFix(typo.replace(/[«»]/g, ''), (await lintRule(typo.replace(/[«»]/g, ''), 'near-miss'))[0]), example);

  const under = edit(example, '### 8.5 Rollback Verification', '#### «8.5 Rollback Verification»');
  await expectAt(under, 'near-miss', /is the template subsection "Rollback Verification" of "Rollback Procedures" at level 4 \(####\); the template has it at level 3/);
  const text = under.replace(/[«»]/g, '');
  assert.deepEqual(await codes(text), ['near-miss']);
  assert.equal(withFix(text, (await lintRule(text, 'near-miss'))[0]), example);
});

test('a misspelt field of a key/value table is that field: no missing-field, and the fix writes the name as the template does', async () => {
  const doc = edit(example, '| **Owner** |', '| «**Ownr**» |');
  await expectAt(doc, 'near-miss', /^Field "Ownr" looks like the template field "Owner" of the "Document Information" table\.$/);
  const text = doc.replace(/[«»]/g, '');
  assert.deepEqual(await lintRule(text, 'missing-field'), []);
  assert.equal(await fixAll(text), text, 'fix-all adds no second Owner row');
  assert.equal(withFix(text, (await lintRule(text, 'near-miss'))[0]), example);
});

test('silent on headings of the document\'s own and on names that are not close: those are not the template\'s', async () => {
  const extra = edit(example, '## Section 9: Troubleshooting Guide', '## Section 12: Capacity Planning\n\nPeaks come with the Black Friday sales.\n\n## Section 9: Troubleshooting Guide');
  assert.deepEqual(await lintRule(extra, 'near-miss'), []);
  // "Deployment Notes" shares a word with "Deployment Procedures", nothing more: the section is missing.
  const deployment = example.slice(example.indexOf('## Section 4: Deployment Procedures'), example.indexOf('## Section 5'));
  const other = edit(example, deployment, '## Deployment Notes\n\nDeploys go through Argo CD.\n\n');
  assert.deepEqual(await lintRule(other, 'near-miss'), []);
  assert.equal((await lintRule(other, 'missing-section')).length, 1);
});

test('summary, symbols, completion and hover see the misspelt section as the template section', async () => {
  const doc = edit(example, '## Section 7: Incident Response', '## 7. Incident Reponse');
  const service = new RunbookLanguageService();
  const model = service.getModel({ uri: 'file:///r/runbooks/payments.md', version: 1, getText: () => doc });
  const summary = service.summary(model, schema, [], TODAY);
  assert.deepEqual(summary.sections, { present: 14, expected: 14 });
  assert.ok(summary.outline.some((s) => s.present && s.title === 'Incident Response' && s.heading === '7. Incident Reponse'));
  const symbol = service.documentSymbols(model, schema)[0].children!.find((s) => s.name === '7. Incident Reponse')!;
  assert.equal(symbol.detail, 'template: Section 7: Incident Response');
  const at = doc.indexOf('## 7. Incident Reponse');
  const hover = service.hover(model, schema, model.lines.positionAt(at + 5));
  assert.match(JSON.stringify(hover?.contents), /template section \*Section 7: Incident Response\*/);
  // Typing a new top-level heading offers the missing sections only: Incident Response is not one.
  const typed = edit(doc, '## Section 8: Rollback Procedures', '## \n\n## Section 8: Rollback Procedures');
  const typedModel = buildModel('file:///r/runbooks/payments.md', 2, typed, new ChunkParser());
  const list = completions(typedModel, schema, matchTemplate(typedModel, schema), typedModel.lines.positionAt(typed.indexOf('## \n') + 3), TODAY);
  assert.ok(!list?.items.some((i) => i.label === 'Incident Response'), JSON.stringify(list?.items.map((i) => i.label)));
});

test('every line but the heading is kept by the near-miss fix of a heading at the wrong level with subsections', async () => {
  const doc = edit(example, '## Section 8: Rollback Procedures', '#### Section 8: Rollback Procedures');
  const [d] = await lintRule(doc, 'near-miss');
  const fixed = withFix(doc, d);
  assert.ok(keepsEveryLine(doc.replace('#### Section 8: Rollback Procedures\n', ''), fixed));
  assert.deepEqual(await lintRule(fixed, 'near-miss'), []);
});
