import type { Heading as MdHeading, Nodes, Parents, PhrasingContent, Table as MdTable } from 'mdast';
import { toString } from 'mdast-util-to-string';
import GithubSlugger from 'github-slugger';
import { LineIndex } from './text';
import { blocksOf, ChunkParser, type Block } from './parse';

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
  textRuns: TextRun[];
  frontMatter: Record<string, string> | undefined;
  frontMatterRange: { start: number; end: number } | undefined;
  /** Comments `<!-- ... -->` with their offsets, for suppressions. */
  comments: { value: string; start: number; end: number }[];
}

/** Builds the model from text. `parser` keeps parsed chunks between versions of the same document. */
export function buildModel(uri: string, version: number, text: string, parser: ChunkParser, whole = false): DocumentModel {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const chunks = parser.parse(bom ? text.slice(1) : text, whole);
  if (bom) for (const c of chunks) c.start += 1;
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
    textRuns: [],
    frontMatter: undefined,
    frontMatterRange: undefined,
    comments: [],
  };
  const slugger = new GithubSlugger();
  const definitions = new Map<string, string>();
  for (const b of blocks) collectDefinitions(b.node, definitions);

  const stack: Section[] = [];
  let current: Section | undefined;
  for (const block of blocks) {
    const node = block.node;
    if (node.type === 'heading') {
      const heading = headingOf(node, block, text, lines, slugger);
      model.headings.push(heading);
      model.anchors.add(heading.slug);
      while (stack.length && stack[stack.length - 1].depth >= heading.depth) stack.pop();
      const parent = stack[stack.length - 1];
      const section: Section = { heading, depth: heading.depth, parent, children: [], start: block.start, end: block.end, blocks: [] };
      (parent ? parent.children : model.sections).push(section);
      stack.push(section);
      current = section;
      for (const s of stack) s.end = block.end;
      walkInline(node, block.base, model, definitions, text);
      continue;
    }
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
    walk(node, block, model, definitions, text, lines, stack[stack.length - 1]);
  }
  return model;
}

function headingOf(node: MdHeading, block: Block, text: string, lines: LineIndex, slugger: GithubSlugger): Heading {
  const plain = toString(node, { includeHtml: false }).trim();
  const first = node.children[0]?.position?.start.offset;
  const last = node.children[node.children.length - 1]?.position?.end.offset;
  const textStart = first !== undefined ? first + block.base : block.end;
  const textEnd = last !== undefined ? last + block.base : block.end;
  return {
    depth: node.depth,
    text: plain,
    slug: slugger.slug(plain),
    start: block.start,
    end: lineEndOf(text, block.start, lines),
    textStart,
    textEnd,
    line: lines.positionAt(block.start).line,
  };
}

function lineEndOf(text: string, offset: number, lines: LineIndex): number {
  return lines.lineEnd(lines.positionAt(offset).line);
}

function collectDefinitions(node: Nodes, into: Map<string, string>): void {
  if (node.type === 'definition') {
    if (!into.has(node.identifier)) into.set(node.identifier, node.url);
    return;
  }
  if ('children' in node) for (const c of node.children as Nodes[]) collectDefinitions(c, into);
}

function walk(node: Nodes, block: Block, model: DocumentModel, defs: Map<string, string>, text: string, lines: LineIndex, section: Section | undefined): void {
  const base = block.base;
  const start = (node.position?.start.offset ?? 0) + base;
  const end = (node.position?.end.offset ?? 0) + base;
  switch (node.type) {
    case 'code':
      model.codeBlocks.push({ lang: node.lang ?? undefined, start, end });
      model.textRuns.push({ start, end, kind: 'code' });
      return;
    case 'html':
      model.textRuns.push({ start, end, kind: 'html' });
      collectHtml(text.slice(start, end), start, model);
      return;
    case 'table':
      model.tables.push(tableOf(node, base, text, lines, section, model.headings[model.headings.length - 1]));
      break;
    case 'heading':
      // Headings inside containers (a blockquote, a list item) are not sections but still anchors.
      {
        const h = toString(node).trim();
        if (h) model.anchors.add(new GithubSlugger().slug(h));
      }
      break;
  }
  if (isInlineContainer(node)) {
    walkInline(node, base, model, defs, text);
    return;
  }
  if ('children' in node) for (const c of (node as Parents).children as Nodes[]) walk(c, block, model, defs, text, lines, section);
}

function isInlineContainer(node: Nodes): boolean {
  return node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell';
}

function walkInline(node: Nodes, base: number, model: DocumentModel, defs: Map<string, string>, text: string): void {
  const start = (node.position?.start.offset ?? 0) + base;
  const end = (node.position?.end.offset ?? 0) + base;
  switch (node.type) {
    case 'text':
      model.textRuns.push({ start, end, kind: 'text' });
      return;
    case 'inlineCode':
      model.textRuns.push({ start, end, kind: 'inlineCode' });
      return;
    case 'html':
      model.textRuns.push({ start, end, kind: 'html' });
      collectHtml(text.slice(start, end), start, model);
      return;
    case 'link':
      model.links.push(linkOf(node.url, start, end, text, true));
      break;
    case 'linkReference': {
      const url = defs.get(node.identifier);
      if (url !== undefined) model.links.push(linkOf(url, start, end, text, false));
      break;
    }
  }
  if ('children' in node) for (const c of (node as Parents).children as PhrasingContent[]) walkInline(c, base, model, defs, text);
}

function linkOf(url: string, start: number, end: number, text: string, inline: boolean): Link {
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
    const source = text.slice(start, end);
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

function collectHtml(source: string, offset: number, model: DocumentModel): void {
  for (const m of source.matchAll(ANCHOR_ATTR)) model.anchors.add(m[1]);
  for (const m of source.matchAll(COMMENT)) {
    model.comments.push({ value: m[1], start: offset + (m.index ?? 0), end: offset + (m.index ?? 0) + m[0].length });
  }
}

function tableOf(node: MdTable, base: number, text: string, lines: LineIndex, section: Section | undefined, heading: Heading | undefined): Table {
  const rows = node.children.map((row): TableRow => {
    const rowStart = (row.position?.start.offset ?? 0) + base;
    const rowEnd = (row.position?.end.offset ?? 0) + base;
    const cells = row.children.map((cell): TableCell => {
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
      return { text: toString(cell).trim(), raw: text.slice(s, e), start: s, end: e, bold };
    });
    return { cells, line: lines.positionAt(rowStart).line, start: rowStart, end: rowEnd };
  });
  return {
    header: rows[0],
    rows: rows.slice(1),
    start: (node.position?.start.offset ?? 0) + base,
    end: (node.position?.end.offset ?? 0) + base,
    section,
    heading,
  };
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
