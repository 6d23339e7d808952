import { allSections, type DocumentModel, type RawBlock, type Section, type Table, type TableRow } from './model/document';
import { editDistance, headingKey, nameKey, numberingOf } from './model/keys';
import type { FieldSpec, SectionSpec, TableSpec, TemplateSchema } from './template/schema';

/** A heading matched to a template section although it is misspelt or written at another level. */
export interface NearMiss {
  spec: SectionSpec;
  /** Its words differ from the template's (beyond numbering, case, punctuation and plurals). */
  renamed: boolean;
  /** The level the template's structure gives it, when it is written at another. */
  depth: number | undefined;
  /** Headings below it that go with it when its level changes, each by as many levels. */
  moves: Section[];
}

/** A template heading or field that is only inside an unclosed block. */
export interface Swallowed {
  /** The line inside the block. */
  start: number;
  end: number;
  section?: SectionSpec;
  field?: FieldSpec;
}

/** A fenced code block, HTML block or comment that runs to the end of the document or takes in template headings. */
export interface UnclosedBlock {
  block: RawBlock;
  /** Nothing closes it: it runs to the end of the document. */
  open: boolean;
  swallowed: Swallowed[];
  /** Where its closing line belongs: before the first template heading or field it takes in, else the document's end. */
  closeAt: number;
}

/**
 * How a document lines up with its template: which headings, tables and fields are which. Every rule
 * and feature reads the template's structure from here, so a misspelt heading, a heading at the wrong
 * level and a section inside an unclosed block are the same thing to all of them.
 */
export interface Match {
  /** Document sections matched to each template section, in document order (more than one: duplicates). */
  sections: Map<SectionSpec, Section[]>;
  specOf: Map<Section, SectionSpec>;
  tables: Map<Table, TableSpec>;
  /** The document's sections at the template's top level, in document order (a top-level section at the wrong level included). */
  topLevel: Section[];
  /**
   * The section tree as the template reads it: a section at the wrong level sits where the template puts
   * it, with the headings below it. Sections not listed keep their parent and children.
   */
  parent: Map<Section, Section | undefined>;
  children: Map<Section, Section[]>;
  nearMisses: Map<Section, NearMiss>;
  /** Rows of key/value tables whose key is a misspelt template field. */
  nearMissFields: Map<TableRow, FieldSpec>;
  unclosed: UnclosedBlock[];
  /** Template sections and fields found only inside an unclosed block, with the block. */
  swallowed: Map<SectionSpec | FieldSpec, UnclosedBlock>;
  /** Fields of key/value tables written as a row outside any table, in their section's region (see `strayFields`). */
  strayFields: Map<FieldSpec, number>;
  /** Missing template sections whose table is in the document without their heading (see `headlessSections`). */
  headless: Map<SectionSpec, Headless>;
  /** Key/value tables of present sections that are in the document under another heading (see `displacedTables`). */
  displaced: Map<TableSpec, Table>;
  /** Missing subsections of present sections whose heading is in the document under another section (see `misplacedSubsections`). */
  misplaced: Map<SectionSpec, Section>;
}

/** What a missing section has in the document without its heading: its table, or its subsections. */
export interface Headless {
  /** Its table; undefined when its subsections are there. */
  table: Table | undefined;
  /** Its subsections that are there, in document order (none when its table is). */
  children: Section[];
  /** Where its heading goes: the table's start, or the first subsection's heading. */
  start: number;
  /** The section's heading can go at `start`; else inserting the section would write the table twice. */
  placeable: boolean;
}

/** A template section given to a heading that does not carry its name or level. */
interface Assignment {
  spec: SectionSpec;
  /** The level it should have, when it has another. */
  depth: number | undefined;
}

/** The tree and the section matches of one alignment. */
interface Alignment {
  sections: Map<SectionSpec, Section[]>;
  specOf: Map<Section, SectionSpec>;
  topLevel: Section[];
  parent: Map<Section, Section | undefined>;
  children: Map<Section, Section[]>;
}

/** Aligns the document's sections and tables with the template's. */
export function matchTemplate(model: DocumentModel, schema: TemplateSchema): Match {
  const all = allSections(model);
  const assigned = new Map<Section, Assignment>();
  let aligned = align(schema, all, assigned);
  // Sections inside an unclosed block are not missing: they are where the person wrote them.
  const hidden = swallowedIn(model, schema, aligned, new Map()).swallowed;
  const top = topLevelNearMisses(schema, all, aligned, hidden);
  if (top.size) {
    for (const [s, a] of top) assigned.set(s, a);
    aligned = align(schema, all, assigned);
  }
  const sub = subsectionNearMisses(schema, all, aligned, assigned, hidden);
  if (sub.size) {
    for (const [s, a] of sub) assigned.set(s, a);
    aligned = align(schema, all, assigned);
  }
  const match: Match = { ...aligned, tables: new Map(), nearMisses: new Map(), nearMissFields: new Map(), unclosed: [], swallowed: new Map(), headless: new Map(), strayFields: new Map(), displaced: new Map(), misplaced: new Map() };
  for (const [section, a] of assigned) {
    if (aligned.specOf.get(section) !== a.spec) continue;
    const renamed = headingKey(section.heading.text) !== a.spec.key;
    if (!renamed && a.depth === undefined) continue;
    match.nearMisses.set(section, { spec: a.spec, renamed, depth: a.depth, moves: a.depth === undefined ? [] : movesOf(section, a.depth, aligned) });
  }
  for (const table of model.tables) {
    const spec = tableSpecFor(table, match);
    if (spec) match.tables.set(table, spec);
  }
  fieldNearMisses(match);
  const { unclosed, swallowed } = swallowedIn(model, schema, aligned, match.tables, match.nearMissFields);
  match.unclosed = unclosed;
  match.swallowed = swallowed;
  match.headless = headlessSections(model, schema, match, all);
  match.strayFields = strayFields(model, schema, match, regions(aligned));
  match.displaced = displacedTables(model, schema, match);
  match.misplaced = misplacedSubsections(schema, match, all);
  return match;
}

/**
 * Key/value tables of present sections that the section lacks but the document has elsewhere: a table
 * no template table took, with the template table's columns and a row naming one of its fields, under
 * another heading (a stray heading between the section's heading and its table, the table pasted under
 * another section). The table is there; inserting the template's would write its fields a second time.
 */
function displacedTables(model: DocumentModel, schema: TemplateSchema, match: Match): Map<TableSpec, Table> {
  const out = new Map<TableSpec, Table>();
  const taken = new Set([...match.headless.values()].map((h) => h.table));
  const free = model.tables.filter((t) => !match.tables.has(t) && !taken.has(t));
  if (!free.length) return out;
  for (const spec of schema.tables) {
    if (!spec.keyed || spec.optional || !spec.section) continue;
    const sections = match.sections.get(spec.section);
    if (!sections?.length) continue;
    const own = [...match.tables].some(([t, s]) => s === spec && sections.some((x) => t.start >= x.start && t.end <= endOf(match, x)));
    if (own) continue;
    const columns = spec.columns.map((c) => c.key).join('|');
    const found = free.find((t) => t.header.cells.map((c) => nameKey(c.text)).join('|') === columns && t.rows.some((r) => spec.fields.some((f) => nameScore(nameKey(r.cells[0]?.text ?? ''), f.key).score > 0)));
    if (found) out.set(spec, found);
  }
  return out;
}

/**
 * Missing subsections of present sections whose heading, word for word and at the template's level, is
 * in the document under another section that no template section took it for (a stray or repeated
 * heading above it took it away). It is there; inserting the template's would write it a second time.
 */
function misplacedSubsections(schema: TemplateSchema, match: Match, all: Section[]): Map<SectionSpec, Section> {
  const out = new Map<SectionSpec, Section>();
  const orphans = new Map<string, Section>();
  // At its own level only: a deeper "#### Purpose" under a component is that component's, not subsection 1.1.
  for (const s of all) if (!match.specOf.has(s) && !orphans.has(`${s.depth}\0${headingKey(s.heading.text)}`)) orphans.set(`${s.depth}\0${headingKey(s.heading.text)}`, s);
  if (!orphans.size) return out;
  const visit = (spec: SectionSpec, section: Section) => {
    for (const child of spec.children) {
      const present = (match.sections.get(child) ?? []).filter((s) => parentOf(match, s) === section);
      if (present.length) {
        for (const p of present) visit(child, p);
        continue;
      }
      const orphan = orphans.get(`${child.depth}\0${child.key}`);
      if (orphan && !match.swallowed.has(child) && !match.headless.has(child)) out.set(child, orphan);
    }
  };
  for (const spec of schema.sections) {
    const first = match.sections.get(spec)?.[0];
    if (first) visit(spec, first);
  }
  return out;
}

/**
 * Fields of the key/value tables of present sections that are written as a row (`| **Owner** | ... |`)
 * on a line outside every table and code block, in the region of the section's top-level section: a row
 * cut off from its table (by a line between, a header whose width does not match its delimiter row, a
 * block closed before it). The field is there; a row added to the table would write it twice. The line's
 * start, for each such field.
 */
function strayFields(model: DocumentModel, schema: TemplateSchema, match: Match, tops: Map<Section, number>): Map<FieldSpec, number> {
  const out = new Map<FieldSpec, number>();
  const outside = [...model.tables, ...model.codeBlocks, ...model.rawBlocks];
  for (const spec of schema.tables) {
    if (!spec.keyed || !spec.section) continue;
    const section = match.sections.get(spec.section)?.[0];
    let top = section;
    while (top && parentOf(match, top)) top = parentOf(match, top);
    if (!section || !top) continue;
    const end = Math.min(tops.get(top) ?? Infinity, model.text.length);
    const fields = new Map(spec.fields.map((f) => [f.key, f]));
    for (let line = model.lines.positionAt(section.heading.end).line + 1; line < model.lines.lineCount && model.lines.lineStarts[line] < end; line++) {
      const start = model.lines.lineStarts[line];
      const row = /^ {0,3}\|?[ \t]*([^|\n]+?)[ \t]*\|/.exec(model.lines.lineText(line));
      const field = row && fields.get(nameKey(row[1]));
      if (!field || out.has(field) || outside.some((b) => b.start <= start && start < b.end)) continue;
      out.set(field, start);
    }
  }
  return out;
}

/**
 * Missing template sections that are there without their heading (a deleted heading line leaves what
 * followed it to the section above): their subsections, as headings no template section took, one level
 * below the section's, the first of them at the section's place; or a table that no template table took,
 * with the columns of one of the section's tables (and, for a key/value table, a row of its fields), inside
 * the section's parent. A table is `placeable` when the heading can go right above it: not right under a
 * deeper heading (whose table it is), followed by no deeper heading before the next one of the section's
 * level; and it is only taken away from the section's place (after the sibling before it, before the one
 * after it) when its rows name the section's fields. Inserting the template's section instead would write
 * the subsections, or the table and its fields, a second time.
 */
function headlessSections(model: DocumentModel, schema: TemplateSchema, match: Match, all: Section[]): Map<SectionSpec, Headless> {
  const out = new Map<SectionSpec, Headless>();
  const free = model.tables.filter((t) => !match.tables.has(t) && model.lines.lineStarts[model.lines.positionAt(t.start).line] === t.start);
  const orphans = all.filter((s) => !match.specOf.has(s));
  if (!free.length && !orphans.length) return out;
  const taken = new Set<Table>();
  const visit = (specs: SectionSpec[], parent: Section | undefined) => {
    const present = (spec: SectionSpec) => (match.sections.get(spec) ?? []).find((s) => parentOf(match, s) === parent);
    specs.forEach((spec, index) => {
      const here = present(spec);
      if (here) {
        visit(spec.children, here);
        return;
      }
      if (match.swallowed.has(spec)) return;
      const before = specs.slice(0, index).reverse().map(present).find((s) => s);
      const after = specs.slice(index + 1).map(present).find((s) => s);
      const inParent = (t: { start: number; end: number }) => !parent || (t.start >= parent.heading.end && t.end <= endOf(match, parent));
      const inPlace = (t: { start: number; end: number }) => t.start >= (before ? before.heading.end : 0) && (!after || t.end <= after.heading.start);
      // Its first subsection, at its place under a heading of its level or above.
      const keys = new Set(spec.children.map((c) => c.key));
      const child = orphans.find((s) => s.depth === spec.depth + 1 && keys.has(headingKey(s.heading.text)) && inParent(s.heading) && inPlace(s.heading) && (!s.parent || s.parent.depth <= spec.depth));
      if (child) {
        // The subsections it takes back: those up to the next heading of its level (for a top-level section, the next top-level heading: its region goes on past a stray `#` line).
        const end = (spec.parent ? model.headings.find((h) => h.start > child.heading.start && h.depth <= spec.depth)?.start : match.topLevel.find((t) => t.heading.start > child.heading.start)?.heading.start) ?? model.text.length;
        const children = orphans.filter((s) => s.heading.start >= child.heading.start && s.heading.start < end && s.depth === child.depth && keys.has(headingKey(s.heading.text)));
        out.set(spec, { table: undefined, children, start: child.heading.start, placeable: true });
        return;
      }
      if (!spec.tables.length) return;
      const candidates: Headless[] = [];
      for (const t of free) {
        if (taken.has(t) || !inParent(t)) continue;
        const header = t.header.cells.map((c) => nameKey(c.text)).join('|');
        const tableSpec = spec.tables.find((ts) => ts.columns.map((c) => c.key).join('|') === header);
        if (!tableSpec) continue;
        const named = tableSpec.keyed && t.rows.some((r) => tableSpec.fields.some((f) => nameScore(nameKey(r.cells[0]?.text ?? ''), f.key).score > 0));
        if (!inPlace(t) && !named) continue;
        const next = model.headings.find((h) => h.start >= t.end);
        // Right under a deeper heading of its own the table is that heading's; after other text under it, it is not.
        const own = t.heading && t.heading.depth > spec.depth && model.text.slice(t.heading.end, t.start).trim() === '';
        const placeable = !own && (!next || next.depth <= spec.depth);
        candidates.push({ table: t, children: [], start: t.start, placeable });
      }
      const found = candidates.find((c) => c.placeable) ?? candidates[0];
      if (!found) return;
      taken.add(found.table!);
      out.set(spec, found);
    });
  };
  visit(schema.sections, undefined);
  return out;
}

/** The template section a document section belongs to: its own match, or its nearest matched ancestor's. */
export function owningSpec(section: Section | undefined, match: Match): SectionSpec | undefined {
  for (let s = section; s; s = match.parent.has(s) ? match.parent.get(s) : s.parent) {
    const spec = match.specOf.get(s);
    if (spec) return spec;
  }
  return undefined;
}

/** The parent of a section in the template's reading of the tree. */
export function parentOf(match: Match, section: Section): Section | undefined {
  return match.parent.has(section) ? match.parent.get(section) : section.parent;
}

/** The children of a section in the template's reading of the tree. */
export function childrenOf(match: Match, section: Section): Section[] {
  return match.children.get(section) ?? section.children;
}

/** Where a section ends, with the sections the template's reading puts under it. */
export function endOf(match: Match, section: Section): number {
  // A top-level section written above the template's level (`# Troubleshooting Guide`) holds the sections after it in the document's tree; to the template it is its own text and the sections the template's reading gives it (seed 9310: its missing subsections went after the Appendix, pass after pass).
  const spec = match.specOf.get(section);
  let end = spec && !spec.parent && section.depth < spec.depth && match.children.has(section) ? (section.blocks[section.blocks.length - 1]?.end ?? section.heading.end) : section.end;
  for (const c of childrenOf(match, section)) end = Math.max(end, endOf(match, c));
  return end;
}

/**
 * Matches headings to template sections by their keys (and the assignments of near misses) on the
 * template's reading of the tree: top-level sections are those at the template's depth (or assigned
 * there); a subsection belongs to the section whose region holds it, even under a heading of the
 * document's own or written at another level.
 */
function align(schema: TemplateSchema, all: Section[], assigned: Map<Section, Assignment>): Alignment {
  const parent = new Map<Section, Section | undefined>();
  const children = new Map<Section, Section[]>();
  const out: Alignment = { sections: new Map(), specOf: new Map(), topLevel: [], parent, children };
  const isTop = (s: Section) => {
    const a = assigned.get(s);
    return a ? !a.spec.parent : s.depth === schema.sectionDepth;
  };
  const kids = (s: Section) => children.get(s) ?? s.children;
  const move = (s: Section, to: Section | undefined) => {
    const from = parent.has(s) ? parent.get(s) : s.parent;
    if (from) children.set(from, kids(from).filter((c) => c !== s));
    parent.set(s, to);
    if (to) children.set(to, [...kids(to), s].sort((a, b) => a.start - b.start));
  };
  const add = (spec: SectionSpec, section: Section) => {
    out.specOf.set(section, spec);
    const list = out.sections.get(spec);
    if (list) list.push(section);
    else out.sections.set(spec, [section]);
  };
  out.topLevel = all.filter(isTop);
  for (const s of out.topLevel) if (s.parent) move(s, undefined);
  const topKeys = new Map(schema.sections.map((s) => [s.key, s]));
  for (const s of out.topLevel) {
    const spec = assigned.get(s)?.spec ?? topKeys.get(headingKey(s.heading.text));
    if (spec) add(spec, s);
  }
  const matchChildren = (section: Section, spec: SectionSpec, regionEnd: number | undefined) => {
    if (!spec.children.length) return;
    const keys = new Map(spec.children.map((c) => [c.key, c]));
    const childSpec = (c: Section) => {
      const a = assigned.get(c);
      if (a) return a.spec.parent === spec ? a.spec : undefined;
      return keys.get(headingKey(c.heading.text));
    };
    for (const child of kids(section)) {
      const cs = childSpec(child);
      if (!cs) continue;
      add(cs, child);
      matchChildren(child, cs, undefined);
    }
    if (regionEnd === undefined) return;
    // Subsections written under a heading of the document's own, or deeper, still belong to the section.
    const depth = subsectionDepth(section, assigned, out);
    for (let i = index.get(section)! + 1; i < all.length; i++) {
      const s = all[i];
      if (s.heading.start >= regionEnd) break;
      if (out.specOf.has(s)) continue;
      const cs = childSpec(s);
      if (!cs || (!assigned.has(s) && s.depth !== depth)) continue;
      move(s, section);
      add(cs, s);
      matchChildren(s, cs, undefined);
    }
  };
  const index = new Map(all.map((s, i) => [s, i]));
  const matched = out.topLevel.filter((s) => out.specOf.has(s));
  matched.forEach((s, i) => matchChildren(s, out.specOf.get(s)!, i + 1 < matched.length ? matched[i + 1].heading.start : Infinity));
  return out;
}

/** The level subsections of a section have: that of its first matched child, else one below its own. */
function subsectionDepth(section: Section, assigned: Map<Section, Assignment>, aligned: Alignment): number {
  const own = assigned.get(section)?.depth;
  if (own !== undefined) return own + 1;
  const first = (aligned.children.get(section) ?? section.children).find((c) => aligned.specOf.has(c));
  return first ? first.depth : section.depth + 1;
}

/** The end of the region of each matched top-level section: the next matched top-level section's heading. */
function regions(aligned: Alignment): Map<Section, number> {
  const matched = aligned.topLevel.filter((s) => aligned.specOf.has(s));
  return new Map(matched.map((s, i) => [s, i + 1 < matched.length ? matched[i + 1].heading.start : Infinity]));
}

/** How close a heading's or field's key is to a template one: 3 a typo, 2 two, 1 three or the same words shortened. */
function nameScore(key: string, wanted: string): { score: number; distance: number } {
  if (key === wanted) return { score: 3, distance: 0 };
  const len = Math.max(key.length, wanted.length);
  const allowed = len < 5 ? 0 : len < 9 ? 1 : len < 16 ? 2 : 3;
  const d = editDistance(key, wanted, allowed);
  if (d <= allowed) return { score: d <= 1 ? 3 : d === 2 ? 2 : 1, distance: d };
  return wordsAlike(key, wanted) ? { score: 1, distance: len } : { score: 0, distance: Infinity };
}

const STOP_WORDS = new Set(['and', 'or', 'the', 'of', 'to', 'for', 'a', 'an', 'in', 'on', 'with']);

/** The fewer words of one key each stand for a word of the other (`contact info`, `contact information`) and cover half of them. */
function wordsAlike(a: string, b: string): boolean {
  const words = (k: string) => k.split(' ').filter((w) => w && !STOP_WORDS.has(w));
  let [short, long] = [words(a), words(b)];
  if (short.length > long.length) [short, long] = [long, short];
  if (!short.length || short.length * 2 < long.length) return false;
  const free = [...long];
  for (const w of short) {
    const i = free.findIndex((v) => v === w || (Math.min(v.length, w.length) >= 4 && (v.startsWith(w) || w.startsWith(v))) || (Math.min(v.length, w.length) >= 5 && editDistance(v, w, 1) <= 1));
    if (i < 0) return false;
    free.splice(i, 1);
  }
  return true;
}

/** Whether a heading's numbering agrees with the template heading's: `7.` and `Section 7:`; for subsections the last number. */
function sameNumber(text: string, spec: SectionSpec): boolean {
  const a = numberingOf(text);
  const b = numberingOf(spec.heading);
  return !!a && !!b && a[a.length - 1] === b[b.length - 1];
}

/** Whether the heading lies between the present sections that come before and after the spec in the template. */
function inItsPlace(section: Section, spec: SectionSpec, siblings: SectionSpec[], presentStart: (s: SectionSpec) => number | undefined): boolean {
  const index = siblings.indexOf(spec);
  for (let j = index - 1; j >= 0; j--) {
    const at = presentStart(siblings[j]);
    if (at !== undefined) {
      if (section.heading.start < at) return false;
      break;
    }
  }
  for (let j = index + 1; j < siblings.length; j++) {
    const at = presentStart(siblings[j]);
    if (at !== undefined) return section.heading.start < at;
  }
  return true;
}

function descendants(section: Section): Section[] {
  return section.children.flatMap((c) => [c, ...descendants(c)]);
}

/** Candidates and specs paired by score, best first, each used once. */
function assignBest(pairs: { section: Section; spec: SectionSpec; total: number; distance: number; depth: number | undefined }[]): Map<Section, Assignment> {
  pairs.sort((a, b) => b.total - a.total || a.distance - b.distance || a.section.heading.start - b.section.heading.start);
  const out = new Map<Section, Assignment>();
  const used = new Set<SectionSpec>();
  for (const p of pairs) {
    if (out.has(p.section) || used.has(p.spec)) continue;
    out.set(p.section, { spec: p.spec, depth: p.depth });
    used.add(p.spec);
  }
  return out;
}

/**
 * Headings that stand for missing top-level template sections: close in name (a typo or two in the
 * key, or the same words shortened), in their place in the template's order, numbered as the template
 * numbers the section, or holding its subsections; and headings with a section's name at another level.
 */
function topLevelNearMisses(schema: TemplateSchema, all: Section[], aligned: Alignment, hidden: Map<SectionSpec | FieldSpec, UnclosedBlock>): Map<Section, Assignment> {
  const missing = schema.sections.filter((spec) => !aligned.sections.has(spec) && !hidden.has(spec));
  if (!missing.length) return new Map();
  const presentStart = (s: SectionSpec) => aligned.sections.get(s)?.[0].heading.start;
  const pairs = [];
  for (const section of all) {
    if (aligned.specOf.has(section)) continue;
    const key = headingKey(section.heading.text);
    if (!key) continue;
    let below: Set<string> | undefined;
    for (const spec of missing) {
      const name = nameScore(key, spec.key);
      if (name.distance === 0 && section.depth === schema.sectionDepth) continue;
      below ??= new Set(section.children.map((d) => headingKey(d.heading.text)));
      const shared = Math.min(2, spec.children.filter((c) => below!.has(c.key)).length);
      if (!name.score && shared < 2) continue;
      const total = name.score + shared + (inItsPlace(section, spec, schema.sections, presentStart) ? 1 : 0) + (sameNumber(section.heading.text, spec) ? 1 : 0);
      if (total < 3) continue;
      pairs.push({ section, spec, total, distance: name.distance, depth: section.depth === schema.sectionDepth ? undefined : schema.sectionDepth });
    }
  }
  return assignBest(pairs);
}

/** Headings in a section's region that stand for its missing subsections, by name, place and numbering, at any level. */
function subsectionNearMisses(schema: TemplateSchema, all: Section[], aligned: Alignment, assigned: Map<Section, Assignment>, hidden: Map<SectionSpec | FieldSpec, UnclosedBlock>): Map<Section, Assignment> {
  const pairs = [];
  const index = new Map(all.map((s, i) => [s, i]));
  for (const [section, regionEnd] of regions(aligned)) {
    const spec = aligned.specOf.get(section)!;
    const present = (c: SectionSpec) => (aligned.sections.get(c) ?? []).filter((s) => aligned.parent.get(s) === section || (!aligned.parent.has(s) && s.parent === section));
    const missing = spec.children.filter((c) => !present(c).length && !hidden.has(c));
    if (!missing.length) continue;
    const depth = subsectionDepth(section, assigned, aligned);
    const presentStart = (c: SectionSpec) => present(c)[0]?.heading.start;
    for (let i = index.get(section)! + 1; i < all.length; i++) {
      const s = all[i];
      if (s.heading.start >= regionEnd) break;
      if (aligned.specOf.has(s) || assigned.has(s)) continue;
      const key = headingKey(s.heading.text);
      if (!key) continue;
      const direct = (aligned.parent.has(s) ? aligned.parent.get(s) : s.parent) === section;
      for (const child of missing) {
        const name = nameScore(key, child.key);
        if (!name.score) continue;
        const total = name.score + (inItsPlace(s, child, spec.children, presentStart) ? 1 : 0) + (sameNumber(s.heading.text, child) ? 1 : 0);
        if (total < 3) continue;
        pairs.push({ section: s, spec: child, total, distance: name.distance, depth: direct || s.depth === depth ? undefined : depth });
      }
    }
  }
  return assignBest(pairs);
}

/**
 * The headings that keep their place under a section when its level changes: all of its subtree when
 * it moves up (they stay below it), and when it moves down the subtree it keeps in the template's
 * reading if that starts one level below it.
 */
function movesOf(section: Section, depth: number, aligned: Alignment): Section[] {
  const delta = depth - section.depth;
  const subtree = descendants(section);
  if (delta < 0) return subtree;
  const logical = (s: Section): Section[] => (aligned.children.get(s) ?? s.children).flatMap((c) => [c, ...logical(c)]);
  const kept = new Set(logical(section));
  const moving = subtree.filter((s) => kept.has(s));
  const direct = (aligned.children.get(section) ?? section.children).filter((c) => kept.has(c));
  if (!direct.length || direct.some((c) => c.depth !== section.depth + 1) || moving.some((s) => s.depth + delta > 6)) return [];
  return moving;
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

/** Rows of key/value tables whose key is close to a field the table lacks (`Ownr`, `Next Review Date`). */
function fieldNearMisses(match: Match): void {
  for (const [table, spec] of match.tables) {
    if (!spec.keyed) continue;
    const keys = new Set(spec.fields.map((f) => f.key));
    const present = new Set(table.rows.map((r) => nameKey(r.cells[0]?.text ?? '')));
    const missing = spec.fields.filter((f) => !present.has(f.key));
    if (!missing.length) continue;
    const pairs: { row: TableRow; field: FieldSpec; distance: number }[] = [];
    for (const row of table.rows) {
      const key = nameKey(row.cells[0]?.text ?? '');
      if (!key || keys.has(key)) continue;
      for (const field of missing) {
        const name = nameScore(key, field.key);
        if (name.score) pairs.push({ row, field, distance: name.distance });
      }
    }
    pairs.sort((a, b) => a.distance - b.distance || a.row.start - b.row.start);
    const used = new Set<FieldSpec>();
    for (const p of pairs) {
      if (match.nearMissFields.has(p.row) || used.has(p.field)) continue;
      match.nearMissFields.set(p.row, p.field);
      used.add(p.field);
    }
  }
}

/**
 * The blocks that run to the end of the document or take in template headings (and, when they run to
 * the end, field rows) that the document has nowhere else, with what they take in.
 */
function swallowedIn(
  model: DocumentModel,
  schema: TemplateSchema,
  aligned: Alignment,
  tables: Map<Table, TableSpec>,
  nearMissFields?: Map<TableRow, FieldSpec>,
): { unclosed: UnclosedBlock[]; swallowed: Map<SectionSpec | FieldSpec, UnclosedBlock> } {
  const unclosed: UnclosedBlock[] = [];
  const swallowed = new Map<SectionSpec | FieldSpec, UnclosedBlock>();
  const front = frontMatterBlock(model, schema);
  if (!model.rawBlocks.length && !front) return { unclosed, swallowed };
  const text = model.text;
  let contentEnd = text.length;
  while (contentEnd > 0 && /\s/.test(text[contentEnd - 1])) contentEnd--;
  const topKeys = new Map(schema.sections.map((s) => [s.key, s]));
  let fields: Set<FieldSpec> | undefined;
  const fieldPresent = (field: FieldSpec) => {
    if (!fields) {
      fields = new Set();
      for (const [table, spec] of tables) {
        if (!spec.keyed) continue;
        for (const row of table.rows) {
          const f = spec.fields.find((x) => x.key === nameKey(row.cells[0]?.text ?? '')) ?? nearMissFields?.get(row);
          if (f) fields.add(f);
        }
      }
    }
    return fields.has(field);
  };
  for (const block of front ? [front, ...model.rawBlocks] : model.rawBlocks) {
    const open = !block.closed && block.end >= contentEnd;
    // A closed block takes in headings only; most hold none at a section's level (shell comments are `#`).
    if (!open && !(block.top && block.lines.some((l) => l.heading && l.heading.depth >= schema.sectionDepth))) continue;
    const u: UnclosedBlock = { block, open, swallowed: [], closeAt: text.length };
    if (block.top) {
      // What a heading or row inside the block belongs to: the section around the block, then each template heading it takes in.
      const around = aroundSpecs(aligned, block.start);
      let top = around.top;
      let inner = around.inner;
      for (const line of block.lines) {
        const end = model.lines.lineEnd(model.lines.positionAt(line.start).line);
        if (line.heading) {
          if (line.heading.depth < schema.sectionDepth) continue;
          const key = headingKey(line.heading.text);
          const spec = topKeys.get(key);
          if (spec) {
            if (aligned.sections.has(spec)) continue;
            u.swallowed.push({ start: line.start, end, section: spec });
            top = inner = spec;
            continue;
          }
          const child = top?.children.find((c) => c.key === key);
          if (child && !aligned.sections.has(child)) {
            u.swallowed.push({ start: line.start, end, section: child });
            inner = child;
          }
        } else if (line.cell && open) {
          const key = nameKey(line.cell);
          const field = [...(inner?.tables ?? []), ...(inner !== top ? (top?.tables ?? []) : [])].flatMap((t) => (t.keyed ? t.fields : [])).find((f) => f.key === key);
          if (field && !fieldPresent(field)) u.swallowed.push({ start: line.start, end, field });
        }
      }
    }
    if (!open && !u.swallowed.length) continue;
    if (u.swallowed.length) u.closeAt = u.swallowed[0].start;
    unclosed.push(u);
    for (const s of u.swallowed) {
      const what = (s.section ?? s.field)!;
      if (!swallowed.has(what)) swallowed.set(what, u);
    }
  }
  return { unclosed, swallowed };
}

/**
 * Front matter that holds ATX headings at the template's section level or deeper, as a block for
 * `swallowedIn`: a document whose first line is a `---` separator reads as YAML up to the next `---`,
 * and the template headings in between are hidden (fuzz seed 3988). Real metadata holds no such lines.
 */
function frontMatterBlock(model: DocumentModel, schema: TemplateSchema): RawBlock | undefined {
  const range = model.frontMatterRange;
  if (!range) return undefined;
  const lines: RawBlock['lines'] = [];
  const first = model.lines.positionAt(range.start).line;
  const last = model.lines.positionAt(range.end).line;
  for (let line = first + 1; line < last; line++) {
    const h = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(model.lines.lineText(line));
    if (h) lines.push({ start: model.lines.lineStarts[line], heading: { depth: h[1].length, text: h[2] ?? '' } });
  }
  if (!lines.some((l) => l.heading!.depth >= schema.sectionDepth)) return undefined;
  const opener = model.lines.lineText(first).trim();
  return { kind: 'frontmatter', opener, start: range.start, end: range.end, closed: true, closer: opener, top: true, lines };
}

/** The top-level template section and the innermost one around an offset, in the template's reading of the tree. */
function aroundSpecs(aligned: Alignment, offset: number): { top: SectionSpec | undefined; inner: SectionSpec | undefined } {
  let inner: SectionSpec | undefined;
  let top: SectionSpec | undefined;
  let list = aligned.topLevel;
  for (;;) {
    const s = [...list].reverse().find((x) => x.heading.start <= offset);
    if (!s) break;
    const spec = aligned.specOf.get(s);
    if (spec) {
      inner = spec;
      top ??= spec;
    }
    list = aligned.children.get(s) ?? s.children;
  }
  return { top, inner };
}
