import type { Diagnostic } from 'vscode-languageserver-types';
import { levelOf, ruleOf, type FileReport } from '../report';

/** A workflow command's message, escaped as the runner reads it back (`%`, CR and LF). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: as data, and `:` and `,` too, which end a property. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/**
 * One annotation: `::error title=<rule>,file=...,line=...,endLine=...,col=...,endColumn=...::message`.
 * Properties go in the order @actions/core writes them; columns only for a range on one line, as
 * GitHub takes columns only when the start and end lines are the same.
 */
function annotation(file: string, d: Diagnostic): string {
  const { start, end } = d.range;
  const properties: [string, string | number][] = [
    ['title', ruleOf(d)],
    ['file', file],
    ['line', start.line + 1],
    ['endLine', end.line + 1],
  ];
  if (start.line === end.line) properties.push(['col', start.character + 1], ['endColumn', end.character + 1]);
  return `::${COMMAND[levelOf(d)]} ${properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(d.message)}`;
}

/** GitHub Actions workflow commands: an annotation per finding, on the file and lines it is about. */
export function githubOutput(reports: FileReport[]): string {
  return reports.flatMap((r) => r.diagnostics.map((d) => annotation(r.file.split('\\').join('/'), d))).join('\n');
}
