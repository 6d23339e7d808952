import type { Finding, Rule } from './types';
import { dateCells, isPlaceholderValue } from './dates';
import { cellValue, isIsoDate, short } from './util';
import { draftMarkersOf, draftValue, markerPattern } from './markers';

export const invalidDate: Rule = {
  id: 'invalid-date',
  defaultSeverity: 'warning',
  description: 'A date field or date column holds something other than an ISO 8601 date (YYYY-MM-DD).',
  check(ctx) {
    const { schema, match, today } = ctx;
    const findings: Finding[] = [];
    const markers = markerPattern(draftMarkersOf(ctx));
    for (const { cell, name } of dateCells(match)) {
      const value = cellValue(cell);
      // A draft marker (TBD) is an empty value, reported by empty-field.
      if (value === '' || isIsoDate(value) || isPlaceholderValue(value, schema) || draftValue(value, markers)) continue;
      findings.push({
        rule: 'invalid-date',
        start: cell.start,
        end: cell.end,
        message: `"${name}" should be a date as YYYY-MM-DD; found "${short(value)}".`,
        fixes: [{ title: `Replace with today's date (${today})`, edits: [{ start: cell.start, end: cell.end, newText: today }], safe: false }],
      });
    }
    return findings;
  },
};
