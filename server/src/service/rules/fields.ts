import type { Table, TableCell, TableRow } from '../model/document';
import { nameKey } from '../model/keys';
import type { Match } from '../match';
import type { FieldSpec, TableSpec } from '../template/schema';

/** A field row of a key/value table in the document, with the template field it fills. */
export interface FieldRow {
  field: FieldSpec;
  table: Table;
  row: TableRow;
  value: TableCell | undefined;
}

/** Every field row of the document's key/value tables that the template knows. */
export function fieldRows(match: Match): FieldRow[] {
  const out: FieldRow[] = [];
  for (const [table, spec] of match.tables) {
    if (!spec.keyed) continue;
    const byKey = new Map(spec.fields.map((f) => [f.key, f]));
    for (const row of table.rows) {
      const field = byKey.get(nameKey(row.cells[0]?.text ?? '')) ?? match.nearMissFields.get(row);
      if (field) out.push({ field, table, row, value: row.cells[1] });
    }
  }
  return out;
}

/** Document tables matched to a template table. */
export function tablesOf(match: Match, spec: TableSpec): Table[] {
  return [...match.tables].filter(([, s]) => s === spec).map(([t]) => t);
}
