import type { Diagnostic, DiagnosticSeverity, TextEdit } from 'vscode-languageserver-types';
import type { DocumentModel } from '../model/document';
import { matchTemplate, type Match } from '../match';
import { rules } from '../rules/index';
import type { Finding, LinkResolver, RuleContext, RuleId, RuleSession, Severity } from '../rules/types';
import { suppressionsOf } from './suppressions';
import { HELD_IN_UNFILLED, unfilledSections } from '../rules/empty-section';
import { keepBreaksApart } from '../edits';
import type { RunbookSettings } from '../settings';
import type { TemplateSchema } from '../template/schema';

/** Where each rule is documented; diagnostics link to `#<rule id>`. */
export const DOCS_URL = 'https://github.com/runbook-tools/runbook-tools/blob/main/README.md';

const SEVERITY: Record<Exclude<Severity, 'off'>, DiagnosticSeverity> = { error: 1, warning: 2, info: 3 };

/** A quick fix carried in a diagnostic's `data`, with edits as LSP ranges of the analysed version. */
export interface FixData {
  title: string;
  edits: TextEdit[];
  safe: boolean;
}

export interface DiagnosticData {
  version: number;
  /** Lines of the analysed version: how far a place below an edit has moved when a later version asks. */
  lineCount: number;
  /** Hash of the diagnostic's line and the one above, to find that place again in a later version. */
  context: number;
  fixes: FixData[];
}

/** A cancellation check, so a newer version can stop work on an older one between rules. */
export type IsCancelled = () => boolean | Promise<boolean>;

/** Runs every enabled rule and returns its findings with their effective severities. */
export async function findingsOf(
  model: DocumentModel,
  schema: TemplateSchema,
  settings: RunbookSettings,
  today: string,
  isCancelled: IsCancelled = () => false,
  match: Match = matchTemplate(model, schema),
  links?: LinkResolver,
  session?: RuleSession,
): Promise<{ finding: Finding; severity: Exclude<Severity, 'off'> }[] | undefined> {
  const severityOf = (rule: (typeof rules)[number]) => settings.rules[rule.id] ?? rule.defaultSeverity;
  const enabled = new Set(rules.filter((r) => severityOf(r) !== 'off').map((r) => r.id));
  const ctx: RuleContext = { model, schema, match, today, links, session, draftMarkers: settings.draftMarkers, isEnabled: (rule) => enabled.has(rule) };
  const out: { finding: Finding; severity: Exclude<Severity, 'off'> }[] = [];
  const suppressions = suppressionsOf(model);
  for (const finding of suppressions.problems) out.push({ finding, severity: 'warning' });
  for (const rule of rules) {
    const severity = severityOf(rule);
    if (severity === 'off') continue;
    if (await isCancelled()) return undefined;
    for (const found of await rule.check(ctx)) {
      if (suppressions.isSuppressed(rule.id, model.lines.positionAt(found.start).line)) continue;
      const finding: Finding = { ...found, rule: rule.id };
      for (const fix of finding.fixes ?? []) fix.edits = fix.edits.map((e) => ({ ...e, newText: keepBreaksApart(model.text, e.start, e.end, e.newText) }));
      out.push({ finding, severity });
    }
  }
  out.sort((a, b) => a.finding.start - b.finding.start || a.finding.end - b.finding.end || a.finding.rule.localeCompare(b.finding.rule));
  // An unfilled part is one finding (empty-section): its placeholders and empty fields wait until the
  // person starts filling it, so inserting a section or fix-all never buries the problems list.
  if (!enabled.has('empty-section')) return out;
  const unfilled = unfilledSections(ctx);
  if (!unfilled.length) return out;
  const inUnfilled = (offset: number) => unfilled.some((s) => s.start <= offset && offset < s.end);
  return out.filter(({ finding }) => !HELD_IN_UNFILLED.has(finding.rule) || !inUnfilled(finding.start));
}

/** A hash (FNV-1a) of a line's text and the text of the line above: where a place is, without the text. */
export function lineContext(model: DocumentModel, line: number): number {
  const text = (line > 0 ? model.lines.lineText(line - 1) : '') + '\n' + (line < model.lines.lineCount ? model.lines.lineText(line) : '');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** The one place where findings become LSP diagnostics. */
export function toDiagnostic(model: DocumentModel, finding: Finding, severity: Exclude<Severity, 'off'>): Diagnostic {
  const data: DiagnosticData = {
    version: model.version,
    lineCount: model.lines.lineCount,
    context: lineContext(model, model.lines.positionAt(finding.start).line),
    fixes: (finding.fixes ?? []).map((f) => ({
      title: f.title,
      safe: f.safe,
      edits: f.edits.map((e) => ({ range: model.lines.range(e.start, e.end), newText: e.newText })),
    })),
  };
  const diagnostic: Diagnostic = {
    range: model.lines.range(finding.start, finding.end),
    severity: SEVERITY[severity],
    code: finding.rule,
    codeDescription: { href: `${DOCS_URL}#${finding.rule}` },
    source: 'runbook',
    message: finding.message,
    data,
  };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({ location: { uri: model.uri, range: model.lines.range(r.start, r.end) }, message: r.message }));
  }
  return diagnostic;
}

/** Diagnostics of a document, or undefined when cancelled. */
export async function computeDiagnostics(
  model: DocumentModel,
  schema: TemplateSchema,
  settings: RunbookSettings,
  today: string,
  isCancelled?: IsCancelled,
  match?: Match,
  links?: LinkResolver,
  session?: RuleSession,
): Promise<Diagnostic[] | undefined> {
  const findings = await findingsOf(model, schema, settings, today, isCancelled, match, links, session);
  return findings?.map(({ finding, severity }) => toDiagnostic(model, finding, severity));
}

export type { RuleId };
