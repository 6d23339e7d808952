import { SymbolKind, type Range, type SymbolInformation } from 'vscode-languageserver-types';
import type { DocumentModel } from '../model/document';

/**
 * A heading of a document, kept by the workspace index once the document's model is gone. Its place is
 * four numbers, not an LSP range (three objects): the index holds one per heading of every runbook.
 */
export interface OutlineHeading {
  text: string;
  depth: number;
  slug: string;
  line: number;
  character: number;
  /** A setext heading ends on the line below its text. */
  endLine: number;
  endCharacter: number;
}

/** The LSP range of an outline heading. */
export function headingRange(h: OutlineHeading): Range {
  return { start: { line: h.line, character: h.character }, end: { line: h.endLine, character: h.endCharacter } };
}

/** A runbook whose sections are offered as workspace symbols. */
export interface SymbolSource {
  uri: string;
  /** The runbook's title, shown as each symbol's container. */
  title: string;
  /** Depth of the template's top-level sections: sections, subsections and components are the next three levels. */
  sectionDepth: number;
  headings: readonly OutlineHeading[];
}

/** The headings of a model with their ranges. */
export function outlineHeadings(model: DocumentModel): OutlineHeading[] {
  return model.headings.map((h) => {
    const start = model.lines.positionAt(h.start);
    const end = model.lines.positionAt(h.end);
    return { text: h.text, depth: h.depth, slug: h.slug, line: start.line, character: start.character, endLine: end.line, endCharacter: end.character };
  });
}

/** 0 for a substring of `name`, 1 for its characters in order, undefined for no match (case-insensitive). */
function score(name: string, query: string): number | undefined {
  if (!query) return 0;
  const lower = name.toLowerCase();
  if (lower.includes(query)) return 0;
  let at = 0;
  for (const ch of query) {
    at = lower.indexOf(ch, at);
    if (at < 0) return undefined;
    at++;
  }
  return 1;
}

/** Sections, subsections and components of every runbook whose heading matches the query, substring matches first. */
export function workspaceSymbols(sources: Iterable<SymbolSource>, query: string, limit = 1000): SymbolInformation[] {
  const wanted = query.trim().toLowerCase();
  const found: { symbol: SymbolInformation; score: number }[] = [];
  for (const source of sources) {
    for (const h of source.headings) {
      if (h.depth < source.sectionDepth || h.depth > source.sectionDepth + 2 || !h.text) continue;
      const s = score(h.text, wanted);
      if (s === undefined) continue;
      const kind = h.depth <= 2 ? SymbolKind.Module : h.depth === 3 ? SymbolKind.Namespace : SymbolKind.Object;
      found.push({ symbol: { name: h.text, kind, location: { uri: source.uri, range: headingRange(h) }, containerName: source.title }, score: s });
    }
  }
  return found
    .sort((a, b) => a.score - b.score)
    .slice(0, limit)
    .map((f) => f.symbol);
}
