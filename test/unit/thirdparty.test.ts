import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commonmarkExamples, corpus, judge, markdownlintDocs } from '../support/thirdparty';

// Fix-all on Markdown nobody here wrote (issue 13, item 3): every example of the CommonMark spec, the rule
// documentation markdownlint ships, and the real runbooks and playbooks of ../shared/corpus/real, each
// analysed as a runbook (test/support/thirdparty.ts). On each, fix-all keeps every line as written (lines
// GFM takes into a table included), inserts no more template headings than the diagnostics said were
// missing and nothing the document has under a near-miss name or level or inside an open block, keeps the
// BOM and line breaks, and a second run changes nothing (Harness.fixAllProblems judges all of it).

// Every example becomes a whole runbook once fix-all has inserted the template: about 0.4 s of CPU each.
// The examples are checked in two halves, which the test runner runs side by side.
test('fix-all on every CommonMark spec example (first half) keeps its text and the invariants', async () => {
  const examples = commonmarkExamples();
  assert.ok(examples.length > 600, `${examples.length} examples`);
  assert.deepEqual(await judge(examples.filter((e, i) => i % 2 === 0)), []);
});

test('fix-all on markdownlint\'s rule documentation and on the real runbook corpus keeps their text and the invariants', async () => {
  const docs = markdownlintDocs();
  assert.ok(docs.length > 40, `${docs.length} markdownlint docs`);
  const real = corpus();
  assert.ok(real.length >= 40, `${real.length} corpus files`);
  assert.deepEqual(await judge([...docs, ...real]), []);
});
