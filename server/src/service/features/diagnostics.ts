import type { Diagnostic, DiagnosticSeverity, TextEdit } from 'vscode-languageserver-types';
import { buildModel, type DocumentModel } from '../model/document';
import { ChunkParser } from '../model/parse';
import { matchTemplate, type Match } from '../match';
import { rules } from '../rules/index';
import type { Finding, LinkResolver, OffsetEdit, RuleContext, RuleId, RuleSession, Severity } from '../rules/types';
import { blockName } from '../rules/util';
import { suppressionsOf } from './suppressions';
import { HELD_IN_UNFILLED, unfilledSections } from '../rules/empty-section';
import { applyEdits, keepBreaksApart } from '../edits';
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

/** A finding with the severity it is reported at. */
export interface RatedFinding {
  finding: Finding;
  severity: Exclude<Severity, 'off'>;
}

/** Runs every enabled rule (of `only`, when given) and returns its findings with their effective severities. */
export async function findingsOf(
  model: DocumentModel,
  schema: TemplateSchema,
  settings: RunbookSettings,
  today: string,
  isCancelled: IsCancelled = () => false,
  match: Match = matchTemplate(model, schema),
  links?: LinkResolver,
  session?: RuleSession,
  only?: ReadonlySet<RuleId>,
): Promise<RatedFinding[] | undefined> {
  const severityOf = (rule: (typeof rules)[number]) => settings.rules[rule.id] ?? rule.defaultSeverity;
  const enabled = new Set(rules.filter((r) => severityOf(r) !== 'off').map((r) => r.id));
  const ctx: RuleContext = { model, schema, match, today, links, session, draftMarkers: settings.draftMarkers, isEnabled: (rule) => enabled.has(rule) };
  const out: { finding: Finding; severity: Exclude<Severity, 'off'> }[] = [];
  const suppressions = suppressionsOf(model);
  for (const finding of suppressions.problems) out.push({ finding, severity: 'warning' });
  for (const rule of rules) {
    const severity = severityOf(rule);
    if (severity === 'off' || (only && !only.has(rule.id))) continue;
    if (await isCancelled()) return undefined;
    for (const found of await rule.check(ctx)) {
      if (suppressions.isSuppressed(rule.id, model.lines.positionAt(found.start).line)) continue;
      const finding: Finding = { ...found, rule: rule.id };
      for (const fix of finding.fixes ?? []) fix.edits = fix.edits.map((e) => ({ ...e, newText: keepBreaksApart(model.text, e.start, e.end, e.newText) }));
      out.push({ finding, severity });
    }
  }
  sortFindings(out);
  // An unfilled part is one finding (empty-section): its placeholders and empty fields wait until the
  // person starts filling it, so inserting a section or fix-all never buries the problems list.
  if (!enabled.has('empty-section') || (only && !only.has('empty-section'))) return out;
  const unfilled = unfilledSections(ctx);
  if (!unfilled.length) return out;
  const inUnfilled = (offset: number) => unfilled.some((s) => s.start <= offset && offset < s.end);
  return out.filter(({ finding }) => !HELD_IN_UNFILLED.has(finding.rule) || !inUnfilled(finding.start));
}

function sortFindings(list: RatedFinding[]): RatedFinding[] {
  return list.sort((a, b) => a.finding.start - b.finding.start || a.finding.end - b.finding.end || a.finding.rule.localeCompare(b.finding.rule));
}

/** An open block that fix-all closes, with its closing edit and its opening line in offsets of the original text. */
export interface Closer {
  edit: OffsetEdit;
  start: number;
  lineEnd: number;
  /** What a person calls it: `code block (```bash)`, `<style> block`. */
  name: string;
}

/** A document with the blocks that run to its end closed, as fix-all closes them before it fixes anything else. */
export interface ClosedView {
  model: DocumentModel;
  /** In the order they were closed; their edits applied to the original text give the view's text. */
  closers: Closer[];
  /** The offset of the original text that an offset of the view's text stands for (inside a closing line: where it was inserted). */
  toOriginal(offset: number): number;
}

/** Passes of the closing: each closes one block, the first the unclosed-block rule offers to close, then the text is read again. */
const CLOSING_PASSES = 30;
const CLOSING_RULE: ReadonlySet<RuleId> = new Set(['unclosed-block']);

/**
 * Closes the blocks that run to the end of the document the way fix-all does: one a pass, in document
 * order, with the unclosed-block rule's safe fix (so its severity and suppressions count), the text read
 * again after each, since closing one may reveal another that its text held. Undefined when cancelled.
 */
export async function closeOpenBlocks(model: DocumentModel, schema: TemplateSchema, settings: RunbookSettings, today: string, isCancelled: IsCancelled = () => false, parser = new ChunkParser()): Promise<ClosedView | undefined> {
  const closers: Closer[] = [];
  // Closers sorted by their original offset, each with its length: how view offsets map back.
  const toOriginal = (offset: number) => {
    let shift = 0;
    for (const c of [...closers].sort((a, b) => a.edit.start - b.edit.start)) {
      const at = c.edit.start + shift;
      if (offset <= at) break;
      if (offset < at + c.edit.newText.length) return c.edit.start;
      shift += c.edit.newText.length;
    }
    return offset - shift;
  };
  let current = model;
  for (let pass = 0; pass < CLOSING_PASSES; pass++) {
    const match = matchTemplate(current, schema);
    const found = await findingsOf(current, schema, settings, today, isCancelled, match, undefined, undefined, CLOSING_RULE);
    if (!found) return undefined;
    const closing = found.find(({ finding }) => finding.rule === 'unclosed-block' && finding.fixes?.some((f) => f.safe));
    const edit = closing?.finding.fixes!.find((f) => f.safe)!.edits[0];
    const u = closing && match.unclosed.find((x) => x.block.start === closing.finding.start);
    if (!closing || !edit || !u) break;
    const text = applyEdits(current.text, [edit]);
    if (text === current.text) break;
    const start = toOriginal(edit.start);
    closers.push({ edit: { ...edit, start, end: start }, start: toOriginal(closing.finding.start), lineEnd: toOriginal(closing.finding.end), name: blockName(u.block) });
    current = buildModel(model.uri, model.version, text, parser);
  }
  return { model: current, closers, toOriginal };
}

/** Rules that report something missing at the place it would be inserted, which depends on what is around: the same problem has the same message anywhere. */
export const INSERTIONS: ReadonlySet<string> = new Set(['missing-section', 'missing-subsection', 'missing-field']);

/** What makes two findings the same problem in the document and in its closed view: elsewhere the same message at the same place. */
function problemKey(finding: Finding, start: number): string {
  // Where a missing section goes depends on the sections around it (and its message names the one before).
  if (finding.rule === 'missing-section') return `${finding.rule}\0${finding.fixes?.[0]?.title ?? finding.message}`;
  return INSERTIONS.has(finding.rule) ? `${finding.rule}\0${finding.message}` : `${finding.rule}\0${finding.message}\0${start}`;
}

/**
 * Findings that a block running to the end of the document hides and fix-all fixes once it has closed
 * the block: a subsection or field missing from a section inside it, a placeholder in it. They are found
 * in the closed view and reported at their place inside the block, with the block as related place and
 * fixes that close it first, so that fix-all does nothing the diagnostics do not say.
 */
async function hiddenFindings(model: DocumentModel, schema: TemplateSchema, settings: RunbookSettings, today: string, isCancelled: IsCancelled, found: RatedFinding[], parser?: ChunkParser): Promise<RatedFinding[] | undefined> {
  const view = await closeOpenBlocks(model, schema, settings, today, isCancelled, parser);
  if (!view) return undefined;
  if (!view.closers.length) return [];
  const inView = await findingsOf(view.model, schema, settings, today, isCancelled);
  if (!inView) return undefined;
  const known = new Set(found.map(({ finding }) => problemKey(finding, finding.start)));
  const out: RatedFinding[] = [];
  for (const { finding, severity } of inView) {
    if (finding.rule === 'unclosed-block' || !finding.fixes?.some((f) => f.safe)) continue;
    const start = view.toOriginal(finding.start);
    if (known.has(problemKey(finding, start))) continue;
    known.add(problemKey(finding, start));
    const fixes = finding.fixes.map((fix) => {
      const edits = fix.edits.map((e) => ({ ...e, start: view.toOriginal(e.start), end: view.toOriginal(e.end) }));
      // The blocks that open before the fixed place are closed first, with the unclosed-block rule's own edits (fix-all applies them once).
      const last = Math.max(...edits.map((e) => e.start));
      return { ...fix, edits: [...view.closers.filter((c) => c.start < last).map((c) => c.edit), ...edits] };
    });
    // The first block holds the place; one that opens inside it runs to the end once it is closed.
    const [outer, ...inner] = view.closers.filter((c, i) => i === 0 || c.start < start);
    const related = [
      { start: outer.start, end: outer.lineEnd, message: outer.name === 'front matter' ? 'The front matter that starts here holds this place; the fix puts a blank line above it first, so that its "---" is a separator.' : `The ${outer.name} opened here is never closed and holds this place; the fix closes it first.` },
      ...inner.map((c) => ({ start: c.start, end: c.lineEnd, message: `Once the block above is closed, the ${c.name} opened here runs to the end of the document; the fix closes it too.` })),
      ...(finding.related ?? []).map((r) => ({ ...r, start: view.toOriginal(r.start), end: view.toOriginal(r.end) })),
    ];
    out.push({ finding: { ...finding, start, end: Math.max(start, view.toOriginal(finding.end)), fixes, related }, severity });
  }
  return out;
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

/**
 * Diagnostics of a document, or undefined when cancelled. `parser` parses the document's closed view
 * when a block runs to its end (the document's own parser: the view shares most of its chunks).
 */
export async function computeDiagnostics(
  model: DocumentModel,
  schema: TemplateSchema,
  settings: RunbookSettings,
  today: string,
  isCancelled?: IsCancelled,
  match?: Match,
  links?: LinkResolver,
  session?: RuleSession,
  parser?: ChunkParser,
): Promise<Diagnostic[] | undefined> {
  let findings = await findingsOf(model, schema, settings, today, isCancelled, match, links, session);
  if (findings?.some(({ finding }) => finding.rule === 'unclosed-block' && finding.fixes?.some((f) => f.safe))) {
    const hidden = await hiddenFindings(model, schema, settings, today, isCancelled ?? (() => false), findings, parser);
    // A finding of the view at the very place of one of the document (a placeholder in a code block that is a table cell once the block is closed) stands for it.
    // (Not for insertions: several go to one place, each its own problem.)
    const same = (a: Finding, b: Finding) => a.rule === b.rule && !INSERTIONS.has(a.rule) && a.start === b.start && a.end === b.end;
    findings = hidden && sortFindings([...findings.filter(({ finding }) => !hidden.some((h) => same(h.finding, finding))), ...hidden]);
  }
  return findings?.map(({ finding, severity }) => toDiagnostic(model, finding, severity));
}

export type { RuleId };
