import type { Swallowed, UnclosedBlock } from '../match';
import type { DocumentModel } from '../model/document';
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
  description: 'A code fence, HTML block or comment is never closed and runs to the end of the document, or it (or front matter) takes in template headings.',
  check({ model, match }) {
    return match.unclosed.map((u): Finding => {
      const name = blockName(u.block);
      const openLine = model.lines.positionAt(u.block.start).line;
      if (u.block.kind === 'frontmatter') return frontMatter(model, u, openLine);
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

/**
 * Front matter that takes in template headings: the document's first line is a `---` (or `+++`) and the
 * next such line closes it, so everything between is metadata. A blank line above the first line makes
 * it a separator. That is safe when the closing line follows a blank line; after a line of text it would
 * turn that line into a heading (setext), so there the fix is offered, not safe.
 */
function frontMatter(model: DocumentModel, u: UnclosedBlock, openLine: number): Finding {
  const closeLine = model.lines.positionAt(u.block.end).line;
  const fence = u.block.opener;
  const safe = closeLine > 0 && model.lines.lineText(closeLine - 1).trim() === '';
  return {
    rule: 'unclosed-block',
    start: u.block.start,
    end: model.lines.lineEnd(openLine),
    message: `The "${fence}" on the first line starts front matter (metadata), which runs to the "${fence}" on line ${closeLine + 1} and takes in the template's ${listed(u.swallowed.map(label))}. If the first "${fence}" is a separator, put a blank line above it.${safe ? '' : ` Line ${closeLine} would then become a heading: put a blank line above line ${closeLine + 1} too.`}`,
    fixes: [{ title: `Put a blank line above the first "${fence}" so that it is a separator, not front matter`, edits: [closeEdit(model, u)], safe }],
    related: u.swallowed.map((s) => ({ start: s.start, end: s.end, message: `The template's ${label(s)}, inside the front matter.` })),
  };
}
