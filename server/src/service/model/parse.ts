import type { Root, RootContent } from 'mdast';
import { unified, type Processor } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import { remarkAutolinkGuard } from './autolinkGuard';

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkAutolinkGuard).use(withoutLiteralSearch).use(remarkFrontmatter, ['yaml', 'toml']);

/**
 * remark-gfm also searches every text node of the finished tree again, with regular expressions, for URLs
 * and addresses that micromark did not link (after an unmatched `[`, for one). Nothing here reads those
 * links: only relative and `#` links are checked, and a bare URL or address is neither. The search took
 * about a sixth of the parse time on the corpus, so it is left out; micromark's own literal links stay.
 * It was also the one step that made nodes without a position.
 */
function withoutLiteralSearch(this: Processor): void {
  type Extension = { enter?: Record<string, unknown>; transforms?: unknown[] } | Extension[];
  const strip = (e: Extension): Extension => (Array.isArray(e) ? e.map(strip) : e.enter && 'literalAutolink' in e.enter ? { ...e, transforms: [] } : e);
  const list = (this.data('fromMarkdownExtensions') ?? []) as Extension[];
  list.splice(0, list.length, ...list.map(strip));
}

/** A top-level mdast block with its offsets made absolute in the whole document. */
export interface Block {
  node: RootContent;
  /** Add to the node's own offsets to get offsets in the document. */
  base: number;
  start: number;
  end: number;
}

/** A piece of the document parsed on its own: it starts at an ATX heading line (or the document start). */
export interface Chunk {
  start: number;
  text: string;
  /** The chunk's top-level nodes; their offsets are in the parsed text, `shift` past the chunk's own. */
  tree: Root;
  /** Length of the text parsed before the chunk (definitions it refers to). */
  shift: number;
}

/** Parses Markdown text with the same plugins every feature relies on. Every node has a position. */
/**
 * Byte-order marks at the start of a text, which are no part of its Markdown. micromark drops one at the
 * start of what it parses and counts its offsets without it, so a text is parsed without all of them (a
 * second mark, as some editors write, would otherwise shift every offset of the model by one).
 */
export function bomLength(text: string): number {
  let n = 0;
  while (text.charCodeAt(n) === 0xfeff) n++;
  return n;
}

export function parseMarkdown(text: string): Root {
  return processor.parse(text) as Root;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const BLANK = /^[ \t]*$/;
const FRONT_MATTER_OPEN = /^(---|\+\+\+)[ \t]*(?:\r\n|\r|\n)/;
// A link or footnote definition, possibly inside a block quote or list item (over-approximated).
const DEFINITION = /^(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*\[((?:[^\[\]\\]|\\.)+)\]:/;
const LABEL = /\[((?:[^\[\]\\]|\\[\s\S])+)\]/g;
const HTML_RAW = /^ {0,3}<(script|pre|style|textarea)(?:[\s>]|$)/i;
const HTML_RAW_END = /<\/(?:script|pre|style|textarea)>/i;
const HTML_OTHER = /^ {0,3}<(?:!--|\?|![a-zA-Z]|!\[CDATA\[|\/?[a-zA-Z])/;

/** How an HTML block that starts with this line ends: an end marker, or a blank line. */
function htmlEnd(line: string): { marker: RegExp; from: number } | 'blank' | undefined {
  const raw = HTML_RAW.exec(line);
  if (raw) return { marker: HTML_RAW_END, from: line.indexOf('<') + 1 };
  const m = HTML_OTHER.exec(line);
  if (!m) return undefined;
  const at = line.indexOf('<');
  if (line.startsWith('<!--', at)) return { marker: /-->/, from: at + 2 };
  if (line.startsWith('<![CDATA[', at)) return { marker: /\]\]>/, from: at + 9 };
  if (line.startsWith('<?', at)) return { marker: /\?>/, from: at + 2 };
  if (line.startsWith('<!', at)) return { marker: />/, from: at + 2 };
  return 'blank';
}

/** How a fenced code block, HTML block or comment that this line opens is written and closed. */
export interface Opening {
  kind: 'fence' | 'html' | 'comment';
  /** The opening as a person would name it: "```bash", "<style>", "<!--". */
  opener: string;
  /** The line that closes the block; '' for an HTML block that a blank line ends. */
  closer: string;
}

/** The block this line opens (the text after any container markers), if it opens one. */
export function openingOf(line: string): Opening | undefined {
  const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
  if (fence) {
    if (fence[1][0] === '`' && fence[2].includes('`')) return undefined;
    return { kind: 'fence', opener: (fence[1] + fence[2].trim().split(/\s/)[0]).slice(0, 40), closer: fence[1] };
  }
  const end = htmlEnd(line);
  if (!end) return undefined;
  const at = line.indexOf('<');
  const raw = HTML_RAW.exec(line);
  if (raw) return { kind: 'html', opener: `<${raw[1].toLowerCase()}>`, closer: `</${raw[1].toLowerCase()}>` };
  if (line.startsWith('<!--', at)) return { kind: 'comment', opener: '<!--', closer: '-->' };
  if (line.startsWith('<![CDATA[', at)) return { kind: 'html', opener: '<![CDATA[', closer: ']]>' };
  if (line.startsWith('<?', at)) return { kind: 'html', opener: /^<\?[\w-]*/.exec(line.slice(at))![0], closer: '?>' };
  if (line.startsWith('<!', at)) return { kind: 'html', opener: /^<![\w-]*/.exec(line.slice(at))![0], closer: '>' };
  const tag = /^<\/?[A-Za-z][\w-]*/.exec(line.slice(at));
  return { kind: 'html', opener: tag ? `${tag[0]}>` : '<', closer: '' };
}

/**
 * Whether a fenced code block or an HTML block with these source lines (container markers removed from
 * all but the first) ended with its own closing line. A block that a blank line ends counts as closed.
 */
export function endsClosed(type: 'code' | 'html', lines: string[]): boolean {
  if (type === 'code') return !openLeafLines('code', lines, '');
  const end = htmlEnd(lines[0]);
  if (!end || end === 'blank') return true;
  const last = lines[lines.length - 1];
  return end.marker.test(lines.length > 1 ? last : last.slice(end.from));
}

/** Identifier of a definition label, as mdast computes it (whitespace collapsed, case folded). */
export function labelId(label: string): string {
  return label
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(/^ | $/g, '')
    .toLowerCase()
    .toUpperCase()
    .toLowerCase();
}

/** Labels defined in a document: links (`[x]: url`) and footnotes (`[^x]: text`), by identifier. */
interface Definitions {
  links: Set<string>;
  footnotes: Set<string>;
}

interface Scan {
  /** Where chunks may start: the text start, ATX heading lines, the line after front matter. */
  starts: number[];
  /** Labels that look defined; the parse tells which really are. */
  definitions: Definitions;
  /** The text cannot be split. */
  whole: boolean;
}

/** Offsets where chunks may start: line starts of ATX headings outside code fences, HTML blocks and front matter. */
export function scanText(text: string): Scan {
  const starts = [0];
  const definitions: Definitions = { links: new Set(), footnotes: new Set() };
  let pos = 0;
  let fence: { char: string; code: number; len: number; indent: number } | undefined;
  let html: { marker: RegExp; from: number } | 'blank' | undefined;
  const fm = FRONT_MATTER_OPEN.exec(text);
  if (fm) {
    const close = new RegExp(`(?:\\r\\n|\\r|\\n)${fm[1] === '---' ? '---' : '\\+\\+\\+'}[ \\t]*(?:\\r\\n|\\r|\\n|$)`, 'g');
    close.lastIndex = fm[0].length - 1;
    const m = close.exec(text);
    if (!m) {
      // An unclosed front matter fence on the first line changes how micromark reads containers
      // (block quotes, lists) in the whole document: parse it in one piece.
      return { starts, definitions, whole: true };
    }
    pos = m.index + m[0].length;
    if (pos < text.length) starts.push(pos);
  }
  // Most lines are prose or table rows: only lines that start with a marker are looked at closely.
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const lineStart = pos;
    const lineEnd = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    pos = nl + 1;
    let i = lineStart;
    while (i < lineEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    // The first character that is not a space or tab; -1 on a blank line.
    const c = i < lineEnd ? text.charCodeAt(i) : -1;
    if (fence) {
      if (c === fence.code) {
        const m = FENCE.exec(text.slice(lineStart, lineEnd));
        if (m && m[2][0] === fence.char && m[2].length >= fence.len && BLANK.test(m[3])) {
          fence = undefined;
          continue;
        }
      }
      // A fence indented like list content ends with its list item, at the first unindented line.
      if (fence.indent >= 4 && c !== -1 && !/\s/.test(text[lineStart])) fence = undefined;
      else continue;
    }
    if (html) {
      if (html === 'blank') {
        if (c === -1) html = undefined;
      } else if (html.marker.test(text.slice(lineStart + html.from, lineEnd))) {
        html = undefined;
      } else {
        html = { marker: html.marker, from: 0 };
      }
      continue;
    }
    if (c === 96 /* ` */ || c === 126 /* ~ */) {
      const f = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(text.slice(lineStart, lineEnd));
      if (f && !(f[2][0] === '`' && f[3].includes('`'))) {
        fence = { char: f[2][0], code: f[2].charCodeAt(0), len: f[2].length, indent: f[1].replace(/\t/g, '    ').length };
        continue;
      }
    }
    if (c === 60 /* < */ && i - lineStart <= 3) {
      const line = text.slice(lineStart, lineEnd);
      const end = htmlEnd(line);
      if (end) {
        html = end === 'blank' || !end.marker.test(line.slice(end.from)) ? end : undefined;
        continue;
      }
    }
    if (c === 35 /* # */ && i === lineStart) {
      let n = 1;
      while (n < 7 && text.charCodeAt(i + n) === 35) n++;
      const after = i + n < lineEnd ? text.charCodeAt(i + n) : -1;
      if (n <= 6 && (after === -1 || after === 32 || after === 9)) {
        if (lineStart > 0) starts.push(lineStart);
        continue;
      }
    }
    // Definitions, also inside block quotes and list items: `[x]: url`, `> [x]: url`, `- [^1]: note`.
    if (c === 91 /* [ */ || c === 62 /* > */ || c === 45 || c === 43 || c === 42 || (c >= 48 && c <= 57)) {
      const line = text.slice(lineStart, lineEnd);
      const d = line.includes(']:') ? DEFINITION.exec(line) : null;
      if (d) {
        if (d[1][0] === '^') definitions.footnotes.add(labelId(d[1].slice(1)));
        else definitions.links.add(labelId(d[1]));
      }
    }
  }
  return { starts, definitions, whole: false };
}

/** A construct left open at the end of a chunk, which would swallow the next chunk's heading line. */
type Open = { fence: string; len: number } | { html: RegExp } | { html: 'blank' } | { next: true };

interface Parsed {
  /** Definitions parsed before the chunk's text. */
  prefix: string;
  tree: Root;
  open: Open | undefined;
  defined: Definitions;
}

interface Entry {
  /** The chunk's text, a copy of its own. */
  text: string;
  /** Identifiers of every `[...]` in the chunk: the only definitions its parse can depend on. */
  labels: Set<string>;
  parsed: Parsed | undefined;
  /** Number of the last parse that used this entry. */
  used: number;
}

/**
 * Parses a document in chunks that start at ATX heading lines, reusing the trees of chunks whose
 * text (and the definitions they may refer to) did not change. A heading line at column 0 closes
 * every open block but a fence, an HTML block or front matter; the scan avoids splitting inside
 * those, and each chunk's own parse confirms that nothing was left open at its end (otherwise the
 * chunk grows until it closes). Identical to a parse of the whole text, chunk by chunk.
 */
export class ChunkParser {
  private cache = new Map<string, Entry>();
  private generation = 0;
  /** Characters of chunk text kept for chunks no longer in the document (undo, retyping). */
  private readonly spare: number;

  constructor(spareChars = 500_000) {
    this.spare = spareChars;
  }

  parse(text: string, whole = false): Chunk[] {
    if (whole) return [{ start: 0, text, tree: parseMarkdown(text), shift: 0 }];
    const gen = ++this.generation;
    const scan = scanText(text);
    if (scan.whole) return [{ start: 0, text, tree: parseMarkdown(text), shift: 0 }];
    let definitions = scan.definitions;
    let chunks: Chunk[] = [];
    for (let round = 0; round < 3; round++) {
      const defined: Definitions = { links: new Set(), footnotes: new Set() };
      chunks = this.chunks(text, scan.starts, definitions, defined, gen);
      if (sameDefinitions(defined, definitions)) {
        this.evict(gen);
        return chunks;
      }
      // The scan guessed the definitions; the parse knows them. Chunks that refer to none of the
      // differing labels keep their trees.
      definitions = defined;
    }
    this.evict(gen);
    return [{ start: 0, text, tree: parseMarkdown(text), shift: 0 }];
  }

  /**
   * Parses the chunks of a document text that are not cached yet, pausing about every `sliceMs`
   * milliseconds, so that a server stays responsive while a large document is first analysed; the
   * following `parse` then finds them parsed. Resolves false when `pause` answers that the work is
   * no longer wanted (a newer version arrived).
   */
  async prepare(text: string, pause: () => boolean | Promise<boolean>, sliceMs = 20): Promise<boolean> {
    text = text.slice(bomLength(text));
    const scan = scanText(text);
    if (scan.whole) return true;
    let slice = Date.now();
    for (const _ of this.pieces(text, scan.starts, scan.definitions, ++this.generation)) {
      if (Date.now() - slice >= sliceMs) {
        if (await pause()) return false;
        slice = Date.now();
      }
    }
    return true;
  }

  private chunks(text: string, starts: number[], definitions: Definitions, defined: Definitions, gen: number): Chunk[] {
    const chunks: Chunk[] = [];
    for (const { start, end, parsed } of this.pieces(text, starts, definitions, gen)) {
      chunks.push({ start, text: text.slice(start, end), tree: parsed.tree, shift: parsed.prefix.length });
      for (const id of parsed.defined.links) defined.links.add(id);
      for (const id of parsed.defined.footnotes) defined.footnotes.add(id);
    }
    return chunks;
  }

  /** The document's chunks in order, parsed: each grows past its candidate end while it leaves a block open. */
  private *pieces(text: string, starts: number[], definitions: Definitions, gen: number): Generator<{ start: number; end: number; parsed: Parsed }> {
    let j = 1;
    let start = 0;
    do {
      while (j < starts.length && starts[j] <= start) j++;
      let end = j < starts.length ? starts[j] : text.length;
      let parsed: Parsed;
      for (;;) {
        parsed = this.parseChunk(text.slice(start, end), start, definitions, gen);
        if (!parsed.open || end >= text.length) break;
        const closed = closeAfter(text, end, parsed.open);
        while (j < starts.length && starts[j] < closed) j++;
        end = j < starts.length ? starts[j] : text.length;
      }
      yield { start, end, parsed };
      start = end;
    } while (start < text.length);
  }

  private parseChunk(chunkText: string, start: number, definitions: Definitions, gen: number): Parsed {
    let entry = this.cache.get(chunkText);
    if (!entry) {
      // A copy: the key, and the strings of the tree parsed from it, must not keep this version of
      // the whole document alive while the chunk lives on in later versions.
      const own = flat(chunkText);
      entry = { text: own, labels: labelsOf(own), parsed: undefined, used: gen };
      this.cache.set(own, entry);
    }
    entry.used = gen;
    let prefix = '';
    let footnotes = '';
    // Front matter (the whole of the first chunk when there is some) refers to nothing and must stay first.
    const none = !definitions.links.size && !definitions.footnotes.size;
    const labels = none || (start === 0 && FRONT_MATTER_OPEN.test(chunkText)) ? [] : entry.labels;
    for (const id of labels) {
      if (definitions.links.has(id)) prefix += `[${id}]: #\n`;
      if (id[0] === '^' && definitions.footnotes.has(id.slice(1))) footnotes += `\n[${id}]: x\n`;
    }
    // A footnote definition is a container that indented lines would continue: a comment closes it.
    if (footnotes) prefix += footnotes + '\n<!---->\n';
    if (prefix) prefix += '\n';
    // Front matter is recognised on the first line only: a chunk that is not first must not start there.
    else if (start > 0 && (chunkText[0] === '-' || chunkText[0] === '+') && FRONT_MATTER_OPEN.test(chunkText)) prefix = '\n';
    if (entry.parsed?.prefix === prefix) return entry.parsed;
    const source = prefix + entry.text;
    const tree = parseMarkdown(source);
    if (prefix) tree.children = tree.children.filter((n) => (n.position?.start.offset ?? 0) >= prefix.length);
    entry.parsed = { prefix, tree, open: openAtEnd(tree, source), defined: definitionsOf(tree) };
    return entry.parsed;
  }

  /** Forgets chunks not used by the last parse, keeping the most recent ones up to the spare size. */
  private evict(gen: number): void {
    const stale: [string, Entry][] = [];
    for (const e of this.cache) if (e[1].used !== gen) stale.push(e);
    stale.sort((a, b) => b[1].used - a[1].used);
    let kept = 0;
    for (const [key] of stale) {
      kept += key.length;
      if (kept > this.spare) this.cache.delete(key);
    }
  }
}

/** A copy of a string that does not refer to the string it was sliced from (V8 flattens the concatenation). */
function flat(s: string): string {
  return (' ' + s).slice(1);
}

function labelsOf(text: string): Set<string> {
  const labels = new Set<string>();
  if (!text.includes(']')) return labels;
  for (const m of text.matchAll(LABEL)) {
    labels.add(labelId(m[1]));
    if (m[1][0] === '^') labels.add('^' + labelId(m[1].slice(1)));
  }
  return labels;
}

function sameDefinitions(a: Definitions, b: Definitions): boolean {
  const same = (x: Set<string>, y: Set<string>) => x.size === y.size && [...x].every((v) => y.has(v));
  return same(a.links, b.links) && same(a.footnotes, b.footnotes);
}

/** Definitions among a tree's blocks, including those inside block quotes, lists and footnotes. */
function definitionsOf(tree: Root): Definitions {
  const defined: Definitions = { links: new Set(), footnotes: new Set() };
  const visit = (nodes: readonly RootContent[]) => {
    for (const n of nodes) {
      if (n.type === 'definition') defined.links.add(n.identifier);
      else if (n.type === 'footnoteDefinition') {
        defined.footnotes.add(n.identifier);
        visit(n.children);
      } else if (n.type === 'blockquote' || n.type === 'list' || n.type === 'listItem') visit(n.children as RootContent[]);
    }
  };
  visit(tree.children);
  return defined;
}

const LINE_END = /\r\n|\r|\n/;

/** What the last top-level block leaves open at the end of the parsed text, if anything. */
function openAtEnd(tree: Root, parsed: string): Open | undefined {
  const last = tree.children[tree.children.length - 1];
  if (!last) return undefined;
  if (last.type === 'code' || last.type === 'html') return openLeaf(last, parsed);
  // Inside a container the next heading line closes everything, but a fence or HTML block left open
  // at the text's end takes the final line break (a heading line would end it before): merge.
  let inner: RootContent | undefined = last;
  while (inner && (inner.type === 'list' || inner.type === 'listItem' || inner.type === 'blockquote' || inner.type === 'footnoteDefinition')) {
    inner = inner.children[inner.children.length - 1] as RootContent | undefined;
  }
  if (inner && inner !== last && (inner.type === 'code' || inner.type === 'html')) {
    const source = parsed.slice(inner.position?.start.offset ?? 0, inner.position?.end.offset ?? 0);
    const lines = source.split(LINE_END).map((l, i) => (i ? l.replace(/^[\s>]*/, '') : l));
    const rest = parsed.slice(inner.position?.end.offset ?? 0);
    if (openLeafLines(inner.type, lines, rest)) return { next: true };
  }
  return undefined;
}

function openLeaf(node: RootContent, parsed: string): Open | undefined {
  const source = parsed.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);
  return openLeafLines(node.type, source.split(LINE_END), parsed.slice(node.position?.end.offset ?? 0));
}

/** Whether a fenced code or HTML block with these source lines (and text after it) is still open. */
function openLeafLines(type: string, lines: string[], rest: string): Open | undefined {
  if (type === 'code') {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(lines[0]);
    if (!open) return undefined;
    const close = lines.length > 1 ? /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(lines[lines.length - 1]) : null;
    if (close && close[1][0] === open[1][0] && close[1].length >= open[1].length) return undefined;
    return { fence: open[1][0], len: open[1].length };
  }
  const end = htmlEnd(lines[0]);
  if (!end || end === 'blank') {
    // Ends at a blank line: open when none follows before the text's end.
    return /(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)/.test(rest) ? undefined : { html: 'blank' };
  }
  const lastLine = lines[lines.length - 1];
  if (end.marker.test(lines.length > 1 ? lastLine : lastLine.slice(end.from))) return undefined;
  return { html: end.marker };
}

/** The offset just past the line that closes an open construct, searching from `from` (a line start). */
function closeAfter(text: string, from: number, open: Open): number {
  if ('next' in open) return from + 1;
  let pos = from;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let line = text.slice(pos, nl);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    pos = nl + 1;
    if ('fence' in open) {
      const m = FENCE.exec(line);
      if (m && m[2][0] === open.fence && m[2].length >= open.len && BLANK.test(m[3])) return pos;
    } else if (open.html === 'blank' ? BLANK.test(line) : open.html.test(line)) {
      return pos;
    }
  }
  return text.length;
}

const placedBlocks = new WeakMap<Root, { base: number; blocks: Block[] }>();

/** The document's top-level blocks in order, with absolute offsets (shared while a chunk does not move). */
export function blocksOf(chunks: Chunk[]): Block[] {
  const parts: Block[][] = [];
  let count = 0;
  for (const chunk of chunks) {
    const base = chunk.start - chunk.shift;
    let placed = placedBlocks.get(chunk.tree);
    if (placed?.base !== base) {
      placed = {
        base,
        blocks: chunk.tree.children.map((node) => ({ node, base, start: (node.position?.start.offset ?? 0) + base, end: (node.position?.end.offset ?? 0) + base })),
      };
      placedBlocks.set(chunk.tree, placed);
    }
    parts.push(placed.blocks);
    count += placed.blocks.length;
  }
  // Allocated once: a large document has tens of thousands of blocks.
  const blocks = new Array<Block>(count);
  let i = 0;
  for (const part of parts) for (const b of part) blocks[i++] = b;
  return blocks;
}
