import { placeholderKey } from '../model/keys';
import { PLACEHOLDER } from '../template/compile';
import type { Finding, Rule } from './types';
import { fieldRows } from './fields';
import { short } from './util';

export const placeholder: Rule = {
  id: 'placeholder',
  defaultSeverity: 'warning',
  description: 'Placeholder text from the template (`[System Name]`, `[DATE]`, `*[Replace with ...]*`) is still in the runbook.',
  check({ model, schema, match, today }) {
    const findings: Finding[] = [];
    if (!schema.placeholders.size) return findings;
    const dateCells: { start: number; end: number; name: string }[] = [];
    for (const f of fieldRows(match)) if (f.field.date && f.value) dateCells.push({ start: f.value.start, end: f.value.end, name: f.field.name });
    for (const [table, spec] of match.tables) {
      spec.columns.forEach((column, i) => {
        if (!column.date) return;
        for (const row of table.rows) {
          const cell = row.cells[i];
          if (cell) dateCells.push({ start: cell.start, end: cell.end, name: column.name });
        }
      });
    }
    for (const run of model.textRuns) {
      if (run.kind === 'html') continue;
      const source = model.text.slice(run.start, run.end);
      for (const m of source.matchAll(PLACEHOLDER)) {
        if (!schema.placeholders.has(placeholderKey(m[1]))) continue;
        const after = source[(m.index ?? 0) + m[0].length];
        if (run.kind === 'text' && (after === '(' || after === '[' || after === ':')) continue;
        const start = run.start + (m.index ?? 0);
        const end = start + m[0].length;
        const dateCell = dateCells.find((c) => c.start <= start && end <= c.end);
        const fixes = dateCell
          ? [{ title: `Replace "${m[0]}" with today's date (${today})`, edits: [{ start, end, newText: today }], safe: true }]
          : undefined;
        findings.push({
          rule: 'placeholder',
          start,
          end,
          message: dateCell
            ? `"${dateCell.name}" still holds the placeholder "${m[0]}": expected a date (YYYY-MM-DD).`
            : `Placeholder "${short(m[0])}" from the template is still here: replace it with the real content.`,
          fixes,
        });
      }
    }
    return findings;
  },
};
