import { buildModel, type DocumentModel, type Section, type Table } from '../model/document';
import { ChunkParser } from '../model/parse';
import { headingKey, nameKey, placeholderKey } from '../model/keys';
import type { ColumnSpec, FieldSpec, SectionSpec, TableSpec, TemplateSchema } from './schema';

/** Matches a `[...]` placeholder without nested brackets. */
export const PLACEHOLDER = /\[([^[\]\n]{1,200})\]/g;

/**
 * Words that describe what to type rather than name a choice: `[Name/Role]` asks for a name or a
 * role, while `[Internal/Confidential]` offers two values.
 */
const DESCRIPTORS = new Set(['name', 'role', 'title', 'person', 'team', 'email', 'description', 'details', 'text', 'value', 'link', 'url', 'number', 'date', 'time', 'details']);

/** Compiles a template's Markdown into the schema every rule and feature reads. */
export function compileTemplate(text: string, source: string): TemplateSchema {
  const model = buildModel(source, 0, text, new ChunkParser(), true);
  const titleHeading = model.headings.find((h) => h.depth === 1);
  const title = titleHeading?.text;
  const depths = model.headings.filter((h) => h !== titleHeading).map((h) => h.depth);
  const sectionDepth = depths.length ? Math.min(...depths) : 2;
  const optionalOffsets = optionalMarks(model);

  const schema: TemplateSchema = {
    source,
    text,
    title,
    titlePrefix: title ? titlePrefixOf(title) : undefined,
    sectionDepth,
    sections: [],
    tables: [],
    placeholders: new Set(),
    vocabularies: new Map(),
    roles: {},
  };

  const specOf = new Map<Section, SectionSpec>();
  const exampleSections = new Set<Section>();
  const visit = (sections: Section[], parent: SectionSpec | undefined) => {
    const examples = exampleHeadings(sections);
    sections.forEach((section, index) => {
      if (section.depth < sectionDepth) {
        visit(section.children, parent);
        return;
      }
      const isExample = examples.has(section);
      const tooDeep = section.depth > sectionDepth + 1;
      if (isExample || tooDeep) {
        if (isExample) exampleSections.add(section);
        visit(section.children, parent);
        return;
      }
      const spec: SectionSpec = {
        key: headingKey(section.heading.text),
        title: displayTitle(section.heading.text),
        heading: section.heading.text,
        depth: section.depth,
        parent,
        children: [],
        index,
        optional: optionalOffsets.some((o) => o >= section.heading.start && o <= firstContentOffset(section)),
        guidance: guidanceOf(section, text),
        tables: [],
        skeleton: sectionSource(section, text),
        line: section.heading.line,
      };
      specOf.set(section, spec);
      (parent ? parent.children : schema.sections).push(spec);
      visit(section.children, spec);
    });
  };
  visit(model.sections, undefined);

  for (const table of model.tables) {
    let owner: Section | undefined = table.section;
    let underExample = false;
    while (owner && !specOf.has(owner)) {
      if (exampleSections.has(owner)) underExample = true;
      owner = owner.parent;
    }
    const spec = owner ? specOf.get(owner) : undefined;
    const optionalMark = optionalOffsets.some((o) => o < table.start && o >= table.start - 200 && !text.slice(o, table.start).includes('\n\n\n'));
    const tableSpec = tableSpecOf(table, text, spec, underExample || optionalMark || !!spec?.optional);
    schema.tables.push(tableSpec);
    spec?.tables.push(tableSpec);
  }

  for (const run of model.textRuns) {
    const source = text.slice(run.start, run.end);
    for (const m of source.matchAll(PLACEHOLDER)) {
      const inner = m[1].trim();
      if (inner === '' || inner.toLowerCase() === 'x') continue;
      if (run.kind !== 'text' && !/[A-Za-z]/.test(inner)) continue;
      schema.placeholders.add(placeholderKey(inner));
    }
    for (const m of source.matchAll(/^[ \t]*([A-Za-z][\w ]{0,40}):[ \t]*\[([^\]\n]+)\]/gm)) {
      const vocabulary = parseVocabulary(m[2]);
      if (vocabulary) schema.vocabularies.set(nameKey(m[1]), vocabulary);
    }
  }

  for (const field of schema.tables.flatMap((t) => t.fields)) {
    const name = field.key;
    if (/\bnext review/.test(name)) schema.roles.nextReview ??= field;
    else if (/\blast (updated|reviewed|modified)/.test(name)) schema.roles.lastUpdated ??= field;
    else if (/\breview (frequency|cadence|interval|cycle)/.test(name)) schema.roles.reviewFrequency ??= field;
  }
  return schema;
}

function titlePrefixOf(title: string): string {
  const cut = title.search(/[:[\-–—|]/);
  return (cut > 0 ? title.slice(0, cut) : title).trim();
}

/** Heading text without its numbering: `Section 8: Rollback Procedures` becomes `Rollback Procedures`. */
export function displayTitle(heading: string): string {
  return (
    heading
      .replace(/^\s*(?:section|part|chapter)\s+(?:\d+(?:\.\d+)*|[A-Za-z])\s*[:.)\-–—]?\s*/i, '')
      .replace(/^\s*(?:\d+(?:\.\d+)*\.?|[A-Za-z][.)])\s+(?=\S)/, '')
      .trim() || heading.trim()
  );
}

/**
 * Headings that show an example of a repeatable part rather than a required one: those holding a
 * placeholder (`[Component Name 1]`), and siblings sharing a label (`Step 1: ...`, `Option A: ...`,
 * `Issue: ...`) or a bare count (`1. Detect`, `2. Communicate`) below the subsection level.
 */
function exampleHeadings(siblings: Section[]): Set<Section> {
  const examples = new Set<Section>();
  const labelOf = (s: Section): string | undefined => {
    const t = s.heading.text;
    const labelled = /^([A-Za-z][A-Za-z ]{0,20}?)\s*(?:\d+|[A-Z])?\s*:/.exec(t);
    if (labelled && !/^(section|part|chapter)$/i.test(labelled[1].trim())) return labelled[1].trim().toLowerCase();
    if (/^\d+[.)]\s/.test(t) && s.depth >= 4) return '#';
    return undefined;
  };
  const counts = new Map<string, number>();
  for (const s of siblings) {
    const label = labelOf(s);
    if (label) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  for (const s of siblings) {
    PLACEHOLDER.lastIndex = 0;
    const label = labelOf(s);
    if (PLACEHOLDER.test(s.heading.text) || (label && (counts.get(label) ?? 0) >= 2)) examples.add(s);
  }
  return examples;
}

/** Offsets of `<!-- optional -->` marks. */
function optionalMarks(model: DocumentModel): number[] {
  return model.comments.filter((c) => /^\s*optional\s*$/i.test(c.value)).map((c) => c.start);
}

function firstContentOffset(section: Section): number {
  const first = section.blocks[0];
  return first && first.node.type === 'html' ? first.end : section.heading.end;
}

function sectionSource(section: Section, text: string): string {
  return text.slice(section.start, section.end).replace(/\s*<!--\s*optional\s*-->/gi, '').trimEnd() + '\n';
}

function guidanceOf(section: Section, text: string): string[] {
  const out: string[] = [];
  for (const block of section.blocks) {
    const type = block.node.type;
    if (type !== 'paragraph' && type !== 'list' && type !== 'blockquote') continue;
    const source = text.slice(block.start, block.end).replace(/\*?\[([^[\]\n]{8,})\]\*?/g, (m, inner: string) => inner);
    if (source.trim()) out.push(source.trim());
  }
  return out;
}

function tableSpecOf(table: Table, text: string, section: SectionSpec | undefined, optional: boolean): TableSpec {
  const header = table.header.cells;
  const keyed = header.length === 2 && table.rows.length > 0 && table.rows.every((r) => r.cells[0]?.bold);
  const columns: ColumnSpec[] = header.map((cell, i) => {
    const values = table.rows.map((r) => r.cells[i]?.text ?? '').filter((v) => v !== '');
    let vocabulary: string[] | undefined;
    // First-column values name rows (`CI/CD`), and a key/value table's values belong to each field.
    if (i > 0 && !keyed) for (const v of values) vocabulary ??= parseVocabulary(v);
    const plainValues = values.filter((v) => !v.includes('['));
    if (i > 0 && !keyed && !vocabulary && plainValues.length && plainValues.every((v) => /^(yes|no)$/i.test(v))) vocabulary = ['Yes', 'No'];
    if (i > 0 && !keyed && !vocabulary && /\brequired$/i.test(cell.text)) vocabulary = ['Yes', 'No'];
    return {
      name: cell.text,
      key: nameKey(cell.text),
      vocabulary,
      samples: [...new Set(plainValues)].filter((v) => !vocabulary || vocabulary.includes(v)),
      date: !keyed && (/\bdate\b/i.test(cell.text) || values.some((v) => /^\[date\]$/i.test(v))),
    };
  });
  const headerLine = lineAt(text, table.header.start);
  const delimiterLine = lineAt(text, table.header.end + 1);
  const emptyRow = '|' + columns.map(() => '  |').join('');
  const spec: TableSpec = {
    section,
    context: table.heading?.text ?? section?.heading ?? '',
    columns,
    keyed,
    fields: [],
    rowKeys: table.rows.map((r) => r.cells[0]?.text ?? '').filter((v) => v !== '' && !v.includes('[')),
    optional,
    skeleton: `${headerLine}\n${delimiterLine}\n${emptyRow}\n`,
    source: text.slice(table.start, table.end),
  };
  if (keyed) {
    spec.fields = table.rows.map((r): FieldSpec => {
      const example = r.cells[1]?.text ?? '';
      return {
        name: r.cells[0].text,
        key: nameKey(r.cells[0].text),
        table: spec,
        example,
        vocabulary: parseVocabulary(example),
        date: /^\[date\]$/i.test(example) || /\bdate\b/i.test(r.cells[0].text),
      };
    });
  }
  return spec;
}

function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  return text.slice(start, end).replace(/\r$/, '');
}

/**
 * A closed list of values written as alternatives: `High/Medium/Low`, `[Internal/Confidential]`,
 * `[SEV-1/2/3/4]` (SEV-1 to SEV-4), `YES/NO`. Undefined when the text is not such a list.
 */
export function parseVocabulary(text: string): string[] | undefined {
  const inner = text.replace(/^\*+|\*+$/g, '').replace(/^\[|\]$/g, '').trim();
  if (!inner.includes('/')) return undefined;
  const parts = inner.split('/').map((p) => p.trim());
  if (parts.length < 2 || parts.length > 10) return undefined;
  const first = /^(.*?)(\d+)$/.exec(parts[0]);
  const values: string[] = [];
  for (const p of parts) {
    if (/^\d+$/.test(p) && first) values.push(first[1] + p);
    else if (/^[A-Za-z][A-Za-z0-9-]{0,24}$/.test(p)) values.push(p);
    else return undefined;
  }
  if (values.some((v) => DESCRIPTORS.has(v.toLowerCase()))) return undefined;
  return values.map((v) => (/^(YES|NO)$/.test(v) ? v[0] + v.slice(1).toLowerCase() : v));
}

