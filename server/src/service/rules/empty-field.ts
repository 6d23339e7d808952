import type { Match } from '../match';
import type { Finding, Rule } from './types';
import { draftMarkersOf, draftValue, markerPattern } from './markers';
import { cellValue, tableName } from './util';

/**
 * Empty fields and cells of the template's tables. A value that is only a draft marker (`TBD`) is empty
 * too; the draft-marker rule leaves such values to this one, so the person reads one message.
 */
export function emptyFieldFindings(match: Match, markers: RegExp | undefined): Finding[] {
  const findings: Finding[] = [];
  const draft = (value: string) => draftValue(value, markers);
  for (const [table, spec] of match.tables) {
    const name = tableName(table);
    for (const row of table.rows) {
      const width = Math.min(row.cells.length, table.header.cells.length);
      const cells = row.cells.slice(0, width);
      if (spec.keyed) {
        const key = cellValue(cells[0]);
        const value = cells[1];
        const marker = value ? draft(cellValue(value)) : undefined;
        if (key && (!value || cellValue(value) === '' || marker)) {
          const at = value ?? cells[0];
          const field = spec.fields.find((f) => f.name.toLowerCase() === key.toLowerCase());
          const hint = field?.vocabulary ? ` (one of ${field.vocabulary.join(', ')})` : field?.date ? ' (a date, YYYY-MM-DD)' : '';
          const state = marker ? `still a draft ("${marker}")` : 'empty';
          findings.push({ rule: 'empty-field', start: at.start, end: at.end, message: `Field "${key}" in "${name}" is ${state}; fill in its value${hint}.` });
        }
        continue;
      }
      const unfilled = (value: string) => value === '' || draft(value) !== undefined;
      const filled = cells.filter((c) => !unfilled(cellValue(c)));
      if (!filled.length) {
        const drafts = cells.some((c) => cellValue(c) !== '');
        findings.push({ rule: 'empty-field', start: row.start, end: row.end, message: `${drafts ? 'Row holding only draft markers' : 'Empty row'} in table "${name}"; fill it in or remove it.` });
        continue;
      }
      const first = cellValue(cells[0]);
      const rowName = first && !draft(first) ? first : `row ${table.rows.indexOf(row) + 1}`;
      cells.forEach((cell, i) => {
        const value = cellValue(cell);
        if (!unfilled(value)) return;
        const column = table.header.cells[i]?.text || `column ${i + 1}`;
        const marker = draft(value);
        findings.push({ rule: 'empty-field', start: cell.start, end: cell.end, message: marker ? `"${column}" is still a draft ("${marker}") for "${rowName}" in table "${name}".` : `"${column}" is empty for "${rowName}" in table "${name}".` });
      });
    }
  }
  return findings;
}

export const emptyField: Rule = {
  id: 'empty-field',
  defaultSeverity: 'warning',
  description: 'A field of a key/value table, or a cell of a template table row that has other values, is empty or only a draft marker (TBD).',
  check(ctx) {
    return emptyFieldFindings(ctx.match, markerPattern(draftMarkersOf(ctx)));
  },
};
