import type { DocumentModel, Section } from '../model/document';
import type { Match } from '../match';
import { styledSkeleton } from '../style';
import type { SectionSpec, TemplateSchema } from '../template/schema';
import { tocEntryEdits } from '../toc';
import type { Fix, OffsetEdit } from './types';
import { insertAt, insertBlock, nextLineStart, skipBlankLines } from './util';
import { headingKey } from '../model/keys';

/**
 * The fix that brings a missing template section back at `offset`: its skeleton in the document's style,
 * or, when its table or its subsections are there without its heading (`Match.headless`), its heading
 * right above them (and its subsections that are not there among those that are);
 * and its entry in the table of contents, when the contents list should name it. Where the heading cannot
 * go above that table, the skeleton is offered but is not safe: fix-all would write the table, and its
 * fields, a second time.
 */
export function sectionFix(model: DocumentModel, schema: TemplateSchema, match: Match, spec: SectionSpec, parent: Section | undefined, offset: number, order: number): Fix {
  const kind = spec.parent ? 'subsection' : 'section';
  const skeleton = styledSkeleton(schema, match, spec, parent);
  const headless = match.headless.get(spec);
  const ordered = (edits: OffsetEdit[]) => edits.map((e) => ({ ...e, order: e.order ?? order }));
  const entry = spec.parent ? undefined : tocEntryEdits(model, schema, match).get(spec);
  const withEntry = (edits: OffsetEdit[]) => (entry ? [...ordered(edits), entry] : ordered(edits));
  if (headless?.placeable) {
    const heading = insertAt(model, headless.start, skeleton.split('\n')[0]);
    if (headless.table) return { title: `Insert the heading of ${kind} "${spec.title}" above its table`, edits: withEntry([heading]), safe: true };
    // Its subsections that are not there go among those that are, in template order, after the heading.
    const there = new Map(headless.children.map((c) => [headingKey(c.heading.text), c]));
    const last = headless.children[headless.children.length - 1];
    const children = spec.children.flatMap((c, i): OffsetEdit[] => {
      if (c.optional || there.has(c.key)) return [];
      const next = spec.children.slice(i + 1).map((n) => there.get(n.key)).find((s) => s);
      const at = next ? next.heading.start : skipBlankLines(model, nextLineStart(model, last.end));
      // At the section's end they go before a section inserted at the same place (after the Appendix they would belong to it): a subsection's order.
      return [{ ...insertAt(model, at, styledSkeleton(schema, match, c, undefined)), order: next ? order + 0.5 : -c.depth }];
    });
    return { title: `Insert the heading of ${kind} "${spec.title}" above its subsections`, edits: withEntry([heading, ...children]), safe: true };
  }
  return { title: `Insert ${kind} "${spec.title}" from the template`, edits: withEntry(insertBlock(model, match, offset, skeleton)), safe: !headless };
}
