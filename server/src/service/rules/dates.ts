import type { Table, TableCell } from '../model/document';
import { placeholderKey } from '../model/keys';
import type { Match } from '../match';
import { PLACEHOLDER } from '../template/compile';
import type { TemplateSchema } from '../template/schema';
import { fieldRows } from './fields';


/** A cell that the template says holds a date, with the field or column name. */
export interface DateCell {
  cell: TableCell;
  name: string;
  table: Table;
  /** A field's value (Last Updated), not a cell of a date column (a change log entry). */
  field: boolean;
}

/** Date cells of the document: date fields of key/value tables and cells of date columns. */
export function dateCells(match: Match): DateCell[] {
  const out: DateCell[] = [];
  for (const f of fieldRows(match)) if (f.field.date && f.value) out.push({ cell: f.value, name: f.field.name, table: f.table, field: true });
  for (const [table, spec] of match.tables) {
    if (spec.keyed) continue;
    spec.columns.forEach((column) => {
      if (!column.date) return;
      const index = table.header.cells.findIndex((c) => c.text.toLowerCase() === column.name.toLowerCase());
      if (index < 0) return;
      for (const row of table.rows) {
        const cell = row.cells[index];
        if (cell) out.push({ cell, name: column.name, table, field: false });
      }
    });
  }
  return out;
}

/** True when the value is nothing but template placeholders (reported by the placeholder rule). */
export function isPlaceholderValue(value: string, schema: TemplateSchema): boolean {
  const rest = value.replace(PLACEHOLDER, (m, inner: string) => (schema.placeholders.has(placeholderKey(inner)) ? '' : m));
  return rest.trim() === '' && value.trim() !== '';
}

