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

/** Edits inserting every missing section and subsection from the template, each at its place. */
export async function insertMissingSections(model: DocumentModel, schema: TemplateSchema, match: Match, today: string): Promise<OffsetEdit[]> {
  const ctx = { model, schema, match, today };
  const findings = [...(await missingSection.check(ctx)), ...(await missingSubsection.check(ctx))];
  return uniqueEdits(findings.flatMap((f) => f.fixes?.[0]?.edits ?? []));
}

/**
 * Edits that rewrite the table of contents from the document's own top-level headings (GitHub
 * anchors), keeping the template's choice of which sections it lists.
 */
export function updateToc(model: DocumentModel, schema: TemplateSchema, match: Match): OffsetEdit[] {
  return updateTocEdits(model, schema, match);
}

/**
 * Marks the runbook as reviewed today: Last Updated today, Next Review from the Review Frequency
 * (Quarterly: three months), and a row in the change log table that follows the document history.
 */
export function markReviewed(model: DocumentModel, schema: TemplateSchema, match: Match, today: string): OffsetEdit[] {
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
  return edits;
}

/** A new runbook from the template, with the system's name filled in. */
export function newRunbookText(schema: TemplateSchema, systemName: string): string {
  const name = systemName.trim() || 'New System';
  return schema.text.replace(/\[(system name)\]/gi, () => name);
}

