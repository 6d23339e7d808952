import type { DocumentModel, RawBlock, Section, Table, TableCell, TableRow } from '../model/document';
import { childrenOf, endOf, parentOf, type Match, type UnclosedBlock } from '../match';
import type { SectionSpec } from '../template/schema';
import type { OffsetEdit, Related } from './types';
import { endsWithBreak, keepBreaksApart } from '../edits';

/** Offset of the start of the line after the one holding `offset` (the text's end on the last line). */
export function nextLineStart(model: DocumentModel, offset: number): number {
  const line = model.lines.positionAt(offset).line;
  return line + 1 < model.lines.lineCount ? model.lines.lineStarts[line + 1] : model.text.length;
}

/**
 * Edits inserting a Markdown block at a line start (or the text's end), separated from its neighbours
 * by blank lines, using the document's own line breaks. Where the place is inside a block that runs to
 * the end of the document (a fence, an HTML block, a comment), the edits first close that block where
 * the unclosed-block rule closes it, with the very same edit, so that fixes applied together close it once.
 */
export function insertBlock(model: DocumentModel, match: Match, offset: number, block: string): OffsetEdit[] {
  const open = unclosedAt(match, offset);
  // Past the closing line the text belongs to what the block took in (a template heading, or the end where another block may open): the block goes right after the closing line (seed 3424).
  return open ? [closeEdit(model, open), insertAt(model, Math.min(offset, open.closeAt), block)] : [insertAt(model, offset, block)];
}

/** The unclosed block running to the end of the document that text inserted at `offset` would land in. */
export function unclosedAt(match: Match, offset: number): UnclosedBlock | undefined {
  return match.unclosed.find((u) => u.open && u.block.start < offset);
}

/** The edit that closes an unclosed block at its place: its closing line (a blank line for HTML blocks that end so). */
export function closeEdit(model: DocumentModel, u: UnclosedBlock): OffsetEdit {
  const eol = model.lines.eol;
  // Front matter ends being front matter with a blank line above its first line: its `---` becomes a separator.
  if (u.block.kind === 'frontmatter') return { start: u.block.start, end: u.block.start, newText: eol, order: -100 };
  const at = u.closeAt;
  const atEnd = at >= model.text.length;
  const line = u.block.closer;
  // At the text's end the closing line ends as the text did; a blank line needs no text of its own.
  const newText = atEnd ? (endsWithBreak(model.text) || model.text === '' ? line : eol + line) + (line && endsWithBreak(model.text) ? eol : '') : line + eol;
  return { start: at, end: at, newText: keepBreaksApart(model.text, at, at, newText), order: -100 };
}

/** An edit inserting a Markdown block at a line start (or the text's end), with blank lines around it as its neighbours need. */
export function insertAt(model: DocumentModel, offset: number, block: string): OffsetEdit {
  const eol = model.lines.eol;
  const text = model.text;
  let body = breakFrontMatterFences(model, block).replace(/\r?\n/g, eol).replace(/(\r?\n)+$/, '') + eol;
  // A blank line before the block (unless it starts the text, a byte-order mark aside) and after it (unless it ends the text).
  const first = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const before = text.slice(Math.max(0, offset - 4), offset);
  const lineBefore = before.replace(/(?:\r\n|\r|\n)$/, '');
  if (offset > first && lineBefore === before) body = eol + eol + body;
  else if (offset > first && !endsWithBreak(lineBefore)) body = eol + body;
  if (offset < text.length && !/^[\r\n]/.test(text.slice(offset, offset + 1))) body += eol;
  return { start: offset, end: offset, newText: keepBreaksApart(text, offset, offset, body) };
}

/**
 * A document whose first line is `---` (or `+++`) without a closing one is not front matter; a block
 * holding such a line would close it and turn everything in between into front matter. There the block's
 * `---` thematic breaks are written `***`, which renders the same (and a `+++` line `\\+++`).
 */
function breakFrontMatterFences(model: DocumentModel, block: string): string {
  if (model.frontMatterRange) return block;
  const first = /^\uFEFF?(---|\+\+\+)[ \t]*(?:\r\n|\r|\n|$)/.exec(model.text);
  if (!first) return block;
  const fence = new RegExp(`^${first[1].replace(/\+/g, '\\+')}[ \\t]*$`, 'gm');
  return block.replace(fence, first[1] === '---' ? '***' : '\\+++');
}

/** The start of the first line at or after `offset` that is not blank (the text's end if none). */
export function skipBlankLines(model: DocumentModel, offset: number): number {
  // Past the start of the last line (its end, when the text has no final line break): nothing follows.
  if (offset >= model.text.length) return model.text.length;
  let line = model.lines.positionAt(offset).line;
  while (line + 1 < model.lines.lineCount && model.lines.lineText(line).trim() === '') line++;
  const start = model.lines.lineStarts[line];
  return model.lines.lineText(line).trim() === '' ? model.text.length : start;
}

/**
 * Where a missing part of the template is reported, on a line with text the eye is on, and how its
 * message says where the fix inserts it. The place follows `insertionOffset`: a missing section on the
 * heading of the section it goes after (or the document's title when it goes before every section), a
 * missing subsection on its section's heading. Without a heading the first line with text holds it, and
 * an empty document the insertion point.
 */
export function missingPlace(model: DocumentModel, siblings: SectionSpec[], index: number, match: Match, parent: Section | undefined, offset: number, sectionDepth: number): { start: number; end: number; where: string } {
  const present = (spec: SectionSpec) => (match.sections.get(spec) ?? []).find((s) => parentOf(match, s) === parent);
  const kind = parent ? 'subsection' : 'section';
  let found: { where: string; anchor: Section } | undefined;
  for (let j = index - 1; j >= 0 && !found; j--) {
    const s = present(siblings[j]);
    if (s) found = { where: `after ${kind} "${siblings[j].title}"`, anchor: s };
  }
  for (let j = index + 1; j < siblings.length && !found; j++) {
    const s = present(siblings[j]);
    if (s) found = { where: `before ${kind} "${siblings[j].title}"`, anchor: s };
  }
  const heading = (h: { textStart: number; textEnd: number }) => ({ start: h.textStart, end: Math.max(h.textStart, h.textEnd) });
  if (parent) return { ...heading(parent.heading), where: found?.where ?? 'at the end of the section' };
  const title = model.headings.find((h) => h.depth < sectionDepth && h.textEnd > h.textStart && h.start < (found?.anchor.start ?? model.text.length));
  // Before every present section: on the title, which it follows.
  if (found) return { ...heading(found.where.startsWith('before') && title ? title : found.anchor.heading), where: found.where };
  if (title) return { ...heading(title), where: 'at the end of the document' };
  for (let line = 0; line < model.lines.lineCount; line++) {
    const text = model.lines.lineText(line);
    if (text.trim() === '') continue;
    const start = model.lines.lineStarts[line] + (text.length - text.trimStart().length);
    return { start, end: model.lines.lineStarts[line] + text.trimEnd().length, where: 'at the end of the document' };
  }
  return { start: offset, end: offset, where: 'at the end of the document' };
}

/** Where a missing template section goes: after the closest earlier sibling present, else before the closest later one. */
export function insertionOffset(model: DocumentModel, siblings: SectionSpec[], index: number, match: Match, parent: Section | undefined): number {
  const present = (spec: SectionSpec) => (match.sections.get(spec) ?? []).find((s) => parentOf(match, s) === parent);
  for (let j = index - 1; j >= 0; j--) {
    const s = present(siblings[j]);
    if (s) return parent ? beforeHeadless(match, siblings[j].depth, s.heading.end, skipBlankLines(model, nextLineStart(model, endOf(match, s)))) : beforeHeadless(match, siblings[j].depth, s.heading.end, afterTopLevel(model, match, s));
  }
  for (let j = index + 1; j < siblings.length; j++) {
    const s = present(siblings[j]);
    if (s) return s.start;
  }
  if (parent) {
    const firstChild = childrenOf(match, parent)[0];
    const spec = match.specOf.get(parent);
    return firstChild ? firstChild.start : spec ? beforeHeadless(match, spec.depth, parent.heading.end, nextLineStart(model, endOf(match, parent))) : nextLineStart(model, endOf(match, parent));
  }
  return model.text.length;
}

/**
 * The end of a region, cut where a headless section of its level or above begins (`Match.headless`): its
 * heading goes there, and what goes at the region's end must go before it, or it would land in the
 * headless section (fuzz seed 5077: a subsection inserted after a table whose heading the same pass put
 * back, and inserted again by the next pass).
 */
function beforeHeadless(match: Match, depth: number, from: number, end: number): number {
  let out = end;
  for (const [spec, h] of match.headless) {
    if (spec.depth > depth) continue;
    // A table its heading cannot go above is the section's all the same: what goes before the section goes before it (and its own deeper heading), or the next pass takes it for no section's (seed 5531).
    const own = !h.placeable && h.table?.heading && h.table.heading.depth > spec.depth && h.table.heading.start > from ? h.table.heading.start : h.start;
    if (own > from && own < out) out = own;
  }
  return out;
}

/**
 * Where a top-level section goes after the top-level section `s`: after its end, and never inside what the
 * template's reading gives another section, which would take that away from it: not inside the subtree of
 * a section that starts before (a section at the wrong level can sit between another one's heading and its
 * subsections), and not before a heading above the template's level (a stray `# ...` line) that `s`'s
 * region goes on past; there the section goes before the next top-level heading.
 */
function afterTopLevel(model: DocumentModel, match: Match, s: Section): number {
  let offset = skipBlankLines(model, nextLineStart(model, endOf(match, s)));
  const tops = new Set(match.topLevel.map((t) => t.heading.start));
  for (let guard = 0; guard < match.topLevel.length + 1; guard++) {
    const over = match.topLevel.find((t) => t.heading.start < offset && endOf(match, t) > offset);
    if (over) {
      offset = skipBlankLines(model, nextLineStart(model, endOf(match, over)));
      continue;
    }
    const heading = model.headings.find((h) => h.start === offset);
    if (heading && heading.depth < s.depth && !tops.has(heading.start)) {
      offset = match.topLevel.find((t) => t.heading.start > offset)?.heading.start ?? model.text.length;
      continue;
    }
    break;
  }
  return offset;
}

/** What a person calls a raw block: `code block (```bash)`, `<style> block`, `comment`. */
export function blockName(block: RawBlock): string {
  return block.kind === 'fence' ? `code block (${block.opener})` : block.kind === 'comment' ? 'comment' : block.kind === 'frontmatter' ? 'front matter' : `${block.opener} block`;
}

/** A related place pointing at the opening line of an unclosed block. */
export function relatedToBlock(model: DocumentModel, u: UnclosedBlock, message: string): Related {
  const line = model.lines.positionAt(u.block.start).line;
  return { start: u.block.start, end: model.lines.lineEnd(line), message };
}

/**
 * A row that GFM takes into a table although it has no pipe: a line of prose right under the table.
 * Fixes never add cells to it; that would turn the person's sentence into table cells.
 */
export function isProseRow(model: DocumentModel, row: TableRow): boolean {
  return !/(?:^|[^\\])\|/.test(model.text.slice(row.start, row.end));
}

/** Text of a cell as a value: emphasis and surrounding spaces removed. */
export function cellValue(cell: TableCell | undefined): string {
  return (cell?.text ?? '').replace(/^[*_]+|[*_]+$/g, '').trim();
}

/** The row's cells beyond the header's width are not values of any column. */
export function cellAt(row: TableRow, index: number): TableCell | undefined {
  return row.cells[index];
}

/** A readable name for a table: its nearest heading without numbering. */
export function tableName(table: Table): string {
  const heading = table.heading?.text ?? table.section?.heading.text ?? 'table';
  return heading.replace(/^\s*(?:section\s+)?(?:\d+(?:\.\d+)*\.?|[A-Za-z][.)])\s+/i, '').trim();
}

/** True when `text` is YYYY-MM-DD and a real calendar date. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Adds months (or days) to an ISO date, clamping to the month's last day. */
export function addToDate(iso: string, months: number, days = 0): string {
  const [y, m, d] = iso.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  target.setUTCDate(target.getUTCDate() + days);
  return target.toISOString().slice(0, 10);
}

/** A review frequency in words (Weekly, Monthly, Quarterly, Every 6 months, Annually...) as months and days. */
export function parseFrequency(text: string): { months: number; days: number } | undefined {
  const t = text.toLowerCase();
  const every = /every\s+(\d+)\s+(day|week|month|year)s?/.exec(t);
  if (every) {
    const n = +every[1];
    return every[2] === 'day' ? { months: 0, days: n } : every[2] === 'week' ? { months: 0, days: 7 * n } : every[2] === 'month' ? { months: n, days: 0 } : { months: 12 * n, days: 0 };
  }
  if (/\bweekly\b/.test(t)) return { months: 0, days: 7 };
  if (/\b(bi-?weekly|fortnightly)\b/.test(t)) return { months: 0, days: 14 };
  if (/\bmonthly\b/.test(t)) return { months: 1, days: 0 };
  if (/\bquarterly\b/.test(t)) return { months: 3, days: 0 };
  if (/\b(semi-?annual(ly)?|half-?year(ly)?|bi-?annual(ly)?)\b/.test(t)) return { months: 6, days: 0 };
  if (/\b(annual(ly)?|yearly)\b/.test(t)) return { months: 12, days: 0 };
  return undefined;
}

/** Trims a long text for a message. */
export function short(text: string, max = 40): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
