import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RunbookLanguageService } from '../../server/src/service/languageService';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { applyEdits } from '../../server/src/service/edits';
import { TODAY, edit, example, lint } from '../support/lint';
import { TextDocument } from 'vscode-languageserver-textdocument';

const schema = builtinTemplate();
const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');

function modelOf(text: string) {
  const service = new RunbookLanguageService();
  return { service, model: service.getModel({ uri: 'file:///work/runbooks/cmd-runbook.md', version: 1, getText: () => text }) };
}

test('Insert All Missing Sections adds every missing section and subsection in template order', async () => {
  const { service, model } = modelOf(draft);
  const result = applyEdits(draft, await service.insertMissingSections(model, schema, TODAY));
  const codes = new Set((await lint(result)).map((d) => d.code));
  assert.ok(!codes.has('missing-section') && !codes.has('missing-subsection') && !codes.has('section-order'));
  for (const line of draft.split('\n')) assert.ok(result.includes(line));
});

test('Update Table of Contents rebuilds the list from the headings with GitHub anchors', () => {
  const renamed = edit(example, '## Section 8: Rollback Procedures', '## Section 8: Rolling Back');
  const { service, model } = modelOf(renamed);
  const result = applyEdits(renamed, service.updateToc(model, schema));
  assert.match(result, /^8\. \[Rolling Back\]\(#section-8-rolling-back\)$/m);
  assert.match(result, /^1\. \[System Overview\]\(#section-1-system-overview\)$/m);
  assert.ok(!/\(#document-information\)|\(#appendix\)/.test(result), 'the template lists neither Document Information nor the Appendix');
  const again = modelOf(result);
  assert.deepEqual(again.service.updateToc(again.model, schema), []);
});

test('Update Table of Contents on an up-to-date runbook changes nothing', () => {
  const { service, model } = modelOf(example);
  assert.deepEqual(service.updateToc(model, schema), []);
});

test('Mark as Reviewed sets Last Updated, Next Review from the frequency, and adds a change log row', () => {
  const { service, model } = modelOf(example);
  const result = applyEdits(example, service.markReviewed(model, schema, TODAY).edits);
  assert.match(result, /\| \*\*Last Updated\*\* \| 2026-11-27 \|/);
  assert.match(result, /\| \*\*Next Review\*\* \| 2027-02-27 \|/);
  assert.match(result, /\| 2\.4 \| 2026-11-20 \| Priya Raman \| Quarterly review[^\n]*\n\| 2\.4 \| 2026-11-27 \| Priya Raman \(Engineering Manager, Payments\) \| Reviewed; no changes needed \|\n/);
});

test('Mark as Reviewed follows a Monthly frequency', () => {
  const monthly = edit(example, '| **Review Frequency** | Quarterly |', '| **Review Frequency** | Monthly |');
  const { service, model } = modelOf(monthly);
  assert.match(applyEdits(monthly, service.markReviewed(model, schema, TODAY).edits), /\| \*\*Next Review\*\* \| 2026-12-27 \|/);
});

test('Insert All Missing Sections, applied as an editor applies its edits (in array order), puts each part at its place; a second run changes nothing', async () => {
  const { service, model } = modelOf(draft);
  const edits = await service.insertMissingSections(model, schema, TODAY);
  const doc = TextDocument.create(model.uri, 'markdown', 1, draft);
  const result = TextDocument.applyEdits(doc, edits.map((e) => ({ range: model.lines.range(e.start, e.end), newText: e.newText })));
  const headings = result.split('\n').flatMap((l, i) => (/^#{2,3} /.test(l) ? [[i, l] as const] : []));
  const lineOf = (h: string) => headings.find(([, l]) => l === h)?.[0] ?? -1;
  // The draft ends in section 5: its missing 5.4 goes after 5.3, before the sections 6 to 11 and the Appendix.
  assert.deepEqual(headings.filter(([, l]) => /^## |^### 5\./.test(l)).map(([, l]) => l), [
    '## Document Information', '## Table of Contents', '## Section 1: System Overview', '## Section 2: Architecture', '## Section 3: Access and Credentials', '## Section 4: Deployment Procedures', '## Section 5: Monitoring and Alerts',
    '### 5.1 Monitoring Dashboards', '### 5.2 Key Metrics', '### 5.3 Alert Configuration', '### 5.4 Log Locations',
    '## Section 6: Routine Operations', '## Section 7: Incident Response', '## Section 8: Rollback Procedures', '## Section 9: Troubleshooting Guide', '## Section 10: Contact Information', '## Section 11: Change Log', '## Appendix',
  ]);
  assert.ok(lineOf('### 5.4 Log Locations') > lineOf('### 5.3 Alert Configuration') && lineOf('### 5.4 Log Locations') < lineOf('## Section 6: Routine Operations'));
  for (const line of draft.split('\n')) assert.ok(result.includes(line));
  const again = new RunbookLanguageService().getModel({ uri: model.uri, version: 2, getText: () => result });
  assert.deepEqual(await service.insertMissingSections(again, schema, TODAY), []);
});

test('New Runbook from Template fills in what it knows: name, Last Updated today, Next Review from the Review Frequency, Version, the first history row', async () => {
  const { service } = modelOf('');
  const text = service.newRunbook(schema, 'Ledger Service', '2026-11-27');
  assert.match(text, /^\| \*\*Last Updated\*\* \| 2026-11-27 \|$/m);
  // The template's Review Frequency is Quarterly: three months on.
  assert.match(text, /^\| \*\*Next Review\*\* \| 2027-02-27 \|$/m);
  assert.match(text, /^\| \*\*Version\*\* \| 1\.0 \|$/m);
  assert.match(text, /^\| 1\.0 \| 2026-11-27 \| \[NAME\] \| Initial document \|$/m);
  assert.match(text, /^\*Next Review: 2027-02-27\*$/m);
  // Dates in examples and message templates stay for the person to fill.
  assert.match(text, /^Date: \[DATE\]$/m);
  assert.equal(text.split('\n').length, schema.text.split('\n').length, 'no line added or lost');
  const codes = (await lint(text)).map((d) => d.code);
  assert.ok(!codes.includes('review-overdue') && !codes.includes('invalid-date') && !codes.includes('date-order'), codes.join(' '));
});

test('New Runbook from Template fills in the system name', async () => {
  const { service } = modelOf('');
  const text = service.newRunbook(schema, 'Ledger Service');
  assert.match(text, /^# System Runbook: Ledger Service$/m);
  assert.match(text, /^\| \*\*System Name\*\* \| Ledger Service \|$/m);
  assert.ok(!(await lint(text)).some((d) => d.code === 'missing-section'));
});
