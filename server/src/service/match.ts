import { allSections, type DocumentModel, type Section, type Table } from './model/document';
import { headingKey, nameKey } from './model/keys';
import type { SectionSpec, TableSpec, TemplateSchema } from './template/schema';

/** How a document lines up with its template: which headings and tables are which. */
export interface Match {
  /** Document sections matched to each template section, in document order (more than one: duplicates). */
  sections: Map<SectionSpec, Section[]>;
  specOf: Map<Section, SectionSpec>;
  tables: Map<Table, TableSpec>;
  /** The document's sections at the template's top-level depth, in document order. */
  topLevel: Section[];
}

/** Aligns the document's sections and tables with the template's. */
export function matchTemplate(model: DocumentModel, schema: TemplateSchema): Match {
  const match: Match = { sections: new Map(), specOf: new Map(), tables: new Map(), topLevel: [] };
  const add = (spec: SectionSpec, section: Section) => {
    match.specOf.set(section, spec);
    const list = match.sections.get(spec);
    if (list) list.push(section);
    else match.sections.set(spec, [section]);
  };
  const topKeys = new Map(schema.sections.map((s) => [s.key, s]));
  match.topLevel = allSections(model).filter((s) => s.depth === schema.sectionDepth);
  for (const section of match.topLevel) {
    const spec = topKeys.get(headingKey(section.heading.text));
    if (!spec) continue;
    add(spec, section);
    matchChildren(section, spec, add);
  }
  for (const table of model.tables) {
    const spec = tableSpecFor(table, match);
    if (spec) match.tables.set(table, spec);
  }
  return match;
}

function matchChildren(section: Section, spec: SectionSpec, add: (spec: SectionSpec, s: Section) => void): void {
  if (!spec.children.length) return;
  const keys = new Map(spec.children.map((c) => [c.key, c]));
  for (const child of section.children) {
    const childSpec = keys.get(headingKey(child.heading.text));
    if (!childSpec) continue;
    add(childSpec, child);
    matchChildren(child, childSpec, add);
  }
}

/** The template section a document section belongs to: its own match, or its nearest matched ancestor's. */
export function owningSpec(section: Section | undefined, match: Match): SectionSpec | undefined {
  for (let s = section; s; s = s.parent) {
    const spec = match.specOf.get(s);
    if (spec) return spec;
  }
  return undefined;
}

function tableSpecFor(table: Table, match: Match): TableSpec | undefined {
  const spec = owningSpec(table.section, match);
  if (!spec || !table.header) return undefined;
  const columns = table.header.cells.map((c) => nameKey(c.text));
  let best: TableSpec | undefined;
  let bestScore = 0;
  for (const candidate of spec.tables) {
    const wanted = candidate.columns.map((c) => c.key);
    const common = wanted.filter((k) => columns.includes(k)).length;
    let score = common / Math.max(wanted.length, columns.length);
    if (columns[0] && columns[0] === wanted[0]) score += 0.5;
    if (candidate.keyed && table.rows.length) {
      const keys = new Set(table.rows.map((r) => nameKey(r.cells[0]?.text ?? '')));
      const shared = candidate.fields.filter((f) => keys.has(f.key)).length;
      score += shared / Math.max(1, candidate.fields.length);
    }
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return bestScore >= 0.5 ? best : undefined;
}
