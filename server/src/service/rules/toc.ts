import { tocOf, updateTocEdits, type TocEntry } from '../toc';
import type { Section } from '../model/document';
import { longestIncreasing } from './section-order';
import type { Fix, Finding, Rule } from './types';
import { nextLineStart } from './util';

export const toc: Rule = {
  id: 'toc',
  defaultSeverity: 'warning',
  description: 'The table of contents is out of step with the headings: a section missing from it, an entry out of order, an entry for a section the runbook lacks.',
  check({ model, schema, match }) {
    const contents = tocOf(model, schema, match);
    if (!contents?.list) return [];
    const { list, entries, expected } = contents;
    const findings: Finding[] = [];
    const titleOf = (s: Section) => match.specOf.get(s)?.title ?? s.heading.text;
    const edits = contents.rebuildable ? updateTocEdits(model, schema, match) : [];
    const fixes = (): Fix[] | undefined => (edits.length ? [{ title: 'Update the table of contents from the headings', edits: edits.map((e) => ({ ...e })), safe: false }] : undefined);

    const first = new Map<Section, TocEntry>();
    for (const e of entries) if (e.section && !first.has(e.section)) first.set(e.section, e);
    const placed = entries.filter((e) => e.section && first.get(e.section) === e);
    const order = placed.map((e) => expected.indexOf(e.section!));
    const keep = longestIncreasing(order);

    // A section the list lacks is reported where its entry would go: before the first entry of a later section.
    for (const [index, section] of expected.entries()) {
      if (first.has(section)) continue;
      const next = placed.find((e, i) => keep.has(i) && order[i] > index);
      const at = next ? model.lines.lineStarts[model.lines.positionAt(next.link.start).line] : nextLineStart(model, list.end - 1);
      findings.push({ rule: 'toc', start: at, end: at, message: `Section "${titleOf(section)}" is not in the table of contents.`, fixes: fixes() });
    }

    placed.forEach((e, i) => {
      if (keep.has(i)) return;
      const before = placed.filter((_, j) => keep.has(j) && order[j] < order[i]).pop();
      const after = placed.find((_, j) => keep.has(j) && order[j] > order[i]);
      const where = before ? `after "${titleOf(before.section!)}"` : after ? `before "${titleOf(after.section!)}"` : 'elsewhere';
      findings.push({
        rule: 'toc',
        start: e.link.start,
        end: e.link.end,
        message: `Contents entry "${e.text || titleOf(e.section!)}" is out of the document's order: the section comes ${where}.`,
        fixes: fixes(),
      });
    });

    for (const e of entries) {
      if (!e.missing) continue;
      findings.push({
        rule: 'toc',
        start: e.link.start,
        end: e.link.end,
        message: `Contents entry "${e.text || e.missing.title}" names section "${e.missing.title}", which this runbook does not have: add the section or remove the entry.`,
        fixes: fixes(),
      });
    }
    return findings.sort((a, b) => a.start - b.start);
  },
};
