import type { Root, RootContent } from 'mdast';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml', 'toml']);

/** A top-level mdast block with its offsets made absolute in the whole document. */
export interface Block {
  node: RootContent;
  /** Absolute offset of the chunk this node was parsed in; add to the node's own offsets. */
  base: number;
  start: number;
  end: number;
}

/** A piece of the document parsed on its own: it starts at an ATX heading line (or the document start). */
export interface Chunk {
  start: number;
  text: string;
  tree: Root;
}

/** Parses Markdown text with the same plugins every feature relies on. */
export function parseMarkdown(text: string): Root {
  return processor.parse(text) as Root;
}

const FENCE = /^( *)(`{3,}|~{3,})(.*)$/;
const ATX = /^#{1,6}(?:[ \t]|$)/;
const HTML_START = /^ {0,3}<(?:!--|[a-zA-Z/?!])/;
const DEFINITION = /^ {0,3}\[(?:[^\]\\]|\\.)+\]:/;

/** Offsets where chunks start: line starts of ATX headings outside code fences, HTML blocks and front matter. */
export function chunkStarts(text: string): { starts: number[]; definitions: string } {
  const starts = [0];
  const definitions: string[] = [];
  let pos = 0;
  let fence: { char: string; len: number; indent: number } | undefined;
  let html: 'comment' | 'block' | undefined;
  let first = true;
  let frontMatter = /^(---|\+\+\+)[ \t]*\r?\n/.exec(text)?.[1];
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let line = text.slice(pos, nl);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const lineStart = pos;
    pos = nl + 1;
    if (frontMatter) {
      if (!first && line.trimEnd() === frontMatter) frontMatter = undefined;
      first = false;
      continue;
    }
    first = false;
    if (fence) {
      const m = FENCE.exec(line);
      if (m && m[2][0] === fence.char && m[2].length >= fence.len && m[3].trim() === '') {
        fence = undefined;
        continue;
      }
      // A fence indented like list content ends with its list item, at the first unindented line.
      if (fence.indent >= 4 && line.trim() !== '' && !/^\s/.test(line)) fence = undefined;
      else continue;
    }
    if (html) {
      if (html === 'comment' ? line.includes('-->') : line.trim() === '') html = undefined;
      continue;
    }
    const f = FENCE.exec(line);
    if (f && !(f[2][0] === '`' && f[3].includes('`'))) {
      fence = { char: f[2][0], len: f[2].length, indent: f[1].length };
      continue;
    }
    if (HTML_START.test(line)) {
      if (line.includes('<!--')) html = line.includes('-->', line.indexOf('<!--') + 4) ? undefined : 'comment';
      else html = 'block';
      continue;
    }
    if (ATX.test(line) && lineStart > 0) starts.push(lineStart);
    else if (DEFINITION.test(line)) definitions.push(line);
  }
  return { starts, definitions: definitions.length ? '\n\n' + definitions.join('\n') + '\n' : '' };
}

/**
 * Parses chunks, reusing the trees of chunks whose text (and the document's link definitions,
 * which a chunk may refer to) did not change. Parsing a chunk alone gives the same nodes as a
 * full parse because an ATX heading at column 0 closes every open block but fences and HTML.
 */
export class ChunkParser {
  private cache = new Map<string, Root>();

  constructor(private readonly maxEntries = 4000) {}

  parse(text: string, whole = false): Chunk[] {
    if (whole) return [{ start: 0, text, tree: parseMarkdown(text) }];
    const { starts, definitions } = chunkStarts(text);
    const chunks: Chunk[] = [];
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i];
      const chunkText = text.slice(start, i + 1 < starts.length ? starts[i + 1] : text.length);
      chunks.push({ start, text: chunkText, tree: this.tree(chunkText, definitions) });
    }
    return chunks;
  }

  private tree(chunkText: string, definitions: string): Root {
    const key = definitions ? chunkText + '\u0000' + definitions : chunkText;
    let tree = this.cache.get(key);
    if (tree) {
      this.cache.delete(key);
    } else {
      tree = parseMarkdown(definitions ? chunkText + definitions : chunkText);
      if (definitions) {
        // Definitions are appended only so references resolve; nodes past the chunk are not part of it.
        // A construct left open at the chunk's end (an unclosed fence) would swallow them: parse alone.
        const kept = tree.children.filter((n) => (n.position?.start.offset ?? 0) < chunkText.length);
        if (kept.some((n) => (n.position?.end.offset ?? 0) > chunkText.length)) tree = parseMarkdown(chunkText);
        else tree.children = kept;
      }
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(key, tree);
    return tree;
  }
}

/** The document's top-level blocks in order, with absolute offsets. */
export function blocksOf(chunks: Chunk[]): Block[] {
  const blocks: Block[] = [];
  for (const chunk of chunks) {
    for (const node of chunk.tree.children) {
      const start = (node.position?.start.offset ?? 0) + chunk.start;
      const end = (node.position?.end.offset ?? 0) + chunk.start;
      blocks.push({ node, base: chunk.start, start, end });
    }
  }
  return blocks;
}
