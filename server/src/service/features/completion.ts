import { CompletionItemKind, InsertTextFormat, MarkupKind, TextEdit, type CompletionItem, type CompletionList, type Position, type Range } from 'vscode-languageserver-types';
import { allSections, sectionAt, type DocumentModel, type Table, type TableRow } from '../model/document';
import { nameKey } from '../model/keys';
import { keepBreaksApart } from '../edits';
import { owningSpec, parentOf, type Match } from '../match';
import { displayTitle, PLACEHOLDER } from '../template/compile';
import { styledSkeleton } from '../style';
import type { SectionSpec, TableSpec, TemplateSchema } from '../template/schema';

/** Values no template spells out but every runbook author expects in a column of this name. */
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const HTTP_METHOD_COLUMNS = new Set(['method', 'http method', 'verb', 'http verb']);
/** Frequencies the review-overdue rule can turn into a next review date. */
const REVIEW_FREQUENCIES = ['Weekly', 'Monthly', 'Quarterly', 'Annually'];

/** Where the cursor is: every context below reads only this and the shared model. */
interface Cursor {
  model: DocumentModel;
  schema: TemplateSchema;
  match: Match;
  today: string;
  offset: number;
  line: number;
  lineStart: number;
  lineText: string;
  /** The cursor's column in `lineText` (UTF-16). */
  column: number;
}

/** A cell of the cursor's table row, in columns of the line. */
interface CellSlot {
  /** Just after the opening pipe, and at the closing pipe (or the line's end). */
  from: number;
  to: number;
  contentStart: number;
  contentEnd: number;
  content: string;
}

/** Completions from the template at a position: sections, tables, row keys, cell values and heading anchors. */
export function completions(model: DocumentModel, schema: TemplateSchema, match: Match, position: Position, today: string): CompletionList | null {
  const offset = model.lines.offsetAt(position);
  if (inCodeOrFrontMatter(model, offset)) return null;
  const line = model.lines.positionAt(offset).line;
  const lineStart = model.lines.lineStarts[line];
  const at: Cursor = { model, schema, match, today, offset, line, lineStart, lineText: model.lines.lineText(line), column: offset - lineStart };
  // Anchors first: a link may sit inside a table cell, where the cell contexts would also apply.
  const items = anchorItems(at) ?? headingItems(at) ?? tableRowItems(at) ?? tableSkeletonItems(at);
  return items?.length ? { isIncomplete: false, items } : null;
}

function inCodeOrFrontMatter(model: DocumentModel, offset: number): boolean {
  const front = model.frontMatterRange;
  if (front && front.start <= offset && offset <= front.end) return true;
  // Inclusive end: an unclosed fence runs to the document's end, where the cursor often is.
  if (model.codeBlocks.some((c) => c.start <= offset && offset <= c.end)) return true;
  return model.textRuns.some((r) => r.kind === 'inlineCode' && r.start < offset && offset < r.end);
}

/** After `](#`: every heading anchor of the document, replacing the anchor typed so far. */
function anchorItems(at: Cursor): CompletionItem[] | undefined {
  const typed = /\]\(#([^\s()#]*)$/.exec(at.lineText.slice(0, at.column));
  if (!typed) return undefined;
  const rest = /^[^\s()#]*/.exec(at.lineText.slice(at.column))?.[0] ?? '';
  const range = at.model.lines.range(at.offset - typed[1].length, at.offset + rest.length);
  return at.model.headings
    .filter((h) => h.slug !== '')
    .map((h, i) => ({ label: h.slug, kind: CompletionItemKind.Reference, detail: h.text, sortText: order(i), textEdit: TextEdit.replace(range, h.slug) }));
}

/** On a heading line being typed: the template sections of that depth missing from the enclosing section. */
function headingItems(at: Cursor): CompletionItem[] | undefined {
  const heading = /^( {0,3}(#{1,6})[ \t]+)/.exec(at.lineText);
  if (!heading || at.column < heading[1].length || at.lineText.slice(at.column).trim() !== '') return undefined;
  const depth = heading[2].length;
  const own = allSections(at.model).find((s) => s.heading.line === at.line);
  if (!own) return undefined;
  const topLevel = depth === at.schema.sectionDepth;
  const ownParent = parentOf(at.match, own);
  const parentSpec = ownParent && at.match.specOf.get(ownParent);
  const siblings = topLevel ? at.schema.sections : (parentSpec?.children ?? []).filter((c) => c.depth === depth);
  // The heading being typed may already match a section (`## Rollback Procedures`): it must not hide itself.
  // A section written under another name or level, or inside an unclosed block, is there too: offering it again would write it twice.
  const present = (spec: SectionSpec) => at.match.swallowed.has(spec) || (at.match.sections.get(spec) ?? []).some((s) => s !== own && (topLevel || parentOf(at.match, s) === ownParent));
  const range = lineRange(at);
  return siblings.flatMap((spec, i): CompletionItem[] =>
    present(spec)
      ? []
      : [
          {
            label: spec.title,
            kind: CompletionItemKind.Module,
            detail: spec.heading,
            documentation: spec.guidance.length ? { kind: MarkupKind.Markdown, value: spec.guidance.join('\n\n') } : undefined,
            sortText: order(i),
            // VS Code filters on the text from the edit's start, so the `## ` typed belongs in front.
            filterText: `${heading[1]}${spec.title} ${spec.heading}`,
            insertTextFormat: InsertTextFormat.Snippet,
            textEdit: TextEdit.replace(range, blockSnippet(at, skeletonSnippet(styledSkeleton(at.schema, at.match, spec, topLevel ? undefined : ownParent)))),
          },
        ],
  );
}

/** On a lone `|` outside any table: the skeletons of the section's template tables not yet present in it. */
function tableSkeletonItems(at: Cursor): CompletionItem[] | undefined {
  if (!/^\s*\|$/.test(at.lineText.slice(0, at.column)) || at.lineText.slice(at.column).trim() !== '') return undefined;
  if (tableRowAt(at)) return undefined;
  const section = sectionAt(at.model, at.offset);
  const spec = owningSpec(section, at.match);
  if (!section || !spec) return undefined;
  // Compared by skeleton: example tables repeat (one per component) and are offered once.
  const seen = new Set([...at.match.tables].filter(([t]) => section.start <= t.start && t.end <= section.end).map(([, s]) => s.skeleton));
  const range = lineRange(at);
  return spec.tables.flatMap((table, i): CompletionItem[] => {
    if (seen.has(table.skeleton)) return [];
    seen.add(table.skeleton);
    const [header, delimiter] = table.skeleton.split('\n');
    const emptyRow = `| ${table.columns.map((_, c) => `$${c + 1}`).join(' | ')} |`;
    const label = `${displayTitle(table.context)} table`;
    return [
      {
        label,
        kind: CompletionItemKind.Snippet,
        detail: header,
        documentation: { kind: MarkupKind.Markdown, value: table.skeleton },
        sortText: order(i),
        filterText: at.lineText.slice(0, at.column) + label,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: TextEdit.replace(range, blockSnippet(at, `${escapeSnippet(header)}\n${escapeSnippet(delimiter)}\n${emptyRow}`)),
      },
    ];
  });
}

/** In a body row of a matched table: row keys in the first cell, values from the template elsewhere. */
function tableRowItems(at: Cursor): CompletionItem[] | undefined {
  const found = tableRowAt(at);
  const spec = found && at.match.tables.get(found.table);
  if (!found || !spec) return undefined;
  const cells = cellSlots(at.lineText);
  const index = cells.findIndex((c) => c.from <= at.column && at.column <= c.to);
  if (index < 0) return undefined;
  if (index === 0) return rowKeyItems(at, spec, found.table, found.row, cells) ?? valueItems(at, spec, found.table, cells, index);
  return valueItems(at, spec, found.table, cells, index);
}

function tableRowAt(at: Cursor): { table: Table; row: TableRow } | undefined {
  for (const table of at.model.tables) {
    if (at.offset < table.start || at.offset > table.end) continue;
    const row = table.rows.find((r) => r.line === at.line);
    if (row) return { table, row };
  }
  return undefined;
}

/**
 * The template's row keys (fields of a key/value table) that the table lacks. On an otherwise
 * empty row the item writes the whole row, so one choice gives a complete, well-formed line.
 */
function rowKeyItems(at: Cursor, spec: TableSpec, table: Table, row: TableRow, cells: CellSlot[]): CompletionItem[] | undefined {
  const keys = spec.keyed ? spec.fields.map((f) => f.name) : spec.rowKeys;
  if (!keys.length) return undefined;
  const taken = new Set(table.rows.filter((r) => r !== row).map((r) => nameKey(r.cells[0]?.text ?? '')));
  const cell = cells[0];
  const wholeRow = cells.slice(1).every((c) => c.content === '');
  const range = wholeRow ? lineRange(at) : cellRange(at, cell);
  const typedBold = cell.content.startsWith('*');
  const width = Math.max(table.header.cells.length, 2);
  return keys.flatMap((key, i): CompletionItem[] => {
    if (taken.has(nameKey(key))) return [];
    const shown = spec.keyed ? `**${key}**` : key;
    const field = spec.fields.find((f) => f.name === key);
    const rest = Array.from({ length: width - 1 }, (_, c) => ` $${c + 1} |`).join('');
    return [
      {
        label: key,
        kind: CompletionItemKind.Field,
        detail: field?.example || displayTitle(spec.context),
        sortText: order(i),
        filterText: (wholeRow ? at.lineText.slice(0, cell.contentStart) : '') + (typedBold ? shown : key),
        insertTextFormat: wholeRow ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        textEdit: TextEdit.replace(range, wholeRow ? `| ${escapeSnippet(escapeCell(shown))} |${rest}` : escapeCell(shown)),
      },
    ];
  });
}

/** Values for the cell under the cursor: today for dates, closed lists, then the template's examples. */
function valueItems(at: Cursor, spec: TableSpec, table: Table, cells: CellSlot[], index: number): CompletionItem[] | undefined {
  let name: string;
  let vocabulary: string[] | undefined;
  let samples: string[];
  let date: boolean;
  let frequency = false;
  if (spec.keyed) {
    const field = index === 1 ? spec.fields.find((f) => f.key === nameKey(cells[0].content)) : undefined;
    if (!field) return undefined;
    ({ name, vocabulary, date } = field);
    samples = field.example.includes('[') ? [] : [field.example];
    frequency = field === at.schema.roles.reviewFrequency;
  } else {
    const column = spec.columns.find((c) => c.key === nameKey(table.header.cells[index]?.text ?? ''));
    if (!column) return undefined;
    ({ name, vocabulary, date } = column);
    samples = [...column.samples, ...rowKeysNamed(at.schema, column.key)];
  }
  const key = nameKey(name);
  const candidates: { value: string; kind: CompletionItemKind; detail: string }[] = [];
  if (date) candidates.push({ value: at.today, kind: CompletionItemKind.Value, detail: 'Today' });
  for (const v of vocabulary ?? []) candidates.push({ value: v, kind: CompletionItemKind.EnumMember, detail: `${name} (template)` });
  for (const [vocabularyKey, values] of at.schema.vocabularies) {
    if (` ${key} `.includes(` ${vocabularyKey} `)) for (const v of values) candidates.push({ value: v, kind: CompletionItemKind.EnumMember, detail: `${name} (template)` });
  }
  if (HTTP_METHOD_COLUMNS.has(key)) for (const v of HTTP_METHODS) candidates.push({ value: v, kind: CompletionItemKind.EnumMember, detail: 'HTTP method' });
  if (frequency) for (const v of REVIEW_FREQUENCIES) candidates.push({ value: v, kind: CompletionItemKind.EnumMember, detail: 'Review frequency' });
  for (const v of samples) candidates.push({ value: v, kind: CompletionItemKind.Value, detail: 'Example from the template' });

  const range = cellRange(at, cells[index]);
  // Editors filter items by the text from the edit's start to the cursor. In a cell that already holds
  // another value ("Critical" where the template says High/Medium/Low) no item would match it and the
  // list would show nothing: those items are filtered by what is there followed by their own value.
  const typed = at.lineText.slice(Math.min(cells[index].contentStart, at.column), at.column);
  const seen = new Set<string>();
  return candidates.flatMap((c, i): CompletionItem[] => {
    if (c.value === '' || seen.has(c.value.toLowerCase())) return [];
    seen.add(c.value.toLowerCase());
    const filterText = typed && !inOrder(typed, c.value) ? typed + c.value : undefined;
    return [{ label: c.value, kind: c.kind, detail: c.detail, sortText: order(i), ...(filterText ? { filterText } : {}), textEdit: TextEdit.replace(range, escapeCell(c.value)) }];
  });
}

/** True when the characters of `typed` appear in `value` in order, ignoring case (as editors filter). */
function inOrder(typed: string, value: string): boolean {
  const v = value.toLowerCase();
  let at = 0;
  for (const ch of typed.toLowerCase()) {
    at = v.indexOf(ch, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/**
 * Row keys of the template's other tables whose first column has this name. First-column values
 * name kinds of things (Production, Staging) that recur across tables; other columns' examples
 * belong to their own table.
 */
function rowKeysNamed(schema: TemplateSchema, key: string): string[] {
  return schema.tables.filter((t) => !t.keyed && t.columns[0]?.key === key).flatMap((t) => t.rowKeys);
}

/** Cells of a table row line, split at unescaped pipes as GFM does. */
function cellSlots(line: string): CellSlot[] {
  const pipes: number[] = [];
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|') pipes.push(i);
  }
  const leading = /^\s*\|/.test(line);
  const bounds = leading ? pipes : [-1, ...pipes];
  const slots: CellSlot[] = [];
  for (let i = 0; i < bounds.length; i++) {
    const from = bounds[i] + 1;
    const to = i + 1 < bounds.length ? bounds[i + 1] : line.length;
    if (from > to) break;
    const raw = line.slice(from, to);
    const contentStart = from + (raw.length - raw.trimStart().length);
    const content = raw.trim();
    slots.push({ from, to, contentStart, contentEnd: contentStart + content.length, content });
  }
  return slots;
}

/** The cell's content, widened to the cursor: an edit's range must contain the cursor. */
function cellRange(at: Cursor, cell: CellSlot): Range {
  // In an empty cell the value goes where the cursor is, keeping the padding on both sides.
  if (cell.content === '') return at.model.lines.range(at.offset, at.offset);
  return at.model.lines.range(at.lineStart + Math.min(cell.contentStart, at.column), at.lineStart + Math.max(cell.contentEnd, at.column));
}

function lineRange(at: Cursor): Range {
  return at.model.lines.range(at.lineStart, at.lineStart + at.lineText.length);
}

/** A block replacing the cursor's line: the document's line breaks, and a blank line before following text. */
function blockSnippet(at: Cursor, snippet: string): string {
  const eol = at.model.lines.eol;
  const next = at.line + 1 < at.model.lines.lineCount ? at.model.lines.lineText(at.line + 1) : '';
  const end = at.lineStart + at.lineText.length;
  return keepBreaksApart(at.model.text, at.lineStart, end, snippet.replace(/\s+$/, '').replace(/\r?\n/g, eol) + (next.trim() !== '' ? eol : ''));
}

/**
 * A template skeleton as a snippet: each placeholder becomes a tab stop that selects it brackets
 * included, so typing replaces it and a skipped one stays visible to the placeholder rule.
 */
function skeletonSnippet(skeleton: string): string {
  let stop = 0;
  return escapeSnippet(skeleton).replace(new RegExp(PLACEHOLDER.source, 'g'), (whole: string, inner: string, at: number, all: string) => {
    const after = all[at + whole.length];
    // Task boxes (`[ ]`, `[x]`) and link texts (`[Overview](#...)`) are Markdown, not placeholders.
    if (!inner.trim() || inner.trim().toLowerCase() === 'x' || after === '(' || after === '[') return whole;
    return `\${${++stop}:${whole}}`;
  });
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => '\\' + c);
}

/** A value must not end its cell early. */
function escapeCell(text: string): string {
  return text.replace(/(?<!\\)\|/g, '\\|');
}

/** Sort keys that keep the order the items were made in (template order). */
function order(index: number): string {
  return String(index).padStart(4, '0');
}
