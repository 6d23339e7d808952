import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { editDistance, headingKey } from '../../server/src/service/model/keys';
import { defaultSettings } from '../../server/src/service/settings';
import { TODAY, example } from '../support/lint';
import {
  applyChecked,
  documents,
  Harness,
  isSubsequence,
  lspLines,
  mapOffset,
  positionProblem,
  rangeProblem,
  REPLACEABLE,
  splitAtHeadings,
  without,
  type DocReport,
  type GeneratedDoc,
} from '../support/generate';

// Property-based tests over generated runbooks (test/support/generate.ts): seeded, so every run checks the
// same documents, and bounded. `npm run fuzz` runs the same checks on 10,000 documents.
//
// Each property is its own test over the same seeded documents; the expensive part (analysis, fixes,
// re-analysis) runs once per document and is shared. On a failure fast-check shrinks the document, within
// SHRINK_LIMIT_MS, and prints the seed and path that replay it.

const SEED = 20261127;
const RUNS = 24;
const SHRINK_LIMIT_MS = 40_000;
/** CPU milliseconds an analysis may take; far above what any document needs, so only a hang trips it. */
const HANG_MS = 5000;

const schema = builtinTemplate();
const harness = new Harness(schema, defaultSettings, TODAY);
const docs = documents({ schema, example });
const reports = new Map<string, Promise<DocReport>>();

function reportOf(doc: GeneratedDoc): Promise<DocReport> {
  const key = `${doc.text}\u0000${doc.previous}\u0000${JSON.stringify([doc.probes, doc.fixPicks])}`;
  let report = reports.get(key);
  if (!report) {
    report = harness.check(doc, HANG_MS);
    reports.set(key, report);
  }
  return report;
}

/** Asserts a property of each document's report over the seeded documents. */
function holds(property: (report: DocReport) => void, options: { shrink?: boolean } = {}): Promise<void> {
  return fc.assert(
    fc.asyncProperty(docs, async (doc) => property(await reportOf(doc))),
    { seed: SEED, numRuns: RUNS, endOnFailure: options.shrink === false, plugins: [fc.interruptAfterTimeLimit(SHRINK_LIMIT_MS)] },
  );
}

const isFixAllHang = (h: string) => h.startsWith('fix-all');

before(async () => {
  // Module initialisation and JIT warm-up, so the first document's time is its own.
  await harness.analyse(example);
});

test('analysis never throws and finishes within the bound', async () => {
  await holds((report) => {
    assert.deepEqual(report.crashes.filter((c) => c.startsWith('analysis')), []);
    assert.deepEqual(report.hangs.filter((h) => !isFixAllHang(h)), []);
    assert.ok(report.ms < HANG_MS, `analysis took ${report.ms} ms of CPU time`);
  });
});

test('every diagnostic, fix and navigation range lies inside the document', async () => {
  await holds((report) => assert.deepEqual(report.ranges, []));
});

test('re-analysis of the same text gives identical diagnostics (after an edit and its undo, and from a whole parse)', async () => {
  await holds((report) => assert.deepEqual(report.determinism, []));
});

test('safe fixes only insert text or replace placeholders; each applied alone takes effect and keeps the original text; fix-all too, and it is idempotent', async () => {
  await holds((report) => {
    assert.deepEqual(report.fixes, []);
    assert.deepEqual(report.hangs.filter(isFixAllHang), []);
  });
});

test('completions, hover, definition, symbols and folding at random positions never throw', async () => {
  await holds((report) => assert.deepEqual(report.crashes, []));
});

test('the generator makes every kind of hard document it promises', () => {
  const sample = fc.sample(docs, { seed: SEED, numRuns: 300 });
  const has = (what: string, pred: (d: GeneratedDoc) => boolean) => assert.ok(sample.some(pred), `no generated document has ${what}`);
  const templateKeys = schema.sections.map((s) => s.key);
  const sectionKeys = (d: GeneratedDoc) => splitAtHeadings(d.text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n'), schema.sectionDepth).parts.map((p) => headingKey(p.heading)).filter((k) => templateKeys.includes(k));
  for (const kind of ['template', 'example', 'junk'] as const) has(`kind ${kind}`, (d) => d.kind === kind);
  has('CRLF line breaks', (d) => d.text.includes('\r\n'));
  has('lone CR line breaks', (d) => /\r(?!\n)/.test(d.text));
  has('mixed line breaks', (d) => d.text.includes('\r\n') && /[^\r]\n/.test(d.text));
  has('a BOM', (d) => d.text.startsWith('\ufeff'));
  has('emoji (surrogate pairs)', (d) => /\p{Extended_Pictographic}/u.test(d.text) && /[\ud800-\udbff][\udc00-\udfff]/.test(d.text));
  has('CJK', (d) => /\p{Script=Han}/u.test(d.text));
  has('combining marks', (d) => /\p{M}/u.test(d.text));
  has('tabs', (d) => d.text.includes('\t'));
  has('template placeholders', (d) => /\[DATE\]|\[System Name\]/i.test(d.text));
  has('an unbalanced fence', (d) => (d.text.match(/^ {0,3}```/gm) ?? []).length % 2 === 1);
  has('a ragged table row', (d) => d.text.includes('| extra |'));
  has('an HTML block that waits for its closing line', (d) => /^(<style>|<script>|<pre>|<textarea>|<\?php|<!\[CDATA\[)/m.test(d.text));
  has('a misspelt template heading', (d) => {
    const titles = new Set(schema.sections.flatMap((s) => [s.title, s.heading]).map((t) => t.toLowerCase()));
    return d.text.split(/\r\n|\r|\n/).some((l) => {
      const t = /^#{1,6} (.*)$/.exec(l)?.[1].toLowerCase() ?? '';
      return t.length > 6 && ![...titles].some((title) => t.startsWith(title)) && [...titles].some((title) => t.length >= title.length - 1 && editDistance(t.slice(0, title.length), title, 2) === 1);
    });
  });
  has('a dropped section', (d) => d.kind === 'template' && new Set(sectionKeys(d)).size < templateKeys.length - 2);
  has('a duplicated section', (d) => sectionKeys(d).length > new Set(sectionKeys(d)).size);
  has('sections out of order', (d) => {
    const order = sectionKeys(d).map((k) => templateKeys.indexOf(k));
    return order.some((o, i) => i > 0 && o < order[i - 1]);
  });
});

test('the judges catch what they must: bad positions, lost text, overlapping edits', () => {
  const lines = lspLines('a🚀b\r\nsecond\rthird');
  assert.deepEqual(lines, ['a🚀b', 'second', 'third']);
  assert.equal(positionProblem(lines, { line: 0, character: 2 }), 'character 2 on line 0 splits a surrogate pair');
  assert.equal(positionProblem(lines, { line: 0, character: 3 }), undefined);
  assert.match(positionProblem(lines, { line: 0, character: 5 }) ?? '', /outside 0\.\.4/);
  assert.match(positionProblem(lines, { line: 3, character: 0 }) ?? '', /line 3 outside/);
  assert.match(rangeProblem(lines, { start: { line: 1, character: 2 }, end: { line: 1, character: 1 } }) ?? '', /start after end/);

  assert.ok(isSubsequence('keep every line', 'keep [x] every new line'));
  assert.ok(!isSubsequence('keep every line', 'keep every lin'));
  assert.ok(!isSubsequence('ab', 'ba'));
  assert.equal(without('| [DATE] |', [{ start: 2, end: 8 }]), '|  |');
  assert.ok(REPLACEABLE.test('[DATE]') && REPLACEABLE.test('*[Replace with the purpose]*'));
  assert.ok(!REPLACEABLE.test('Priya Raman') && !REPLACEABLE.test('[a] and [b]'));

  assert.deepEqual(applyChecked('abcd', [{ start: 1, end: 1, newText: 'X' }, { start: 3, end: 4, newText: 'Y' }]), { text: 'aXbcY' });
  assert.ok('problem' in applyChecked('abcd', [{ start: 0, end: 3, newText: '' }, { start: 2, end: 2, newText: 'Q' }]));
  assert.equal(mapOffset(5, [{ start: 5, end: 5, newText: 'xyz' }], 'left'), 5);
  assert.equal(mapOffset(5, [{ start: 5, end: 5, newText: 'xyz' }], 'right'), 8);
  assert.equal(mapOffset(9, [{ start: 2, end: 4, newText: '' }], 'left'), 7);
});
