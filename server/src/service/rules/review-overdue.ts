import type { Match } from '../match';
import type { TemplateSchema } from '../template/schema';
import type { Finding, Fix, Rule } from './types';
import { fieldRows } from './fields';
import { addToDate, cellValue, isIsoDate, parseFrequency } from './util';

/** The fix of an overdue review: Next Review from the Review Frequency after today, Last Updated today. */
export function reviewedTodayFix(schema: TemplateSchema, match: Match, today: string): Fix | undefined {
  const { nextReview, lastUpdated, reviewFrequency } = schema.roles;
  const rows = fieldRows(match);
  const next = rows.find((r) => r.field === nextReview)?.value;
  if (!nextReview || !next) return undefined;
  const frequencyText = cellValue(rows.find((r) => r.field === reviewFrequency)?.value);
  const frequency = parseFrequency(frequencyText) ?? parseFrequency(reviewFrequency?.example ?? '') ?? { months: 3, days: 0 };
  const due = addToDate(today, frequency.months, frequency.days);
  const edits = [{ start: next.start, end: next.end, newText: due }];
  const last = rows.find((r) => r.field === lastUpdated)?.value;
  if (last) edits.push({ start: last.start, end: last.end, newText: today });
  return { title: `Mark as reviewed today: ${nextReview.name} ${due}${last ? `, ${lastUpdated!.name} ${today}` : ''}`, edits, safe: false };
}

export const reviewOverdue: Rule = {
  id: 'review-overdue',
  defaultSeverity: 'warning',
  description: 'The Next Review date is in the past.',
  check({ schema, match, today, isEnabled }) {
    const { nextReview, lastUpdated } = schema.roles;
    if (!nextReview) return [];
    const rows = fieldRows(match);
    const next = rows.find((r) => r.field === nextReview);
    if (!next?.value) return [];
    const value = cellValue(next.value);
    if (!isIsoDate(value) || value >= today) return [];
    // A Next Review before Last Updated may be a date typed wrong as much as a review missed: date-order
    // reports it once, with both fixes.
    const lastValue = cellValue(rows.find((r) => r.field === lastUpdated)?.value);
    if (isIsoDate(lastValue) && value < lastValue && isEnabled?.('date-order') !== false) return [];
    const fix = reviewedTodayFix(schema, match, today);
    const finding: Finding = {
      rule: 'review-overdue',
      start: next.value.start,
      end: next.value.end,
      message: `Review overdue: "${nextReview.name}" was ${value} (today is ${today}). Review the runbook, then set the next date.`,
      fixes: fix ? [fix] : undefined,
    };
    return [finding];
  },
};
