import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { edit, example, fixAll, keepsEveryLine, lint, lintRule, withFix } from '../support/lint';

// What the full fuzz run of 2026-12-03 found fix-all doing to documents that have a part in another
// place than the template's: a table under a stray heading, subsections under another section, a first
// line "---" that makes the top of the document front matter, a section written above its level, a
// table whose heading was lost in the middle of another section. Each is there; fix-all must not write
// it a second time, and a second run must change nothing.

const fixesOf = (d: Diagnostic) => (d.data as { fixes: { title: string; safe: boolean }[] }).fixes.map((f) => [f.title, f.safe]);
const count = (text: string, line: string) => text.split(/\r?\n/).filter((l) => l === line).length;
const lineOf = (text: string, line: string) => text.split('\n').indexOf(line);

test('a key/value table under a stray heading: one finding at the section that points at it, and fix-all does not write the table again (fuzz seeds 4199, 3896, 9704)', async () => {
  const doc = edit(example, '### 1.2 Key Information Summary\n\n', '### 1.2 Key Information Summary\n\n### Key Metrics notes\n\n');
  const found = (await lintRule(doc, 'missing-field')).filter((d) => d.message.includes('Key Information Summary'));
  assert.equal(found.length, 1, found.map((d) => d.message).join('\n'));
  const [d] = found;
  const table = lineOf(doc, '| Component | Details |');
  assert.equal(d.range.start.line, lineOf(doc, '### 1.2 Key Information Summary'));
  assert.equal(d.message, `Section "Key Information Summary" has no "Component | Details" table of its own: the one at line ${table + 1} under heading "Key Metrics notes" has its fields. Move that table under this heading.`);
  assert.deepEqual(d.relatedInformation?.map((r) => r.location.range.start.line), [table]);
  assert.deepEqual(fixesOf(d), [['Insert the "Key Information Summary" table from the template', false]]);
  const once = await fixAll(doc);
  assert.equal(count(once, '| Component | Details |'), 1, 'the table is written once');
  assert.ok(keepsEveryLine(doc, once));
  assert.equal(await fixAll(once), once, 'a second run changes nothing');
  // Under its own heading again, the finding is gone.
  assert.equal((await lintRule(example, 'missing-field')).length, 0);
});

test('subsections under another section: reported as misplaced, with the place they are at, and not inserted a second time (fuzz seed 9761)', async () => {
  const doc = edit(example, '### 1.2 Key Information Summary\n', '## Rollback Procedures\n\n### 1.2 Key Information Summary\n');
  const found = (await lintRule(doc, 'missing-subsection')).filter((d) => d.message.includes('"System Overview"'));
  assert.deepEqual(found.map((d) => d.message.replace(/ \(template.*$/, '')), ['Key Information Summary', 'Technology Stack', 'Dependencies'].map((t) => `Section "System Overview" is missing subsection "${t}"`));
  const [first] = found;
  const at = lineOf(doc, '### 1.2 Key Information Summary');
  assert.match(first.message, new RegExp(`the document has it at line ${at + 1}, under section "Rollback Procedures"\\. Move it after subsection "Purpose"\\.$`));
  assert.deepEqual(first.relatedInformation?.map((r) => r.location.range.start.line), [at]);
  assert.deepEqual(fixesOf(first), [['Insert subsection "Key Information Summary" from the template', false]]);
  const once = await fixAll(doc);
  for (const h of ['### 1.2 Key Information Summary', '### 1.3 Technology Stack', '### 1.4 Dependencies']) assert.equal(count(once, h), 1, h);
  assert.equal(await fixAll(once), once, 'a second run changes nothing');
  // A deeper heading of the same words elsewhere is not the subsection: without 1.1, a "#### Purpose" under a component leaves its fix safe.
  const purpose = example.slice(example.indexOf('### 1.1 Purpose'), example.indexOf('### 1.2 Key Information Summary'));
  const other = edit(edit(example, purpose, ''), '#### Payments Worker\n', '#### Payments Worker\n\n#### Purpose\n\nSettles the day.\n');
  const [p] = (await lintRule(other, 'missing-subsection')).filter((d) => d.message.includes('"Purpose"'));
  assert.deepEqual(fixesOf(p), [['Insert subsection "Purpose" from the template', true]]);
});

test('a first line "---" that turns the top of the runbook into front matter: one finding that names what it hides, and the fix makes it a separator (fuzz seed 3988)', async () => {
  const doc = '---\n' + example;
  const [d] = await lintRule(doc, 'unclosed-block');
  assert.ok(d, 'reported');
  const close = lineOf(doc, '---') === 0 ? doc.split('\n').indexOf('---', 1) : -1;
  assert.equal(d.range.start.line, 0);
  assert.equal(d.message, `The "---" on the first line starts front matter (metadata), which runs to the "---" on line ${close + 1} and takes in the template's section "Document Information". If the first "---" is a separator, put a blank line above it.`);
  assert.deepEqual(d.relatedInformation?.map((r) => r.location.range.start.line), [lineOf(doc, '## Document Information')]);
  assert.equal((await lintRule(doc, 'missing-section')).length, 0, 'the section it hides is not reported missing');
  assert.equal(withFix(doc, d), '\n' + doc);
  assert.equal(await fixAll(doc), '\n' + doc, 'fix-all only makes it a separator: the section was there');
  assert.equal((await lint('\n' + doc)).filter((x) => x.code === 'unclosed-block' || x.code === 'missing-section').length, 0);
  // Real metadata stays silent.
  assert.equal((await lintRule('---\ntitle: Payments API runbook\nowner: payments\n---\n' + example, 'unclosed-block')).length, 0);
  // When the closing "---" follows a line of text, a blank line above the first would make that line a heading: offered, not safe.
  const tight = '---\n' + edit(example, '| **Next Review** | 2027-02-20 |\n\n---', '| **Next Review** | 2027-02-20 |\nReviewed by the payments team.\n---');
  const [t] = await lintRule(tight, 'unclosed-block');
  assert.deepEqual(fixesOf(t), [['Put a blank line above the first "---" so that it is a separator, not front matter', false]]);
  assert.match(t.message, /would then become a heading: put a blank line above line \d+ too\.$/);
});

test('a top-level section written one level up: its missing subsections go right under its heading, not after the sections below it (fuzz seed 9310)', async () => {
  const start = example.indexOf('## Section 9: Troubleshooting Guide');
  const doc = example.slice(0, start) + '# Troubleshooting Guide\n\n' + example.slice(example.indexOf('## Section 10: Contact Information'));
  const once = await fixAll(doc);
  const lines = once.split('\n');
  const h = lines.indexOf('# Troubleshooting Guide');
  assert.ok(h < lines.indexOf('### 9.1 Common Issues and Solutions') && lines.indexOf('### 9.2 Diagnostic Commands') < lines.indexOf('## Section 10: Contact Information'), 'between its heading and the next section');
  assert.equal(count(once, '### 9.1 Common Issues and Solutions'), 1);
  assert.equal(await fixAll(once), once, 'a second run changes nothing');
});

test('a table whose heading was lost inside another section: the subsection that section lacks goes before the heading fix-all puts back (fuzz seed 5077)', async () => {
  const info = example.slice(example.indexOf('| Field | Value |'), example.indexOf('---\n\n## Table of Contents'));
  const nine2 = example.slice(example.indexOf('### 9.2 Diagnostic Commands'), example.indexOf('## Section 10: Contact Information'));
  const doc = edit(edit(example, '## Document Information\n\n' + info + '---\n\n', ''), nine2, info + '---\n\n');
  assert.ok(!doc.includes('## Document Information') && !doc.includes('### 9.2'));
  const once = await fixAll(doc);
  const lines = once.split('\n');
  assert.equal(count(once, '### 9.2 Diagnostic Commands'), 1, '9.2 once');
  assert.equal(count(once, '## Document Information'), 1);
  assert.ok(lines.indexOf('### 9.2 Diagnostic Commands') < lines.indexOf('## Document Information'), '9.2 stays in section 9');
  assert.equal(await fixAll(once), once, 'a second run changes nothing');
});

test('a subsection heading lost, with a missing sibling before it: the sibling goes before its content, and the lost heading is not written twice (fuzz seed 5531)', async () => {
  const stack = example.slice(example.indexOf('### 1.3 Technology Stack'), example.indexOf('### 1.4 Dependencies'));
  const doc = edit(edit(example, stack, ''), '### 1.4 Dependencies\n\n', '');
  const once = await fixAll(doc);
  assert.equal(count(once, '#### External Services'), 1, 'External Services once');
  assert.equal(count(once, '### 1.3 Technology Stack'), 1);
  assert.ok(once.indexOf('### 1.3 Technology Stack') < once.indexOf('#### External Services'));
  assert.equal(await fixAll(once), once, 'a second run changes nothing');
});

test('a missing subsection whose place is inside a code fence left open: its quick fix closes the fence and inserts it right after, and the finding is gone (fuzz seed 3424)', async () => {
  const deps = example.slice(example.indexOf('### 1.4 Dependencies'), example.indexOf('## Section 2: Architecture'));
  const doc = edit(edit(example, deps, ''), '### 1.3 Technology Stack\n', '### 1.3 Technology Stack\n~~~\n');
  const d = (await lintRule(doc, 'missing-subsection')).find((x) => x.message.includes('"Dependencies"'));
  assert.ok(d, 'reported');
  const fixed = withFix(doc, d);
  const lines = fixed.split('\n');
  const close = lines.indexOf('~~~', lines.indexOf('~~~') + 1);
  assert.ok(close > 0, 'the fence is closed');
  assert.equal(lines.indexOf('### 1.4 Dependencies'), close + 1, 'right after the closing line');
  assert.ok(lines.indexOf('### 1.4 Dependencies') < lines.indexOf('## Section 2: Architecture'));
  assert.equal((await lintRule(fixed, 'missing-subsection')).filter((x) => x.message.includes('"Dependencies"')).length, 0);
});
