import type { CodeLens } from 'vscode-languageserver-types';
import type { RunbookSummary } from './summary';

/** Command ids the lens runs; the host passes its own so the service does not know the transport. */
export interface LensCommands {
  insertMissingSections: string;
  markReviewed: string;
}

/**
 * The lens at the top of a runbook: its summary, clicking which inserts the missing sections, or
 * marks an overdue runbook reviewed. With nothing to do the command id is empty: editors show the title
 * as plain text (a client may put its own harmless command there).
 */
export function summaryLens(uri: string, summary: RunbookSummary, commands: LensCommands): CodeLens {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (summary.sections.present < summary.sections.expected) {
    return { range, command: { title: summary.text, command: commands.insertMissingSections, arguments: [uri] } };
  }
  if (summary.review.status === 'overdue') return { range, command: { title: summary.text, command: commands.markReviewed, arguments: [uri] } };
  return { range, command: { title: summary.text, command: '' } };
}
