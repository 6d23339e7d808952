import type { List, ListItem } from 'mdast';
import { slug } from 'github-slugger';
import type { DocumentModel, Link, Section } from './model/document';
import type { Block } from './model/parse';
import { headingKey } from './model/keys';
import type { Match } from './match';
import type { OffsetEdit } from './rules/types';
import type { SectionSpec, TemplateSchema } from './template/schema';
import { endsWithBreak, keepBreaksApart } from './edits';
import { styledSkeleton } from './style';
import { insertBlock, insertionOffset, nextLineStart } from './rules/util';

/** The template's table of contents section: the one whose template text is a list of `#` links. */
export function tocSpec(schema: TemplateSchema): SectionSpec | undefined {
  return schema.sections.find((s) => /^\s*(?:\d+\.|[-*+])\s+\[[^\]]+\]\(#/m.test(s.skeleton));
}

/** An entry of the document's contents list: the first `#` link of a top-level list item. */
export interface TocEntry {
  link: Link;
  /** The link's text as written (empty for a reference link). */
  text: string;
  /** The top-level section it names, by its anchor or else by its text; undefined when none. */
  section: Section | undefined;
  /** The template section it names when the document lacks that section. */
  missing: SectionSpec | undefined;
}

/** The document's table of contents, with what it should list. */
export interface Toc {
  section: Section;
  /** The contents list; undefined when the section has none. */
  list: Block | undefined;
  entries: TocEntry[];
  /**
   * The top-level sections the list should name, in document order: those the template's contents
   * lists, the document's own sections after the contents, and any other the list names already.
   */
  expected: Section[];
  /**
   * Rebuilding the list from `expected` loses nothing but the entries for missing sections: every item
   * is a link alone, none holds a nested list, and every other entry names a top-level section.
   */
  rebuildable: boolean;
}

/** A heading that is a near miss of the section an entry names: fixing the heading fixes the entry too. */
function nearMissNamed(match: Match, text: string, fragment: string): Section | undefined {
  for (const [section, miss] of match.nearMisses) if ((text !== '' && miss.spec.key === headingKey(text)) || slug(miss.spec.heading) === fragment) return section;
  return undefined;
}

/** The document's contents section and list, when the template has one and the document too. */
export function tocOf(model: DocumentModel, schema: TemplateSchema, match: Match): Toc | undefined {
  const spec = tocSpec(schema);
  const section = spec ? match.sections.get(spec)?.[0] : undefined;
  if (!spec || !section) return undefined;
  const list = section.blocks.find((b) => b.node.type === 'list');
  const entries: TocEntry[] = [];
  let rebuildable = true;
  const bySlug = new Map(match.topLevel.map((s) => [s.heading.slug.toLowerCase(), s]));
  const byKey = new Map<string, Section>();
  for (const s of match.topLevel) if (!byKey.has(headingKey(s.heading.text))) byKey.set(headingKey(s.heading.text), s);
  const anchors = new Set([...model.anchors].map((a) => a.toLowerCase()));
  for (const item of list ? (list.node as List).children : []) {
    const start = (item.position?.start.offset ?? 0) + list!.base;
    const end = (item.position?.end.offset ?? 0) + list!.base;
    const nested = item.children.find((c) => c.type === 'list');
    const ownEnd = nested ? (nested.position?.start.offset ?? 0) + list!.base : end;
    const link = model.links.find((l) => l.start >= start && l.end <= ownEnd && l.path === '' && l.fragment !== undefined);
    if (nested || !link || !/^(?:\d+[.)]|[-*+])[ \t]+\[[^\]]*\]\([^)]*\)$/.test(model.text.slice(start, end).trim())) rebuildable = false;
    if (!link) continue;
    const text = /^\[([^\]]*)\]\(/.exec(model.text.slice(link.start, link.end))?.[1]?.trim() ?? '';
    const fragment = link.fragment!.toLowerCase();
    // By its anchor; a link whose anchor is broken still names a section by its text (broken-link reports the anchor).
    const named = bySlug.get(fragment) ?? (anchors.has(fragment) ? undefined : (byKey.get(headingKey(text)) ?? nearMissNamed(match, text, fragment)));
    const missing = named || anchors.has(fragment) ? undefined : schema.sections.find((s) => !match.sections.has(s) && !match.swallowed.has(s) && ((text !== '' && s.key === headingKey(text)) || slug(s.heading) === fragment));
    if (!named && !missing) rebuildable = false;
    entries.push({ link, text, section: named, missing });
  }
  const listed = new Set([...spec.skeleton.matchAll(/\[([^\]]+)\]\(#/g)].map((m) => headingKey(m[1])));
  const named = new Set(entries.map((e) => e.section));
  const expected = match.topLevel.filter((s) => {
    if (s === section) return false;
    if (named.has(s)) return true;
    const sectionSpec = match.specOf.get(s);
    return sectionSpec ? listed.has(sectionSpec.key) : s.start > section.start;
  });
  return { section, list, entries, expected, rebuildable };
}

/**
 * Edits that rewrite the table of contents from the document's own top-level headings (GitHub
 * anchors), keeping the template's choice of which sections it lists and the list's own markers.
 */
export function updateTocEdits(model: DocumentModel, schema: TemplateSchema, match: Match): OffsetEdit[] {
  const toc = tocOf(model, schema, match);
  if (!toc) return [];
  const eol = model.lines.eol;
  const bullet = toc.list && !(toc.list.node as List).ordered ? (/^[ \t]*([-*+])/.exec(model.text.slice(toc.list.start, toc.list.end))?.[1] ?? '-') : undefined;
  const list = toc.expected.map((s, i) => `${bullet ?? `${i + 1}.`} [${s.heading.text.replace(/^\s*section\s+\d+\s*[:.]\s*/i, '')}](#${s.heading.slug})`).join(eol) + eol;
  const existing = toc.list;
  if (existing) {
    const end = nextLineStart(model, existing.end - 1);
    return model.text.slice(existing.start, end) === list ? [] : [{ start: existing.start, end, newText: keepBreaksApart(model.text, existing.start, end, list) }];
  }
  return insertBlock(model, match, nextLineStart(model, toc.section.heading.end), list);
}

const entryCache = new WeakMap<Match, Map<SectionSpec, OffsetEdit>>();

/**
 * For each missing template section that the contents list should name and names nowhere, the edit that
 * adds its entry when the section is inserted: a line of its own after the entry of the section that
 * comes before it in the document (else before the entry of the one after it), written as that entry is
 * (marker, indentation, link text with or without the heading's "Section N:") and numbered on from it.
 * Entries the person wrote are never rewritten; sections inserted at one place get numbers in their order.
 * Part of the missing-section fix, so the list stays in step when fix-all inserts sections.
 */
export function tocEntryEdits(model: DocumentModel, schema: TemplateSchema, match: Match): Map<SectionSpec, OffsetEdit> {
  let out = entryCache.get(match);
  if (out) return out;
  out = new Map();
  entryCache.set(match, out);
  const toc = tocOf(model, schema, match);
  const spec = tocSpec(schema);
  if (!toc?.list || !spec) return out;
  const list = toc.list.node as List;
  const items = list.children;
  const listed = new Set([...spec.skeleton.matchAll(/\[([^\]]+)\]\(#/g)].map((m) => headingKey(m[1])));
  const base = toc.list.base;
  const placed = toc.entries.filter((e) => e.section);
  if (!placed.length) return out;
  const itemOf = (e: TocEntry) => items.find((it) => (it.position?.start.offset ?? 0) + base <= e.link.start && e.link.end <= (it.position?.end.offset ?? 0) + base)!;
  const markerOf = (it: ListItem) => /^([ \t]*)(\d+)?([.)]|[-*+])[ \t]+/.exec(model.lines.lineText(model.lines.positionAt((it.position?.start.offset ?? 0) + base).line)) ?? undefined;
  const numbers = items.map((it) => Number(markerOf(it)?.[2] ?? NaN));
  const sameNumber = list.ordered && numbers.every((n) => n === numbers[0]);
  const eol = model.lines.eol;
  // Each missing section that gets an entry, with the entry it follows (or precedes) in the list.
  const wanted: { spec: SectionSpec; anchor: TocEntry; after: boolean; heading: string }[] = [];
  schema.sections.forEach((s, index) => {
    if (s.optional || match.sections.has(s) || match.swallowed.has(s) || !listed.has(s.key) || toc.entries.some((e) => e.missing === s)) return;
    const headless = match.headless.get(s);
    const at = headless?.placeable ? headless.start : insertionOffset(model, schema.sections, index, match, undefined);
    const before = placed.filter((e) => e.section!.heading.start < at).sort((a, b) => b.section!.heading.start - a.section!.heading.start)[0];
    const after = placed.filter((e) => e.section!.heading.start >= at).sort((a, b) => a.section!.heading.start - b.section!.heading.start)[0];
    const heading = styledSkeleton(schema, match, s, undefined).split('\n')[0].replace(/^#+[ \t]+/, '');
    wanted.push({ spec: s, anchor: (before ?? after)!, after: !!before, heading });
  });
  for (const w of wanted) {
    const anchor = slug(w.heading);
    // A heading whose anchor the document has already gets a numbered one; its entry is left to the toc rule.
    if (model.anchors.has(anchor) || wanted.some((o) => o !== w && slug(o.heading) === anchor)) continue;
    const item = itemOf(w.anchor);
    const marker = item && markerOf(item);
    if (!item || !marker) continue;
    const group = wanted.filter((o) => o.anchor === w.anchor && o.after === w.after);
    const rank = group.indexOf(w);
    const own = Number(marker[2]);
    const number = !list.ordered ? '' : sameNumber ? marker[2] : String(Math.max(0, w.after ? own + rank + 1 : own - group.length + rank));
    const text = w.anchor.text !== '' && w.anchor.text === w.anchor.section!.heading.text ? w.heading : w.spec.title;
    const line = `${marker[1]}${number}${marker[3]} [${text}](#${anchor})`;
    const itemStart = (item.position?.start.offset ?? 0) + base;
    const itemEnd = (item.position?.end.offset ?? 0) + base;
    const at = w.after ? nextLineStart(model, Math.max(itemStart, itemEnd - 1)) : model.lines.lineStarts[model.lines.positionAt(itemStart).line];
    // A loose list keeps its blank lines between items.
    const loose = !!list.spread;
    let newText = w.after ? (loose ? eol : '') + line + eol : line + eol + (loose ? eol : '');
    if (at >= model.text.length && !endsWithBreak(model.text)) newText = eol + newText.replace(/(?:\r\n|\r|\n)$/, '');
    out.set(w.spec, { start: at, end: at, newText: keepBreaksApart(model.text, at, at, newText), order: 100 + schema.sections.indexOf(w.spec) });
  }
  return out;
}
