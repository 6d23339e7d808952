import { nameKey } from '../model/keys';
import { endsWithBreak } from '../edits';
import { endOf } from '../match';
import { styledFieldName, styledTable } from '../style';
import type { DocumentModel } from '../model/document';
import type { Finding, Related, Rule } from './types';
import { blockName, insertBlock, isProseRow, nextLineStart, relatedToBlock, short, unclosedAt } from './util';
import { tablesOf } from './fields';

export const missingField: Rule = {
  id: 'missing-field',
  defaultSeverity: 'error',
  description: 'A field row of a key/value table of the template (such as Document Information) is absent.',
  check({ model, match }) {
    const findings: Finding[] = [];
    for (const [sectionSpec, sections] of match.sections) {
      for (const tableSpec of sectionSpec.tables) {
        if (!tableSpec.keyed || tableSpec.optional) continue;
        const tables = tablesOf(match, tableSpec).filter((t) => sections.some((s) => t.start >= s.start && t.end <= endOf(match, s)));
        const table = tables[0];
        if (!table) {
          // A table whose rows are inside an unclosed block is there; inserting the template's would write its fields twice.
          if (tableSpec.fields.some((f) => match.swallowed.has(f))) continue;
          const section = sections[0];
          const offset = nextLineStart(model, section.heading.end);
          const edits = insertBlock(model, match, offset, styledTable(match, tableSpec.source));
          const columns = tableSpec.columns.map((c) => c.name).join(' | ');
          // The table is in the document under another heading: one finding, at the section's heading; the template's table is offered, not safe.
          const displaced = match.displaced.get(tableSpec);
          if (displaced) {
            const line = model.lines.positionAt(displaced.start).line;
            const under = displaced.heading ? ` under heading "${short(displaced.heading.text)}"` : '';
            findings.push({
              rule: 'missing-field',
              start: section.heading.textStart,
              end: section.heading.textEnd,
              message: `Section "${sectionSpec.title}" has no "${columns}" table of its own: the one at line ${line + 1}${under} has its fields. Move that table under this heading.`,
              fixes: [{ title: `Insert the "${sectionSpec.title}" table from the template`, edits, safe: false }],
              related: [{ start: displaced.start, end: model.lines.lineEnd(line), message: `The "${columns}" table with the fields of "${sectionSpec.title}"; fix-all does not write them a second time.` }],
            });
            continue;
          }
          // So would inserting it where its rows are written outside a table: offered, not safe.
          const stray = tableSpec.fields.map((f) => match.strayFields.get(f)).find((at) => at !== undefined);
          // The whole table is missing: one finding per field, all fixed by inserting the template's table.
          const open = unclosedAt(match, offset);
          for (const field of tableSpec.fields) {
            findings.push({
              rule: 'missing-field',
              start: section.heading.textStart,
              end: section.heading.textEnd,
              message: `Section "${sectionSpec.title}" has no "${columns}" table: field "${field.name}" is missing.`,
              fixes: [{ title: `Insert the "${sectionSpec.title}" table from the template`, edits, safe: stray === undefined }],
              related: open ? [relatedToBlock(model, open, `The document ends inside this ${blockName(open.block)}; the fix closes it before inserting.`)] : stray !== undefined ? [strayRow(model, stray)] : undefined,
            });
          }
          continue;
        }
        // Rows GFM takes into the table without a pipe are prose: a new row goes before them, among the real rows.
        const rows = table.rows.filter((r) => !isProseRow(model, r));
        const present = new Map(rows.map((r) => [nameKey(r.cells[0]?.text ?? ''), r]));
        // A section written twice has the field when either copy's table has it (duplicate-section reports the copy).
        const elsewhere = new Set(tables.slice(1).flatMap((t) => t.rows.map((r) => nameKey(r.cells[0]?.text ?? ''))));
        for (const row of rows) {
          const near = match.nearMissFields.get(row);
          if (near && !present.has(near.key)) present.set(near.key, row);
        }
        tableSpec.fields.forEach((field, index) => {
          if (present.has(field.key) || elsewhere.has(field.key) || match.swallowed.has(field)) return;
          const stray = match.strayFields.get(field);
          const previous = tableSpec.fields.slice(0, index).reverse().map((f) => present.get(f.key)).find((r) => r);
          const next = tableSpec.fields.slice(index + 1).map((f) => present.get(f.key)).find((r) => r);
          const last = rows[rows.length - 1];
          const delimiter = model.lines.lineStarts[Math.min(model.lines.lineCount - 1, model.lines.positionAt(table.header.start).line + 1)];
          const offset = previous ? nextLineStart(model, previous.start) : next ? next.start : nextLineStart(model, last ? last.start : delimiter);
          const eol = model.lines.eol;
          const row = `| ${styledFieldName(match, table, field)} | ${field.example} |${eol}`;
          const newText = offset >= model.text.length && !endsWithBreak(model.text) ? eol + row : row;
          // Reported on the table's header row, where the eye is, not on the line the row would go on.
          const header = model.lines.positionAt(table.header.start).line;
          const headerText = model.lines.lineText(header);
          const rowName = (r: { cells: { text: string }[] }) => r.cells[0]?.text.replace(/\*\*|__/g, '').trim();
          const where = previous ? `after the "${rowName(previous)}" row` : next ? `before the "${rowName(next)}" row` : 'as its last row';
          findings.push({
            rule: 'missing-field',
            start: model.lines.lineStarts[header] + (headerText.length - headerText.trimStart().length),
            end: model.lines.lineStarts[header] + headerText.trimEnd().length,
            message: `Field "${field.name}" is missing from the "${sectionSpec.title}" table; the fix adds it ${where}.`,
            // A row goes before anything else inserted at the same place (a section after the table's end): it belongs to the table.
            fixes: [{ title: `Add the "${field.name}" row`, edits: [{ start: offset, end: offset, newText, order: -100 }], safe: stray === undefined }],
            related: stray !== undefined ? [strayRow(model, stray)] : undefined,
          });
        });
      }
    }
    return findings;
  },
};

/** The related place of a field row written outside its table: a row added to the table would write the field twice. */
function strayRow(model: DocumentModel, start: number): Related {
  return { start, end: model.lines.lineEnd(model.lines.positionAt(start).line), message: 'The field is written here, outside the table; fix-all does not add it a second time.' };
}
