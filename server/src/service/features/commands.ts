import type { DocumentModel } from '../model/document';
import type { Match } from '../match';
import { endsWithBreak, keepBreaksApart, uniqueEdits } from '../edits';
import { updateTocEdits } from '../toc';
import { missingSection } from '../rules/missing-section';
import { missingSubsection } from '../rules/missing-subsection';
import { fieldRows, tablesOf } from '../rules/fields';
import type { OffsetEdit } from '../rules/types';
import { addToDate, cellValue, isProseRow, nextLineStart, parseFrequency } from '../rules/util';
import type { TemplateSchema } from '../template/schema';
import type { MissingParts } from './codeLens';

/** Edits inserting every missing section and subsection from the template, each at its place. */
export async function insertMissingSections(model: DocumentModel, schema: TemplateSchema, match: Match, today: string): Promise<OffsetEdit[]> {
  const ctx = { model, schema, match, today };
  const findings = [...(await missingSection.check(ctx)), ...(await missingSubsection.check(ctx))];
  // Clients apply inserts at one place in the order given: sorted as applyEdits applies them, so a missing
  // subsection of the last section goes before the sections inserted after it, not after the Appendix.
  const edits = uniqueEdits(findings.flatMap((f) => f.fixes?.[0]?.edits ?? []));
  return edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || (a.e.order ?? 0) - (b.e.order ?? 0) || a.i - b.i).map(({ e }) => e);
}

/** How many sections and subsections `insertMissingSections` inserts: one for each finding of the two rules. */
export async function missingParts(model: DocumentModel, schema: TemplateSchema, match: Match, today: string): Promise<MissingParts> {
  const ctx = { model, schema, match, today };
  return { sections: (await missingSection.check(ctx)).length, subsections: (await missingSubsection.check(ctx)).length };
}

/**
 * Where the first heading that the edits insert lands in the edited text (an offset of that text),
 * edits taken in the order `applyEdits` applies them; undefined when they insert no heading.
 */
export function insertedHeadingOffset(edits: OffsetEdit[]): number | undefined {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || (a.e.order ?? 0) - (b.e.order ?? 0) || a.i - b.i);
  let shift = 0;
  let pos = 0;
  for (const { e } of sorted) {
    if (e.start < pos) continue;
    const heading = /^ {0,3}#{1,6}[ \t]/m.exec(e.newText);
    if (heading) return e.start + shift + heading.index;
    shift += e.newText.length - (e.end - e.start);
    pos = e.end;
  }
  return undefined;
}

/**
 * Edits that rewrite the table of contents from the document's own top-level headings (GitHub
 * anchors), keeping the template's choice of which sections it lists.
 */
export function updateToc(model: DocumentModel, schema: TemplateSchema, match: Match): OffsetEdit[] {
  return updateTocEdits(model, schema, match);
}

/** The edits of Mark as Reviewed, and what it could not do, in words for the person. */
export interface ReviewEdits {
  edits: OffsetEdit[];
  message?: string;
}

/**
 * Marks the runbook as reviewed today: Last Updated today, Next Review from the Review Frequency
 * (Quarterly: three months), and a row in the change log table that follows the document history.
 * When the template has a change log and the runbook lacks it, the dates are still set and the
 * message says that no history row was added.
 */
export function markReviewed(model: DocumentModel, schema: TemplateSchema, match: Match, today: string): ReviewEdits {
  const { lastUpdated, nextReview, reviewFrequency } = schema.roles;
  const rows = fieldRows(match);
  const edits: OffsetEdit[] = [];
  const frequency = parseFrequency(cellValue(rows.find((r) => r.field === reviewFrequency)?.value)) ?? parseFrequency(reviewFrequency?.example ?? '') ?? { months: 3, days: 0 };
  const set = (field: typeof lastUpdated, value: string) => {
    const cell = rows.find((r) => r.field === field)?.value;
    if (cell && cellValue(cell) !== value) edits.push({ start: cell.start, end: cell.end, newText: value });
  };
  set(lastUpdated, today);
  set(nextReview, addToDate(today, frequency.months, frequency.days));
  // The change log: the first template table with both a Date and a Changes-like column after a Version column.
  const history = schema.tables.find((t) => t.columns.some((c) => c.date) && t.columns[0] && /version/i.test(t.columns[0].name));
  const table = history ? tablesOf(match, history)[0] : undefined;
  if (table && history) {
    const version = cellValue(rows.find((r) => /version/i.test(r.field.name))?.value) || '';
    const owner = cellValue(rows.find((r) => /owner/i.test(r.field.name))?.value) || '';
    const cells = table.header.cells.map((h) => {
      const name = h.text.toLowerCase();
      if (/date/.test(name)) return today;
      if (/version/.test(name)) return version;
      if (/author|by|owner/.test(name)) return owner;
      if (/change|description|note/.test(name)) return 'Reviewed; no changes needed';
      return '';
    });
    const last = table.rows.filter((r) => !isProseRow(model, r) && r.cells.some((c) => cellValue(c) !== '')).pop() ?? table.header;
    const at = nextLineStart(model, last === table.header ? last.end + 1 : last.start);
    const row = `| ${cells.join(' | ')} |${model.lines.eol}`;
    edits.push({ start: at, end: at, newText: keepBreaksApart(model.text, at, at, at >= model.text.length && !endsWithBreak(model.text) ? model.lines.eol + row : row) });
  }
  if (!history || table) return { edits };
  let top = history.section;
  while (top?.parent) top = top.parent;
  const name = `"${history.section?.title ?? history.context}" table${top && top !== history.section ? ` in "${top.title}"` : ''}`;
  const dates = [lastUpdated, nextReview].filter((f) => f && rows.some((r) => r.field === f)).map((f) => f!.name);
  const done = dates.length ? `${dates.join(' and ')} ${edits.length ? 'updated' : 'already up to date'}` : 'no review dates to update';
  return { edits, message: `No history row added (this runbook has no ${name}); ${done}.` };
}

/**
 * A new runbook from the template with what is known filled in: the system's name, Last Updated today,
 * Next Review from the template's Review Frequency, a Version placeholder as 1.0, and the date of the
 * first history row. Dates in the rest of the text (examples, message templates) stay placeholders.
 */
export function newRunbookText(schema: TemplateSchema, systemName: string, today?: string): string {
  const name = systemName.trim() || 'New System';
  const text = schema.text.replace(/\[(system name)\]/gi, () => name);
  if (!today) return text;
  const { lastUpdated, nextReview, reviewFrequency } = schema.roles;
  const frequency = parseFrequency(reviewFrequency?.example ?? '');
  const next = frequency ? addToDate(today, frequency.months, frequency.days) : undefined;
  const placeholder = /^\[[^\]]*\]$/;
  const isDate = /\[date\]/i;
  const fieldName = (cell: string) => cell.replace(/[*_`]/g, '').trim().toLowerCase();
  const valueOf = (field: string | undefined): string | undefined => {
    if (!field) return undefined;
    if (field === lastUpdated?.name.toLowerCase()) return today;
    if (field === nextReview?.name.toLowerCase()) return next;
    if (field === 'version') return '1.0';
    return undefined;
  };
  // The change log's first row: the template table with a Version column first and a date column.
  const history = schema.tables.find((t) => t.columns.some((c) => c.date) && t.columns[0] && /version/i.test(t.columns[0].name));
  let historyRowDone = false;
  let fence = false;
  return text
    .split(/(?<=\n)/)
    .map((line) => {
      if (/^\s{0,3}(```|~~~)/.test(line)) fence = !fence;
      if (fence) return line;
      const row = /^(\s*\|)([^|\n]*)\|([^|\n]*)\|(\s*)$/.exec(line);
      if (row && placeholder.test(row[3].trim())) {
        const value = valueOf(fieldName(row[2]));
        if (value) return `${row[1]}${row[2]}| ${value} |${row[4]}`;
      }
      if (history && !historyRowDone && /^\s*\|/.test(line) && isDate.test(line)) {
        const cells = line.split('|').slice(1, -1).map((c) => c.trim());
        if (cells.length === history.columns.length && /^\d+(\.\d+)*$/.test(cells[0])) {
          historyRowDone = true;
          return line.replace(isDate, today);
        }
      }
      // A review note ("*Next Review: [DATE]*") names which date it is.
      if (isDate.test(line) && !/^\s*\|/.test(line)) {
        if (/next review/i.test(line) && next) return line.replace(isDate, next);
        if (/last (review|updated)/i.test(line)) return line.replace(isDate, today);
      }
      return line;
    })
    .join('');
}

