import type { Section } from '../model/document';
import { childrenOf, owningSpec } from '../match';
import type { Finding, Rule, RuleContext } from './types';
import { isPlaceholderValue } from './dates';
import { PLACEHOLDER } from '../template/compile';
import { placeholderKey } from '../model/keys';

function hasPlaceholder(source: string, ctx: RuleContext): boolean {
  for (const m of source.matchAll(PLACEHOLDER)) if (ctx.schema.placeholders.has(placeholderKey(m[1]))) return true;
  return false;
}

/** True when nothing in the section's subtree goes beyond the template's own text and placeholders. */
function isEmpty(section: Section, ctx: RuleContext): boolean {
  const spec = owningSpec(section, ctx.match);
  const template = spec?.skeleton ?? '';
  for (const block of section.blocks) {
    const type = block.node.type;
    if (type === 'thematicBreak' || type === 'definition') continue;
    if (type === 'html' && /^\s*<!--[\s\S]*-->\s*$/.test(ctx.model.text.slice(block.start, block.end))) continue;
    const source = ctx.model.text.slice(block.start, block.end).trim();
    if (type === 'paragraph' && isPlaceholderValue(source.replace(/[*_]/g, ''), ctx.schema)) continue;
    // Template text kept as is is guidance only when it still asks for something: a placeholder,
    // an empty table cell, or an instruction paragraph. A kept checklist or contents list is content.
    if (template && template.includes(source) && (type === 'paragraph' || hasPlaceholder(source, ctx) || /\|\s*\|/.test(source))) continue;
    return false;
  }
  return childrenOf(ctx.match, section).every((c) => isEmpty(c, ctx));
}

export const emptySection: Rule = {
  id: 'empty-section',
  defaultSeverity: 'info',
  description: 'A section has no content of its own beyond the template\'s guidance.',
  check(ctx) {
    const findings: Finding[] = [];
    const visit = (sections: Section[]) => {
      for (const section of sections) {
        const spec = ctx.match.specOf.get(section);
        if (spec && isEmpty(section, ctx)) {
          findings.push({
            rule: 'empty-section',
            start: section.heading.textStart,
            end: section.heading.textEnd,
            message: `Section "${spec.title}" has no content yet beyond the template's guidance.`,
          });
          continue;
        }
        visit(childrenOf(ctx.match, section));
      }
    };
    // The template's reading of the tree: a section written at another level has its subsections under it.
    visit(ctx.match.topLevel);
    return findings;
  },
};
