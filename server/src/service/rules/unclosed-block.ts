import type { Swallowed } from '../match';
import type { Finding, Rule } from './types';
import { blockName, closeEdit } from './util';

function label(s: Swallowed): string {
  if (s.field) return `field "${s.field.name}"`;
  return s.section!.parent ? `subsection "${s.section!.title}"` : `section "${s.section!.title}"`;
}

function listed(items: string[]): string {
  const shown = items.slice(0, 3);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown[0];
}

export const unclosedBlock: Rule = {
  id: 'unclosed-block',
  defaultSeverity: 'error',
  description: 'A code fence, HTML block or comment is never closed and runs to the end of the document, or takes in template headings.',
  check({ model, match }) {
    return match.unclosed.map((u): Finding => {
      const name = blockName(u.block);
      const openLine = model.lines.positionAt(u.block.start).line;
      const closeLine = model.lines.positionAt(u.closeAt).line + 1;
      const closer = u.block.closer ? `"${u.block.closer.trim()}"` : 'a blank line';
      const taken = listed(u.swallowed.map(label));
      const message = !u.swallowed.length
        ? `This ${name} is never closed: everything after it, to the end of the document, is part of it. Close it with ${closer}.`
        : u.open
          ? `This ${name} is never closed: it runs to the end of the document and takes in the template's ${taken}. Close it with ${closer} before line ${closeLine}.`
          : `This ${name} takes in the template's ${taken} before it ends at line ${model.lines.positionAt(u.block.end).line + 1}. Close it with ${closer} before line ${closeLine}.`;
      return {
        rule: 'unclosed-block',
        start: u.block.start,
        end: model.lines.lineEnd(openLine),
        message,
        // Closing a block that nothing closes only ends it earlier; one that is closed later has a closing line that would open another.
        fixes: [{ title: u.swallowed.length ? `Close the ${name} before line ${closeLine}` : `Close the ${name} at the end of the document`, edits: [closeEdit(model, u)], safe: u.open }],
        related: u.swallowed.map((s) => ({ start: s.start, end: s.end, message: `The template's ${label(s)}, inside the ${name}.` })),
      };
    });
  },
};
