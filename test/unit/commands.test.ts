import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RunbookLanguageService } from '../../server/src/service/languageService';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { applyEdits } from '../../server/src/service/edits';
import { TODAY, edit, example, lint } from '../support/lint';

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

test('New Runbook from Template fills in the system name', async () => {
  const { service } = modelOf('');
  const text = service.newRunbook(schema, 'Ledger Service');
  assert.match(text, /^# System Runbook: Ledger Service$/m);
  assert.match(text, /^\| \*\*System Name\*\* \| Ledger Service \|$/m);
  assert.ok(!(await lint(text)).some((d) => d.code === 'missing-section'));
});
