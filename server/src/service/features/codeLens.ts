import type { CodeLens } from 'vscode-languageserver-types';
import type { RunbookSummary } from './summary';

/** Command ids the lenses run; the host passes its own so the service does not know the transport. */
export interface LensCommands {
  insertMissingSections: string;
  markReviewed: string;
}

/** What Insert All Missing Sections would insert: one per missing-section and missing-subsection finding. */
export interface MissingParts {
  sections: number;
  subsections: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `Insert 7 missing sections`, `Insert 1 missing subsection`, `Insert 7 missing sections and 1 subsection`; undefined when nothing is missing. */
export function insertTitle({ sections, subsections }: MissingParts): string | undefined {
  if (sections && subsections) return `Insert ${plural(sections, 'missing section')} and ${plural(subsections, 'subsection')}`;
  if (sections) return `Insert ${plural(sections, 'missing section')}`;
  if (subsections) return `Insert ${plural(subsections, 'missing subsection')}`;
  return undefined;
}

/**
 * The lenses at the top of a runbook. The first is its summary, a label with an empty command id
 * (editors show it as plain text; a client may give it a harmless command of its own, such as showing
 * the runbook in a view). The others are actions, each titled by what it does, present only when it
 * applies: inserting the missing sections and subsections, and marking a runbook whose review is
 * overdue or due soon as reviewed.
 */
export function runbookLenses(uri: string, summary: RunbookSummary, missing: MissingParts, commands: LensCommands): CodeLens[] {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const lenses: CodeLens[] = [{ range, command: { title: summary.text, command: '' } }];
  const insert = insertTitle(missing);
  if (insert) lenses.push({ range, command: { title: insert, command: commands.insertMissingSections, arguments: [uri] } });
  if (summary.review.status === 'overdue' || summary.review.status === 'due-soon') {
    lenses.push({ range, command: { title: 'Mark as reviewed', command: commands.markReviewed, arguments: [uri] } });
  }
  return lenses;
}
