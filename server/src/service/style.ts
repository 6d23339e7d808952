import type { Section, Table } from './model/document';
import { nameKey, numberingOf } from './model/keys';
import { childrenOf, parentOf, type Match } from './match';
import type { FieldSpec, SectionSpec, TemplateSchema } from './template/schema';

/**
 * How a document writes what the template gives it, so that inserted text reads like the rest of the
 * document: the numbering of its section and subsection headings (`## 8. Title`, `## Title`,
 * `## Section 8: Title`) and whether key/value tables write field names bold.
 */
interface DocumentStyle {
  /** Numbering of top-level and second-level headings, `{n}` for the number (`8`, `8.1`); undefined: as the template. */
  numbering: [string | undefined, string | undefined];
  /** Field names bold (`**Owner**`), as the template writes them, unless the document's key/value tables do not. */
  boldFields: boolean;
}

const NUMBERING = /^\s*((?:section|part|chapter)\s+)(\d+(?:\.\d+)*)(\s*[:.)\-–—]?\s*)|^\s*(\d+(?:\.\d+)*)(\.?\)?\s+)(?=\S)/i;

/** The numbering pattern of a heading (`Section {n}: `, `{n}. `), '' when it has none. */
function patternOf(text: string): string {
  const m = NUMBERING.exec(text);
  if (!m) return '';
  return m[1] !== undefined ? `${m[1]}{n}${m[3]}` : `{n}${m[5]}`;
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

const cache = new WeakMap<Match, DocumentStyle>();

function styleOf(match: Match): DocumentStyle {
  let style = cache.get(match);
  if (style) return style;
  const votes: [Map<string, number>, Map<string, number>] = [new Map(), new Map()];
  for (const [section, spec] of match.specOf) {
    const level = spec.parent ? 1 : 0;
    if (spec.parent?.parent || !numberingOf(spec.heading)) continue;
    const p = patternOf(section.heading.text);
    votes[level].set(p, (votes[level].get(p) ?? 0) + 1);
  }
  const winner = (v: Map<string, number>) => [...v].sort((a, b) => b[1] - a[1])[0]?.[0];
  let bold = 0;
  let plain = 0;
  for (const [table, spec] of match.tables) {
    if (!spec.keyed) continue;
    for (const row of table.rows) {
      const key = nameKey(row.cells[0]?.text ?? '');
      if (!spec.fields.some((f) => f.key === key)) continue;
      if (row.cells[0].bold) bold++;
      else plain++;
    }
  }
  const top = winner(votes[0]);
  // Subsections numbered as the template numbers them, unless the document shows its own way or numbers nothing.
  const sub = winner(votes[1]) ?? (top === '' ? '' : undefined);
  style = { numbering: [top, sub], boldFields: plain <= bold };
  cache.set(match, style);
  return style;
}

/**
 * The number a template section gets in this document: counted from the nearest sibling present with a
 * number (the document may number from another start), else the template's own; undefined when the
 * template does not number it.
 */
function numberFor(match: Match, spec: SectionSpec, siblings: SectionSpec[], parent: Section | undefined, parentNumber: number[] | undefined): number[] | undefined {
  const own = numberingOf(spec.heading);
  if (!own) return undefined;
  const index = siblings.indexOf(spec);
  const order = [...siblings.slice(0, index).reverse(), ...siblings.slice(index + 1)];
  for (const other of order) {
    const theirs = numberingOf(other.heading);
    if (!theirs) continue;
    const present = (match.sections.get(other) ?? []).find((s) => parentOf(match, s) === parent);
    const written = present && numberingOf(present.heading.text);
    if (!written) continue;
    const n = written[written.length - 1] + own[own.length - 1] - theirs[theirs.length - 1];
    if (n < 0) continue;
    return [...written.slice(0, -1), n];
  }
  if (parentNumber && own.length > 1) return [...parentNumber, own[own.length - 1]];
  return own;
}

function headingText(spec: SectionSpec, pattern: string | undefined, number: number[] | undefined): string {
  // What the template does not number stays as the template writes it.
  if (!numberingOf(spec.heading) || !number) return spec.heading;
  if (pattern === undefined) return spec.heading.replace(/\d+(?:\.\d+)*/, number.join('.'));
  return pattern.replace('{n}', number.join('.')) + spec.title;
}

/**
 * A template section's text to insert into this document: its heading numbered as the document numbers
 * its headings (with the number it gets there), its subsections likewise, and the field names of its
 * key/value tables bold or plain as the document writes them.
 */
export function styledSkeleton(schema: TemplateSchema, match: Match, spec: SectionSpec, parent: Section | undefined): string {
  const style = styleOf(match);
  const level = spec.parent ? 1 : 0;
  const siblings = spec.parent ? spec.parent.children : schema.sections;
  const parentNumber = parent ? numberingOf(parent.heading.text) : undefined;
  const number = numberFor(match, spec, siblings, parent, parentNumber);
  // A subsection is numbered as its siblings are, where they show a way; else as the document's subsections are.
  const siblingPatterns = parent ? childrenOf(match, parent).filter((c) => numberingOf(match.specOf.get(c)?.heading ?? '')).map((c) => patternOf(c.heading.text)) : [];
  const pattern = siblingPatterns.length ? mostCommon(siblingPatterns) : style.numbering[level];
  const lines = spec.skeleton.split('\n');
  const marks = '#'.repeat(spec.depth);
  if (lines[0] === `${marks} ${spec.heading}`) lines[0] = `${marks} ${headingText(spec, pattern, number)}`;
  if (!spec.parent) {
    for (const child of spec.children) {
      const i = lines.indexOf(`${'#'.repeat(child.depth)} ${child.heading}`);
      const own = numberingOf(child.heading);
      if (i < 0) continue;
      const childNumber = own && number ? [...number, own[own.length - 1]] : own;
      lines[i] = `${'#'.repeat(child.depth)} ${headingText(child, style.numbering[1], childNumber)}`;
    }
  }
  let text = lines.join('\n');
  if (!style.boldFields) {
    for (const table of schema.tables) {
      if (!table.keyed || !text.includes(table.source)) continue;
      text = text.replace(table.source, () => table.source.replace(/^(\s*\|\s*)\*\*([^*|\n]+)\*\*(?=\s*\|)/gm, '$1$2'));
    }
  }
  return text;
}

/** A table source of the template with its field names bold or plain as the document writes them. */
export function styledTable(match: Match, source: string): string {
  return styleOf(match).boldFields ? source : source.replace(/^(\s*\|\s*)\*\*([^*|\n]+)\*\*(?=\s*\|)/gm, '$1$2');
}

/** A field name as this table (or else the document) writes field names: `**Owner**` or `Owner`. */
export function styledFieldName(match: Match, table: Table | undefined, field: FieldSpec): string {
  const keys = table?.rows.map((r) => r.cells[0]).filter((c) => c && c.text !== '') ?? [];
  const bold = keys.length ? keys.filter((c) => c.bold).length * 2 >= keys.length : styleOf(match).boldFields;
  return bold ? `**${field.name}**` : field.name;
}
