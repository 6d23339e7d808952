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

/** Text as whole trimmed lines between line breaks, so that one holds another only line for line. */
const asLines = (text: string) => `\n${text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trim()).join('\n')}\n`;

/** Skeletons as lines, computed once each (a template edited in the editor brings new ones: the cache is bounded). */
const templateLines = new Map<string, string>();
function linesOfTemplate(template: string): string {
  let lines = templateLines.get(template);
  if (lines === undefined) {
    if (templateLines.size >= 1000) templateLines.clear();
    templateLines.set(template, (lines = asLines(template)));
  }
  return lines;
}

/** The block's source is lines of the template text (a row cut short is not: "| **Next Review** |" is the person's). */
const fromTemplate = (template: string, source: string) => linesOfTemplate(template).includes(asLines(source));

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
    if (template && fromTemplate(template, source) && (type === 'paragraph' || hasPlaceholder(source, ctx) || /\|\s*\|/.test(source))) continue;
    return false;
  }
  return childrenOf(ctx.match, section).every((c) => isEmpty(c, ctx));
}

/**
 * True when every block of the section's subtree is the template's own text for it, as inserted
 * (checklists, commands and examples included): nobody has written in it yet.
 */
function isUntouched(section: Section, ctx: RuleContext): boolean {
  const own = owningSpec(section, ctx.match);
  if (!own) return false;
  // The section's own skeleton, or an enclosing one's (the template's closing lines follow its last subsection).
  const skeletons: string[] = [];
  for (let spec: typeof own | undefined = own; spec; spec = spec.parent) skeletons.push(spec.skeleton);
  for (const block of section.blocks) {
    const source = ctx.model.text.slice(block.start, block.end).trim();
    if (source && !skeletons.some((t) => fromTemplate(t, source))) return false;
  }
  return childrenOf(ctx.match, section).every((c) => isUntouched(c, ctx) || isEmpty(c, ctx));
}

/** Something in the subtree still asks to be filled: a placeholder or an empty table cell (a kept contents list or checklist does not). */
function asksToBeFilled(section: Section, ctx: RuleContext): boolean {
  for (const block of section.blocks) {
    const source = ctx.model.text.slice(block.start, block.end);
    if (hasPlaceholder(source, ctx) || (block.node.type === 'table' && /\|[ \t]*\|/.test(source))) return true;
  }
  return childrenOf(ctx.match, section).some((c) => asksToBeFilled(c, ctx));
}

const unfilledOf = new WeakMap<RuleContext['match'], Section[]>();

/**
 * The outermost sections whose content is still the template's (unfilled parts), in document order.
 * Computed once per template match: the rule reports them and the findings inside them are held back.
 */
export function unfilledSections(ctx: RuleContext): Section[] {
  const known = unfilledOf.get(ctx.match);
  if (known) return known;
  const found: Section[] = [];
  const visit = (sections: Section[]) => {
    for (const section of sections) {
      if (ctx.match.specOf.get(section) && (isEmpty(section, ctx) || (isUntouched(section, ctx) && asksToBeFilled(section, ctx)))) found.push(section);
      else visit(childrenOf(ctx.match, section));
    }
  };
  // The template's reading of the tree: a section written at another level has its subsections under it.
  visit(ctx.match.topLevel);
  unfilledOf.set(ctx.match, found);
  return found;
}

/**
 * What an unfilled part holds back until the person starts filling it: one finding says it instead.
 * The template's own sample values ("High/Medium/Low", example dates) are part of what is unfilled.
 */
export const HELD_IN_UNFILLED: ReadonlySet<string> = new Set(['placeholder', 'empty-field', 'invalid-value', 'invalid-date', 'draft-marker']);

export const emptySection: Rule = {
  id: 'empty-section',
  defaultSeverity: 'warning',
  description: 'A section (with its subsections) is still the template\'s text: unfilled.',
  check(ctx) {
    return unfilledSections(ctx).map((section): Finding => {
      const spec = ctx.match.specOf.get(section)!;
      const kind = section.depth > (ctx.match.topLevel[0]?.depth ?? section.depth) ? 'Subsection' : 'Section';
      return {
        rule: 'empty-section',
        start: section.heading.textStart,
        end: section.heading.textEnd,
        message: `${kind} "${spec.title}" is unfilled: it still holds only the template's guidance and placeholders (reported one by one once you start filling it).`,
      };
    });
  },
};
