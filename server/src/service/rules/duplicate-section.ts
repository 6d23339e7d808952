import { parentOf } from '../match';
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
        const parent = parentOf(match, s);
        const list = byParent.get(parent) ?? [];
        list.push(s);
        byParent.set(parent, list);
      }
      for (const list of byParent.values()) {
        for (const dup of list.slice(1)) {
          const firstLine = model.lines.positionAt(list[0].heading.start).line + 1;
          findings.push({
            rule: 'duplicate-section',
            start: dup.heading.textStart,
            end: dup.heading.textEnd,
            message: `Section "${spec.title}" appears again; it is already at line ${firstLine}. Merge the two.`,
            related: [{ start: list[0].heading.textStart, end: list[0].heading.textEnd, message: `First "${spec.title}" section.` }],
          });
        }
      }
    }
    return findings;
  },
};
