import type { Finding, Rule } from './types';
import { blockName, insertionOffset, relatedToBlock, unclosedAt } from './util';
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
      const previous = schema.sections.slice(0, index).reverse().find((s) => match.sections.has(s));
      const open = unclosedAt(match, offset);
      findings.push({
        rule: 'missing-section',
        start: offset,
        end: offset,
        message: `Missing section "${spec.title}" (template: "${spec.heading}")${previous ? `; it belongs after "${previous.title}"` : ''}.`,
        fixes: [sectionFix(model, schema, match, spec, undefined, offset, -spec.depth)],
        related: open ? [relatedToBlock(model, open, `The document ends inside this ${blockName(open.block)}; the fix closes it before inserting.`)] : undefined,
      });
    });
    return findings;
  },
};
