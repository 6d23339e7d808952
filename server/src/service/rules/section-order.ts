import type { Section } from '../model/document';
import { childrenOf, type Match } from '../match';
import type { SectionSpec } from '../template/schema';
import type { Finding, Rule } from './types';

/** Indices (into `values`) of one longest strictly increasing subsequence. */
export function longestIncreasing(values: number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = new Array(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]] < values[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) keep.add(i);
  return keep;
}

function checkSiblings(sections: Section[], siblings: SectionSpec[], match: Match, findings: Finding[]): void {
  const seen = new Set<SectionSpec>();
  const placed: { section: Section; spec: SectionSpec }[] = [];
  for (const section of sections) {
    const spec = match.specOf.get(section);
    // A child matched to another level's section (a top-level section written as a subsection) is not one of these siblings.
    if (!spec || seen.has(spec) || !siblings.includes(spec)) continue;
    seen.add(spec);
    placed.push({ section, spec });
  }
  const order = placed.map((p) => siblings.indexOf(p.spec));
  const keep = longestIncreasing(order);
  placed.forEach((p, i) => {
    if (keep.has(i)) return;
    const index = order[i];
    const before = placed.filter((q, j) => keep.has(j) && order[j] < index).pop();
    const after = placed.find((q, j) => keep.has(j) && order[j] > index);
    const where = before ? `after "${before.spec.title}"` : after ? `before "${after.spec.title}"` : 'elsewhere';
    const neighbour = before ?? after;
    findings.push({
      rule: 'section-order',
      start: p.section.heading.textStart,
      end: p.section.heading.textEnd,
      message: `Section "${p.spec.title}" is out of template order: it belongs ${where}.`,
      related: neighbour
        ? [{ start: neighbour.section.heading.textStart, end: neighbour.section.heading.textEnd, message: `"${p.spec.title}" belongs ${before ? 'after' : 'before'} this section.` }]
        : undefined,
    });
  });
}

export const sectionOrder: Rule = {
  id: 'section-order',
  defaultSeverity: 'warning',
  description: 'Sections or subsections are not in the order of the template.',
  check({ schema, match }) {
    const findings: Finding[] = [];
    checkSiblings(match.topLevel, schema.sections, match, findings);
    for (const [spec, sections] of match.sections) {
      if (spec.children.length) checkSiblings(childrenOf(match, sections[0]), spec.children, match, findings);
    }
    return findings;
  },
};
