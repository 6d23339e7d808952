import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { edit, example, expectAt, fixAll, lint, lintRule, marked } from '../support/lint';

// Each rule: the clean example is where it stays silent; one edit of it is where it fires, at the
// marked place. Markers: «...» an expected range, ‸ an expected insertion point.

test('the clean example runbook gets no diagnostic at all', async () => {
  assert.deepEqual(
    (await lint(example)).map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`),
    [],
  );
});

const rollback = example.slice(example.indexOf('## Section 8: Rollback Procedures'), example.indexOf('## Section 9: Troubleshooting Guide'));

test('missing-section fires on the heading of the section it goes after, saying where the fix inserts it', async () => {
  const doc = edit(edit(example, rollback, ''), '## Section 7: Incident Response', '## «Section 7: Incident Response»');
  const [d] = await expectAt(doc, 'missing-section', /^Missing section "Rollback Procedures" \(template: "Section 8: Rollback Procedures"\); the fix inserts it after section "Incident Response"\.$/);
  assert.equal(d.severity, 1);
  // The last section goes after the one before it: on that heading, not on the empty line after the end.
  const appendix = example.slice(example.indexOf('## Appendix'));
  await expectAt(edit(edit(example, appendix, ''), '## Section 11: Change Log', '## «Section 11: Change Log»'), 'missing-section', /the fix inserts it after section "Change Log"/);
  // The first section goes before every present one: on the title.
  const info = example.slice(example.indexOf('## Document Information'), example.indexOf('## Table of Contents'));
  const title = example.slice(2, example.indexOf('\n'));
  await expectAt(edit(edit(example, info, ''), `# ${title}`, `# «${title}»`), 'missing-section', /"Document Information".*the fix inserts it before section "Table of Contents"/);
  // The fix still inserts the section at its place, before Section 9.
  const fixed = await fixAll(edit(example, rollback, ''));
  assert.equal(fixed.indexOf('## Section 8: Rollback Procedures') < fixed.indexOf('## Section 9: Troubleshooting Guide'), true);
  assert.equal(fixed.indexOf('## Section 8: Rollback Procedures') > fixed.indexOf('## Section 7: Incident Response'), true);
});

test('missing-section accepts "## 8. Rollback Procedures" and "## rollback procedure" as the section', async () => {
  assert.deepEqual(await lintRule(edit(example, '## Section 8: Rollback Procedures', '## 8. Rollback Procedures'), 'missing-section'), []);
  assert.deepEqual(await lintRule(edit(example, '## Section 8: Rollback Procedures', '## rollback procedure'), 'missing-section'), []);
});

test("missing-subsection fires on its section's heading, saying where the fix inserts it", async () => {
  const verification = example.slice(example.indexOf('### 8.5 Rollback Verification'), example.indexOf('## Section 9'));
  const heading = (doc: string) => edit(doc, '## Section 8: Rollback Procedures', '## «Section 8: Rollback Procedures»');
  await expectAt(heading(edit(example, verification, '')), 'missing-subsection', /^Section "Rollback Procedures" is missing subsection "Rollback Verification" \(template: "8\.5 Rollback Verification"\); the fix inserts it after subsection "Database Rollback"\.$/);
  const matrix = example.slice(example.indexOf('### 8.2 Rollback Decision Matrix'), example.indexOf('### 8.3 Application Rollback'));
  await expectAt(heading(edit(example, matrix, '')), 'missing-subsection', /Rollback Decision Matrix.*after subsection "When to Rollback"/);
});

test('missing-subsection ignores example headings such as #### Issue: and #### Step 1:', async () => {
  const issues = example.replaceAll('#### Issue: ', '#### Problem: ').replace('#### Step 1: ', '#### Prepare: ');
  assert.deepEqual(await lintRule(issues, 'missing-subsection'), []);
});

test('section-order fires on the section that moved, naming where it belongs', async () => {
  const withoutRollback = edit(example, rollback, '');
  const moved = edit(withoutRollback, '## Section 2: Architecture', rollback.replace('## Section 8: Rollback Procedures', '## «Section 8: Rollback Procedures»') + '## Section 2: Architecture');
  await expectAt(moved, 'section-order', /"Rollback Procedures" is out of template order: it belongs after "Incident Response"/);
});

test('duplicate-section fires on the second occurrence', async () => {
  const doc = edit(example, '## Section 9: Troubleshooting Guide', rollback.replace('## Section 8: Rollback Procedures', '## «Section 8: Rollback Procedures»') + '## Section 9: Troubleshooting Guide');
  await expectAt(doc, 'duplicate-section', /already at line 704/);
});

test('missing-field fires on the header row of its table, saying where the fix adds it', async () => {
  const header = (doc: string) => edit(doc, '| Field | Value |', '«| Field | Value |»');
  await expectAt(header(edit(example, '| **Owner** | Priya Raman (Engineering Manager, Payments) |\n', '')), 'missing-field', /^Field "Owner" is missing from the "Document Information" table; the fix adds it after the "Last Updated" row\.$/);
});

test('empty-field fires on an empty field value and an empty cell of a filled row', async () => {
  await expectAt(edit(example, '| **Version** | 2.4 |', '| **Version** | ‸|'), 'empty-field', /Field "Version" in "Document Information" is empty/);
  await expectAt(edit(example, '| 2.0 | 2025-10-15 | Marcus Oyelaran |', '| 2.0 | 2025-10-15 | ‸|'), 'empty-field', /"Author" is empty for "2.0" in table "Document History"/);
});

test('placeholder fires on template placeholders left in text, tables and code', async () => {
  await expectAt(edit(example, '# System Runbook: Payments API', '# System Runbook: «[SYSTEM NAME]»'), 'placeholder');
  await expectAt(edit(example, '| **Last Updated** | 2026-11-20 |', '| **Last Updated** | «[DATE]» |'), 'placeholder', /"Last Updated" still holds the placeholder "\[DATE\]"/);
  const code = edit(example, '# Check service status\n', '# Check service status\n«[status command]»\n');
  await expectAt(code, 'placeholder');
});

test('placeholder stays silent on task lists, links and bracketed text the template does not use', async () => {
  const doc = edit(example, '### 8.1 When to Rollback\n', '### 8.1 When to Rollback\n\nSee [the guide](#section-9-troubleshooting-guide) and [RFC 1234] and arr[0].\n');
  assert.deepEqual(await lintRule(doc, 'placeholder'), []);
});

test('table-columns fires at the end of the header that lacks a template column', async () => {
  const doc = edit(edit(example, '| Metric | Normal Range | Warning | Critical |\n|--------|--------------|---------|----------|', '| Metric | Normal Range | Warning |‸\n|--------|--------------|---------|'), '| Response Time (p95, excluding Meridian) | <150ms | >400ms | >1500ms |', '| Response Time (p95, excluding Meridian) | <150ms | >400ms |');
  await expectAt(doc, 'table-columns', /Table "Key Metrics" is missing the template's column "Critical"/);
});

test('table-shape fires on a ragged row, whatever the table', async () => {
  await expectAt(edit(example, '| Error Rate (HTTP 5xx) | <0.1% | >1% | >5% |', '«| Error Rate (HTTP 5xx) | <0.1% | >1% |»'), 'table-shape', /Row has 3 cells but the header of table "Key Metrics" has 4/);
  await expectAt(edit(example, '### 8.1 When to Rollback\n', '### 8.1 When to Rollback\n\n| a | b |\n|---|---|\n«| 1 | 2 | 3 |»\n'), 'table-shape');
});

test('broken-link fires on the anchor of a link to no heading, suggesting the closest one', async () => {
  await expectAt(edit(example, '(#section-8-rollback-procedures)', '(«#section-8-rollback»)'), 'broken-link', /"#section-8-rollback" matches no heading.*did you mean "#section-8-rollback-procedures"/);
});

test('broken-link accepts GitHub anchors of duplicated headings and explicit HTML anchors', async () => {
  const doc = edit(example, '### 8.1 When to Rollback\n', '### 8.1 When to Rollback\n\n<a name="custom-anchor"></a>\nSee [x](#custom-anchor) and [y](#81-when-to-rollback).\n');
  assert.deepEqual(await lintRule(doc, 'broken-link'), []);
});

test('invalid-date fires on a date that is not YYYY-MM-DD and says what it found', async () => {
  await expectAt(edit(example, '| **Last Updated** | 2026-11-20 |', '| **Last Updated** | «20/11/2026» |'), 'invalid-date', /"Last Updated" should be a date as YYYY-MM-DD; found "20\/11\/2026"/);
  await expectAt(edit(example, '| 2.0 | 2025-10-15 |', '| 2.0 | «2025-02-30» |'), 'invalid-date');
});

test('review-overdue fires when Next Review is in the past, and not on a future date', async () => {
  const reviewedInMarch = edit(example, '| **Last Updated** | 2026-11-20 |', '| **Last Updated** | 2026-03-01 |');
  await expectAt(edit(reviewedInMarch, '| **Next Review** | 2027-02-20 |', '| **Next Review** | «2026-06-01» |'), 'review-overdue', /was 2026-06-01 \(today is 2026-11-27\)/);
  assert.deepEqual(await lintRule(edit(example, '| **Next Review** | 2027-02-20 |', '| **Next Review** | 2026-11-27 |'), 'review-overdue'), []);
});

test('invalid-value fires on a value outside the template vocabulary, case aside', async () => {
  await expectAt(edit(example, '| Meridian Payments | Card authorization, capture, refunds and settlement files | High |', '| Meridian Payments | Card authorization, capture, refunds and settlement files | «Urgent» |'), 'invalid-value', /"Criticality" is "Urgent"; the template allows High, Medium, Low/);
  await expectAt(edit(example, '| **Classification** | Confidential |', '| **Classification** | «Secret» |'), 'invalid-value', /Internal, Confidential/);
  assert.deepEqual(await lintRule(edit(example, '| **Classification** | Confidential |', '| **Classification** | internal |'), 'invalid-value'), []);
});

test('empty-section fires on a section holding only the template guidance', async () => {
  const dataFlow = example.slice(example.indexOf('### 2.3 Data Flow'), example.indexOf('### 2.4 Network Configuration'));
  const doc = edit(example, dataFlow, '### «2.3 Data Flow»\n\n[Describe how data moves through the system]\n\n---\n\n');
  const [d] = await expectAt(doc, 'empty-section', /Subsection "Data Flow" is unfilled/);
  assert.equal(d.severity, 2);
  // Its placeholder waits until the person starts filling the subsection; then it shows.
  const codes = async (text: string) => (await lint(text)).filter((x) => x.range.start.line === d.range.start.line + 2 || x.range.start.line === d.range.start.line).map((x) => x.code);
  const text = marked(doc).text;
  assert.deepEqual(await codes(text), ['empty-section']);
  const started = edit(text, '[Describe how data moves through the system]', '[Describe how data moves through the system] Orders flow to the queue.');
  assert.deepEqual(await codes(started), ['placeholder']);
});

test('every diagnostic carries its rule id, source and a link to the rule in the README', async () => {
  const doc = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
  const diagnostics = await lint(doc);
  assert.ok(diagnostics.length > 10);
  for (const d of diagnostics) {
    assert.equal(d.source, 'runbook');
    assert.equal(d.codeDescription?.href.endsWith(`README.md#${d.code}`), true);
  }
});

test('rule severities follow the settings; off silences a rule', async () => {
  const doc = edit(example, rollback, '');
  assert.equal((await lintRule(doc, 'missing-section', { settings: { rules: { 'missing-section': 'warning' } } }))[0].severity, 2);
  assert.deepEqual(await lintRule(doc, 'missing-section', { settings: { rules: { 'missing-section': 'off' } } }), []);
});

test('suppression comments silence the next line, a block, or the file; unknown ids are reported', async () => {
  const bad = '| **Classification** | Secret |';
  const base = edit(example, '| **Classification** | Confidential |', bad);
  assert.equal((await lintRule(base, 'invalid-value')).length, 1);
  const block = edit(base, '## Document Information\n', '## Document Information\n\n<!-- runbook-disable invalid-value -- legacy label kept for audit -->\n');
  assert.deepEqual(await lintRule(block, 'invalid-value'), []);
  const file = edit(base, '# System Runbook: Payments API\n', '# System Runbook: Payments API\n<!-- runbook-disable-file invalid-value -->\n');
  assert.deepEqual(await lintRule(file, 'invalid-value'), []);
  const next = edit(example, '(#section-8-rollback-procedures)', '(#nowhere)');
  const nextOff = edit(next, '8. [Rollback', '<!-- runbook-disable-next-line broken-link -->\n8. [Rollback');
  assert.equal((await lintRule(next, 'broken-link')).length, 1);
  assert.deepEqual(await lintRule(nextOff, 'broken-link'), []);
  await expectAt(edit(example, '## Document Information\n', '## Document Information\n<!-- runbook-disable «no-such-rule» -->\n'), 'suppression', /Unknown rule "no-such-rule"/);
});

test('on the bundled draft every missing section, subsection and field is reported on a line with text, at the heading or header row named', async () => {
  const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
  const lines = draft.split('\n');
  const missing = (await lint(draft)).filter((d) => /^missing-(section|subsection|field)$/.test(String(d.code)));
  assert.ok(missing.length >= 10, `${missing.length} missing parts`);
  const places = missing.map((d) => {
    const line = lines[d.range.start.line];
    assert.equal(d.range.start.line, d.range.end.line, d.message);
    assert.ok(d.range.end.character > d.range.start.character, `an empty range: ${d.message}`);
    assert.ok(line.trim() !== '', `on an empty line: ${d.message}`);
    return { code: d.code, line, next: lines[d.range.start.line + 1] ?? '', message: d.message };
  });
  // A missing section is on the heading of the section it goes after, which its message names.
  for (const p of places.filter((p) => p.code === 'missing-section')) {
    const after = /the fix inserts it after section "([^"]+)"/.exec(p.message)?.[1];
    assert.ok(after && p.line.startsWith('## ') && p.line.includes(after), `${p.message} on "${p.line}"`);
  }
  // A missing subsection on its section's heading; a missing field on the header row of its table.
  for (const p of places.filter((p) => p.code === 'missing-subsection')) {
    const section = /^Section "([^"]+)"/.exec(p.message)![1];
    assert.ok(p.line.startsWith('## ') && p.line.includes(section), `${p.message} on "${p.line}"`);
  }
  for (const p of places.filter((p) => p.code === 'missing-field')) assert.ok(p.line.startsWith('|') && /^\|[-:| ]+\|$/.test(p.next.trim()), `${p.message} on "${p.line}"`);
});
