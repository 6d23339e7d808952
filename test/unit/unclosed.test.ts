import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunbookLanguageService } from '../../server/src/service/languageService';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { buildModel } from '../../server/src/service/model/document';
import { ChunkParser } from '../../server/src/service/model/parse';
import { TODAY, edit, example, expectAt, fixAll, keepsEveryLine, lint, lintRule, withFix } from '../support/lint';

// Unclosed blocks (issue 13, item 2): a fence, HTML block or comment that runs to the end of the document
// or takes in template headings gets one finding at its opening line; what it causes elsewhere is left
// out or points back at it; fix-all closes it first and never inserts into it.

const schema = builtinTemplate();
const TITLES = schema.sections.map((s) => s.title);
/** Lines that are top-level template headings, wherever they are (inside a block too). */
const templateHeadings = (text: string) => text.split(/\r?\n/).filter((l) => /^## /.test(l) && TITLES.some((t) => l.endsWith(t)));

test('an unclosed <style> in a 4-line file: one finding at <style>; fix-all closes it and inserts each section once', async () => {
  const text = '# System Runbook: Ledger\n\n<style>\nbody { color: red }\n';
  const [d] = await expectAt('# System Runbook: Ledger\n\n«<style>»\nbody { color: red }\n', 'unclosed-block', /^This <style> block is never closed: everything after it, to the end of the document, is part of it\. Close it with "<\/style>"\.$/);
  assert.equal(d.severity, 1);
  const once = await fixAll(text);
  assert.ok(once.startsWith('# System Runbook: Ledger\n\n<style>\nbody { color: red }\n</style>\n\n## Document Information\n'), JSON.stringify(once.slice(0, 120)));
  assert.equal(templateHeadings(once).length, schema.sections.length, 'each template section once');
  assert.ok(once.split('\n').length < 1000, `${once.split('\n').length} lines`);
  assert.equal(await fixAll(once), once, 'a second run changes nothing');
  assert.deepEqual(await lintRule(once, 'unclosed-block'), []);
  assert.deepEqual(await lintRule(once, 'missing-section'), []);
});

test('every kind of block that waits for its closing line: one finding, closed with its own closing line, sections inserted after it', async () => {
  const kinds: [string, string, RegExp][] = [
    ['<script>', '</script>', /<script> block/],
    ['<pre>', '</pre>', /<pre> block/],
    ['<textarea>', '</textarea>', /<textarea> block/],
    ['<?php', '?>', /<\?php block/],
    ['<![CDATA[', ']]>', /<!\[CDATA\[ block/],
    ['<!DOCTYPE html', '>', /<!DOCTYPE block/],
    ['<!--', '-->', /comment/],
    ['```bash', '```', /code block \(```bash\)/],
    ['~~~~', '~~~~', /code block \(~~~~\)/],
  ];
  for (const [open, close, name] of kinds) {
    const text = `# System Runbook: Ledger\n\n## Document Information\n\n${open}\nledger status\n`;
    const [d] = await expectAt(text.replace(open, `«${open}»`), 'unclosed-block', name);
    assert.match(d.message, /never closed/);
    const once = await fixAll(text);
    assert.ok(keepsEveryLine(text, once), open);
    assert.ok(once.includes(`\n${open}\nledger status\n${close}\n\n## Table of Contents\n`), `${open}: ${JSON.stringify(once.slice(0, 200))}`);
    assert.equal(templateHeadings(once).length, schema.sections.length, open);
    assert.equal(await fixAll(once), once, open);
  }
});

// The example's Section 8 starts with a bash block; without its closing fences from there on, everything
// after the opening fence is code, as in any CommonMark renderer.
const opening = example.indexOf('```bash', example.indexOf('## Section 8: Rollback Procedures'));
const unclosedFence = example.slice(0, opening + '```bash\n'.length) + example.slice(opening + '```bash\n'.length).replace(/^```.*$/gm, '');

test('a fence left open before headings: one finding at the fence naming what it takes in; the sections are not reported missing', async () => {
  const marked = unclosedFence.slice(0, opening) + '«```bash»' + unclosedFence.slice(opening + 7);
  const [d] = await expectAt(marked, 'unclosed-block', /^This code block \(```bash\) is never closed: it runs to the end of the document and takes in the template's subsection "Database Rollback", subsection "Rollback Verification", section "Troubleshooting Guide" and \d+ more\. Close it with "```" before line \d+\.$/);
  const diagnostics = await lint(unclosedFence);
  assert.deepEqual(diagnostics.filter((x) => x.code === 'missing-section' || x.code === 'missing-subsection'), []);
  // The table of contents links to the swallowed headings point at the block.
  const link = diagnostics.find((x) => x.code === 'broken-link' && x.message.includes('#section-9-troubleshooting-guide'))!;
  assert.match(link.message, /its heading is inside the code block \(```bash\) opened at line \d+, which is never closed/);
  assert.deepEqual(link.relatedInformation?.map((r) => r.location.range.start), [d.range.start]);
  assert.ok(d.relatedInformation!.some((r) => /Troubleshooting Guide/.test(r.message)));
  // The quick fix closes it before the first heading it took in.
  const fixed = withFix(unclosedFence, d);
  assert.ok(keepsEveryLine(unclosedFence, fixed));
  assert.match(fixed, /\n```\n### 8\.4 Database Rollback\n/);
  assert.deepEqual(await lintRule(fixed, 'unclosed-block'), []);
  assert.equal(templateHeadings(await fixAll(unclosedFence)).length, schema.sections.length, 'fix-all inserts none of the swallowed sections');
});

test('a fence closed late, after the headings it took in: reported, but only a quick fix (its closing line would open another block)', async () => {
  // Without the closing fence of the last block before "8.4 Database Rollback", the block runs on to the closing
  // fence of the next one, taking the subsection heading in; the fences after it pair up as before.
  const close = example.lastIndexOf('\n```\n', example.indexOf('### 8.4 Database Rollback'));
  const text = example.slice(0, close) + example.slice(close + 4);
  const at = example.lastIndexOf('```bash', close);
  const findings = await lintRule(text, 'unclosed-block');
  assert.equal(findings.length, 1);
  const first = findings[0];
  assert.equal(first.range.start.line, text.slice(0, at).split('\n').length - 1);
  assert.match(first.message, /^This code block \(```bash\) takes in the template's subsection "Database Rollback" before it ends at line \d+\./);
  assert.deepEqual(await lintRule(text, 'missing-subsection'), []);
  const fixes = (first.data as { fixes: { safe: boolean }[] }).fixes;
  assert.equal(fixes[0].safe, false);
  const once = await fixAll(text);
  assert.equal(templateHeadings(once).length, templateHeadings(text).length, 'fix-all inserts no section the block holds');
});

test('an HTML block that a blank line ends, written right above a heading, takes the heading in', async () => {
  const doc = edit(example, '## Section 9: Troubleshooting Guide', '<div align="center">\n## Section 9: Troubleshooting Guide');
  await expectAt(doc.replace('<div align="center">', '«<div align="center">»'), 'unclosed-block', /^This <div> block takes in the template's section "Troubleshooting Guide" before it ends at line \d+\. Close it with a blank line before line \d+\.$/);
  assert.deepEqual(await lintRule(doc, 'missing-section'), []);
  const [d] = await lintRule(doc, 'unclosed-block');
  const fixed = withFix(doc, d);
  assert.ok(fixed.includes('<div align="center">\n\n## Section 9: Troubleshooting Guide'));
  assert.deepEqual(await lintRule(fixed, 'unclosed-block'), []);
});

test('a fence left open at the end of a list item or a block quote: fix-all closes it once, in its container, and inserts each section once', async () => {
  for (const open of ['1. **Run migrations**\n   ```bash\n   ledger migrate up\n', '> ```sql\n> select 1;\n']) {
    const text = `# System Runbook: Ledger\n\n## Document Information\n\n${open}`;
    const once = await fixAll(text);
    assert.ok(keepsEveryLine(text, once), 'the original text is kept as it was');
    const fences = once.split('\n').filter((l) => /^[ >]*(```|~~~)/.test(l));
    assert.equal(fences.length % 2, 0, `${JSON.stringify(open)}: every fence has its closing line`);
    assert.equal(templateHeadings(once).length, schema.sections.length, JSON.stringify(open));
    assert.equal(await fixAll(once), once);
  }
});

test('silent on closed blocks, and on code that shows headings of sections the document has', async () => {
  assert.deepEqual(await lintRule(example, 'unclosed-block'), []);
  const shown = edit(example, '### 8.1 When to Rollback\n', '### 8.1 When to Rollback\n\n```markdown\n## Section 7: Incident Response\n```\n');
  assert.deepEqual(await lintRule(shown, 'unclosed-block'), []);
});

test('the model records every fenced block, HTML block and comment, closed or not, with its closing line', () => {
  const text = '<!-- note -->\n\n- item\n  ```js\n  x\n';
  const model = buildModel('file:///t.md', 1, text, new ChunkParser());
  assert.deepEqual(
    model.rawBlocks.map((b) => ({ kind: b.kind, opener: b.opener, closed: b.closed, closer: b.closer, top: b.top })),
    [
      { kind: 'comment', opener: '<!--', closed: true, closer: '-->', top: true },
      { kind: 'fence', opener: '```js', closed: false, closer: '  ```', top: false },
    ],
  );
});

test('the service offers no "Insert section" for a section inside an unclosed block', async () => {
  const service = new RunbookLanguageService();
  const model = service.getModel({ uri: 'file:///r/runbooks/payments.md', version: 1, getText: () => unclosedFence });
  assert.deepEqual(await service.insertSection(model, schema, 'Troubleshooting Guide', TODAY), []);
  assert.ok(!service.summary(model, schema, [], TODAY).outline.some((s) => s.title === 'Troubleshooting Guide'));
});

// What a block running to the end hides (fuzz seeds 49, 84, 94, 109, 185, 270, 284 and 369): fix-all closes
// the block, then finds a subsection missing from a section the block held, or a date placeholder in it, and
// fixed them though no diagnostic had said so. The diagnostics now report them at their place in the block.
const cut = (text: string, from: string, to: string) => text.slice(0, text.indexOf(from)) + text.slice(text.indexOf(to));
const skeletonOf = (title: string) => schema.sections.flatMap((s) => s.children).find((c) => c.title === title)!.skeleton.replace(/\n+$/, '') + '\n\n';

test('a subsection missing from a section inside a block that runs to the end, and a date placeholder there, are reported in the block; fix-all does just that', async () => {
  // The fence of "5.4 Log Locations" opened with ~~~~, which nothing closes; "6.1 Daily Tasks" deleted; a Document History date left as [DATE].
  const logs = example.indexOf('```bash', example.indexOf('### 5.4 Log Locations'));
  let doc = example.slice(0, logs) + '~~~~bash' + example.slice(logs + 7);
  doc = cut(doc, '### 6.1 Daily Tasks', '### 6.2 Weekly Tasks');
  doc = edit(doc, '| 1.0 | 2025-03-04 |', '| 1.0 | [DATE] |');
  const fenceLine = doc.slice(0, doc.indexOf('~~~~bash')).split('\n').length - 1;
  // On its section's heading, which the block holds (the closed view reads it as the heading it is).
  const [missing] = await expectAt(edit(doc, '## Section 6: Routine Operations', '## «Section 6: Routine Operations»'), 'missing-subsection', /^Section "Routine Operations" is missing subsection "Daily Tasks" \(template: "6\.1 Daily Tasks"\); the fix inserts it before subsection "Weekly Tasks"\.$/);
  // The placeholder in a code block (as the document reads) is a date cell once the block is closed: one finding, with its fix.
  const [date] = await expectAt(edit(doc, '[DATE]', '«[DATE]»'), 'placeholder', /^"Date" still holds the placeholder "\[DATE\]": expected a date \(YYYY-MM-DD\)\.$/);
  for (const d of [missing, date]) {
    assert.deepEqual(d.relatedInformation?.map((r) => [r.location.range, r.message]), [
      [{ start: { line: fenceLine, character: 0 }, end: { line: fenceLine, character: 8 } }, 'The code block (~~~~bash) opened here is never closed and holds this place; the fix closes it first.'],
    ]);
  }
  assert.equal((await lintRule(doc, 'unclosed-block')).length, 1);
  // Each fix alone closes the block before "Section 6" (as the unclosed-block fix does) and fixes its place.
  const closed = edit(doc, '\n## Section 6: Routine Operations\n', '\n~~~~\n## Section 6: Routine Operations\n');
  assert.equal(withFix(doc, missing), edit(closed, '### 6.2 Weekly Tasks', skeletonOf('Daily Tasks') + '### 6.2 Weekly Tasks'));
  assert.equal(withFix(doc, date), edit(closed, '[DATE]', TODAY));
  // Fix-all does exactly what the three diagnostics say, once.
  const once = await fixAll(doc);
  assert.equal(once, edit(edit(closed, '### 6.2 Weekly Tasks', skeletonOf('Daily Tasks') + '### 6.2 Weekly Tasks'), '[DATE]', TODAY));
  assert.equal(await fixAll(once), once);
});

test('a block that runs to the end once the block around it is closed: what it hides is reported, and its fix closes both blocks', async () => {
  // An unclosed <?php above "Section 6"; inside it the fence of "6.4" opened with ````, which runs to the end once the <?php block is closed.
  let doc = edit(example, '## Section 6: Routine Operations\n', '<?php\n## Section 6: Routine Operations\n');
  const maintenance = doc.indexOf('```bash', doc.indexOf('### 6.4 Common Maintenance Commands'));
  doc = doc.slice(0, maintenance) + '````bash' + doc.slice(maintenance + 7);
  doc = cut(cut(doc, '### 6.1 Daily Tasks', '### 6.2 Weekly Tasks'), '### 8.1 When to Rollback', '### 8.2 Rollback Decision Matrix');
  const lineOf = (s: string) => doc.slice(0, doc.indexOf(s)).split('\n').length - 1;
  const diagnostics = (await lint(doc)).filter((d) => d.code !== 'broken-link');
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [
    ['unclosed-block', lineOf('<?php')],
    ['missing-subsection', lineOf('## Section 6: Routine Operations')],
    ['missing-subsection', lineOf('## Section 8: Rollback Procedures')],
  ]);
  const rollback = diagnostics[2];
  assert.match(rollback.message, /missing subsection "When to Rollback"/);
  assert.deepEqual(rollback.relatedInformation?.map((r) => r.location.range.start.line), [lineOf('<?php'), lineOf('````bash')]);
  const closedBoth = edit(edit(doc, '<?php\n', '<?php\n?>\n'), '\n## Section 7: Incident Response\n', '\n````\n## Section 7: Incident Response\n');
  assert.equal(withFix(doc, rollback), edit(closedBoth, '### 8.2 Rollback Decision Matrix', skeletonOf('When to Rollback') + '### 8.2 Rollback Decision Matrix'));
  const once = await fixAll(doc);
  assert.equal(once, edit(edit(closedBoth, '### 6.2 Weekly Tasks', skeletonOf('Daily Tasks') + '### 6.2 Weekly Tasks'), '### 8.2 Rollback Decision Matrix', skeletonOf('When to Rollback') + '### 8.2 Rollback Decision Matrix'));
  assert.equal(await fixAll(once), once);
});

test('subsections missing from a section before a block that runs to the end and from one inside it, all at the end: each reported once', async () => {
  // Found by npm run fuzz (seeds 477, 1170): a finding of the closed view at the place of one of the document
  // stood in for it, so two missing subsections that both go to the document's end counted as one.
  const doc = '# System Runbook: Ledger\n\n## Section 3: Access and Credentials\n\n### 3.1 Access Requirements\n\nThrough SSO.\n\n~~~~\n## Section 4: Deployment Procedures\n\n### 4.1 Deployment Overview\n\nFrom main.\n';
  const missing = (await lintRule(doc, 'missing-subsection')).map((d) => d.message.replace(/ \(template: .*$/, ''));
  assert.deepEqual(missing, [
    'Section "Access and Credentials" is missing subsection "Credential Storage"',
    'Section "Access and Credentials" is missing subsection "SSH/Server Access"',
    'Section "Deployment Procedures" is missing subsection "Pre-Deployment Checklist"',
    'Section "Deployment Procedures" is missing subsection "Standard Deployment Steps"',
    'Section "Deployment Procedures" is missing subsection "Database Migration Steps"',
    'Section "Deployment Procedures" is missing subsection "Deployment Verification"',
  ]);
  const once = await fixAll(doc);
  for (const h of ['### 3.2 Credential Storage', '### 3.3 SSH/Server Access', '### 4.2 Pre-Deployment Checklist', '### 4.5 Deployment Verification']) assert.equal(once.split(`\n${h}\n`).length, 2, h);
  assert.equal(await fixAll(once), once);
});

test('a fence opened inside a key/value table: the row after it is the person\'s, and fix-all does not add the field again', async () => {
  // Found by npm run fuzz (seed 1340): closed before the row it took in, the block leaves that row outside the
  // table (here GFM reads it as a heading), and missing-field added a second "SSL Certificate" row.
  const doc = edit(example, '| **SSL Certificate** |', '~~~ `x`\n| **SSL Certificate** |');
  const once = await fixAll(doc);
  assert.equal(once.split('| **SSL Certificate** |').length, 2, 'one SSL Certificate row');
  const [d] = await lintRule(once, 'missing-field');
  assert.equal(d.message, 'Field "SSL Certificate" is missing from the "Key Information Summary" table; the fix adds it after the "Domain Registrar" row.');
  assert.deepEqual((d.data as { fixes: { safe: boolean }[] }).fixes.map((f) => f.safe), [false]);
  const row = once.split('\n').indexOf(once.split('\n').find((l) => l.startsWith('| **SSL Certificate** |'))!);
  assert.deepEqual(d.relatedInformation?.map((r) => [r.location.range.start.line, r.message]), [[row, 'The field is written here, outside the table; fix-all does not add it a second time.']]);
  assert.equal(await fixAll(once), once);
});
