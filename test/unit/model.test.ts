import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../server/src/service/model/document';
import { ChunkParser } from '../../server/src/service/model/parse';
import { LineIndex } from '../../server/src/service/model/text';
import { isRunbook } from '../../server/src/service/features/detect';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { defaultSettings } from '../../server/src/service/settings';
import { normalizeSettings } from '../../server/src/service/settings';
import { lintRule, marked } from '../support/lint';

const model = (text: string, uri = 'file:///w/doc.md') => buildModel(uri, 1, text, new ChunkParser());

test('LineIndex converts offsets and positions with LF, CRLF and lone CR', () => {
  const lines = new LineIndex('a\r\nbc\rd\ne');
  assert.equal(lines.lineCount, 4);
  assert.deepEqual(lines.positionAt(4), { line: 1, character: 1 });
  assert.deepEqual(lines.positionAt(2), { line: 0, character: 1 }, 'inside \\r\\n is the end of the line');
  assert.equal(lines.offsetAt({ line: 2, character: 0 }), 6);
  assert.equal(lines.offsetAt({ line: 9, character: 0 }), 9);
  assert.equal(lines.offsetAt({ line: 1, character: 99 }), 5);
  assert.equal(new LineIndex('x\r\ny').eol, '\r\n');
});

test('positions are UTF-16 after emoji, CJK, tabs and a BOM', async () => {
  const { text, ranges } = marked('\uFEFF# System Runbook: 🚀 決済\n\n## Table of Contents\n\n1.\t[Über 🙂 links](«#nowhere»)\n');
  const [d] = await lintRule(text, 'broken-link');
  assert.deepEqual(d.range, ranges[0]);
  const m = model(text);
  assert.equal(m.headings[0].text, 'System Runbook: 🚀 決済');
  assert.equal(m.headings[0].start, 1, 'the BOM is not part of the heading');
});

test('CRLF documents give the same diagnostics as LF ones, on the same lines', async () => {
  const doc = '# System Runbook: X\n\n## Document Information\n\n| Field | Value |\n|---|---|\n| **Classification** | Urgent |\n';
  const lf = await lintRule(doc, 'invalid-value');
  const crlf = await lintRule(doc.replace(/\n/g, '\r\n'), 'invalid-value');
  assert.deepEqual(crlf.map((d) => d.range), lf.map((d) => d.range));
});

test('the model has the section tree, tables with cells, links and code blocks', () => {
  const m = model('# T\n\n## A\n\n| k | v |\n|---|---|\n| **x** | 1 |\n\n### A.1\n\n```sh\nls\n```\n\n## B\n\n[go](#a)\n');
  assert.deepEqual(m.sections[0].children.map((s) => [s.heading.text, s.children.map((c) => c.heading.text)]), [['A', ['A.1']], ['B', []]]);
  assert.equal(m.tables[0].rows[0].cells[0].bold, true);
  assert.equal(m.tables[0].rows[0].cells[1].text, '1');
  assert.equal(m.links[0].fragment, 'a');
  assert.equal(m.codeBlocks[0].lang, 'sh');
});

test('which files are runbooks: globs, the template title, front matter', () => {
  const schema = builtinTemplate();
  const globs = defaultSettings.files;
  assert.equal(isRunbook(model('# Notes\n', 'file:///w/docs/Payments-RUNBOOK.md'), schema, globs), true);
  assert.equal(isRunbook(model('# Notes\n', 'file:///w/runbooks/db/failover.md'), schema, globs), true);
  assert.equal(isRunbook(model('# Notes\n', 'file:///w/docs/notes.md'), schema, globs), false);
  assert.equal(isRunbook(model('# System Runbook: Ledger\n', 'untitled:Untitled-1'), schema, globs), true);
  assert.equal(isRunbook(model('---\nrunbook: true\n---\n# Ledger\n', 'file:///w/a.md'), schema, globs), true);
  assert.equal(isRunbook(model('---\nrunbook: false\n---\n# Ledger\n', 'file:///w/runbook.md'), schema, globs), false);
});

test('invalid settings fall back to the defaults with one clear message each', () => {
  const problems: string[] = [];
  const s = normalizeSettings({ files: 7, rules: { placeholder: 'loud', 'no-such-rule': 'error', 'empty-section': 'off' }, maxFileSize: 'big', template: 3 }, problems);
  assert.deepEqual(s.files, defaultSettings.files);
  assert.deepEqual(s.rules, { 'empty-section': 'off' });
  assert.equal(s.maxFileSize, defaultSettings.maxFileSize);
  assert.equal(problems.length, 5);
  assert.match(problems.join('\n'), /unknown rule "no-such-rule"/);
  assert.match(problems.join('\n'), /runbook.rules.placeholder: unknown severity "loud"/);
  assert.deepEqual(normalizeSettings(undefined), defaultSettings);
});
