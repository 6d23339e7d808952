import type { DocumentModel, Section, Table, TableCell, TableRow } from '../model/document';
import type { Match } from '../match';
import type { SectionSpec } from '../template/schema';
import type { OffsetEdit } from './types';
import { endsWithBreak, keepBreaksApart } from '../edits';

/** Offset of the start of the line after the one holding `offset` (the text's end on the last line). */
export function nextLineStart(model: DocumentModel, offset: number): number {
  const line = model.lines.positionAt(offset).line;
  return line + 1 < model.lines.lineCount ? model.lines.lineStarts[line + 1] : model.text.length;
}

/**
 * An edit inserting a Markdown block at a line start (or the text's end), separated from its
 * neighbours by blank lines, using the document's own line breaks.
 */
export function insertBlock(model: DocumentModel, offset: number, block: string): OffsetEdit {
  const eol = model.lines.eol;
  const text = model.text;
  let body = breakFrontMatterFences(model, block).replace(/\r?\n/g, eol).replace(/(\r?\n)+$/, '') + eol;
  const closer = openBlockCloser(model, offset);
  if (closer) body = closer + eol + eol + body;
  // A blank line before the block (unless it starts the text) and after it (unless it ends the text).
  const before = text.slice(Math.max(0, offset - 4), offset);
  const lineBefore = before.replace(/(?:\r\n|\r|\n)$/, '');
  if (offset > 0 && lineBefore === before) body = eol + eol + body;
  else if (offset > 0 && !endsWithBreak(lineBefore)) body = eol + body;
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
function skipBlankLines(model: DocumentModel, offset: number): number {
  // Past the start of the last line (its end, when the text has no final line break): nothing follows.
  if (offset >= model.text.length) return model.text.length;
  let line = model.lines.positionAt(offset).line;
  while (line + 1 < model.lines.lineCount && model.lines.lineText(line).trim() === '') line++;
  const start = model.lines.lineStarts[line];
  return model.lines.lineText(line).trim() === '' ? model.text.length : start;
}

/**
 * What closes a code fence or HTML comment left open up to `offset` (the end of the document), so that
 * text inserted there is Markdown again rather than part of the code block; '' when nothing is open.
 */
function openBlockCloser(model: DocumentModel, offset: number): string {
  for (const code of model.codeBlocks) {
    if (!(code.start < offset && offset <= code.end)) continue;
    const raw = model.text.slice(code.start, code.end);
    // A fence is indented three spaces at most; four make an indented code block, which needs no closing.
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (!fence) continue;
    const lines = raw.split(/\r\n|\r|\n/);
    const last = lines[lines.length - 1].trim();
    const closed = lines.length > 1 && last.startsWith(fence[1][0].repeat(fence[1].length)) && /^(`+|~+)$/.test(last);
    if (!closed || offset < code.end) return containerPrefix(model, code.start) + fence[1];
  }
  for (const run of model.textRuns) {
    if (run.kind !== 'html' || !(run.start < offset && offset <= run.end)) continue;
    const raw = model.text.slice(run.start, run.end);
    if (raw.includes('<!--') && !raw.slice(raw.lastIndexOf('<!--')).includes('-->')) return containerPrefix(model, run.start) + '-->';
  }
  return '';
}

/**
 * What goes before a block's closing line so that it closes the block in the same container: the text
 * before the block's opening on its line, with list markers as spaces (`   ` for `1. `) and block quote
 * markers kept. A fence opened in a list item and closed at column 0 would open a new fence instead.
 */
function containerPrefix(model: DocumentModel, start: number): string {
  const line = model.lines.positionAt(start).line;
  const prefix = model.text.slice(model.lines.lineStarts[line], start);
  return prefix.replace(/[^ \t>]/g, ' ');
}

/** Where a missing template section goes: after the closest earlier sibling present, else before the closest later one. */
export function insertionOffset(model: DocumentModel, siblings: SectionSpec[], index: number, match: Match, parent: Section | undefined): number {
  const present = (spec: SectionSpec) => (match.sections.get(spec) ?? []).find((s) => s.parent === parent || (parent === undefined && s.depth === spec.depth));
  for (let j = index - 1; j >= 0; j--) {
    const s = present(siblings[j]);
    if (s) return skipBlankLines(model, nextLineStart(model, s.end));
  }
  for (let j = index + 1; j < siblings.length; j++) {
    const s = present(siblings[j]);
    if (s) return s.start;
  }
  if (parent) {
    const firstChild = parent.children[0];
    return firstChild ? firstChild.start : nextLineStart(model, parent.end);
  }
  return model.text.length;
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
