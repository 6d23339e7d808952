import type { Heading as MdHeading, Nodes, Parents, PhrasingContent, Root, Table as MdTable } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { slug } from 'github-slugger';
import { LineIndex } from './text';
import { blocksOf, bomLength, endsClosed, openingOf, type ChunkParser, type Block } from './parse';

/** A heading of the document. Offsets are absolute in the document text. */
export interface Heading {
  depth: number;
  /** Plain text of the heading, as a reader sees it. */
  text: string;
  /** GitHub anchor of the heading (github-slugger, duplicates numbered). */
  slug: string;
  start: number;
  end: number;
  /** Offsets of the heading's text (after the `#` marks). */
  textStart: number;
  textEnd: number;
  line: number;
}

/** A heading with everything up to the next heading of the same or a higher level. */
export interface Section {
  heading: Heading;
  depth: number;
  parent: Section | undefined;
  children: Section[];
  /** From the heading's start to the end of its last descendant's content. */
  start: number;
  end: number;
  /** Blocks between the heading and its first child heading. */
  blocks: Block[];
}

export interface TableCell {
  /** Plain text of the cell. */
  text: string;
  /** Source of the cell without the pipes and outer spaces. */
  raw: string;
  /** Offsets of `raw`; for an empty cell both sit where a value would be typed. */
  start: number;
  end: number;
  /** The cell's content is bold (`**Key**`), which marks a field name in a key/value table. */
  bold: boolean;
}

export interface TableRow {
  cells: TableCell[];
  line: number;
  start: number;
  end: number;
}

export interface Table {
  header: TableRow;
  rows: TableRow[];
  start: number;
  end: number;
  /** The innermost section holding the table. */
  section: Section | undefined;
  /** The innermost heading above the table, which may be a component heading below a subsection. */
  heading: Heading | undefined;
}

export interface Link {
  url: string;
  /** The part after `#`, decoded, when the link points at a heading of this or another file. */
  fragment: string | undefined;
  /** The part before `#`, empty for a link into this document. */
  path: string;
  start: number;
  end: number;
  /** Offsets of the destination (`#anchor`) inside the link's source, or of the whole link. */
  targetStart: number;
  targetEnd: number;
}

/** A run of literal document text that may hold placeholders or credentials. */
export interface TextRun {
  start: number;
  end: number;
  kind: 'text' | 'code' | 'inlineCode' | 'html';
}

export interface CodeBlock {
  lang: string | undefined;
  start: number;
  end: number;
}

/** A line inside a raw block that would be a heading or a table row if the block were closed before it. */
export interface RawLine {
  /** Offset of the line's start. */
  start: number;
  heading?: { depth: number; text: string };
  /** The first cell of a table row. */
  cell?: string;
}

/**
 * A fenced code block, an HTML block or a comment: text that Markdown does not read. One left open
 * takes in everything up to the end of its container, headings included.
 */
export interface RawBlock {
  /** Front matter only as `Match.unclosed` sees it: text read as metadata that takes in template headings. */
  kind: 'fence' | 'html' | 'comment' | 'frontmatter';
  /** Its opening as a person would name it: "```bash", "<style>", "<!--". */
  opener: string;
  start: number;
  end: number;
  /** Ended by its own closing line (or, for HTML blocks that end so, a blank line); false when the end of its container did. */
  closed: boolean;
  /** The line that would close it in its container ('' when a blank line closes it). */
  closer: string;
  /** At the top level of the document, not in a list item or block quote. */
  top: boolean;
  /** Lines after its first that would be ATX headings or table rows outside it (top-level blocks only). */
  lines: RawLine[];
}

/** The parsed document every feature shares: built once per (uri, version). */
export interface DocumentModel {
  uri: string;
  version: number;
  text: string;
  lines: LineIndex;
  blocks: Block[];
  headings: Heading[];
  /** Root sections: the document's headings of the lowest depth and their subtrees. */
  sections: Section[];
  tables: Table[];
  links: Link[];
  anchors: Set<string>;
  codeBlocks: CodeBlock[];
  /** Fenced code blocks, HTML blocks and comments, in document order, nested ones included. */
  rawBlocks: RawBlock[];
  textRuns: TextRun[];
  frontMatter: Record<string, string> | undefined;
  frontMatterRange: { start: number; end: number } | undefined;
  /** Comments `<!-- ... -->` with their offsets, for suppressions. */
  comments: { value: string; start: number; end: number }[];
}

/** Builds the model from text. `parser` keeps parsed chunks between versions of the same document. */
export function buildModel(uri: string, version: number, text: string, parser: ChunkParser, whole = false): DocumentModel {
  const bom = bomLength(text);
  const chunks = parser.parse(bom ? text.slice(bom) : text, whole);
  if (bom) for (const c of chunks) c.start += bom;
  const lines = new LineIndex(text);
  const blocks = blocksOf(chunks);
  const model: DocumentModel = {
    uri,
    version,
    text,
    lines,
    blocks,
    headings: [],
    sections: [],
    tables: [],
    links: [],
    anchors: new Set(),
    codeBlocks: [],
    rawBlocks: [],
    textRuns: [],
    frontMatter: undefined,
    frontMatterRange: undefined,
    comments: [],
  };
  // What each chunk yields is computed once per parsed chunk and only shifted to where it now starts.
  const facts = chunks.map((c) => factsOf(c.tree, text, c.start - c.shift));
  const definitions = new Map<string, string>();
  for (const f of facts) for (const [id, url] of f.definitions) if (!definitions.has(id)) definitions.set(id, url);
  // GitHub's anchors: the heading's slug, numbered from the second time it occurs (as github-slugger does).
  const occurrences = new Map<string, number>();
  const numbered = (base: string) => {
    let result = base;
    while (occurrences.has(result)) {
      const n = occurrences.get(base)! + 1;
      occurrences.set(base, n);
      result = `${base}-${n}`;
    }
    occurrences.set(result, 0);
    return result;
  };

  const stack: Section[] = [];
  let current: Section | undefined;
  let b = 0;
  const textRuns: TextRun[][] = [];
  for (let i = 0; i < chunks.length; i++) {
    const f = facts[i];
    const base = chunks[i].start - chunks[i].shift;
    const p = placedFacts(f, base, lines, chunks[i].start);
    let table = 0;
    let anchor = 0;
    const count = chunks[i].tree.children.length;
    for (let j = 0; j < count; j++, b++) {
      const block = blocks[b];
      const node = block.node;
      const h = f.headings[j];
      if (h) {
        const line = lines.positionAt(block.start).line;
        const heading: Heading = {
          depth: h.depth,
          text: h.text,
          slug: numbered(h.slug),
          start: block.start,
          end: lines.lineEnd(line),
          textStart: h.textStart + base,
          textEnd: h.textEnd + base,
          line,
        };
        model.headings.push(heading);
        model.anchors.add(heading.slug);
        while (stack.length && stack[stack.length - 1].depth >= heading.depth) stack.pop();
        const parent = stack[stack.length - 1];
        const section: Section = { heading, depth: heading.depth, parent, children: [], start: block.start, end: block.end, blocks: [] };
        (parent ? parent.children : model.sections).push(section);
        stack.push(section);
        current = section;
        for (const s of stack) s.end = block.end;
      } else {
        if (current) {
          current.blocks.push(block);
          for (const s of stack) s.end = block.end;
        }
        if (node.type === 'yaml' || (node.type as string) === 'toml') {
          if (block.start <= 1) {
            model.frontMatter = parseFrontMatter((node as { value: string }).value);
            model.frontMatterRange = { start: block.start, end: block.end };
          }
          continue;
        }
      }
      for (; anchor < f.anchors.length && f.anchors[anchor].block === j; anchor++) model.anchors.add(f.anchors[anchor].anchor);
      for (; table < f.tables.length && f.tables[table].block === j; table++) {
        const rows = p.tableRows[table];
        const t = f.tables[table];
        model.tables.push({ header: rows[0], rows: rows.slice(1), start: t.start + base, end: t.end + base, section: stack[stack.length - 1], heading: model.headings[model.headings.length - 1] });
      }
    }
    textRuns.push(p.textRuns);
    for (const c of p.codeBlocks) model.codeBlocks.push(c);
    for (const r of p.rawBlocks) model.rawBlocks.push(r);
    for (const c of p.comments) model.comments.push(c);
    for (const l of f.links) {
      if (l.url !== undefined) {
        model.links.push({ url: l.url, fragment: l.fragment, path: l.path, start: l.start + base, end: l.end + base, targetStart: l.targetStart + base, targetEnd: l.targetEnd + base });
      } else {
        const url = definitions.get(l.identifier);
        if (url !== undefined) model.links.push(linkOf(url, l.start + base, l.end + base, '', false));
      }
    }
  }
  model.textRuns = flatten(textRuns);
  return model;
}

/** The parts one after the other, in an array allocated once (the parts are long and many). */
function flatten<T>(parts: T[][]): T[] {
  let n = 0;
  for (const part of parts) n += part.length;
  const out = new Array<T>(n);
  let i = 0;
  for (const part of parts) for (const x of part) out[i++] = x;
  return out;
}

/** A top-level heading of a chunk, offsets relative to the chunk's parse. */
interface HeadingFact {
  depth: number;
  text: string;
  /** The slug before numbering duplicates. */
  slug: string;
  textStart: number;
  textEnd: number;
}

/** A table of a chunk, offsets relative to the chunk's parse; its place in the section tree is set per model. */
interface TableFact {
  block: number;
  start: number;
  end: number;
  rows: { start: number; end: number; cells: TableCell[] }[];
}

type LinkFact = (Omit<Link, 'url'> & { url: string }) | { url: undefined; identifier: string; start: number; end: number };

/** What one parsed chunk contributes to the model, relative to its parse: shifted into place per version. */
interface Facts {
  /** Per top-level block: the heading it is, if any. */
  headings: (HeadingFact | undefined)[];
  tables: TableFact[];
  links: LinkFact[];
  anchors: { block: number; anchor: string }[];
  codeBlocks: CodeBlock[];
  rawBlocks: RawBlock[];
  textRuns: TextRun[];
  comments: { value: string; start: number; end: number }[];
  /** Link definitions (identifier, url) in document order. */
  definitions: [string, string][];
}

const factsCache = new WeakMap<Root, Facts>();

/** The facts of a chunk's tree; `base` is where its offsets start in `text` for this version. */
function factsOf(tree: Root, text: string, base: number): Facts {
  let facts = factsCache.get(tree);
  if (facts) return facts;
  facts = { headings: [], tables: [], links: [], anchors: [], codeBlocks: [], rawBlocks: [], textRuns: [], comments: [], definitions: [] };
  const src = { text, base };
  tree.children.forEach((node, j) => {
    collectDefinitions(node, facts!.definitions);
    if (node.type === 'heading') {
      facts!.headings[j] = headingFact(node);
      walkInline(node, src, facts!, j);
      return;
    }
    facts!.headings[j] = undefined;
    if (node.type === 'yaml' || (node.type as string) === 'toml') return;
    walk(node, src, facts!, j, true);
  });
  factsCache.set(tree, facts);
  return facts;
}

/** Text of the document around a chunk: offsets relative to the chunk's parse, plus `base`. */
interface Source {
  text: string;
  base: number;
}

function slice(src: Source, start: number, end: number): string {
  return src.text.slice(start + src.base, end + src.base);
}

/**
 * A copy of a piece of the document. Facts live as long as their chunk, across many versions: a
 * plain slice would keep the whole text of the version it was cut from alive.
 */
function own(s: string): string {
  return (' ' + s).slice(1);
}

function headingFact(node: MdHeading): HeadingFact {
  const end = node.position?.end.offset ?? 0;
  const first = node.children[0]?.position?.start.offset;
  const last = node.children[node.children.length - 1]?.position?.end.offset;
  const text = toString(node, { includeHtml: false }).trim();
  return {
    depth: node.depth,
    text,
    slug: slug(text),
    textStart: first !== undefined ? first : end,
    textEnd: last !== undefined ? last : end,
  };
}

function collectDefinitions(node: Nodes, into: [string, string][]): void {
  if (node.type === 'definition') {
    into.push([node.identifier, node.url]);
    return;
  }
  // Definitions are blocks: they sit at the top level or inside block quotes, list items and footnotes.
  if (node.type === 'blockquote' || node.type === 'list' || node.type === 'listItem' || node.type === 'footnoteDefinition') {
    for (const c of node.children as Nodes[]) collectDefinitions(c, into);
  }
}

function walk(node: Nodes, src: Source, facts: Facts, block: number, top = false): void {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? 0;
  switch (node.type) {
    case 'code':
      facts.codeBlocks.push({ lang: node.lang ?? undefined, start, end });
      facts.textRuns.push({ start, end, kind: 'code' });
      rawBlockOf('code', src, start, end, top, facts);
      return;
    case 'html':
      facts.textRuns.push({ start, end, kind: 'html' });
      collectHtml(slice(src, start, end), start, facts, block);
      rawBlockOf('html', src, start, end, top, facts);
      return;
    case 'table':
      facts.tables.push(tableFact(node, src, block));
      break;
    case 'heading':
      // Headings inside containers (a blockquote, a list item) are not sections but still anchors.
      {
        const h = toString(node).trim();
        if (h) facts.anchors.push({ block, anchor: slug(h) });
      }
      break;
  }
  if (isInlineContainer(node)) {
    walkInline(node, src, facts, block);
    return;
  }
  if ('children' in node) for (const c of (node as Parents).children as Nodes[]) walk(c, src, facts, block);
}

const RAW_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RAW_ROW = /^ {0,3}\|?[ \t]*([^|\r\n]*?)[ \t]*(?<!\\)\|/;

/** Records a fenced code block or an HTML block: how it opened, whether it closed, and what it holds. */
function rawBlockOf(type: 'code' | 'html', src: Source, start: number, end: number, top: boolean, facts: Facts): void {
  const source = slice(src, start, end);
  const lines = source.split(/\r\n|\r|\n/);
  const opening = openingOf(lines[0]);
  // Indented code and text that only looks like HTML to the scan are not blocks that wait for a closing line.
  if (!opening || (type === 'code') !== (opening.kind === 'fence')) return;
  const lineStart = src.text.lastIndexOf('\n', start + src.base - 1) + 1;
  const crStart = src.text.lastIndexOf('\r', start + src.base - 1) + 1;
  const before = src.text.slice(Math.max(lineStart, crStart), start + src.base);
  // In a list item or block quote the closing line goes where the block's content is: `> ` kept, list markers as spaces.
  const prefix = before.replace(/[^ \t>]/g, ' ');
  const inner = lines.map((l, i) => (i && !top ? l.replace(/^[ \t>]*/, '') : l));
  const closed = endsClosed(type, inner);
  const raw: RawBlock = { kind: opening.kind, opener: own(opening.opener), start, end, closed, closer: opening.closer ? prefix + opening.closer : '', top, lines: [] };
  if (top) {
    let at = start + lines[0].length;
    const last = closed && opening.closer ? lines.length - 1 : lines.length;
    for (let i = 1; i < lines.length; i++) {
      // Past the line break: \r\n, \r or \n.
      at += source.startsWith('\r\n', at - start) ? 2 : 1;
      const line = lines[i];
      if (i < last && (line.includes('#') || line.includes('|'))) {
        const h = RAW_HEADING.exec(line);
        if (h) raw.lines.push({ start: at, heading: { depth: h[1].length, text: own(h[2] ?? '') } });
        else {
          const r = RAW_ROW.exec(line);
          if (r && r[1] !== '' && !/^[\s:-]+$/.test(r[1])) raw.lines.push({ start: at, cell: own(r[1]) });
        }
      }
      at += line.length;
    }
  }
  facts.rawBlocks.push(raw);
}

function isInlineContainer(node: Nodes): boolean {
  return node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell';
}

function walkInline(node: Nodes, src: Source, facts: Facts, block: number): void {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? 0;
  switch (node.type) {
    case 'text':
      facts.textRuns.push({ start, end, kind: 'text' });
      return;
    case 'inlineCode':
      facts.textRuns.push({ start, end, kind: 'inlineCode' });
      return;
    case 'html':
      facts.textRuns.push({ start, end, kind: 'html' });
      collectHtml(slice(src, start, end), start, facts, block);
      return;
    case 'link':
      facts.links.push(linkOf(node.url, start, end, slice(src, start, end), true));
      break;
    case 'linkReference':
      facts.links.push({ url: undefined, identifier: node.identifier, start, end });
      break;
  }
  if ('children' in node) for (const c of (node as Parents).children as PhrasingContent[]) walkInline(c, src, facts, block);
}

/** A link; `source` is the link's Markdown, for an inline link's destination range. */
function linkOf(url: string, start: number, end: number, source: string, inline: boolean): Link {
  const hash = url.indexOf('#');
  let fragment: string | undefined;
  if (hash >= 0) {
    try {
      fragment = decodeURIComponent(url.slice(hash + 1));
    } catch {
      fragment = url.slice(hash + 1);
    }
  }
  let targetStart = start;
  let targetEnd = end;
  if (inline) {
    // The destination is the last `(...)` of the link's source; point at it, not at the link text.
    const open = source.lastIndexOf('](');
    if (open >= 0) {
      const dest = source.slice(open + 2, -1);
      const at = dest.indexOf(url) >= 0 ? dest.indexOf(url) : dest.search(/\S/);
      const len = dest.indexOf(url) >= 0 ? url.length : dest.trim().length;
      targetStart = start + open + 2 + Math.max(0, at);
      targetEnd = targetStart + len;
    }
  }
  return { url, fragment, path: hash >= 0 ? url.slice(0, hash) : url, start, end, targetStart, targetEnd };
}

const ANCHOR_ATTR = /<a\s[^>]*?\b(?:name|id)\s*=\s*["']?([^"'\s>]+)/gi;
const COMMENT = /<!--([\s\S]*?)-->/g;

function collectHtml(source: string, offset: number, facts: Facts, block: number): void {
  for (const m of source.matchAll(ANCHOR_ATTR)) facts.anchors.push({ block, anchor: own(m[1]) });
  for (const m of source.matchAll(COMMENT)) {
    facts.comments.push({ value: own(m[1]), start: offset + (m.index ?? 0), end: offset + (m.index ?? 0) + m[0].length });
  }
}

function tableFact(node: MdTable, src: Source, block: number): TableFact {
  const text = src.text;
  const base = src.base;
  const rows = node.children.map((row) => {
    const cells = row.children.map((cell): TableCell => {
      // Absolute offsets while reading the text; relative ones are kept.
      let s = (cell.position?.start.offset ?? 0) + base;
      let e = (cell.position?.end.offset ?? 0) + base;
      // mdast's cell spans its leading pipe and padding; keep only the content.
      if (text[s] === '|') s++;
      if (e > s && text[e - 1] === '|' && text[e - 2] !== '\\') e--;
      const slot = s;
      while (s < e && (text[s] === ' ' || text[s] === '\t')) s++;
      while (e > s && (text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
      if (s === e) {
        // An empty cell: the place to type is one space after the pipe when there is room.
        s = e = Math.min(slot + 1, (cell.position?.end.offset ?? 0) + base);
        if (text[s - 1] !== ' ' && text[s - 1] !== '|') s = e = slot;
      }
      const first = cell.children[0];
      const bold = cell.children.length === 1 && first?.type === 'strong';
      return { text: toString(cell).trim(), raw: own(text.slice(s, e)), start: s - base, end: e - base, bold };
    });
    return { start: row.position?.start.offset ?? 0, end: row.position?.end.offset ?? 0, cells };
  });
  return { block, start: node.position?.start.offset ?? 0, end: node.position?.end.offset ?? 0, rows };
}

/** A chunk's facts at absolute offsets: shared by the versions in which the chunk did not move. */
interface Placed {
  base: number;
  line: number;
  textRuns: TextRun[];
  codeBlocks: CodeBlock[];
  rawBlocks: RawBlock[];
  comments: { value: string; start: number; end: number }[];
  tableRows: TableRow[][];
}

const placedCache = new WeakMap<Facts, Placed>();

function placedFacts(f: Facts, base: number, lines: LineIndex, start: number): Placed {
  // Rows carry line numbers: a chunk that starts on another line, even at the same offset, has moved.
  const line = lines.positionAt(start).line;
  const cached = placedCache.get(f);
  if (cached && cached.base === base && cached.line === line) return cached;
  const placed: Placed = {
    base,
    line,
    textRuns: f.textRuns.map((r) => ({ start: r.start + base, end: r.end + base, kind: r.kind })),
    codeBlocks: f.codeBlocks.map((c) => ({ lang: c.lang, start: c.start + base, end: c.end + base })),
    rawBlocks: f.rawBlocks.map((r) => ({ ...r, start: r.start + base, end: r.end + base, lines: r.lines.map((l) => ({ ...l, start: l.start + base })) })),
    comments: f.comments.map((c) => ({ value: c.value, start: c.start + base, end: c.end + base })),
    tableRows: f.tables.map((t) =>
      t.rows.map(
        (r): TableRow => ({
          cells: r.cells.map((c) => ({ text: c.text, raw: c.raw, start: c.start + base, end: c.end + base, bold: c.bold })),
          line: lines.positionAt(r.start + base).line,
          start: r.start + base,
          end: r.end + base,
        }),
      ),
    ),
  };
  placedCache.set(f, placed);
  return placed;
}

function parseFrontMatter(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of value.split(/\r?\n/)) {
    const m = /^([A-Za-z0-9_-]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1].toLowerCase()] = m[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

/** The innermost section that contains the offset. */
export function sectionAt(model: DocumentModel, offset: number): Section | undefined {
  let list = model.sections;
  let found: Section | undefined;
  for (;;) {
    const s = list.find((x) => x.start <= offset && offset <= x.end);
    if (!s) return found;
    found = s;
    list = s.children;
  }
}

/** Every section of the tree in document order. */
export function allSections(model: DocumentModel): Section[] {
  const out: Section[] = [];
  const visit = (list: Section[]) => {
    for (const s of list) {
      out.push(s);
      visit(s.children);
    }
  };
  visit(model.sections);
  return out;
}
