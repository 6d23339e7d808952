// The model built chunk by chunk, reusing the chunks of earlier versions, must equal the model of a
// whole parse after any edit: compared as a canonical summary and by the diagnostics of every rule.
// INCREMENTAL_SEED and INCREMENTAL_SCALE (a multiplier of the number of edits) replay or deepen a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, type DocumentModel, type Section, type Table } from '../../server/src/service/model/document';
import { ChunkParser } from '../../server/src/service/model/parse';
import { findingsOf } from '../../server/src/service/features/diagnostics';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { defaultSettings } from '../../server/src/service/settings';
import { example, TODAY } from '../support/lint';

const SEED = Number(process.env.INCREMENTAL_SEED ?? 20261127);
const SCALE = Number(process.env.INCREMENTAL_SCALE ?? 1);
const ONLY = process.env.INCREMENTAL_ONLY;
const CORPUS = fileURLToPath(new URL('../../../shared/corpus/real/', import.meta.url));

/** A small deterministic generator (mulberry32), so that a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

// What edits insert: the characters and lines that open, close or split Markdown constructs.
const CHARS = ['#', ' ', '\n', '`', '|', '[', ']', ':', '-', '<', '>', '*', '~', '=', '\t', 'x', '\r\n', '!', '(', ')', '^', '+', '1.', '\\'];
const LINES = [
  '# Heading',
  '## Section 3: Access and Credentials',
  '### 2.1 Architecture Diagram',
  '#### Step',
  '#',
  '######## not a heading',
  '```',
  '```bash',
  '~~~',
  '````',
  '    indented code',
  '  ```',
  '- item',
  '1. step',
  '  - nested',
  '> quote',
  '> # quoted heading',
  '| Field | Value |',
  '|-------|-------|',
  '| **Owner** | [Name] |',
  '| a | b | c |',
  '[x]: https://example.com/x',
  '[Section-1]: #section-1-system-overview',
  '[x]:',
  '  https://example.com/next-line',
  'see [x] and [the link][x] and [x][]',
  'a footnote[^1]',
  '[^1]: the note',
  '<!-- runbook-disable-next-line placeholder -->',
  '<!-- open comment',
  '-->',
  '<div>',
  '</div>',
  '<pre>',
  '</pre>',
  '<details><summary>More</summary>',
  '<a name="anchor"></a>',
  '---',
  '+++',
  '===',
  'title: front',
  'Setext heading',
  '',
  '[DATE]',
  '*[Replace with the owner]*',
  '[link](#section-2-architecture)',
  '<https://example.com>',
];

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

function randomEdit(text: string, random: () => number): Edit {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const lineStart = (at: number) => text.lastIndexOf('\n', at - 1) + 1;
  const at = Math.floor(random() * (text.length + 1));
  const r = random();
  if (r < 0.3) return { at, remove: 0, insert: pick(CHARS) };
  if (r < 0.45) return { at, remove: Math.min(text.length - at, 1 + Math.floor(random() * 6)), insert: '' };
  if (r < 0.75) {
    const start = lineStart(at);
    return { at: start, remove: 0, insert: pick(LINES) + pick(['\n', '\n', '\n\n', '\r\n']) };
  }
  if (r < 0.85) {
    // Remove a whole line (or a few), joining what was apart.
    const start = lineStart(at);
    let end = start;
    for (let n = 1 + Math.floor(random() * 3); n > 0 && end < text.length; n--) {
      const nl = text.indexOf('\n', end);
      end = nl < 0 ? text.length : nl + 1;
    }
    return { at: start, remove: end - start, insert: '' };
  }
  if (r < 0.92) {
    // Type a heading mark at a line start, or turn one into text.
    const start = lineStart(at);
    return text[start] === '#' ? { at: start, remove: 1, insert: '' } : { at: start, remove: 0, insert: '#'.repeat(1 + Math.floor(random() * 4)) + ' ' };
  }
  // Copy a piece of the document elsewhere (pasting a section, a table, a code block).
  const from = Math.floor(random() * text.length);
  return { at, remove: 0, insert: text.slice(from, from + Math.floor(random() * 400)) };
}

function apply(text: string, e: Edit): string {
  return text.slice(0, e.at) + e.insert + text.slice(e.at + e.remove);
}

/** Everything rules and features read from a model, as plain data. */
function summary(model: DocumentModel) {
  const section = (s: Section): unknown => ({
    heading: s.heading.start,
    depth: s.depth,
    start: s.start,
    end: s.end,
    parent: s.parent?.heading.start,
    blocks: s.blocks.map((b) => [b.node.type, b.start, b.end]),
    children: s.children.map(section),
  });
  const table = (t: Table) => ({
    start: t.start,
    end: t.end,
    section: t.section?.heading.start,
    heading: t.heading?.start,
    rows: [t.header, ...t.rows].map((r) => ({ line: r.line, start: r.start, end: r.end, cells: r.cells.map((c) => [c.text, c.raw, c.start, c.end, c.bold]) })),
  });
  return {
    blocks: model.blocks.map((b) => [b.node.type, b.start, b.end]),
    headings: model.headings,
    sections: model.sections.map(section),
    tables: model.tables.map(table),
    links: model.links,
    anchors: [...model.anchors].sort(),
    codeBlocks: model.codeBlocks,
    textRuns: model.textRuns,
    comments: model.comments,
    frontMatter: model.frontMatter,
    frontMatterRange: model.frontMatterRange,
  };
}

async function diagnostics(model: DocumentModel) {
  const findings = (await findingsOf(model, builtinTemplate(), defaultSettings, TODAY)) ?? [];
  return findings.map(({ finding, severity }) => ({ rule: finding.rule, start: finding.start, end: finding.end, severity, message: finding.message, fixes: finding.fixes }));
}

/** The path and both values of the first difference between two plain values. */
function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${path || '(root)'}: incremental ${JSON.stringify(a)?.slice(0, 300)} vs whole ${JSON.stringify(b)?.slice(0, 300)}`;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/** Applies seeded random edits to a document, checking after each that both parses agree. */
async function check(name: string, original: string, edits: number, seed: number): Promise<void> {
  const random = prng(seed);
  const parser = new ChunkParser();
  const uri = 'file:///work/runbooks/' + name.replace(/[^\w.-]/g, '_');
  let text = original;
  const history: Edit[] = [];
  const versions: string[] = [];
  for (let step = 0; step <= edits; step++) {
    if (step > 0) {
      // Mostly single keystrokes, sometimes a burst of edits between two analyses.
      for (let n = random() < 0.8 ? 1 : 2 + Math.floor(random() * 4); n > 0; n--) {
        const e = randomEdit(text, random);
        history.push(e);
        text = apply(text, e);
      }
    }
    versions.push(text);
    const incremental = buildModel(uri, step + 1, text, parser);
    const whole = buildModel(uri, step + 1, text, new ChunkParser(), true);
    const context = () => {
      // The failing text, to replay by hand: .test-output/ is not committed.
      mkdirSync('.test-output', { recursive: true });
      writeFileSync('.test-output/incremental-failure.md', text);
      writeFileSync('.test-output/incremental-failure.json', JSON.stringify(versions));
      return `${name}, seed ${seed}, step ${step}, last edits ${JSON.stringify(history.slice(-3))}; every version in .test-output/incremental-failure.json`;
    };
    const modelDiff = firstDifference(summary(incremental), summary(whole));
    if (modelDiff) assert.fail(`model differs (${context()}):\n${modelDiff}\naround: ${around(text, modelDiff)}`);
    const diagDiff = firstDifference(await diagnostics(incremental), await diagnostics(whole));
    if (diagDiff) assert.fail(`diagnostics differ (${context()}):\n${diagDiff}`);
  }
}

/** The text near the first offset a difference mentions, to see what construct is involved. */
function around(text: string, diff: string): string {
  const offset = Number(/(\d+)/.exec(diff.split(': incremental')[1] ?? '')?.[1] ?? NaN);
  if (!Number.isFinite(offset)) return '';
  return JSON.stringify(text.slice(Math.max(0, offset - 200), offset + 200));
}

/** Edits per document: documents are parsed whole after every edit, so big ones get fewer. */
function editsFor(size: number): number {
  return Math.max(2, Math.min(20, Math.round((SCALE * 20_000) / Math.max(size, 1))));
}

const corpus = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.md'))
  .filter((f) => !ONLY || f.includes(ONLY))
  .sort()
  .map((f) => ({ name: basename(f), text: readFileSync(join(CORPUS, f), 'utf8') }));

test('incremental model equals a whole parse: the example runbook', async () => {
  await check('payments-api-runbook.md', example, Math.round(SCALE * 12), SEED);
});

test('incremental model equals a whole parse: corpus documents', async () => {
  assert.ok(corpus.length > 0, `no documents in ${CORPUS}`);
  for (const doc of corpus) await check(doc.name, doc.text, editsFor(doc.text.length), SEED ^ hash(doc.name));
});

test('incremental model equals a whole parse: excerpts of corpus documents with many edits', async () => {
  // Pieces of a few kilobytes, cut at line starts, take many more edits for the same time.
  const random = prng(SEED + 1);
  for (const doc of corpus) {
    const from = doc.text.lastIndexOf('\n', Math.floor(random() * doc.text.length)) + 1;
    const piece = doc.text.slice(from, from + 1500 + Math.floor(random() * 2000));
    await check(`${doc.name} excerpt`, piece, Math.round(SCALE * 10), SEED ^ hash(doc.name + ' excerpt'));
  }
});

test('incremental model equals a whole parse: hand-picked chunk boundaries', async () => {
  const cases = [
    '# A\n\n```\n# not a heading\n```\n# B\n',
    '# A\n- item\n  ```\n# heading closes the list\n  ```\n# inside a top-level fence now\n```\n# C\n',
    '# A\n<pre>\n\n# inside pre\n</pre>\n# B\n',
    '# A\n<div>\n# inside html\n\n# B\n',
    '<!-- a\n# inside comment\n-->\n# B\n',
    '---\ntitle: x\n---\n# A\n[r]\n\n# B\n[r]: /u\n',
    '---\ntitle: x\n---\n---\nb: 2\n---\n# A\n',
    '# A\nsee [x] and [^n]\n# B\n[x]:\n  /next-line\n\n[^n]: note\n',
    '# A\n> [q]: /quoted\n\n# B\n[q]\n',
    '# A\nText\n[x]: /not-a-definition\n# B\n[x]\n',
    '\ufeff# A\n[x]\n# B\n[x]: /u\n',
    '# A\r\n```\r\n# code\r\n```\r\n# B\r\n',
    '# A\r```\r# code\r```\r# B\r',
    '# A\n| a | b |\n|---|---|\n# B\n| c |\n',
    '# A\n    ```\n# B\n```\n# C\n',
    '---\n]\n\n[r]: /u\ntitle: x\n---\n````\n# A\n````\r\n[r]\n\n`# B\n[r]: /u\n',
  ];
  for (const [i, text] of cases.entries()) {
    await check(`case ${i}`, text, 0, SEED);
    await check(`case ${i} edited`, text, 12, SEED + i);
  }
});
