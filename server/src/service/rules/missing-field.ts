import { nameKey } from '../model/keys';
import { endsWithBreak } from '../edits';
import type { Finding, Rule } from './types';
import { insertBlock, nextLineStart } from './util';
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
        const tables = tablesOf(match, tableSpec).filter((t) => sections.some((s) => t.start >= s.start && t.end <= s.end));
        const table = tables[0];
        if (!table) {
          // The whole table is missing: one finding per field, all fixed by inserting the template's table.
          const section = sections[0];
          const offset = nextLineStart(model, section.heading.end);
          const edit = insertBlock(model, offset, tableSpec.source);
          for (const field of tableSpec.fields) {
            findings.push({
              rule: 'missing-field',
              start: section.heading.textStart,
              end: section.heading.textEnd,
              message: `Section "${sectionSpec.title}" has no "${tableSpec.columns.map((c) => c.name).join(' | ')}" table: field "${field.name}" is missing.`,
              fixes: [{ title: `Insert the "${sectionSpec.title}" table from the template`, edits: [edit], safe: true }],
            });
          }
          continue;
        }
        const present = new Map(table.rows.map((r) => [nameKey(r.cells[0]?.text ?? ''), r]));
        tableSpec.fields.forEach((field, index) => {
          if (present.has(field.key)) return;
          const previous = tableSpec.fields.slice(0, index).reverse().map((f) => present.get(f.key)).find((r) => r);
          const next = tableSpec.fields.slice(index + 1).map((f) => present.get(f.key)).find((r) => r);
          const offset = previous ? nextLineStart(model, previous.start) : next ? next.start : nextLineStart(model, table.end - 1);
          const eol = model.lines.eol;
          const row = `| **${field.name}** | ${field.example} |${eol}`;
          const newText = offset >= model.text.length && !endsWithBreak(model.text) ? eol + row : row;
          findings.push({
            rule: 'missing-field',
            start: offset,
            end: offset,
            message: `Field "${field.name}" is missing from the "${sectionSpec.title}" table.`,
            fixes: [{ title: `Add the "${field.name}" row`, edits: [{ start: offset, end: offset, newText }], safe: true }],
          });
        });
      }
    }
    return findings;
  },
};
