import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import { allSections, type DocumentModel } from '../model/document';
import { lastContentLine } from './symbols';

/** Folding for sections (region), tables and code blocks. */
export function foldingRanges(model: DocumentModel): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const section of allSections(model)) {
    const start = section.heading.line;
    const end = lastContentLine(model, section);
    if (end > start) ranges.push({ startLine: start, endLine: end, kind: FoldingRangeKind.Region });
  }
  const span = (s: number, e: number) => {
    const start = model.lines.positionAt(s).line;
    const end = model.lines.positionAt(Math.max(s, e - 1)).line;
    if (end > start) ranges.push({ startLine: start, endLine: end });
  };
  for (const table of model.tables) span(table.start, table.end);
  for (const code of model.codeBlocks) span(code.start, code.end);
  return ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
