import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edit, example, expectAt, fixAll, keepsEveryLine, lint, lintRule, withFix } from '../support/lint';

// Inserted text in the document's style (issue 13, item 7): heading numbering as the document numbers its
// headings, field names bold or plain as its key/value tables write them, its line breaks. And the
// relatedInformation of findings that have a related place (item 9), and lines GFM takes into a table.

const rollback = example.slice(example.indexOf('## Section 8: Rollback Procedures'), example.indexOf('## Section 9: Troubleshooting Guide'));
const headingsOf = (text: string) => text.split(/\r?\n/).filter((l) => /^#{2,3} /.test(l));

test('a section inserted into a document numbered "## 8. Title" is numbered so, its subsections as the document writes them', async () => {
  const numbered = example.replace(/^## Section (\d+): /gm, '## $1. ');
  const doc = edit(numbered, rollback.replace(/^## Section (\d+): /gm, '## $1. '), '');
  const [d] = await lintRule(doc, 'missing-section');
  const fixed = withFix(doc, d);
  const inserted = headingsOf(fixed).filter((h) => !headingsOf(doc).includes(h));
  assert.deepEqual(inserted, ['## 8. Rollback Procedures', '### 8.1 When to Rollback', '### 8.2 Rollback Decision Matrix', '### 8.3 Application Rollback', '### 8.4 Database Rollback', '### 8.5 Rollback Verification']);
});

test('a section inserted into a document without numbering has none, nor have its subsections', async () => {
  const plain = example.replace(/^## Section \d+: /gm, '## ').replace(/^### \d+\.\d+ /gm, '### ');
  const doc = edit(plain, rollback.replace(/^## Section \d+: /gm, '## ').replace(/^### \d+\.\d+ /gm, '### '), '');
  const fixed = await fixAll(doc);
  const inserted = headingsOf(fixed).filter((h) => !headingsOf(doc).includes(h));
  assert.deepEqual(inserted, ['## Rollback Procedures', '### When to Rollback', '### Rollback Decision Matrix', '### Application Rollback', '### Database Rollback', '### Rollback Verification']);
});

test('the number an inserted section gets follows the document\'s own count when it numbers from elsewhere', async () => {
  // The document counts Document Information and the contents as 1 and 2: System Overview is its section 3.
  const shifted = example
    .replace('## Document Information', '## 1. Document Information')
    .replace('## Table of Contents', '## 2. Table of Contents')
    .replace(/^## Section (\d+): /gm, (m, n: string) => `## ${Number(n) + 2}. `);
  const doc = edit(shifted, rollback.replace('## Section 8: ', '## 10. '), '');
  const [d] = await lintRule(doc, 'missing-section');
  assert.ok(withFix(doc, d).includes('\n## 10. Rollback Procedures\n'));
});

test('a missing subsection gets the number of its place among its siblings', async () => {
  const verification = example.slice(example.indexOf('### 8.5 Rollback Verification'), example.indexOf('## Section 9'));
  const doc = edit(example.replace(/^### 8\.(\d) /gm, '### 8.$1. '), verification.replace('### 8.5 ', '### 8.5. '), '');
  const [d] = await lintRule(doc, 'missing-subsection');
  assert.ok(withFix(doc, d).includes('\n### 8.5. Rollback Verification\n'));
});

test('a field row inserted into a table with plain field names is plain; into one with bold names, bold', async () => {
  const plain = example.replace(/^\| \*\*([^*|]+)\*\* \|/gm, (line, key: string) => (['System Name', 'Version', 'Last Updated', 'Owner', 'Classification', 'Review Frequency', 'Next Review'].includes(key) ? `| ${key} |` : line));
  const doc = edit(plain, '| Owner | Priya Raman (Engineering Manager, Payments) |\n', '');
  const fixed = await fixAll(doc);
  assert.ok(fixed.includes('| Last Updated | 2026-11-20 |\n| Owner | [Name/Role] |\n'), fixed.slice(0, 400));
  const bold = edit(example, '| **Owner** | Priya Raman (Engineering Manager, Payments) |\n', '');
  assert.ok((await fixAll(bold)).includes('| **Owner** | [Name/Role] |\n'));
});

test('a whole section inserted into a document with plain field names writes its key/value table plain', async () => {
  const plain = example.replace(/^\| \*\*([^*|]+)\*\* \|/gm, '| $1 |');
  const overview = plain.slice(plain.indexOf('## Section 1: System Overview'), plain.indexOf('## Section 2: Architecture'));
  const fixed = await fixAll(edit(plain, overview, ''));
  assert.match(fixed, /\n\| Production URL \| \|\n/);
  assert.doesNotMatch(fixed, /\*\*Production URL\*\*/);
});

test('inserted text, closing lines included, keeps CRLF line breaks and the BOM', async () => {
  const doc = '\ufeff# System Runbook: Ledger\r\n\r\n<style>\r\nbody { color: red }\r\n';
  const once = await fixAll(doc);
  assert.ok(once.startsWith('\ufeff# System Runbook: Ledger\r\n\r\n<style>\r\nbody { color: red }\r\n</style>\r\n'));
  assert.doesNotMatch(once, /[^\r]\n|\r(?!\n)/);
  assert.equal(await fixAll(once), once);
});

test('relatedInformation: duplicate-section points at the first occurrence, section-order at the neighbour', async () => {
  const dup = edit(example, '## Section 9: Troubleshooting Guide', rollback + '## Section 9: Troubleshooting Guide');
  const [d] = await lintRule(dup, 'duplicate-section');
  const first = example.split('\n').indexOf('## Section 8: Rollback Procedures');
  assert.deepEqual(d.relatedInformation, [{ location: { uri: 'file:///work/runbooks/test-runbook.md', range: { start: { line: first, character: 3 }, end: { line: first, character: 33 } } }, message: 'First "Rollback Procedures" section.' }]);

  const moved = edit(edit(example, rollback, ''), '## Section 2: Architecture', rollback + '## Section 2: Architecture');
  const [o] = await lintRule(moved, 'section-order');
  const incident = moved.split('\n').indexOf('## Section 7: Incident Response');
  assert.equal(o.relatedInformation?.[0].location.range.start.line, incident);
  assert.match(o.relatedInformation![0].message, /"Rollback Procedures" belongs after this section/);
});

test('a line of prose right under a table: table-shape says GFM reads it as a row; the fix ends the table, the line stays as written', async () => {
  const last = '| Payments per Minute | 25 to 120 (peaks near 600 on sale days) | <10 during 14:00 to 22:00 UTC | 0 for 5 minutes |\n';
  const doc = edit(example, last, `${last}«Ranges are for the EU region only.»\n`);
  const [d] = await expectAt(doc, 'table-shape', /^Line "Ranges are for the EU region only\." has no pipe, yet GFM reads it as a row of table "Key Metrics" because it follows the table directly\. A blank line before it ends the table\.$/);
  const text = doc.replace(/[«»]/g, '');
  const fixed = withFix(text, d);
  assert.ok(fixed.includes(`${last}\nRanges are for the EU region only.\n`));
  assert.deepEqual(await lintRule(fixed, 'table-shape'), []);
  assert.ok((await fixAll(text)).includes('\nRanges are for the EU region only.\n'), 'fix-all keeps the line as written');
});

test('a column added to a table leaves a prose line GFM takes into it as written', async () => {
  const doc = example
    .replace('| Metric | Normal Range | Warning | Critical |\n|--------|--------------|---------|----------|', '| Metric | Normal Range | Warning |\n|--------|--------------|---------|')
    .replace(/^(\| [^|\n]+\| [^|\n]+\| [^|\n]+\|) [^|\n]+\|$/gm, (line, first: string) => (example.indexOf(line) > example.indexOf('### 5.2') && example.indexOf(line) < example.indexOf('### 5.3') ? first : line))
    .replace('| CPU Usage (API pods) | <60% | >80% |\n', '| CPU Usage (API pods) | <60% | >80% |\nRanges are for the EU region only.\n');
  const [d] = (await lint(doc)).filter((x) => x.code === 'table-columns');
  const fixed = withFix(doc, d);
  assert.ok(fixed.includes('\nRanges are for the EU region only.\n'));
  assert.ok(keepsEveryLine(doc.split('\n').filter((l) => !l.startsWith('|')).join('\n'), fixed));
});
