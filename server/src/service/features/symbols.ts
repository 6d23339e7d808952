import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { DocumentModel, Section } from '../model/document';
import type { Match } from '../match';

/**
 * Sections > subsections > components: the heading tree, with the template's place of each
 * section as detail. The VS Code client hides these (the built-in Markdown outline lists headings);
 * other editors get them as their outline.
 */
export function documentSymbols(model: DocumentModel, match: Match): DocumentSymbol[] {
  const toSymbol = (section: Section): DocumentSymbol => {
    const spec = match.specOf.get(section);
    const kind = section.depth <= 2 ? SymbolKind.Module : section.depth === 3 ? SymbolKind.Namespace : SymbolKind.Object;
    const endLine = lastContentLine(model, section);
    return {
      name: section.heading.text || '(empty heading)',
      detail: spec ? (spec.heading !== section.heading.text ? `template: ${spec.heading}` : 'template') : '',
      kind,
      range: { start: model.lines.positionAt(section.start), end: { line: endLine, character: model.lines.lineText(endLine).length } },
      selectionRange: model.lines.range(section.heading.textStart, section.heading.textEnd),
      children: section.children.map(toSymbol),
    };
  };
  return model.sections.map(toSymbol);
}

/** Last line of a section's subtree that is not blank. */
export function lastContentLine(model: DocumentModel, section: Section): number {
  let line = model.lines.positionAt(Math.max(section.start, section.end - 1)).line;
  const first = model.lines.positionAt(section.start).line;
  while (line > first && model.lines.lineText(line).trim() === '') line--;
  return line;
}
