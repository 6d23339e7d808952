import type { Finding, Rule } from './types';
import { tableName } from './util';

export const tableShape: Rule = {
  id: 'table-shape',
  defaultSeverity: 'warning',
  description: 'A table row has more or fewer cells than the table header.',
  check({ model }) {
    const findings: Finding[] = [];
    for (const table of model.tables) {
      const width = table.header.cells.length;
      for (const row of table.rows) {
        const count = row.cells.length;
        if (count === width) continue;
        const text = model.text.slice(row.start, row.end);
        const closed = /\|\s*$/.test(text);
        const fixes =
          count < width
            ? [{ title: `Add ${width - count} empty cell${width - count > 1 ? 's' : ''} to the row`, edits: [{ start: row.end, end: row.end, newText: (closed ? '' : ' |') + '  |'.repeat(width - count) }], safe: true }]
            : undefined;
        findings.push({
          rule: 'table-shape',
          start: row.start,
          end: row.end,
          message: `Row has ${count} cell${count === 1 ? '' : 's'} but the header of table "${tableName(table)}" has ${width}.`,
          fixes,
        });
      }
    }
    return findings;
  },
};
