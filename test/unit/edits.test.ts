import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, diffEdits, keepBreaksApart } from '../../server/src/service/edits';

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

test('diffEdits turns any text into any other text with edits that only touch changed lines', () => {
  const random = rng(7);
  const words = ['alpha', 'beta', '', '| a | b |', '## H', 'gamma'];
  for (let i = 0; i < 500; i++) {
    const make = () => Array.from({ length: Math.floor(random() * 12) }, () => words[Math.floor(random() * words.length)]).join(random() < 0.3 ? '\r\n' : '\n');
    const a = make();
    const b = random() < 0.5 ? make() : a.replace('beta', 'beta\ninserted');
    const edits = diffEdits(a, b);
    assert.equal(applyEdits(a, edits), b, JSON.stringify({ a, b, edits }));
  }
});

test('an inserted line becomes one insertion and keeps every other line in place', () => {
  const before = 'one\ntwo\nthree\n';
  const after = 'one\ntwo\nnew\nthree\n';
  assert.deepEqual(diffEdits(before, after), [{ start: 8, end: 8, newText: 'new\n' }]);
});

test('applyEdits applies inserts at one offset in the order given and drops overlaps', () => {
  assert.equal(applyEdits('ab', [{ start: 1, end: 1, newText: 'X' }, { start: 1, end: 1, newText: 'Y' }]), 'aXYb');
  assert.equal(applyEdits('abcd', [{ start: 0, end: 3, newText: 'Z' }, { start: 1, end: 2, newText: 'Q' }]), 'Zd');
});

test('keepBreaksApart: a CR meeting an LF across an edit is written CRLF, so no line break is lost', () => {
  const count = (t: string) => t.split(/\r\n|\r|\n/).length;
  const cases: [string, number, number, string][] = [
    ['a\n\nb', 2, 2, 'row\r'], // CR before an LF: would read as one CRLF
    ['a\rb', 2, 2, '\nrow\n'], // LF after a lone CR
    ['a\r\nb', 3, 3, 'row\n'], // nothing to do
  ];
  for (const [text, start, end, insert] of cases) {
    const naive = applyEdits(text, [{ start, end, newText: insert }]);
    const kept = applyEdits(text, [{ start, end, newText: keepBreaksApart(text, start, end, insert) }]);
    assert.equal(count(kept), count(text) + count(insert) - 1, JSON.stringify({ text, insert, kept }));
    assert.equal(keepBreaksApart(text, start, end, keepBreaksApart(text, start, end, insert)), keepBreaksApart(text, start, end, insert), 'idempotent');
    if (insert === 'row\n') assert.equal(kept, naive);
  }
});
