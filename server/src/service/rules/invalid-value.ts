import type { TableCell } from '../model/document';
import type { Finding, Rule } from './types';
import { fieldRows } from './fields';
import { isPlaceholderValue } from './dates';
import { cellValue, short } from './util';
import { draftMarkersOf, draftValue, markerPattern } from './markers';

export const invalidValue: Rule = {
  id: 'invalid-value',
  defaultSeverity: 'warning',
  description: 'A value outside the list the template allows (for example Criticality `High/Medium/Low`).',
  check(ctx) {
    const { schema, match } = ctx;
    const findings: Finding[] = [];
    const markers = markerPattern(draftMarkersOf(ctx));
    const check = (cell: TableCell | undefined, name: string, vocabulary: string[]) => {
      if (!cell) return;
      const value = cellValue(cell).replace(/[.;,]$/, '');
      // A draft marker (TBD) is an empty value, reported by empty-field.
      if (value === '' || isPlaceholderValue(value, schema) || draftValue(value, markers)) return;
      if (vocabulary.some((v) => v.toLowerCase() === value.toLowerCase())) return;
      findings.push({
        rule: 'invalid-value',
        start: cell.start,
        end: cell.end,
        message: `"${name}" is "${short(value)}"; the template allows ${vocabulary.join(', ')}.`,
        fixes: vocabulary.map((v) => ({ title: `Change to "${v}"`, edits: [{ start: cell.start, end: cell.end, newText: v }], safe: false })),
      });
    };
    for (const f of fieldRows(match)) if (f.field.vocabulary) check(f.value, f.field.name, f.field.vocabulary);
    for (const [table, spec] of match.tables) {
      if (spec.keyed) continue;
      for (const column of spec.columns) {
        if (!column.vocabulary) continue;
        const index = table.header.cells.findIndex((c) => c.text.toLowerCase() === column.name.toLowerCase());
        if (index < 0) continue;
        for (const row of table.rows) check(row.cells[index], column.name, column.vocabulary);
      }
    }
    return findings;
  },
};
