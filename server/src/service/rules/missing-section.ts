import type { Finding, Rule } from './types';
import { insertBlock, insertionOffset } from './util';

export const missingSection: Rule = {
  id: 'missing-section',
  defaultSeverity: 'error',
  description: 'A section of the template is absent from the runbook.',
  check({ model, schema, match }) {
    const findings: Finding[] = [];
    schema.sections.forEach((spec, index) => {
      if (spec.optional || match.sections.has(spec)) return;
      const offset = insertionOffset(model, schema.sections, index, match, undefined);
      const previous = schema.sections.slice(0, index).reverse().find((s) => match.sections.has(s));
      findings.push({
        rule: 'missing-section',
        start: offset,
        end: offset,
        message: `Missing section "${spec.title}" (template: "${spec.heading}")${previous ? `; it belongs after "${previous.title}"` : ''}.`,
        fixes: [{ title: `Insert section "${spec.title}" from the template`, edits: [{ ...insertBlock(model, offset, spec.skeleton), order: -spec.depth }], safe: true }],
      });
    });
    return findings;
  },
};
