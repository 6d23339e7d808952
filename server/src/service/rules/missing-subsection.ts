import type { Section } from '../model/document';
import { parentOf } from '../match';
import type { SectionSpec } from '../template/schema';
import type { Finding, Rule } from './types';
import { blockName, insertionOffset, missingPlace, relatedToBlock, unclosedAt } from './util';
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
        findings.push({
          rule: 'missing-subsection',
          start: place.start,
          end: place.end,
          message: `Section "${spec.title}" is missing subsection "${child.title}" (template: "${child.heading}"); the fix inserts it ${place.where}.`,
          fixes: [sectionFix(model, schema, match, child, section, offset, -child.depth)],
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
