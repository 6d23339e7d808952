import type { List } from 'mdast';
import { slug } from 'github-slugger';
import type { DocumentModel, Link, Section } from './model/document';
import type { Block } from './model/parse';
import { headingKey } from './model/keys';
import type { Match } from './match';
import type { OffsetEdit } from './rules/types';
import type { SectionSpec, TemplateSchema } from './template/schema';
import { keepBreaksApart } from './edits';
import { insertBlock, nextLineStart } from './rules/util';

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
