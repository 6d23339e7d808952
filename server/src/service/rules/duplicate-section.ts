import type { Finding, Rule } from './types';

export const duplicateSection: Rule = {
  id: 'duplicate-section',
  defaultSeverity: 'warning',
  description: 'A template section or subsection appears more than once.',
  check({ model, match }) {
    const findings: Finding[] = [];
    for (const [spec, sections] of match.sections) {
      const byParent = new Map<unknown, typeof sections>();
      for (const s of sections) {
        const list = byParent.get(s.parent) ?? [];
        list.push(s);
        byParent.set(s.parent, list);
      }
      for (const list of byParent.values()) {
        for (const dup of list.slice(1)) {
          const firstLine = model.lines.positionAt(list[0].heading.start).line + 1;
          findings.push({
            rule: 'duplicate-section',
            start: dup.heading.textStart,
            end: dup.heading.textEnd,
            message: `Section "${spec.title}" appears again; it is already at line ${firstLine}. Merge the two.`,
          });
        }
      }
    }
    return findings;
  },
};
