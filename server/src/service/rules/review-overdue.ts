import type { Finding, Rule } from './types';
import { fieldRows } from './fields';
import { addToDate, cellValue, isIsoDate, parseFrequency } from './util';

export const reviewOverdue: Rule = {
  id: 'review-overdue',
  defaultSeverity: 'warning',
  description: 'The Next Review date is in the past.',
  check({ schema, match, today }) {
    const { nextReview, lastUpdated, reviewFrequency } = schema.roles;
    if (!nextReview) return [];
    const rows = fieldRows(match);
    const next = rows.find((r) => r.field === nextReview);
    if (!next?.value) return [];
    const value = cellValue(next.value);
    if (!isIsoDate(value) || value >= today) return [];
    const frequencyText = cellValue(rows.find((r) => r.field === reviewFrequency)?.value);
    const frequency = parseFrequency(frequencyText) ?? parseFrequency(reviewFrequency?.example ?? '') ?? { months: 3, days: 0 };
    const due = addToDate(today, frequency.months, frequency.days);
    const edits = [{ start: next.value.start, end: next.value.end, newText: due }];
    const last = rows.find((r) => r.field === lastUpdated)?.value;
    if (last) edits.push({ start: last.start, end: last.end, newText: today });
    const finding: Finding = {
      rule: 'review-overdue',
      start: next.value.start,
      end: next.value.end,
      message: `Review overdue: "${nextReview.name}" was ${value} (today is ${today}). Review the runbook, then set the next date.`,
      fixes: [{ title: `Mark as reviewed today: ${nextReview.name} ${due}${last ? `, ${lastUpdated!.name} ${today}` : ''}`, edits, safe: false }],
    };
    return [finding];
  },
};
