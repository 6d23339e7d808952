import type { DocumentModel, Heading, Section } from '../model/document';
import type { NearMiss } from '../match';
import type { Finding, OffsetEdit, Rule } from './types';

/** A heading's numbering as written (`7. `, `Section 7: `, `A. `), kept when the heading's words are corrected. */
const NUMBERING = /^\s*(?:(?:section|part|chapter)\s+(?:\d+(?:\.\d+)*|[A-Za-z])\s*[:.)\-–—]?\s*|(?:\d+(?:\.\d+)*\.?\)?|[A-Za-z][.)])\s+(?=\S))/i;

const level = (depth: number) => `level ${depth} (${'#'.repeat(depth)})`;

/** The edit that writes an ATX heading at another level; undefined for a Setext heading, whose level is its underline. */
function levelEdit(model: DocumentModel, heading: Heading, depth: number): OffsetEdit | undefined {
  const start = model.lines.lineStarts[heading.line];
  const marks = /^( {0,3})(#{1,6})(?=[ \t]|$)/.exec(model.lines.lineText(heading.line));
  if (!marks) return undefined;
  const at = start + marks[1].length;
  return { start: at, end: at + marks[2].length, newText: '#'.repeat(depth) };
}

function headingFinding(model: DocumentModel, section: Section, near: NearMiss): Finding {
  const { heading } = section;
  const { spec } = near;
  const kind = spec.parent ? `template subsection "${spec.title}" of "${spec.parent.title}"` : `template section "${spec.title}"`;
  const edits: OffsetEdit[] = [];
  const raw = model.text.slice(heading.textStart, heading.textEnd);
  let text = raw;
  if (near.renamed) {
    // The words become the template's; the numbering stays as the person wrote it.
    const numbering = NUMBERING.exec(raw)?.[0] ?? '';
    text = numbering + spec.title;
    edits.push({ start: heading.textStart + numbering.length, end: heading.textEnd, newText: spec.title });
  }
  let depth = heading.depth;
  if (near.depth !== undefined) {
    const delta = near.depth - heading.depth;
    const moved = [section, ...near.moves].map((s) => levelEdit(model, s.heading, s.heading.depth + delta));
    if (moved.every((e): e is OffsetEdit => !!e)) {
      edits.push(...moved);
      depth = near.depth;
    }
  }
  const message =
    near.renamed && near.depth !== undefined
      ? `Heading "${heading.text}" looks like the ${kind}, which the template has at ${level(near.depth)}, not ${heading.depth}.`
      : near.renamed
        ? `Heading "${heading.text}" looks like the ${kind}.`
        : `Heading "${heading.text}" is the ${kind} at ${level(heading.depth)}; the template has it at ${level(near.depth!)}.`;
  const withSubsections = depth !== heading.depth && near.moves.length ? ' and the headings below it' : '';
  return {
    rule: 'near-miss',
    start: heading.textStart,
    end: heading.textEnd,
    message,
    fixes: edits.length
      ? [{ title: `Change the heading to "${'#'.repeat(depth)} ${text}"${withSubsections}`, edits, safe: false }]
      : undefined,
  };
}

export const nearMiss: Rule = {
  id: 'near-miss',
  defaultSeverity: 'warning',
  description: 'A heading or field name is close to a missing one of the template (a typo, or a heading at the wrong level); it counts as that section or field.',
  check({ model, match }) {
    const findings: Finding[] = [];
    for (const [section, near] of match.nearMisses) findings.push(headingFinding(model, section, near));
    for (const [row, field] of match.nearMissFields) {
      const cell = row.cells[0];
      const name = cell.bold ? `**${field.name}**` : field.name;
      findings.push({
        rule: 'near-miss',
        start: cell.start,
        end: cell.end,
        message: `Field "${cell.text}" looks like the template field "${field.name}" of the "${field.table.context}" table.`,
        fixes: [{ title: `Change the field name to "${field.name}"`, edits: [{ start: cell.start, end: cell.end, newText: name }], safe: false }],
      });
    }
    return findings.sort((a, b) => a.start - b.start);
  },
};
