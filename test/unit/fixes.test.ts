import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { RunbookLanguageService } from '../../server/src/service/languageService';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { defaultSettings } from '../../server/src/service/settings';
import { applyEdits } from '../../server/src/service/edits';
import { LineIndex } from '../../server/src/service/model/text';
import { TODAY, edit, example, lint, lintRule } from '../support/lint';

const schema = builtinTemplate();

function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  return applyEdits(text, edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText })));
}

/** True when every line of `before` is still in `after`, in order. */
function keepsEveryLine(before: string, after: string): boolean {
  const b = before.split(/\r?\n/);
  const a = after.split(/\r?\n/);
  let j = 0;
  for (const line of b) {
    while (j < a.length && a[j] !== line) j++;
    if (j === a.length) return false;
    j++;
  }
  return true;
}

/** True when `before` is a subsequence of `after`: the edits only inserted text. */
function onlyInserted(before: string, after: string): boolean {
  let j = 0;
  for (let i = 0; i < before.length; i++) {
    j = after.indexOf(before[i], j);
    if (j < 0) return false;
    j++;
  }
  return true;
}

async function actionsFor(text: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  const service = new RunbookLanguageService();
  const model = service.getModel({ uri: 'file:///work/runbooks/test-runbook.md', version: 1, getText: () => text });
  const fresh = (await service.diagnostics(model, schema, defaultSettings, TODAY))!;
  const same = fresh.find((d) => d.code === diagnostic.code && d.range.start.line === diagnostic.range.start.line)!;
  return (await service.codeActions(model, schema, defaultSettings, { diagnostics: [same] }, TODAY))!;
}

/** Applies the quick fix titled like `title` for the first `rule` diagnostic, then re-checks. */
async function applyFix(text: string, rule: string, title: RegExp): Promise<{ fixed: string; before: Diagnostic; after: Diagnostic[] }> {
  const before = (await lint(text)).find((d) => d.code === rule);
  assert.ok(before, `no ${rule} diagnostic to fix`);
  const actions = await actionsFor(text, before);
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `no action like ${title} among ${actions.map((a) => a.title).join(' | ')}`);
  const fixed = applyTextEdits(text, Object.values(action.edit!.changes!)[0]);
  return { fixed, before, after: (await lint(fixed)).filter((d) => d.code === rule) };
}

const rollback = example.slice(example.indexOf('## Section 8: Rollback Procedures'), example.indexOf('## Section 9: Troubleshooting Guide'));

test('missing-section: inserting the skeleton removes the diagnostic and keeps every line', async () => {
  const doc = edit(example, rollback, '');
  const { fixed, after } = await applyFix(doc, 'missing-section', /^Insert section "Rollback Procedures"/);
  assert.deepEqual(after, []);
  assert.ok(keepsEveryLine(doc, fixed));
  assert.ok(fixed.indexOf('## Section 8: Rollback Procedures') > fixed.indexOf('## Section 7: Incident Response'));
  assert.ok(fixed.indexOf('## Section 8: Rollback Procedures') < fixed.indexOf('## Section 9: Troubleshooting Guide'));
  assert.deepEqual((await lint(fixed)).filter((d) => d.code === 'section-order'), []);
});

test('missing-subsection: the subsection lands inside its section', async () => {
  const verification = example.slice(example.indexOf('### 8.5 Rollback Verification'), example.indexOf('## Section 9'));
  const doc = edit(example, verification, '');
  const { fixed, after } = await applyFix(doc, 'missing-subsection', /^Insert subsection "Rollback Verification"/);
  assert.deepEqual(after, []);
  assert.ok(keepsEveryLine(doc, fixed));
  const at = fixed.indexOf('### 8.5 Rollback Verification');
  assert.ok(at > fixed.indexOf('### 8.4 Database Rollback') && at < fixed.indexOf('## Section 9'));
});

test('missing-field: the row is added to the table in template order', async () => {
  const doc = edit(example, '| **Owner** | Priya Raman (Engineering Manager, Payments) |\n', '');
  const { fixed, after } = await applyFix(doc, 'missing-field', /^Add the "Owner" row/);
  assert.deepEqual(after, []);
  assert.ok(keepsEveryLine(doc, fixed));
  assert.match(fixed, /\| \*\*Last Updated\*\* \| 2026-11-20 \|\n\| \*\*Owner\*\* \| \[Name\/Role\] \|\n\| \*\*Classification\*\*/);
});

test('table-columns: the column is added to the header, the delimiter and every row', async () => {
  const doc = example
    .replace('| Metric | Normal Range | Warning | Critical |\n|--------|--------------|---------|----------|', '| Metric | Normal Range | Warning |\n|--------|--------------|---------|')
    .replace(/^(\| [^|\n]+\| [^|\n]+\| [^|\n]+\|) [^|\n]+\|$/gm, (line, first: string) => (example.indexOf(line) > example.indexOf('### 5.2') && example.indexOf(line) < example.indexOf('### 5.3') ? first : line));
  const { fixed, after } = await applyFix(doc, 'table-columns', /^Add column "Critical"/);
  assert.deepEqual(after, []);
  assert.ok(keepsEveryLine(doc.split('\n').filter((l) => !l.startsWith('|')).join('\n'), fixed));
  assert.deepEqual((await lint(fixed)).filter((d) => d.code === 'table-shape'), []);
});

test('table-shape: a short row gets its missing empty cells', async () => {
  const doc = edit(example, '| Error Rate (HTTP 5xx) | <0.1% | >1% | >5% |', '| Error Rate (HTTP 5xx) | <0.1% | >1% |');
  const { fixed, after } = await applyFix(doc, 'table-shape', /^Add 1 empty cell/);
  assert.deepEqual(after, []);
  assert.match(fixed, /\| Error Rate \(HTTP 5xx\) \| <0\.1% \| >1% \|  \|/);
});

test('placeholder in a date field: replaced with today', async () => {
  const doc = edit(example, '| **Last Updated** | 2026-11-20 |', '| **Last Updated** | [DATE] |');
  const { fixed, after } = await applyFix(doc, 'placeholder', /^Replace "\[DATE\]" with today's date/);
  assert.deepEqual(after, []);
  assert.match(fixed, /\| \*\*Last Updated\*\* \| 2026-11-27 \|/);
});

test('invalid-date: replaced with today', async () => {
  const doc = edit(example, '| **Last Updated** | 2026-11-20 |', '| **Last Updated** | 20 Nov 2026 |');
  const { after } = await applyFix(doc, 'invalid-date', /^Replace with today's date \(2026-11-27\)/);
  assert.deepEqual(after, []);
});

test('review-overdue: Next Review from the frequency (Quarterly = +3 months), Last Updated today', async () => {
  const doc = edit(edit(example, '| **Last Updated** | 2026-11-20 |', '| **Last Updated** | 2026-03-01 |'), '| **Next Review** | 2027-02-20 |', '| **Next Review** | 2026-06-01 |');
  const { fixed, after } = await applyFix(doc, 'review-overdue', /^Mark as reviewed today/);
  assert.deepEqual(after, []);
  assert.match(fixed, /\| \*\*Next Review\*\* \| 2027-02-27 \|/);
  assert.match(fixed, /\| \*\*Last Updated\*\* \| 2026-11-27 \|/);
});

test('broken-link: pointed at the closest heading anchor', async () => {
  const doc = edit(example, '(#section-8-rollback-procedures)', '(#section-8-rollback)');
  const { fixed, after } = await applyFix(doc, 'broken-link', /^Point the link at "#section-8-rollback-procedures"/);
  assert.deepEqual(after, []);
  assert.equal(fixed, example);
});

test('invalid-value: changed to an allowed value', async () => {
  const doc = edit(example, '| **Classification** | Confidential |', '| **Classification** | Secret |');
  const { fixed, after } = await applyFix(doc, 'invalid-value', /^Change to "Confidential"/);
  assert.deepEqual(after, []);
  assert.equal(fixed, example);
});

test('disable for this line: the server honours the inserted comment', async () => {
  const doc = edit(example, '(#section-8-rollback-procedures)', '(#nowhere)');
  const { fixed, after } = await applyFix(doc, 'broken-link', /^Disable broken-link for this line/);
  assert.deepEqual(after, []);
  assert.ok(keepsEveryLine(doc, fixed));
  assert.match(fixed, /<!-- runbook-disable-next-line broken-link -->\n8\. \[Rollback/);
});

test('disable inside a table wraps the table, which stays one table', async () => {
  const doc = edit(example, '| **Classification** | Confidential |', '| **Classification** | Secret |');
  const { fixed, after } = await applyFix(doc, 'invalid-value', /^Disable invalid-value for this table/);
  assert.deepEqual(after, []);
  assert.deepEqual((await lint(fixed)).filter((d) => d.code === 'missing-field'), []);
});

async function fixAll(text: string): Promise<string> {
  const service = new RunbookLanguageService();
  const model = service.getModel({ uri: 'file:///work/runbooks/test-runbook.md', version: 1, getText: () => text });
  return applyEdits(text, await service.fixAll(model, schema, defaultSettings, TODAY));
}

test('the raw template is one unfilled finding per section; fix-all changes nothing in it; once a person writes in a section its placeholders show and fix-all fills its dates', async () => {
  const template = readFileSync(new URL('../../templates/system-runbook.md', import.meta.url), 'utf8');
  // Only the title's placeholder is outside every section.
  const found = await lint(template);
  assert.deepEqual(found.filter((d) => d.code !== 'empty-section').map((d) => [d.code, d.range.start.line]), [['placeholder', 0]]);
  assert.ok(found.filter((d) => d.code === 'empty-section').length >= 12);
  assert.equal(await fixAll(template), template);
  // The owner filled in: Document Information is being filled, its date placeholders are fixed.
  const started = template.replace('| **Owner** | [Name/Role] |', '| **Owner** | Dana (SRE) |');
  assert.ok((await lint(started)).some((d) => d.code === 'placeholder' && d.message.includes('[DATE]')));
  const once = await fixAll(started);
  assert.equal(await fixAll(once), once);
  // Its two dates are filled; the Change Log's row is in an unfilled section and waits.
  assert.ok(keepsEveryLine(started.replace('| **Last Updated** | [DATE] |', '| **Last Updated** | 2026-11-27 |').replace('| **Next Review** | [DATE] |', '| **Next Review** | 2026-11-27 |'), once));
  assert.match(once, /^\| 1\.0 \| \[DATE\] \|/m);
  assert.match(once, /\| \*\*Last Updated\*\* \| 2026-11-27 \|/);
});

test('fix-all on a document with several problems fixes the safe ones only, and twice changes nothing', async () => {
  const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
  const once = await fixAll(draft);
  assert.equal(await fixAll(once), once);
  assert.ok(onlyInserted(draft, once));
  const left = new Set((await lint(once)).map((d) => d.code));
  for (const rule of ['missing-section', 'missing-subsection', 'missing-field', 'table-columns']) assert.ok(!left.has(rule), rule);
  for (const rule of ['invalid-value', 'review-overdue', 'broken-link']) assert.ok(left.has(rule), `${rule} needs a person`);
});

test('fix-all keeps CRLF line endings', async () => {
  const doc = edit(example, rollback, '').replace(/\n/g, '\r\n');
  const once = await fixAll(doc);
  assert.ok(once.includes('## Section 8: Rollback Procedures\r\n'));
  assert.ok(!/[^\r]\n/.test(once));
});

test('mixed line breaks (lone CR, LF): an inserted table keeps its blank line, so the text after it stays out of it', async () => {
  // Found by npm run fuzz (seed 107): the document's first line break is a lone CR, so inserted text
  // ends its lines with CR; before a blank LF line the two read as one CRLF, and the inserted table
  // swallowed the paragraph that followed (whose [DATE] a later pass then replaced).
  const doc = '\r## Document Information\r\n\n| Owner | [DATE] |\nNotes for the ledger.\n';
  const once = await fixAll(doc);
  const lines = once.split(/\r\n|\r|\n/);
  const notes = lines.indexOf('| Owner | [DATE] |');
  assert.ok(notes > 0, 'the original row is kept, [DATE] included');
  assert.equal(lines[notes - 1], '', 'a blank line separates the inserted table from the original text');
  assert.equal(await fixAll(once), once);
});

test('a section inserted after one whose last line has no final line break goes after that line, not before it', async () => {
  const text = '# System Runbook: Ledger\n\n## Document Information\n\nOwned by the ledger team.';
  const d = (await lint(text)).find((x) => x.code === 'missing-section' && x.message.includes('"Table of Contents"'))!;
  const fix = (d.data as { fixes: { edits: TextEdit[] }[] }).fixes[0];
  const fixed = applyTextEdits(text, fix.edits);
  assert.ok(fixed.startsWith(text + '\n\n## Table of Contents\n'), JSON.stringify(fixed.slice(0, 120)));
});

test('a section whose heading line was deleted but whose table is still there: the fix inserts the heading above the table, not the table again', async () => {
  // Found by npm run fuzz (seed 264): without "## Document Information" its table was left under the title,
  // and fix-all inserted the template's section, table and all, writing every field a second time.
  for (const [heading, rule, title] of [
    ['## Document Information\n\n', 'missing-section', 'Insert the heading of section "Document Information" above its table'],
    ['### 1.2 Key Information Summary\n\n', 'missing-subsection', 'Insert the heading of subsection "Key Information Summary" above its table'],
    ['### 1.3 Technology Stack\n\n', 'missing-subsection', 'Insert the heading of subsection "Technology Stack" above its table'],
  ]) {
    const doc = edit(example, heading, '');
    const found = (await lint(doc)).filter((d) => d.code === rule);
    assert.equal(found.length, 1, heading);
    const fix = (found[0].data as { fixes: { title: string; safe: boolean; edits: TextEdit[] }[] }).fixes;
    assert.deepEqual(fix.map((f) => [f.title, f.safe]), [[title, true]]);
    const heading1 = heading.trimEnd();
    assert.equal(applyTextEdits(doc, fix[0].edits), example, `${heading1}: the heading goes back where it was`);
    assert.equal(await fixAll(doc), example, `${heading1}: fix-all writes no table or field twice`);
  }
});

test('the table of a missing section away from its place: its heading goes above it where it can, and the section is never inserted over it', async () => {
  const table = example.slice(example.indexOf('| Field | Value |'), example.indexOf('---\n\n## Table of Contents'));
  const without = edit(example, '## Document Information\n\n' + table, '');
  const fixOf = async (doc: string) => {
    const found = (await lint(doc)).filter((x) => x.code === 'missing-section');
    assert.equal(found.length, 1);
    return (found[0].data as { fixes: { title: string; safe: boolean }[] }).fixes.map((f) => [f.title, f.safe]);
  };
  // At the end of the document, after the appendix: the heading goes above it (section-order then reports the place).
  const atEnd = without + '\n' + table;
  assert.deepEqual(await fixOf(atEnd), [['Insert the heading of section "Document Information" above its table', true]]);
  const fixedEnd = await fixAll(atEnd);
  assert.equal(fixedEnd, without + '\n## Document Information\n\n' + table);
  assert.equal((await lintRule(fixedEnd, 'section-order')).length, 1);
  // Above "1.1 Purpose", where a heading would take the subsections of Section 1: offered, but not safe, so fix-all writes no field twice.
  const above = edit(without, '## Section 1: System Overview\n\n', '## Section 1: System Overview\n\n' + table);
  assert.deepEqual(await fixOf(above), [['Insert section "Document Information" from the template', false]]);
  const fixedAbove = await fixAll(above);
  assert.equal(fixedAbove.split('| **System Name** |').length, 2, 'one System Name row');
  assert.ok(!fixedAbove.includes('## Document Information'));
});

test('fix-all keeps the table of contents in step: each inserted section gets its entry, in document order, written as the list writes entries', async () => {
  const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
  const once = await fixAll(draft);
  assert.deepEqual(await lintRule(once, 'toc'), []);
  const list = (text: string) => text.slice(text.indexOf('## Table of Contents'), text.indexOf('## Section 1:'));
  // The person's entries stay as written (entry 4's anchor is broken-link's business), the new ones follow in order.
  assert.equal(
    list(once),
    list(draft).replace(
      '5. [Monitoring and Alerts](#section-5-monitoring-and-alerts)\n',
      '5. [Monitoring and Alerts](#section-5-monitoring-and-alerts)\n' +
        '6. [Routine Operations](#section-6-routine-operations)\n7. [Incident Response](#section-7-incident-response)\n8. [Rollback Procedures](#section-8-rollback-procedures)\n' +
        '9. [Troubleshooting Guide](#section-9-troubleshooting-guide)\n10. [Contact Information](#section-10-contact-information)\n11. [Change Log](#section-11-change-log)\n',
    ),
  );
  assert.match(once, /\n4\. \[Deployment Procedures\]\(#section-4-deployment\)\n/);
  assert.equal(await fixAll(once), once);
});

test('the entry of an inserted section: between its neighbours, with the list\'s bullet, link text and numbering style', async () => {
  const entries = example.slice(example.indexOf('1. [System Overview]'), example.indexOf('\n\n---\n\n## Section 1:') + 1);
  const without = edit(edit(example, rollback, ''), '8. [Rollback Procedures](#section-8-rollback-procedures)\n', '');
  const cases: [string, string, string][] = [
    // As the template writes it: numbered on from the entry before (the later numbers are the person's and stay).
    [without, '7. [Incident Response](#section-7-incident-response)\n', '8. [Rollback Procedures](#section-8-rollback-procedures)\n'],
    // Bullets, with the heading's whole text as link text.
    [edit(without, entries.replace('8. [Rollback Procedures](#section-8-rollback-procedures)\n', ''), entries.replace('8. [Rollback Procedures](#section-8-rollback-procedures)\n', '').replace(/^\d+\. \[/gm, '- [Section 0: ').replace(/\[Section 0: ([^\]]+)\]\(#section-(\d+)-/g, '[Section $2: $1](#section-$2-')), '- [Section 7: Incident Response](#section-7-incident-response)\n', '- [Section 8: Rollback Procedures](#section-8-rollback-procedures)\n'],
    // Every item numbered 1.
    [edit(without, entries.replace('8. [Rollback Procedures](#section-8-rollback-procedures)\n', ''), entries.replace('8. [Rollback Procedures](#section-8-rollback-procedures)\n', '').replace(/^\d+\. /gm, '1. ')), '1. [Incident Response](#section-7-incident-response)\n', '1. [Rollback Procedures](#section-8-rollback-procedures)\n'],
  ];
  for (const [doc, before, entry] of cases) {
    const fixed = await fixAll(doc);
    assert.ok(fixed.includes(before + entry), `${entry.trim()}: ${JSON.stringify(fixed.slice(fixed.indexOf('## Table of Contents'), fixed.indexOf('## Section 1:')))}`);
    assert.equal(fixed.split(entry).length, 2, 'one entry');
    assert.deepEqual(await lintRule(fixed, 'toc'), []);
    // The quick fix alone adds the entry too.
    const [d] = await lintRule(doc, 'missing-section');
    const { fixed: alone } = await applyFix(doc, 'missing-section', /^Insert section "Rollback Procedures"/);
    assert.ok(d && alone.includes(before + entry));
    assert.deepEqual(await lintRule(alone, 'toc'), []);
  }
});

// Places where an inserted section would take what belongs to another (found by npm run fuzz).
const cut = (text: string, from: string, to: string) => text.slice(0, text.indexOf(from)) + text.slice(text.indexOf(to));
const count = (text: string, line: string) => text.split(`\n${line}\n`).length - 1;

test('a section goes after the subsections the section before it has past a heading at the wrong level', async () => {
  // Seed 585: "### Section 11: Change Log" between "## Section 10" and its subsections; the Appendix went right after
  // it, took 10.1 to 10.4 away from Contact Information, and the next pass inserted them again.
  const doc = edit(cut(example, '## Section 11: Change Log', '*This runbook should be reviewed'), '## Section 10: Contact Information\n', '## Section 10: Contact Information\n### Section 11: Change Log\n');
  const once = await fixAll(doc);
  for (const h of ['### 10.1 Primary Contacts', '### 10.4 Communication Channels', '## Appendix']) assert.equal(count(once, h), 1, h);
  assert.ok(once.indexOf('\n## Appendix\n') > once.indexOf('\n### 10.4 Communication Channels\n'));
  assert.equal(await fixAll(once), once);
});

test('a section goes after what the section before it holds past a stray "#" line', async () => {
  // Seed 1067: an H1 (a shell comment left outside its code block) ends the section in the document's tree, but
  // what follows until the next section is still the section's: here a code block that takes in "8.5 Rollback
  // Verification". The section inserted before the H1 took the block, and the next pass inserted 8.5 again.
  let doc = cut(example, '## Section 9: Troubleshooting Guide', '## Section 10: Contact Information');
  doc = edit(doc, '### 8.5 Rollback Verification', '# Stop the application first\n\n```\n### 8.5 Rollback Verification');
  doc = edit(doc, '\n---\n\n## Section 10: Contact Information', '\n```\n\n---\n\n## Section 10: Contact Information');
  assert.equal((await lintRule(doc, 'unclosed-block')).length, 1);
  const once = await fixAll(doc);
  assert.equal(count(once, '### 8.5 Rollback Verification'), 1);
  assert.ok(once.indexOf('\n## Section 9: Troubleshooting Guide\n') > once.indexOf('\n### 8.5 Rollback Verification\n'));
  assert.ok(once.indexOf('\n## Section 9: Troubleshooting Guide\n') < once.indexOf('\n## Section 10: Contact Information\n'));
  assert.equal(await fixAll(once), once);
});

test('a section written twice: a field in either copy\'s table is there', async () => {
  // Seed 1085: the first copy's table lacked "SSL Certificate", the second had it, and fix-all added it to the first.
  const overview = example.slice(example.indexOf('## Section 1: System Overview'), example.indexOf('## Section 2: Architecture'));
  const doc = edit(example, overview, overview.replace(/\| \*\*SSL Certificate\*\* .*\n/, '') + overview);
  assert.deepEqual(await lintRule(doc, 'missing-field'), []);
  assert.equal((await lintRule(doc, 'duplicate-section')).length, 1);
  assert.equal((await fixAll(doc)).split('| **SSL Certificate** |').length, 2, 'the row of the second copy, no other');
});

test('rows cut off from their table (a header narrower than its delimiter row): no second table', async () => {
  // Seed 1279: GFM reads no table, so missing-field inserted the template's table above the person's rows.
  const doc = edit(example, '| Field | Value |\n|-------|-------|', '| Field |\n|-------|-------|');
  const found = await lintRule(doc, 'missing-field');
  assert.equal(found.length, 7);
  const systemName = doc.split('\n').findIndex((l) => l.startsWith('| **System Name** |'));
  for (const d of found) {
    assert.deepEqual((d.data as { fixes: { title: string; safe: boolean }[] }).fixes.map((f) => [f.title, f.safe]), [['Insert the "Document Information" table from the template', false]]);
    assert.deepEqual(d.relatedInformation?.map((r) => r.location.range.start.line), [systemName]);
  }
  assert.equal(await fixAll(doc), doc, 'fix-all leaves the rows to the person');
});

test('a section whose heading line was deleted but whose subsections are still there: the heading goes back above them, with the subsections that are not there', async () => {
  // Found by npm run fuzz (seed 1738): without "## Section 1: System Overview" its subsections were left under the
  // table of contents, and fix-all inserted the template's section, Key Information Summary table and all.
  const doc = edit(example, '## Section 1: System Overview\n\n', '');
  const [d] = await lintRule(doc, 'missing-section');
  assert.deepEqual((d.data as { fixes: { title: string; safe: boolean }[] }).fixes.map((f) => [f.title, f.safe]), [['Insert the heading of section "System Overview" above its subsections', true]]);
  assert.equal(await fixAll(doc), example);
  // And with "1.3 Technology Stack" gone too, the fix brings it back between 1.2 and 1.4.
  const stack = example.slice(example.indexOf('### 1.3 Technology Stack'), example.indexOf('### 1.4 Dependencies'));
  const both = edit(doc, stack, '');
  const once = await fixAll(both);
  const skeleton = schema.sections.flatMap((s) => s.children).find((c) => c.title === 'Technology Stack')!.skeleton.replace(/\n+$/, '') + '\n\n';
  assert.equal(once, edit(example, stack, skeleton));
  assert.equal(await fixAll(once), once);
});

test('fix-all and Insert All Missing Sections never increase the number of problems: the bundled draft and a near-empty runbook', async () => {
  const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
  const nearEmpty = '# System Runbook: Ledger\n\n## Document Information\n\n| Field | Value |\n|-------|-------|\n| **System Name** | Ledger |\n| **Owner** | Dana (SRE) |\n';
  const service = new RunbookLanguageService();
  for (const text of [draft, nearEmpty]) {
    const before = (await lint(text)).length;
    const fixed = await fixAll(text);
    assert.ok((await lint(fixed)).length <= before, `fix-all: ${(await lint(fixed)).length} problems after, ${before} before`);
    const model = service.getModel({ uri: 'file:///w/runbooks/count-runbook.md', version: 1, getText: () => text });
    const inserted = applyEdits(text, await service.insertMissingSections(model, builtinTemplate(), TODAY));
    assert.ok((await lint(inserted)).length <= before, `Insert All: ${(await lint(inserted)).length} problems after, ${before} before`);
  }
});

test('a section whose heading is lost, with its first subsection at the end of the document: the subsections it lacks go after that one, before the sections fix-all inserts there (fuzz seed 105)', async () => {
  const doc = '# System Runbook: Ledger\n\n### 7.1 Severity Levels\n\nSEV-1 pages.\n';
  const once = await fixAll(doc);
  const headings = once.split('\n').filter((l) => /^#{2,3} /.test(l));
  const at = (h: string) => {
    assert.equal(headings.filter((x) => x === h).length, 1, `"${h}" once in:\n${headings.join('\n')}`);
    return headings.indexOf(h);
  };
  const order = ['## Section 7: Incident Response', '### 7.1 Severity Levels', '### 7.2 Incident Response Steps', '### 7.3 Incident Communication Templates', '### 7.4 Post-Incident Review Template', '## Section 8: Rollback Procedures', '## Appendix'].map(at);
  assert.deepEqual([...order].sort((a, b) => a - b), order, headings.join('\n'));
  assert.equal(await fixAll(once), once, 'a second run changes nothing');
});

test('a template table with a row cut short is being filled, not unfilled: its placeholders are reported, and fix-all fills them once (fuzz seed 982)', async () => {
  const template = readFileSync(new URL('../../templates/system-runbook.md', import.meta.url), 'utf8');
  const info = template.slice(0, template.indexOf('## Table of Contents'));
  const cut = info.replace('| **Next Review** | [DATE] |', '| **Next Review** |');
  assert.notEqual(cut, info);
  const doc = cut.replace('[SYSTEM NAME]', 'Ledger');
  const diagnostics = await lint(doc);
  assert.equal(diagnostics.filter((d) => d.code === 'empty-section' && d.message.includes('"Document Information"')).length, 0, 'not unfilled');
  assert.ok(diagnostics.some((d) => d.code === 'placeholder' && d.message.includes('[DATE]')), diagnostics.map((d) => d.message).join('\n'));
  const once = await fixAll(doc);
  assert.equal(await fixAll(once), once, 'a second run changes nothing');
  // Untouched, the same table is one unfilled finding and its placeholders wait.
  const untouched = await lint(info.replace('[SYSTEM NAME]', 'Ledger'));
  assert.equal(untouched.filter((d) => d.code === 'empty-section' && d.message.includes('"Document Information"')).length, 1);
  assert.equal(untouched.filter((d) => d.code === 'placeholder').length, 0);
});
