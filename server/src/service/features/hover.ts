import type { Hover, Position } from 'vscode-languageserver-types';
import { nameKey } from '../model/keys';
import type { DocumentModel } from '../model/document';
import { childrenOf, type Match } from '../match';
import type { SectionSpec, TemplateSchema } from '../template/schema';

/** The template's guidance for the section heading or table field under the cursor. */
export function hover(model: DocumentModel, schema: TemplateSchema, match: Match, position: Position): Hover | undefined {
  const offset = model.lines.offsetAt(position);
  const section = [...match.specOf.keys()].find((s) => s.heading.start <= offset && offset <= s.heading.end);
  if (section) {
    const spec = match.specOf.get(section)!;
    return { contents: { kind: 'markdown', value: sectionHover(spec, childrenOf(match, section).map((c) => match.specOf.get(c))) }, range: model.lines.range(section.heading.start, section.heading.end) };
  }
  for (const [table, spec] of match.tables) {
    if (offset < table.start || offset > table.end) continue;
    for (const row of [table.header, ...table.rows]) {
      const index = row.cells.findIndex((c) => c.start <= offset && offset <= c.end);
      if (index < 0) continue;
      const lines: string[] = [];
      if (spec.keyed && row !== table.header) {
        const field = spec.fields.find((f) => f.key === nameKey(row.cells[0]?.text ?? '')) ?? match.nearMissFields.get(row);
        if (!field) return undefined;
        lines.push(`**${field.name}** — field of *${spec.context}*`);
        if (field.vocabulary) lines.push(`Allowed values: ${field.vocabulary.map((v) => `\`${v}\``).join(', ')}`);
        if (field.date) lines.push('A date as `YYYY-MM-DD`.');
        if (field.example && !field.vocabulary) lines.push(`Template: \`${field.example}\``);
      } else {
        const name = table.header.cells[index]?.text ?? '';
        const column = spec.columns.find((c) => c.key === nameKey(name));
        if (!column) return undefined;
        lines.push(`**${column.name}** — column of *${spec.context}*`);
        if (column.vocabulary) lines.push(`Allowed values: ${column.vocabulary.map((v) => `\`${v}\``).join(', ')}`);
        if (column.date) lines.push('A date as `YYYY-MM-DD`.');
        if (!column.vocabulary && column.samples.length) lines.push(`Examples from the template: ${column.samples.slice(0, 6).map((v) => `\`${v}\``).join(', ')}`);
      }
      const cell = row.cells[index];
      return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: model.lines.range(cell.start, cell.end) };
    }
  }
  return undefined;
}

function sectionHover(spec: SectionSpec, present: (SectionSpec | undefined)[]): string {
  const parts = [`**${spec.title}** — template section *${spec.heading}*`];
  if (spec.guidance.length) parts.push(spec.guidance.join('\n\n'));
  if (spec.children.length) {
    parts.push('Subsections:\n\n' + spec.children.map((c) => `- ${c.heading}${present.includes(c) ? '' : ' *(missing)*'}`).join('\n'));
  }
  if (spec.tables.length) {
    parts.push('Tables:\n\n' + spec.tables.map((t) => `- ${t.context}: ${t.columns.map((c) => c.name).join(' | ')}`).join('\n'));
  }
  return parts.join('\n\n');
}
