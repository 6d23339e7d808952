import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commonmarkExamples, judge } from '../support/thirdparty';

// The second half of the CommonMark spec examples of thirdparty.test.ts, in a file of its own so that the
// test runner checks the two halves side by side.

test('fix-all on every CommonMark spec example (second half) keeps its text and the invariants', async () => {
  assert.deepEqual(await judge(commonmarkExamples().filter((e, i) => i % 2 === 1)), []);
});
