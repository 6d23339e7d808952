import type { Finding, Rule } from './types';
import { cellValue, tableName } from './util';

export const emptyField: Rule = {
  id: 'empty-field',
  defaultSeverity: 'warning',
  description: 'A field of a key/value table, or a cell of a template table row that has other values, is empty.',
  check({ match }) {
    const findings: Finding[] = [];
    for (const [table, spec] of match.tables) {
      const name = tableName(table);
      for (const row of table.rows) {
        const width = Math.min(row.cells.length, table.header.cells.length);
        const cells = row.cells.slice(0, width);
        if (spec.keyed) {
          const key = cellValue(cells[0]);
          const value = cells[1];
          if (key && (!value || cellValue(value) === '')) {
            const at = value ?? cells[0];
            const field = spec.fields.find((f) => f.name.toLowerCase() === key.toLowerCase());
            const hint = field?.vocabulary ? ` (one of ${field.vocabulary.join(', ')})` : field?.date ? ' (a date, YYYY-MM-DD)' : '';
            findings.push({ rule: 'empty-field', start: at.start, end: at.end, message: `Field "${key}" in "${name}" is empty; fill in its value${hint}.` });
          }
          continue;
        }
        const filled = cells.filter((c) => cellValue(c) !== '');
        if (!filled.length) {
          findings.push({ rule: 'empty-field', start: row.start, end: row.end, message: `Empty row in table "${name}"; fill it in or remove it.` });
          continue;
        }
        const rowName = cellValue(cells[0]) || `row ${table.rows.indexOf(row) + 1}`;
        cells.forEach((cell, i) => {
          if (cellValue(cell) !== '') return;
          const column = table.header.cells[i]?.text || `column ${i + 1}`;
          findings.push({ rule: 'empty-field', start: cell.start, end: cell.end, message: `"${column}" is empty for "${rowName}" in table "${name}".` });
        });
      }
    }
    return findings;
  },
};
