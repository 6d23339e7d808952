import type { Section } from '../model/document';
import { owningSpec, parentOf } from '../match';
import type { SectionSpec } from '../template/schema';
import type { Finding, Rule } from './types';
import { blockName, insertionOffset, missingPlace, relatedToBlock, short, unclosedAt } from './util';
import { sectionFix } from './sections';

export const missingSubsection: Rule = {
  id: 'missing-subsection',
  defaultSeverity: 'warning',
  description: 'A subsection of the template is absent from a section that is present.',
  check({ model, schema, match }) {
    const findings: Finding[] = [];
    const visit = (section: Section, spec: SectionSpec) => {
      spec.children.forEach((child, index) => {
        const present = (match.sections.get(child) ?? []).filter((s) => parentOf(match, s) === section);
        if (present.length) {
          for (const p of present) visit(p, child);
          return;
        }
        if (child.optional || match.swallowed.has(child)) return;
        const offset = insertionOffset(model, spec.children, index, match, section);
        // Reported on its section's heading, not on the heading of the section after it.
        const place = missingPlace(model, spec.children, index, match, section, offset, schema.sectionDepth);
        const open = unclosedAt(match, offset);
        const fix = sectionFix(model, schema, match, child, section, offset, -child.depth);
        // Its heading is in the document under another section: the template's subsection is offered, not safe.
        const misplaced = match.misplaced.get(child);
        if (misplaced) {
          const line = model.lines.positionAt(misplaced.heading.start).line;
          const owner = owningSpec(misplaced.parent, match);
          const under = owner ? `section "${owner.title}"` : misplaced.parent ? `heading "${short(misplaced.parent.heading.text)}"` : 'no section';
          findings.push({
            rule: 'missing-subsection',
            start: place.start,
            end: place.end,
            message: `Section "${spec.title}" is missing subsection "${child.title}" (template: "${child.heading}"): the document has it at line ${line + 1}, under ${under}. Move it ${place.where.replace(/^at /, 'to ')}.`,
            fixes: [{ ...fix, safe: false }],
            related: [{ start: misplaced.heading.start, end: misplaced.heading.end, message: `Subsection "${child.title}" of "${spec.title}", here under ${under}; fix-all does not insert it a second time.` }],
          });
          return;
        }
        findings.push({
          rule: 'missing-subsection',
          start: place.start,
          end: place.end,
          message: `Section "${spec.title}" is missing subsection "${child.title}" (template: "${child.heading}"); the fix inserts it ${place.where}.`,
          fixes: [fix],
          related: open ? [relatedToBlock(model, open, `The document ends inside this ${blockName(open.block)}; the fix closes it before inserting.`)] : undefined,
        });
      });
    };
    for (const spec of match.sections.keys()) {
      if (spec.parent) continue;
      const first = match.sections.get(spec)![0];
      visit(first, spec);
    }
    return findings;
  },
};
