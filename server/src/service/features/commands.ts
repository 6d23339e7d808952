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
  return uniqueEdits(findings.flatMap((f) => f.fixes?.[0]?.edits ?? []));
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

/** A new runbook from the template, with the system's name filled in. */
export function newRunbookText(schema: TemplateSchema, systemName: string): string {
  const name = systemName.trim() || 'New System';
  return schema.text.replace(/\[(system name)\]/gi, () => name);
}

