import type { RuleId, Severity } from './rules/types';

/** Settings the service reads; the transport normalises user input into this shape. */
export interface RunbookSettings {
  enable: boolean;
  /** Globs (case-insensitive) of files that are runbooks. */
  files: string[];
  /** Template path; empty for the built-in template. */
  template: string;
  rules: Partial<Record<RuleId, Severity>>;
  maxFileSize: number;
  /** Publish diagnostics of runbooks that are not open. */
  workspaceDiagnostics: boolean;
  /** Words that mark unfinished text (whole words, any case), reported by the draft-marker rule. */
  draftMarkers: string[];
}

export const defaultSettings: RunbookSettings = {
  enable: true,
  files: ['**/*runbook*.md', '**/runbooks/**/*.md'],
  template: '',
  rules: {},
  maxFileSize: 5_000_000,
  workspaceDiagnostics: true,
  draftMarkers: ['TBD', 'TBC', 'TODO', 'FIXME', 'XXX', '???'],
};
