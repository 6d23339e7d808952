import type { Finding, Fix, Rule } from './types';
import { reviewedTodayFix } from './review-overdue';
import { dateCells } from './dates';
import { fieldRows } from './fields';
import { addToDate, cellValue, isIsoDate, parseFrequency, tableName } from './util';

/**
 * Dates of the runbook that cannot all be true. The fields come from the template's roles (Last
 * Updated, Next Review, Review Frequency: found by their names when the template is compiled) and the
 * entries from its date columns (Document History, System Change History); nothing is named here.
 */
export const dateOrder: Rule = {
  id: 'date-order',
  defaultSeverity: 'warning',
  description: 'Dates contradict each other: Last Updated in the future, Next Review before Last Updated, a change log entry newer than Last Updated.',
  check({ schema, match, today }) {
    const { lastUpdated, nextReview, reviewFrequency } = schema.roles;
    if (!lastUpdated) return [];
    const rows = fieldRows(match);
    const lastCell = rows.find((r) => r.field === lastUpdated)?.value;
    const last = cellValue(lastCell);
    if (!lastCell || !isIsoDate(last)) return [];
    const findings: Finding[] = [];
    const setLast = (date: string) => ({ start: lastCell.start, end: lastCell.end, newText: date });

    if (last > today) {
      findings.push({
        rule: 'date-order',
        start: lastCell.start,
        end: lastCell.end,
        message: `"${lastUpdated.name}" is ${last}, after today (${today}): the runbook cannot have been updated on a day still to come.`,
        fixes: [{ title: `Set "${lastUpdated.name}" to today (${today})`, edits: [setLast(today)], safe: false }],
      });
    }

    const nextCell = nextReview ? rows.find((r) => r.field === nextReview)?.value : undefined;
    const next = cellValue(nextCell);
    if (nextReview && nextCell && isIsoDate(next) && next < last) {
      const frequencyText = cellValue(rows.find((r) => r.field === reviewFrequency)?.value);
      const parsed = parseFrequency(frequencyText);
      const frequency = parsed ?? parseFrequency(reviewFrequency?.example ?? '');
      const named = parsed ? frequencyText : reviewFrequency?.example;
      const due = frequency ? addToDate(last, frequency.months, frequency.days) : undefined;
      // Either the date was typed wrong (2026 for 2027) or the runbook was edited without the review that
      // was due: the message says both, and both fixes are offered.
      const overdue = next < today ? reviewedTodayFix(schema, match, today) : undefined;
      const fixes: Fix[] = [];
      if (due) fixes.push({ title: `Set "${nextReview.name}" to ${due} (${named} after "${lastUpdated.name}")`, edits: [{ start: nextCell.start, end: nextCell.end, newText: due }], safe: false });
      if (overdue) fixes.push(overdue);
      const reading = due ? `if it was reviewed on ${last}, the next review is ${due} (${named})` : `if it was reviewed on ${last}, the next review comes after that`;
      findings.push({
        rule: 'date-order',
        start: nextCell.start,
        end: nextCell.end,
        message: `"${nextReview.name}" (${next}) is before "${lastUpdated.name}" (${last}): ${reading}${overdue ? `; if not, the review is overdue (today is ${today})` : ''}.`,
        fixes: fixes.length ? fixes : undefined,
      });
    }

    const entries = dateCells(match).filter((d) => !d.field && isIsoDate(cellValue(d.cell)));
    // Last Updated moves to the latest change that has happened; a change dated after today fixes nothing.
    const latest = entries.map((d) => cellValue(d.cell)).filter((d) => d > last && d <= today).sort().pop();
    for (const { cell, table } of entries) {
      const date = cellValue(cell);
      if (date <= last) continue;
      findings.push({
        rule: 'date-order',
        start: cell.start,
        end: cell.end,
        message:
          date > today
            ? `This "${tableName(table)}" entry is dated ${date}, after "${lastUpdated.name}" (${last}) and after today (${today}): check the date.`
            : `This "${tableName(table)}" entry is dated ${date}, after "${lastUpdated.name}" (${last}): the runbook changed since, so "${lastUpdated.name}" should be at least ${date}.`,
        fixes: latest ? [{ title: `Set "${lastUpdated.name}" to ${latest}, the latest change`, edits: [setLast(latest)], safe: false }] : undefined,
      });
    }
    return findings;
  },
};
