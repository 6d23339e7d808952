import type { Section } from '../model/document';
import type { SectionSpec } from '../template/schema';
import type { Finding, Rule } from './types';
import { insertBlock, insertionOffset } from './util';

export const missingSubsection: Rule = {
  id: 'missing-subsection',
  defaultSeverity: 'warning',
  description: 'A subsection of the template is absent from a section that is present.',
  check({ model, match }) {
    const findings: Finding[] = [];
    const visit = (section: Section, spec: SectionSpec) => {
      spec.children.forEach((child, index) => {
        const present = (match.sections.get(child) ?? []).filter((s) => s.parent === section);
        if (present.length) {
          for (const p of present) visit(p, child);
          return;
        }
        if (child.optional) return;
        const offset = insertionOffset(model, spec.children, index, match, section);
        findings.push({
          rule: 'missing-subsection',
          start: offset,
          end: offset,
          message: `Section "${spec.title}" is missing subsection "${child.title}" (template: "${child.heading}").`,
          fixes: [{ title: `Insert subsection "${child.title}" from the template`, edits: [{ ...insertBlock(model, offset, child.skeleton), order: -child.depth }], safe: true }],
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
