import { nameKey } from '../model/keys';
import type { Finding, Rule } from './types';
import { isProseRow, tableName } from './util';

export const tableColumns: Rule = {
  id: 'table-columns',
  defaultSeverity: 'warning',
  description: 'A table of the template lacks one of the template\'s columns.',
  check({ model, match }) {
    const findings: Finding[] = [];
    for (const [table, spec] of match.tables) {
      const have = new Set(table.header.cells.map((c) => nameKey(c.text)));
      const missing = spec.columns.filter((c) => !have.has(c.key));
      if (!missing.length) continue;
      const headerLineEnd = model.lines.lineEnd(model.lines.positionAt(table.header.start).line);
      for (const column of missing) {
        // Append the column to the header, the delimiter row and every row, at each line's end.
        const edits = [];
        // A line of prose that GFM reads as a row keeps its text: it gets no cells.
        const rowStarts = [table.header.start, ...table.rows.filter((r) => !isProseRow(model, r)).map((r) => r.start)];
        const delimiterLine = model.lines.positionAt(table.header.start).line + 1;
        const lines = [model.lines.positionAt(table.header.start).line, delimiterLine, ...rowStarts.slice(1).map((s) => model.lines.positionAt(s).line)];
        for (const [i, line] of lines.entries()) {
          const end = model.lines.lineEnd(line);
          const text = model.lines.lineText(line);
          const closed = /\|\s*$/.test(text);
          const cell = i === 0 ? ` ${column.name} |` : i === 1 ? `${'-'.repeat(Math.max(3, column.name.length + 2))}|` : '  |';
          const trimmedEnd = end - (text.length - text.trimEnd().length);
          edits.push({ start: trimmedEnd, end: trimmedEnd, newText: closed ? cell : (i === 1 ? '|' : ' |') + cell });
        }
        findings.push({
          rule: 'table-columns',
          start: headerLineEnd,
          end: headerLineEnd,
          message: `Table "${tableName(table)}" is missing the template's column "${column.name}".`,
          fixes: [{ title: `Add column "${column.name}"`, edits, safe: true }],
        });
      }
    }
    return findings;
  },
};
