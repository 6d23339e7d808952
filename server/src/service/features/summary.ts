import type { Diagnostic } from 'vscode-languageserver-types';
import type { DocumentModel } from '../model/document';
import type { Match } from '../match';
import type { TemplateSchema } from '../template/schema';
import { fieldRows } from '../rules/fields';
import { cellValue, isIsoDate } from '../rules/util';
import { uriPath } from './detect';

import type { ReviewStatus, RunbookSummary, SectionStatus } from '../../protocol';

export type { ReviewStatus, RunbookSummary, SectionStatus, WorkspaceRunbook, WorkspaceSummary } from '../../protocol';

/** A review is "due soon" this many days ahead of its Next Review date. */
export const DUE_SOON_DAYS = 14;

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  const utc = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/** The review status from the template's Next Review field. */
export function reviewStatus(schema: TemplateSchema, match: Match, today: string): ReviewStatus {
  const field = schema.roles.nextReview;
  const cell = field ? fieldRows(match).find((r) => r.field === field)?.value : undefined;
  const date = cellValue(cell);
  if (!isIsoDate(date)) return { status: 'unknown' };
  const days = daysBetween(today, date);
  return { status: days < 0 ? 'overdue' : days <= DUE_SOON_DAYS ? 'due-soon' : 'ok', date, days };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `review overdue`, `review due in 3 days`, or nothing when the review is not close. */
export function reviewText(review: ReviewStatus): string | undefined {
  if (review.status === 'overdue') return 'review overdue';
  if (review.status === 'due-soon') return review.days === 0 ? 'review due today' : `review due in ${plural(review.days ?? 0, 'day')}`;
  return undefined;
}

/** Top-level sections in document order, each missing template section placed after the present ones before it. */
function outlineOf(schema: TemplateSchema, match: Match): SectionStatus[] {
  const out: SectionStatus[] = [];
  // A section inside an unclosed block is not offered for insertion: the unclosed-block finding is what to fix.
  const missing = schema.sections.filter((spec) => !spec.optional && !match.sections.has(spec) && !match.swallowed.has(spec));
  const emitMissingBefore = (index: number) => {
    while (missing.length && schema.sections.indexOf(missing[0]) < index) {
      const spec = missing.shift()!;
      out.push({ heading: spec.heading, title: spec.title, present: false, template: true, optional: false });
    }
  };
  for (const section of match.topLevel) {
    const spec = match.specOf.get(section);
    if (spec) emitMissingBefore(schema.sections.indexOf(spec));
    out.push({
      heading: section.heading.text,
      title: spec?.title ?? section.heading.text,
      present: true,
      line: section.heading.line,
      template: !!spec,
      optional: spec?.optional ?? false,
    });
  }
  emitMissingBefore(Infinity);
  return out;
}

/** The summary of a runbook from its model, its template match and its diagnostics. */
export function summarize(model: DocumentModel, schema: TemplateSchema, match: Match, diagnostics: readonly Diagnostic[], today: string): RunbookSummary {
  const required = schema.sections.filter((s) => !s.optional);
  const sections = { present: required.filter((s) => match.sections.has(s)).length, expected: required.length };
  const placeholders = diagnostics.filter((d) => d.code === 'placeholder').length;
  const review = reviewStatus(schema, match, today);
  const completeness = [`${sections.present}/${sections.expected} sections`, placeholders ? plural(placeholders, 'placeholder') : undefined].filter(Boolean).join(' · ');
  return {
    title: model.headings[0]?.text || uriPath(model.uri).split('/').pop() || model.uri,
    sections,
    placeholders,
    errors: diagnostics.filter((d) => d.severity === 1).length,
    warnings: diagnostics.filter((d) => d.severity === 2).length,
    review,
    outline: outlineOf(schema, match),
    completeness,
    text: [completeness, reviewText(review)].filter(Boolean).join(' · '),
  };
}
