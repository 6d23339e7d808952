import type { Diagnostic } from 'vscode-languageserver-types';
import type { RunbookSummary } from '../protocol';

export type Level = 'error' | 'warning' | 'info';

/** What the CLI found in one file: plain data, so worker threads can send it and every format can read it. */
export interface FileReport {
  /** The file as the person named it, or relative to the working directory when a walk found it. */
  file: string;
  uri: string;
  /** The policy treats the file as a runbook (a file named on the command line is checked either way). */
  isRunbook: boolean;
  /** The diagnostics the language server would publish for the file (LSP ranges: 0-based, UTF-16). */
  diagnostics: Diagnostic[];
  /** Completeness, placeholders, problems and review status; absent for a file over the size limit. */
  summary?: RunbookSummary;
}

/** A diagnostic's severity as the CLI names it. */
export function levelOf(d: Diagnostic): Level {
  return d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info';
}

/** The rule id of a diagnostic. */
export function ruleOf(d: Diagnostic): string {
  return typeof d.code === 'string' ? d.code : String(d.code ?? 'runbook');
}
