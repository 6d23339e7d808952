import type { Finding, Rule } from './types';
import { isProseRow, short, tableName } from './util';

export const tableShape: Rule = {
  id: 'table-shape',
  defaultSeverity: 'warning',
  description: 'A table row has more or fewer cells than the table header.',
  check({ model }) {
    const findings: Finding[] = [];
    for (const table of model.tables) {
      const width = table.header.cells.length;
      const prose = table.rows.map((r) => isProseRow(model, r));
      // Lines without a pipe at the table's end are prose that GFM reads as rows: a blank line before the first ends the table there.
      let tail = table.rows.length;
      while (tail > 0 && prose[tail - 1]) tail--;
      table.rows.forEach((row, i) => {
        const count = row.cells.length;
        const text = model.text.slice(row.start, row.end);
        if (prose[i]) {
          if (i > tail) return;
          const lineStart = model.lines.lineStarts[row.line];
          findings.push({
            rule: 'table-shape',
            start: row.start,
            end: row.end,
            message: `Line "${short(text.trim())}" has no pipe, yet GFM reads it as a row of table "${tableName(table)}" because it follows the table directly.${i === tail ? ' A blank line before it ends the table.' : ''}`,
            fixes: i === tail ? [{ title: 'End the table before this line (insert a blank line)', edits: [{ start: lineStart, end: lineStart, newText: model.lines.eol }], safe: true }] : undefined,
          });
          return;
        }
        if (count === width) return;
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
      });
    }
    return findings;
  },
};
