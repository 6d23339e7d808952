import fc from 'fast-check';
import type { CompletionList, Diagnostic, DocumentSymbol, FoldingRange, Hover, Location, Position, Range, TextEdit } from 'vscode-languageserver-types';
import { RunbookLanguageService } from '../../server/src/service/languageService';
import { buildModel, type DocumentModel } from '../../server/src/service/model/document';
import { ChunkParser } from '../../server/src/service/model/parse';
import { editDistance, headingKey, nameKey } from '../../server/src/service/model/keys';
import type { DiagnosticData } from '../../server/src/service/features/diagnostics';
import type { OffsetEdit } from '../../server/src/service/rules/types';
import type { RunbookSettings } from '../../server/src/service/settings';
import type { SectionSpec, TemplateSchema } from '../../server/src/service/template/schema';

/*
 * Documents for property tests and `npm run fuzz`, built from the template model (its sections, fields,
 * columns, vocabularies and placeholders) and from mutations of the example runbook, and a harness that
 * judges the language service on them. Shared by test/unit/property.test.ts and scripts/fuzz.mjs (which
 * bundles it with esbuild); the only Node API used is process.cpuUsage, to time analyses.
 */

/** A generated document, how it was made, and where to probe it. */
export interface GeneratedDoc {
  kind: 'template' | 'example' | 'junk';
  text: string;
  /** The document before its last round of line mutations: an editor's previous version. */
  previous: string;
  /** Raw probe coordinates, mapped onto the text by `probePositions`. */
  probes: [number, number][];
  /** Which safe quick fixes to try (indices, taken modulo the number of safe fixes). */
  fixPicks: number[];
}

export interface Sources {
  schema: TemplateSchema;
  /** A clean, filled runbook (examples/payments-api-runbook.md). */
  example: string;
}

// Text pieces

/** Strings that trip position arithmetic: astral and ZWJ emoji, flags, CJK (also astral), combining marks,
 * bidi and zero-width controls, NUL, a BOM in the middle, a lone surrogate, Unicode line separators. */
export const NASTY_STRINGS = [
  '🚀',
  '👩‍💻',
  '🇫🇷',
  '❤️',
  '漢字テスト',
  '𠜎𠜱',
  'e\u0301',
  '\u0301',
  'Z\u0351\u0363\u036b',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\u0000',
  '\u0007',
  '\t',
  '\ud800',
  '\udc00',
  '\u2028',
  '\u0085',
  '\\',
  '\\|',
  '`',
  '<',
  '&amp;',
];

const unicodeText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...NASTY_STRINGS), { maxLength: 4 }).map((a) => a.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 16 }) },
);

const DATES = ['2027-01-31', '2026-11-27', '2020-01-01', '2026-02-30', '31/12/2026', '2026-1-5', 'tomorrow', '2026-13-01', '20261127'];
const PLACEHOLDERS = ['[DATE]', '[System Name]', '[SYSTEM NAME]', '*[Replace with the real purpose]*', '[Name/Role]', '[Internal/Confidential]', '[command]', '[ ]', '[]'];

/** Names and values the template knows: section titles, field names, column names, vocabulary values. */
function templateWords(schema: TemplateSchema) {
  const sections = allSpecs(schema.sections);
  const fields = schema.tables.flatMap((t) => t.fields.map((f) => f.name));
  const columns = schema.tables.flatMap((t) => t.columns.map((c) => c.name));
  const vocabulary = [...schema.tables.flatMap((t) => t.columns.flatMap((c) => c.vocabulary ?? [])), ...[...schema.vocabularies.values()].flat()];
  return {
    headings: sections.flatMap((s) => [s.heading, s.title, `${s.index + 1}. ${s.title}`, s.title.toUpperCase()]),
    fields: fields.length ? fields : ['Owner'],
    columns: columns.length ? columns : ['Field'],
    values: [...vocabulary, 'Urgent', 'N/A', '', ...DATES, ...PLACEHOLDERS],
  };
}

function allSpecs(specs: SectionSpec[]): SectionSpec[] {
  return specs.flatMap((s) => [s, ...allSpecs(s.children)]);
}

/** One line that Markdown, the template matcher or the position code may find hard. */
export function nastyLine(schema: TemplateSchema): fc.Arbitrary<string> {
  const w = templateWords(schema);
  const word = fc.oneof(fc.constantFrom(...w.values), unicodeText);
  const cell = fc.oneof(word, fc.constantFrom(...w.fields).map((f) => `**${f}**`), fc.constantFrom(...w.columns));
  // A template heading with a letter dropped or two swapped: a near miss of the section.
  const typo = fc.tuple(fc.constantFrom(...w.headings), fc.nat(), fc.boolean()).map(([h, n, swap]) => {
    const i = 1 + (n % Math.max(1, h.length - 2));
    return swap ? h.slice(0, i) + h[i + 1] + h[i] + h.slice(i + 2) : h.slice(0, i) + h.slice(i + 1);
  });
  const heading = fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...w.headings) }, { weight: 1, arbitrary: typo }, unicodeText), fc.oneof(fc.constant(''), unicodeText), fc.boolean())
    .map(([depth, text, extra, closed]) => `${'#'.repeat(depth)} ${text}${extra}${closed ? ' ##' : ''}`);
  const row = fc
    .tuple(fc.array(cell, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.boolean())
    .map(([cells, lead, trail]) => `${lead ? '| ' : ''}${cells.join(' | ')}${trail ? ' |' : ''}`);
  const delimiter = fc.integer({ min: 1, max: 5 }).map((n) => `|${'---|'.repeat(n)}`);
  const fence = fc.tuple(fc.constantFrom('```', '````', '~~~', '    ```'), fc.constantFrom('', 'bash', 'sql', ' `x`')).map(([f, lang]) => f + lang);
  const link = fc
    .tuple(unicodeText, fc.oneof(fc.constantFrom(...w.headings).map((h) => h.toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-')), unicodeText))
    .map(([text, anchor]) => `- [${text}](#${anchor})`);
  const comment = fc.constantFrom(
    '<!-- runbook-disable missing-section -->',
    '<!-- runbook-enable missing-section -->',
    '<!-- runbook-disable-next-line placeholder -->',
    '<!-- runbook-disable no-such-rule -->',
    '<!-- runbook-disable-file -->',
    '<!-- optional -->',
    '<!-- unclosed comment',
    '-->',
    '<div>',
    '</div>',
    '<style>',
    '</style>',
    '<script>',
    '<pre>',
    '<textarea>',
    '<?php',
    '<![CDATA[',
    '<!DOCTYPE html>',
  );
  const structural = fc.constantFrom('', '   ', '\t', '---', '***', '===', '> quote', '- item', '1. item', '    indented code', 'runbook: true', '+++', '[ref]: #section-1-system-overview', '[^1]: note');
  return fc.oneof(
    { weight: 3, arbitrary: heading },
    { weight: 4, arbitrary: row },
    { weight: 1, arbitrary: delimiter },
    { weight: 2, arbitrary: fence },
    { weight: 2, arbitrary: link },
    { weight: 1, arbitrary: comment },
    { weight: 2, arbitrary: structural },
    { weight: 3, arbitrary: unicodeText },
    { weight: 2, arbitrary: fc.constantFrom(...PLACEHOLDERS) },
  );
}

// Line mutations

/** A line edit; `at` is a position in ten-thousandths of the document, so it shrinks and scales well. */
export type LineOp =
  | { kind: 'insert'; at: number; line: string }
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'splice'; at: number; column: number; text: string }
  | { kind: 'ragged'; at: number; add: boolean }
  | { kind: 'tabs'; at: number }
  | { kind: 'truncate'; at: number };

const at = fc.nat({ max: 9999 });

export function lineOp(schema: TemplateSchema): fc.Arbitrary<LineOp> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, line: nastyLine(schema) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('splice' as const), at, column: fc.nat({ max: 9999 }), text: fc.oneof(unicodeText, fc.constantFrom(...PLACEHOLDERS)) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('ragged' as const), at, add: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('tabs' as const), at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.integer({ min: 3000, max: 9999 }) }) },
  );
}

/** Applies line edits to LF text. */
export function applyLineOps(text: string, ops: LineOp[]): string {
  let lines = text.split('\n');
  const index = (a: number) => Math.min(lines.length - 1, Math.floor((a * lines.length) / 10000));
  for (const op of ops) {
    const i = index(op.at);
    switch (op.kind) {
      case 'insert':
        lines.splice(i, 0, op.line);
        break;
      case 'delete':
        if (lines.length > 1) lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, lines[i]);
        break;
      case 'splice': {
        const line = lines[i];
        const c = Math.floor((op.column * (line.length + 1)) / 10000);
        lines[i] = line.slice(0, c) + op.text + line.slice(c);
        break;
      }
      case 'ragged': {
        // The nearest table row at or after the line gets one cell more or one fewer.
        const j = lines.findIndex((l, k) => k >= i && /^\s*\|.*\|\s*$/.test(l) && !/^\s*\|[\s:|-]+\|\s*$/.test(l));
        if (j < 0) break;
        if (op.add) lines[j] = lines[j].replace(/\|\s*$/, '| extra |');
        else lines[j] = lines[j].replace(/\|[^|]*\|\s*$/, '|');
        break;
      }
      case 'tabs':
        lines[i] = lines[i].replace(/^( +)/, (m) => '\t'.repeat(Math.ceil(m.length / 4))).replace(/ \| /g, '\t|\t');
        break;
      case 'truncate':
        lines = lines.slice(0, Math.max(1, i));
        break;
    }
  }
  return lines.join('\n');
}

/** Line breaks of a finished document, and a BOM. */
export interface Encoding {
  eol: 'lf' | 'crlf' | 'cr' | 'mixed';
  /** Picks each line's break in a mixed document. */
  mix: number;
  bom: boolean;
  finalNewline: boolean;
}

const encoding: fc.Arbitrary<Encoding> = fc.record({
  eol: fc.oneof({ weight: 5, arbitrary: fc.constant('lf' as const) }, { weight: 2, arbitrary: fc.constant('crlf' as const) }, { weight: 1, arbitrary: fc.constant('cr' as const) }, { weight: 2, arbitrary: fc.constant('mixed' as const) }),
  mix: fc.nat(),
  bom: fc.nat({ max: 9 }).map((n) => n === 0),
  finalNewline: fc.nat({ max: 4 }).map((n) => n !== 0),
});

/** Re-encodes LF text with the chosen line breaks (a small LCG picks them in a mixed document). */
export function encode(text: string, e: Encoding): string {
  let state = e.mix >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return ['\n', '\r\n', '\r'][(state >>> 16) % 3];
  };
  const body = text.replace(/\n+$/, '') + (e.finalNewline ? '\n' : '');
  const out = body.replace(/\n/g, () => (e.eol === 'lf' ? '\n' : e.eol === 'crlf' ? '\r\n' : e.eol === 'cr' ? '\r' : next()));
  return (e.bom ? '\ufeff' : '') + out;
}

// Section structure

/** Splits LF Markdown at ATX headings of exactly `depth`, outside code fences. */
export function splitAtHeadings(text: string, depth: number): { preamble: string; parts: { heading: string; text: string }[] } {
  const lines = text.split('\n');
  const heading = new RegExp(`^#{${depth}}[ \\t]+(.*)$`);
  let fence: string | undefined;
  const parts: { heading: string; lines: string[] }[] = [];
  const preamble: string[] = [];
  for (const line of lines) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = undefined;
    } else if (f) {
      fence = f[1];
    } else {
      const h = heading.exec(line);
      if (h) {
        parts.push({ heading: h[1].replace(/\s+#+\s*$/, ''), lines: [line] });
        continue;
      }
    }
    (parts.length ? parts[parts.length - 1].lines : preamble).push(line);
  }
  return { preamble: preamble.join('\n'), parts: parts.map((p) => ({ heading: p.heading, text: p.lines.join('\n') })) };
}

/** What to do with one top-level section: which body to use and how to disturb its subsections. */
interface SectionPlan {
  keep: boolean;
  filled: boolean;
  /** Subsections kept (by position; missing entries keep the subsection). */
  keepChildren: boolean[];
  swapChildren: [number, number] | null;
}

const sectionPlan: fc.Arbitrary<SectionPlan> = fc.record({
  keep: fc.nat({ max: 9 }).map((n) => n < 8),
  filled: fc.boolean(),
  keepChildren: fc.array(fc.nat({ max: 9 }).map((n) => n < 8), { maxLength: 6 }),
  swapChildren: fc.option(fc.tuple(fc.nat({ max: 6 }), fc.nat({ max: 6 })), { freq: 4 }),
});

function planSection(body: string, depth: number, plan: SectionPlan): string {
  const { preamble, parts } = splitAtHeadings(body, depth + 1);
  let children = parts.filter((_, i) => plan.keepChildren[i] ?? true);
  if (plan.swapChildren && children.length > 1) {
    const [a, b] = plan.swapChildren.map((n) => n % children.length);
    children = children.slice();
    [children[a], children[b]] = [children[b], children[a]];
  }
  return [preamble, ...children.map((c) => c.text)].join('\n');
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

// Documents

/**
 * Documents from the template model: the title, then the template's top-level sections, each either as
 * the template's skeleton (placeholders and all) or as the example's filled section, with sections and
 * subsections dropped, swapped and duplicated; then line mutations, line breaks and a BOM.
 */
export function templateDocument(sources: Sources): fc.Arbitrary<GeneratedDoc> {
  const { schema } = sources;
  const exampleSections = new Map(splitAtHeadings(sources.example, schema.sectionDepth).parts.map((p) => [headingKey(p.heading), p.text]));
  const title = fc.oneof(
    { weight: 3, arbitrary: fc.constant(`# ${schema.title ?? 'System Runbook'}`) },
    { weight: 3, arbitrary: unicodeText.map((name) => `# ${schema.titlePrefix ?? 'System Runbook'}: ${name}`) },
    { weight: 1, arbitrary: nastyLine(schema) },
    { weight: 1, arbitrary: fc.constant('') },
  );
  const n = schema.sections.length;
  return fc
    .record({
      title,
      plans: fc.array(sectionPlan, { minLength: n, maxLength: n }),
      swaps: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: 2 }),
      duplicates: fc.array(fc.nat({ max: n - 1 }), { maxLength: 2 }),
      ops: fc.array(lineOp(schema), { maxLength: 12 }),
      encoding,
      probes,
      fixPicks,
    })
    .map((r) => {
      let bodies = schema.sections.map((spec, i) => {
        const plan = r.plans[i];
        if (!plan.keep) return undefined;
        const filled = plan.filled ? exampleSections.get(spec.key) : undefined;
        return ensureNewline(planSection(filled ?? spec.skeleton, spec.depth, plan));
      });
      for (const [a, b] of r.swaps) [bodies[a], bodies[b]] = [bodies[b], bodies[a]];
      for (const d of r.duplicates) if (bodies[d]) bodies = [...bodies.slice(0, d + 1), bodies[d], ...bodies.slice(d + 1)];
      const before = [r.title, '', ...bodies.filter((b): b is string => b !== undefined)].join('\n');
      return {
        kind: 'template' as const,
        previous: encode(before, r.encoding),
        text: encode(applyLineOps(before, r.ops), r.encoding),
        probes: r.probes,
        fixPicks: r.fixPicks,
      };
    });
}

/** The example runbook with a few line mutations, line breaks and a BOM. */
export function exampleMutation(sources: Sources): fc.Arbitrary<GeneratedDoc> {
  const example = sources.example;
  return fc.record({ ops: fc.array(lineOp(sources.schema), { minLength: 1, maxLength: 10 }), encoding, probes, fixPicks }).map((r) => ({
    kind: 'example' as const,
    previous: encode(example, r.encoding),
    text: encode(applyLineOps(example, r.ops), r.encoding),
    probes: r.probes,
    fixPicks: r.fixPicks,
  }));
}

/** Short documents made of hard lines only. */
export function junkDocument(sources: Sources): fc.Arbitrary<GeneratedDoc> {
  return fc.record({ lines: fc.array(nastyLine(sources.schema), { maxLength: 40 }), encoding, probes, fixPicks }).map((r) => {
    const text = encode(r.lines.join('\n'), r.encoding);
    return { kind: 'junk' as const, previous: encode(r.lines.slice(1).join('\n'), r.encoding), text, probes: r.probes, fixPicks: r.fixPicks };
  });
}

const probes = fc.array(fc.tuple(fc.nat({ max: 10999 }), fc.nat({ max: 10999 })), { maxLength: 12 });
const fixPicks = fc.array(fc.nat(), { maxLength: 3 });

/** Every kind of generated document. */
export function documents(sources: Sources): fc.Arbitrary<GeneratedDoc> {
  return fc.oneof({ weight: 4, arbitrary: templateDocument(sources) }, { weight: 3, arbitrary: exampleMutation(sources) }, { weight: 2, arbitrary: junkDocument(sources) });
}

// Positions, computed independently of the service's LineIndex

/** Lines as LSP counts them: split at \r\n, \r and \n. */
export function lspLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  const re = /\r\n|\r|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

/** Offset of an LSP position (assumed valid) in the text. */
export function offsetOf(text: string, p: Position, starts = lineStarts(text)): number {
  return starts[p.line] + p.character;
}

/** Why a position is not a place in the document, or undefined when it is. */
export function positionProblem(lines: string[], p: Position): string | undefined {
  if (!Number.isInteger(p?.line) || !Number.isInteger(p?.character)) return `not a position: ${JSON.stringify(p)}`;
  if (p.line < 0 || p.line >= lines.length) return `line ${p.line} outside 0..${lines.length - 1}`;
  const line = lines[p.line];
  if (p.character < 0 || p.character > line.length) return `character ${p.character} outside 0..${line.length} on line ${p.line}`;
  const before = line.charCodeAt(p.character - 1);
  const after = line.charCodeAt(p.character);
  if (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff) return `character ${p.character} on line ${p.line} splits a surrogate pair`;
  return undefined;
}

/** Why a range is not a range of the document, or undefined when it is. */
export function rangeProblem(lines: string[], r: Range): string | undefined {
  const problem = positionProblem(lines, r?.start) ?? positionProblem(lines, r?.end);
  if (problem) return problem;
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) return `start after end: ${JSON.stringify(r)}`;
  return undefined;
}

/** Concrete positions for raw probe coordinates: a little past the last line and past line ends too. */
export function probePositions(text: string, raw: [number, number][]): Position[] {
  const lines = lspLines(text);
  const fixed: Position[] = [
    { line: 0, character: 0 },
    { line: lines.length - 1, character: lines[lines.length - 1].length },
    { line: 1_000_000, character: 0 },
    { line: 0, character: 1_000_000 },
    { line: -1, character: -1 },
  ];
  return [
    ...fixed,
    ...raw.map(([l, c]) => {
      const line = Math.floor((l * lines.length) / 10000);
      const length = lines[line]?.length ?? 0;
      return { line, character: Math.floor((c * (length + 1)) / 10000) };
    }),
  ];
}

// Judging results

/** True when `small` is a subsequence of `big` (characters in order, gaps allowed). */
export function isSubsequence(small: string, big: string): boolean {
  let j = 0;
  for (let i = 0; i < small.length; i++) {
    j = big.indexOf(small[i], j);
    if (j < 0) return false;
    j++;
  }
  return true;
}

/** Template placeholder text that a safe fix may replace: `[DATE]`, `*[Replace with ...]*`. */
export const REPLACEABLE = /^[*_]?\[[^[\]\n]{1,200}\][*_]?$/;

/** Applies offset edits after checking they do not overlap; edits at one offset apply in the order given. */
export function applyChecked(text: string, edits: OffsetEdit[]): { text: string } | { problem: string } {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const { e } of sorted) {
    if (e.start < pos || e.end < e.start || e.end > text.length) return { problem: `edits overlap or leave the text: ${JSON.stringify(edits.map(({ start, end }) => [start, end]))}` };
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return { text: out + text.slice(pos) };
}

/** Where an offset of the original text is after the edits (`right`: after text inserted at it). */
export function mapOffset(offset: number, edits: OffsetEdit[], bias: 'left' | 'right'): number {
  let delta = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    if (e.start > offset || (e.start === offset && e.end === offset && bias === 'left')) break;
    if (e.end <= offset) delta += e.newText.length - (e.end - e.start);
    else return e.start + delta + (bias === 'right' ? e.newText.length : 0);
  }
  return offset + delta;
}

/** The text with some ranges cut out. */
export function without(text: string, ranges: { start: number; end: number }[]): string {
  let out = '';
  let pos = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    if (r.start < pos) continue;
    out += text.slice(pos, r.start);
    pos = r.end;
  }
  return out + text.slice(pos);
}

function fixesOf(d: Diagnostic) {
  return ((d.data as DiagnosticData | undefined)?.fixes ?? []).map((f) => ({ ...f, rule: String(d.code) }));
}

function describe(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? text.slice(0, max) + '…' : text);
}

/** The kinds of line break in a text. */
function breakKinds(text: string): Set<string> {
  return new Set(text.match(/\r\n|\r|\n/g) ?? []);
}

/**
 * Every original line is a line of the fixed text, in order: as it was, or (a table row with a pipe)
 * with cells added at its end, or with a placeholder replaced. A line without a pipe that GFM takes
 * into a table is prose and must stay exactly as written.
 */
export function lostLines(original: string, fixed: string, replaced: { start: number; end: number }[]): string[] {
  // The byte-order mark is no part of the first line (whether it is kept is judged on its own).
  const bom = original.startsWith('\ufeff') ? 1 : 0;
  const before = lspLines(original.slice(bom));
  const after = lspLines(fixed.replace(/^\ufeff/, ''));
  const starts = lineStarts(original.slice(bom)).map((s) => s + bom);
  const problems: string[] = [];
  let j = 0;
  before.forEach((line, i) => {
    const start = starts[i];
    const end = start + line.length;
    const touched = replaced.filter((r) => r.start < end && r.end > start);
    const keptAs = (candidate: string) => {
      if (candidate === line) return true;
      if (touched.length) return isSubsequence(without(line, touched.map((r) => ({ start: Math.max(0, r.start - start), end: Math.min(line.length, r.end - start) }))), candidate);
      return /(?:^|[^\\])\|/.test(line) && candidate.startsWith(line.trimEnd());
    };
    let k = j;
    while (k < after.length && !keptAs(after[k])) k++;
    if (k === after.length) {
      if (problems.length < 3) problems.push(`line ${i + 1} ${describe(line)} is not in the fixed text as written`);
      return;
    }
    j = k + 1;
  });
  return problems;
}

/** Template keys of a text's heading lines (ATX, up to three spaces in), with whether each is a real heading of the model. */
function headingLines(model: DocumentModel): { key: string; depth: number; real: boolean; start: number }[] {
  const real = new Set(model.headings.map((h) => h.line));
  const out: { key: string; depth: number; real: boolean; start: number }[] = [];
  // Lines in front matter count too: fix-all may make it a separator (seed 3988), which shows the headings the person wrote there.
  for (let line = 0; line < model.lines.lineCount; line++) {
    const start = model.lines.lineStarts[line];
    const m = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(model.lines.lineText(line));
    if (m) out.push({ key: headingKey(m[2] ?? ''), depth: m[1].length, real: real.has(line), start });
  }
  // Setext headings are real headings too.
  for (const h of model.headings) if (!out.some((o) => o.start === model.lines.lineStarts[h.line])) out.push({ key: headingKey(h.text), depth: h.depth, real: true, start: model.lines.lineStarts[h.line] });
  return out;
}

/** A key is a near miss of another: one edit apart on keys of five characters or more (the matcher takes such a heading for the section). */
function near(a: string, b: string): boolean {
  return a === b || (Math.max(a.length, b.length) >= 5 && editDistance(a, b, 1) <= 1);
}

/**
 * What fix-all must never do, judged from the texts before and after (issue 13): insert a template
 * section the document has under a near-miss name, at another level or inside a block; insert more
 * template headings than the diagnostics said were missing; insert a field the document has under a
 * near-miss name or inside an open block; lose or drop the BOM; write other line breaks than the
 * document's.
 */
export function fixAllInvariantProblems(schema: TemplateSchema, original: string, fixed: string, diagnostics: Diagnostic[]): string[] {
  const problems: string[] = [];
  if (original.startsWith('\ufeff') !== fixed.startsWith('\ufeff')) problems.push(`fix-all ${original.startsWith('\ufeff') ? 'dropped' : 'added'} the byte-order mark`);
  const kinds = breakKinds(original);
  if (kinds.size === 1) {
    const other = [...breakKinds(fixed)].filter((k) => !kinds.has(k));
    if (other.length) problems.push(`fix-all wrote ${JSON.stringify(other)} line breaks into a document that has only ${JSON.stringify([...kinds])}`);
  }
  if (fixed === original) return problems;
  const parse = (text: string) => buildModel('file:///judge.md', 1, text, new ChunkParser(), true);
  const before = parse(original);
  const after = parse(fixed);
  const tops = schema.sections;
  const topKeys = new Set(tops.map((s) => s.key));
  const allKeys = new Set(allSpecs(tops).map((s) => s.key));
  const linesBefore = headingLines(before);
  const linesAfter = headingLines(after);
  const countKey = (lines: typeof linesBefore, key: string) => lines.filter((l) => l.key === key).length;
  // At most as many template headings as the missing-section and missing-subsection fixes promised.
  let promised = 0;
  for (const d of diagnostics) {
    if (d.code !== 'missing-section' && d.code !== 'missing-subsection') continue;
    const fix = fixesOf(d).find((f) => f.safe);
    for (const e of fix?.edits ?? []) for (const l of lspLines(e.newText)) if (/^#{1,6}[ \t]/.test(l) && allKeys.has(headingKey(l.replace(/^#+[ \t]+/, '')))) promised++;
  }
  const inserted = linesAfter.filter((l) => allKeys.has(l.key)).length - linesBefore.filter((l) => allKeys.has(l.key)).length;
  if (inserted > promised) problems.push(`fix-all inserted ${inserted} template headings; the diagnostics promised ${promised}`);
  // A top-level section the document has at another level, misspelt by a letter, or inside a block is not inserted again.
  for (const key of topKeys) {
    const inBlock = (at: number) => before.rawBlocks.some((b) => b.top && b.start < at && at < b.end);
    const had = linesBefore.find((l) => (l.real ? near(l.key, key) && !(allKeys.has(l.key) && l.key !== key) : l.key === key && l.depth >= schema.sectionDepth && inBlock(l.start)));
    if (had && countKey(linesAfter, key) > countKey(linesBefore, key)) problems.push(`fix-all inserted section "${key}", which the document has at line ${before.lines.positionAt(had.start).line + 1}`);
  }
  // Fields: a row the document has inside a block that runs to the end, or misspelt by a letter in the template's table, is not inserted again.
  for (const table of schema.tables.filter((t) => t.keyed && !t.optional)) {
    const header = table.columns.map((c) => c.key).join('|');
    for (const field of table.fields) {
      // Rows of the table, and rows written inside a raw block: closing a block that took in a copy of the table shows rows the person wrote, it inserts none.
      const rowsOf = (model: DocumentModel) =>
        model.tables.filter((t) => t.header.cells.map((c) => nameKey(c.text)).join('|') === header).flatMap((t) => t.rows).filter((r) => nameKey(r.cells[0]?.text ?? '') === field.key).length +
        model.rawBlocks.filter((b) => b.top).flatMap((b) => b.lines).filter((l) => l.cell !== undefined && nameKey(l.cell) === field.key).length;
      const misspelt = before.tables.some((t) => t.header.cells.map((c) => nameKey(c.text)).join('|') === header && t.rows.some((r) => near(nameKey(r.cells[0]?.text ?? ''), field.key)));
      // Inside a block that runs to the end from within the table's own section (elsewhere the row is no field of it).
      const section = table.section;
      const home = section && before.headings.find((h) => headingKey(h.text) === section.key);
      const homeEnd = home && before.headings.find((h) => h.start > home.start && h.depth <= home.depth)?.start;
      const inside = !!home && before.rawBlocks.some((b) => !b.closed && b.top && b.start > home.start && (homeEnd === undefined || b.start < homeEnd) && original.slice(b.end).trim() === '' && b.lines.some((l) => l.cell !== undefined && nameKey(l.cell) === field.key));
      if ((misspelt || inside) && rowsOf(after) > rowsOf(before)) problems.push(`fix-all inserted field "${field.name}", which the document has ${inside ? 'inside an unclosed block' : 'under a near-miss name'}`);
    }
  }
  return problems;
}

/** Fix violations found on one document. */
export interface FixReport {
  problems: string[];
}

/** What broke on one document, by kind (each a list of readable problems). */
export interface DocReport {
  crashes: string[];
  hangs: string[];
  ranges: string[];
  determinism: string[];
  fixes: string[];
  diagnostics: number;
  /** Analysis CPU time in milliseconds. */
  ms: number;
}

export interface Timing {
  /** Wall time in milliseconds. */
  wallMs: number;
  /**
   * CPU time of this process in milliseconds: what a hang is judged by, so that a loaded machine does not
   * turn a slow run into a false hang (an analysis that never ends uses CPU all along).
   */
  ms: number;
}

/** Starts measuring; the returned function reads the wall and CPU time since. */
export function startClock(): () => Timing {
  const wall = performance.now();
  const cpu = typeof process !== 'undefined' ? process.cpuUsage() : undefined;
  return () => {
    const wallMs = performance.now() - wall;
    const used = cpu ? process.cpuUsage(cpu) : undefined;
    return { wallMs, ms: used ? (used.user + used.system) / 1000 : wallMs };
  };
}

export interface Analysis extends Timing {
  diagnostics: Diagnostic[];
}

/** One document as an editor holds it: a service kept across versions, so re-analysis reuses parsed chunks. */
export class Session {
  readonly service = new RunbookLanguageService();
  private version = 0;

  constructor(private readonly harness: Harness) {}

  /** The model of the next version of the document. */
  model(text: string) {
    return this.service.getModel({ uri: this.harness.uri, version: ++this.version, getText: () => text });
  }

  /** Diagnostics of the next version of the document, timed. Throws what the service throws. */
  async analyse(text: string): Promise<Analysis & { model: ReturnType<Session['model']> }> {
    const clock = startClock();
    const model = this.model(text);
    const diagnostics = (await this.service.diagnostics(model, this.harness.schema, this.harness.settings, this.harness.today))!;
    return { diagnostics, model, ...clock() };
  }
}

/** Diagnostics as JSON lines, the document version in their fix data left out (everything else must be equal). */
function comparable(list: Diagnostic[]): string[] {
  return list.map((d) => JSON.stringify({ ...d, data: { ...(d.data as object), version: 0 } }));
}

/**
 * Runs the language service on documents and reports broken properties as readable strings (empty when
 * every property holds). Each document gets its own session (a service), as an editor would.
 */
export class Harness {
  constructor(
    readonly schema: TemplateSchema,
    readonly settings: RunbookSettings,
    readonly today: string,
    readonly uri = 'file:///fuzz/runbooks/generated-runbook.md',
  ) {}

  session(): Session {
    return new Session(this);
  }

  /** Diagnostics of the text from a fresh service, timed. */
  analyse(text: string): Promise<Analysis> {
    return this.session().analyse(text);
  }

  /** Every diagnostic range and every fix edit range lies inside the document. */
  rangeProblems(text: string, diagnostics: Diagnostic[]): string[] {
    const lines = lspLines(text);
    const problems: string[] = [];
    for (const d of diagnostics) {
      const p = rangeProblem(lines, d.range);
      if (p) problems.push(`${d.code} "${d.message}": ${p}`);
      for (const fix of fixesOf(d)) {
        for (const e of fix.edits) {
          const q = rangeProblem(lines, e.range);
          if (q) problems.push(`${d.code} fix "${fix.title}": ${q}`);
        }
      }
    }
    return problems;
  }

  /**
   * Re-analysis gives the same diagnostics: after the session moved to the previous version and back
   * (reusing parsed chunks both ways, as the server does while a person types), and from a whole-document
   * parse by a fresh service (no chunks at all).
   */
  async determinismProblems(session: Session, text: string, previous: string, first: Diagnostic[]): Promise<string[]> {
    const problems: string[] = [];
    const expected = comparable(first);
    const compare = (label: string, got: Diagnostic[] | undefined) => {
      const actual = comparable(got ?? []);
      if (got && actual.join('\n') === expected.join('\n')) return;
      const i = Math.max(0, actual.findIndex((d, k) => d !== expected[k]));
      problems.push(`${label} differs at #${i} (${expected.length} vs ${actual.length}): ${(expected[i] ?? 'none').slice(0, 400)} vs ${(actual[i] ?? 'none').slice(0, 400)}`);
    };
    await session.analyse(previous);
    compare('re-analysis after an edit and its undo', (await session.analyse(text)).diagnostics);
    const whole = buildModel(this.uri, 1, text, new ChunkParser(), true);
    compare('an analysis of a whole-document parse', await new RunbookLanguageService().diagnostics(whole, this.schema, this.settings, this.today));
    return problems;
  }

  /** No safe fix replaces anything but template placeholder text. Cheap: no re-analysis. */
  safeEditProblems(text: string, diagnostics: Diagnostic[]): string[] {
    const starts = lineStarts(text);
    const problems: string[] = [];
    for (const d of diagnostics) {
      for (const fix of fixesOf(d).filter((f) => f.safe)) {
        for (const e of fix.edits) {
          const start = offsetOf(text, e.range.start, starts);
          const end = offsetOf(text, e.range.end, starts);
          const replaced = text.slice(start, end);
          if (replaced && !REPLACEABLE.test(replaced)) problems.push(`${d.code} safe fix "${fix.title}" replaces ${describe(replaced)}, which is not a placeholder`);
        }
      }
    }
    return problems;
  }

  /**
   * Safe quick fixes picked by `picks`, each applied alone: the fixed text keeps the original (a
   * subsequence, placeholders it replaced aside) and no diagnostic of the rule with the same message is
   * left at the place it fixed (the rule may still report another section or field there).
   */
  async quickFixProblems(session: Session, text: string, diagnostics: Diagnostic[], picks: number[]): Promise<FixReport & { checked: number }> {
    const safe = diagnostics.flatMap((d) => fixesOf(d).filter((f) => f.safe).map((fix) => ({ d, fix })));
    if (!safe.length) return { checked: 0, problems: [] };
    const chosen = [...new Set(picks.map((p) => p % safe.length))].map((i) => safe[i]);
    const starts = lineStarts(text);
    const problems: string[] = [];
    for (const { d, fix } of chosen) {
      const label = `${d.code} fix "${fix.title}" at ${d.range.start.line}:${d.range.start.character}`;
      const edits: OffsetEdit[] = fix.edits.map((e: TextEdit) => ({ start: offsetOf(text, e.range.start, starts), end: offsetOf(text, e.range.end, starts), newText: e.newText }));
      const applied = applyChecked(text, edits);
      if ('problem' in applied) {
        problems.push(`${label}: ${applied.problem}`);
        continue;
      }
      const fixed = applied.text;
      const replaced = edits.filter((e) => e.end > e.start);
      if (!isSubsequence(without(text, replaced), fixed)) problems.push(`${label}: lost original text`);
      const from = mapOffset(offsetOf(text, d.range.start, starts), edits, 'left');
      const to = mapOffset(offsetOf(text, d.range.end, starts), edits, 'right');
      const after = await session.analyse(fixed);
      const fixedStarts = lineStarts(fixed);
      const left = after.diagnostics.filter((a) => {
        if (a.code !== d.code || a.message !== d.message) return false;
        const s = offsetOf(fixed, a.range.start, fixedStarts);
        const e = offsetOf(fixed, a.range.end, fixedStarts);
        return s <= to && e >= from;
      });
      if (left.length) problems.push(`${label}: still reported after the fix ("${d.message}")`);
    }
    return { checked: chosen.length, problems };
  }

  /**
   * Fix-all keeps the original text (placeholders replaced by safe fixes aside), leaves nothing a safe fix
   * could fix, and a second fix-all returns no edits.
   */
  async fixAllProblems(session: Session, text: string, diagnostics: Diagnostic[]): Promise<FixReport & { fixed: string; ms: number }> {
    const problems: string[] = [];
    const model = session.model(text);
    const clock = startClock();
    const edits = await session.service.fixAll(model, this.schema, this.settings, this.today);
    const { ms } = clock();
    const applied = applyChecked(text, edits);
    if ('problem' in applied) return { fixed: text, ms, problems: [`fix-all: ${applied.problem}`] };
    const fixed = applied.text;
    const starts = lineStarts(text);
    const placeholders = diagnostics.flatMap((d) => fixesOf(d).filter((f) => f.safe).flatMap((f) => f.edits)).map((e) => ({ start: offsetOf(text, e.range.start, starts), end: offsetOf(text, e.range.end, starts) })).filter((r) => r.end > r.start);
    if (!isSubsequence(without(text, placeholders), fixed)) problems.push('fix-all lost original text');
    problems.push(...lostLines(text, fixed, placeholders).map((p) => `fix-all changed a line: ${p}`));
    problems.push(...fixAllInvariantProblems(this.schema, text, fixed, diagnostics));
    const after = await session.analyse(fixed);
    const second = await session.service.fixAll(after.model, this.schema, this.settings, this.today);
    if (second.length) problems.push(`fix-all is not idempotent: a second run returns ${second.length} edits, first ${describe(second[0].newText)} at ${second[0].start}`);
    const left = after.diagnostics.filter((d) => fixesOf(d).some((f) => f.safe));
    if (left.length && !second.length) problems.push(`fix-all left ${left.length} safe-fixable diagnostics it cannot fix, first ${left[0].code} "${left[0].message}"`);
    return { fixed, ms, problems };
  }

  /** Completions, hover, definition, symbols and folding at the probes: no throw, results inside the document. */
  navigationProblems(session: Session, text: string, raw: [number, number][]): { crashes: string[]; problems: string[] } {
    const service = session.service;
    const model = session.model(text);
    const lines = lspLines(text);
    const problems: string[] = [];
    const crashes: string[] = [];
    const check = (what: string, range: Range | undefined) => {
      const p = range && rangeProblem(lines, range);
      if (p) problems.push(`${what}: ${p}`);
    };
    const guard = <T>(what: string, f: () => T): T | undefined => {
      try {
        return f();
      } catch (error) {
        crashes.push(`${what} threw ${(error as Error).stack ?? error}`);
        return undefined;
      }
    };
    for (const position of probePositions(text, raw)) {
      const at = `${position.line}:${position.character}`;
      const list = guard<CompletionList | null>(`completions at ${at}`, () => service.completions(model, this.schema, position, this.today));
      for (const item of list?.items ?? []) {
        const edit = item.textEdit;
        if (edit && 'range' in edit) check(`completion "${item.label}" at ${at}`, edit.range);
      }
      const hover = guard<Hover | undefined>(`hover at ${at}`, () => service.hover(model, this.schema, position));
      check(`hover at ${at}`, hover?.range);
      const location = guard<Location | undefined>(`definition at ${at}`, () => service.definition(model, position));
      check(`definition at ${at}`, location?.range);
    }
    const symbols = guard<DocumentSymbol[]>('document symbols', () => service.documentSymbols(model, this.schema)) ?? [];
    const visit = (s: DocumentSymbol) => {
      check(`symbol "${s.name}"`, s.range);
      check(`symbol "${s.name}" selection`, s.selectionRange);
      s.children?.forEach(visit);
    };
    symbols.forEach(visit);
    for (const f of guard<FoldingRange[]>('folding ranges', () => service.foldingRanges(model)) ?? []) {
      if (!(f.startLine >= 0 && f.startLine <= f.endLine && f.endLine < lines.length)) problems.push(`folding range ${f.startLine}-${f.endLine} outside 0..${lines.length - 1}`);
    }
    return { crashes, problems };
  }

  /**
   * Every property on one document, for the fuzz run: what broke, by kind. A throw is a crash; a service
   * call using more than `hangMs` of CPU is a hang.
   */
  async check(doc: GeneratedDoc, hangMs = 5000): Promise<DocReport> {
    const report: DocReport = { crashes: [], hangs: [], ranges: [], determinism: [], fixes: [], diagnostics: 0, ms: 0 };
    const stage = async (name: string, run: () => Promise<void> | void) => {
      try {
        await run();
      } catch (error) {
        report.crashes.push(`${name}: ${(error as Error).stack ?? error}`);
      }
    };
    const session = this.session();
    let analysis: (Analysis & { model: DocumentModel }) | undefined;
    await stage('analysis', async () => {
      analysis = await session.analyse(doc.text);
    });
    if (!analysis) return report;
    const { diagnostics, ms } = analysis;
    report.diagnostics = diagnostics.length;
    report.ms = ms;
    if (ms > hangMs) report.hangs.push(`analysis took ${Math.round(ms)} ms of CPU time`);
    report.ranges.push(...this.rangeProblems(doc.text, diagnostics));
    await stage('re-analysis', async () => {
      report.determinism.push(...(await this.determinismProblems(session, doc.text, doc.previous, diagnostics)));
    });
    report.fixes.push(...this.safeEditProblems(doc.text, diagnostics));
    await stage('quick fixes', async () => {
      const r = await this.quickFixProblems(session, doc.text, diagnostics, doc.fixPicks);
      report.fixes.push(...r.problems);
    });
    await stage('fix-all', async () => {
      const r = await this.fixAllProblems(session, doc.text, diagnostics);
      if (r.ms > hangMs) report.hangs.push(`fix-all took ${Math.round(r.ms)} ms of CPU time`);
      report.fixes.push(...r.problems);
    });
    await stage('navigation', () => {
      const r = this.navigationProblems(session, doc.text, doc.probes);
      report.crashes.push(...r.crashes);
      report.ranges.push(...r.problems);
    });
    return report;
  }
}
