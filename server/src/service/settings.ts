import { RULE_IDS, type RuleId, type Severity } from './rules/types';

/** Settings the service reads; the transport normalises user input into this shape. */
export interface RunbookSettings {
  enable: boolean;
  /** Globs (case-insensitive) of files that are runbooks. */
  files: string[];
  /** The template: a path as the editor setting gives it; once resolved for a document, its URI. Empty for the built-in template. */
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

const SEVERITIES: readonly Severity[] = ['off', 'info', 'warning', 'error'];

/**
 * Turns whatever the client sent for `runbook.*` into settings, keeping the default for every value
 * that is missing or invalid. Each problem is described once in `problems` for the log.
 */
export function normalizeSettings(raw: unknown, problems: string[] = []): RunbookSettings {
  const settings: RunbookSettings = { ...defaultSettings, rules: {} };
  if (raw === undefined || raw === null) return settings;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`runbook settings should be an object; using the defaults.`);
    return settings;
  }
  const r = raw as Record<string, unknown>;
  if (r.enable !== undefined) {
    if (typeof r.enable === 'boolean') settings.enable = r.enable;
    else problems.push(`runbook.enable should be true or false, not ${JSON.stringify(r.enable)}; using ${defaultSettings.enable}.`);
  }
  if (r.files !== undefined) {
    if (Array.isArray(r.files) && r.files.every((f) => typeof f === 'string' && f.trim() !== '')) settings.files = r.files as string[];
    else problems.push(`runbook.files should be a list of glob patterns; using the defaults ${JSON.stringify(defaultSettings.files)}.`);
  }
  if (r.template !== undefined) {
    if (typeof r.template === 'string') settings.template = r.template.trim();
    else problems.push(`runbook.template should be a path; using the built-in template.`);
  }
  if (r.draftMarkers !== undefined) {
    if (Array.isArray(r.draftMarkers) && r.draftMarkers.every((m) => typeof m === 'string' && m.trim() !== '')) settings.draftMarkers = r.draftMarkers.map((m: string) => m.trim());
    else problems.push(`runbook.draftMarkers should be a list of words; using the defaults ${JSON.stringify(defaultSettings.draftMarkers)}.`);
  }
  if (r.maxFileSize !== undefined) {
    if (typeof r.maxFileSize === 'number' && Number.isFinite(r.maxFileSize) && r.maxFileSize >= 0) settings.maxFileSize = r.maxFileSize;
    else problems.push(`runbook.maxFileSize should be a number of bytes; using ${defaultSettings.maxFileSize}.`);
  }
  const diagnostics = r.diagnostics as Record<string, unknown> | undefined;
  if (diagnostics && typeof diagnostics === 'object' && diagnostics.workspace !== undefined) {
    if (typeof diagnostics.workspace === 'boolean') settings.workspaceDiagnostics = diagnostics.workspace;
    else problems.push(`runbook.diagnostics.workspace should be true or false; using ${defaultSettings.workspaceDiagnostics}.`);
  }
  if (r.rules !== undefined) settings.rules = normalizeRules(r.rules, 'runbook.rules', problems);
  return settings;
}

/** Rule severities from user input; unknown ids and severities are reported and skipped. */
export function normalizeRules(raw: unknown, where: string, problems: string[]): Partial<Record<RuleId, Severity>> {
  const rules: Partial<Record<RuleId, Severity>> = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${where} should be an object of rule ids and severities; ignoring it.`);
    return rules;
  }
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(RULE_IDS as readonly string[]).includes(id)) {
      problems.push(`${where}: unknown rule "${id}" (known: ${RULE_IDS.join(', ')}).`);
      continue;
    }
    if (typeof value !== 'string' || !(SEVERITIES as readonly string[]).includes(value)) {
      problems.push(`${where}.${id}: unknown severity ${JSON.stringify(value)} (use off, info, warning or error); keeping the default.`);
      continue;
    }
    rules[id as RuleId] = value as Severity;
  }
  return rules;
}
