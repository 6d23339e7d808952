import type { Finding, Rule } from './types';
import { blockName, insertionOffset, missingPlace, relatedToBlock, unclosedAt } from './util';
import { sectionFix } from './sections';

export const missingSection: Rule = {
  id: 'missing-section',
  defaultSeverity: 'error',
  description: 'A section of the template is absent from the runbook.',
  check({ model, schema, match }) {
    const findings: Finding[] = [];
    schema.sections.forEach((spec, index) => {
      // A section inside an unclosed block is there: the unclosed-block finding says so, and closing the block brings it back.
      if (spec.optional || match.sections.has(spec) || match.swallowed.has(spec)) return;
      const offset = insertionOffset(model, schema.sections, index, match, undefined);
      // Reported on the heading it goes after (or the title), not on the empty line where it would go.
      const place = missingPlace(model, schema.sections, index, match, undefined, offset, schema.sectionDepth);
      const open = unclosedAt(match, offset);
      findings.push({
        rule: 'missing-section',
        start: place.start,
        end: place.end,
        message: `Missing section "${spec.title}" (template: "${spec.heading}"); the fix inserts it ${place.where}.`,
        fixes: [sectionFix(model, schema, match, spec, undefined, offset, -spec.depth)],
        related: open ? [relatedToBlock(model, open, `The document ends inside this ${blockName(open.block)}; the fix closes it before inserting.`)] : undefined,
      });
    });
    return findings;
  },
};
