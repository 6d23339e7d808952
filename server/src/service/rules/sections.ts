import type { DocumentModel, Section } from '../model/document';
import type { Match } from '../match';
import { styledSkeleton } from '../style';
import type { SectionSpec, TemplateSchema } from '../template/schema';
import { tocEntryEdits } from '../toc';
import type { Fix, OffsetEdit } from './types';
import { insertAt, insertBlock } from './util';

/**
 * The fix that brings a missing template section back at `offset`: its skeleton in the document's style,
 * or, when its table is there without its heading (`Match.headless`), its heading right above the table;
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
  if (headless?.placeable) return { title: `Insert the heading of ${kind} "${spec.title}" above its table`, edits: withEntry([insertAt(model, headless.table.start, skeleton.split('\n')[0])]), safe: true };
  return { title: `Insert ${kind} "${spec.title}" from the template`, edits: withEntry(insertBlock(model, match, offset, skeleton)), safe: !headless };
}
