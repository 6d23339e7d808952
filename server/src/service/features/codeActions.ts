import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { buildModel, type DocumentModel } from '../model/document';
import { ChunkParser } from '../model/parse';
import { applyEdits, diffEdits, uniqueEdits } from '../edits';
import type { OffsetEdit } from '../rules/types';
import type { RunbookSettings } from '../settings';
import type { TemplateSchema } from '../template/schema';
import { findingsOf, type DiagnosticData, type IsCancelled } from './diagnostics';

/** The code action kind of "fix all runbook problems", runnable on save (`editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.runbook`;

/** Quick fixes of the runbook diagnostics in the request, plus "disable this rule here". */
export function quickFixes(model: DocumentModel, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const disabled = new Set<string>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'runbook' || typeof diagnostic.code !== 'string') continue;
    const data = diagnostic.data as DiagnosticData | undefined;
    if (data && data.version === model.version) {
      data.fixes.forEach((fix, i) => {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: i === 0 && data.fixes.length === 1,
          edit: { changes: { [model.uri]: fix.edits } },
        });
      });
    }
    const rule = diagnostic.code;
    const key = `${rule}:${diagnostic.range.start.line}`;
    if (rule === 'suppression' || disabled.has(key)) continue;
    disabled.add(key);
    actions.push(disableAction(model, diagnostic, rule));
  }
  return actions;
}

/**
 * "Disable <rule> for this line" inserts a comment on the line above. A comment line inside a table
 * would split the table, so there the rule is disabled around the whole table instead.
 */
function disableAction(model: DocumentModel, diagnostic: Diagnostic, rule: string): CodeAction {
  const offset = model.lines.offsetAt(diagnostic.range.start);
  const eol = model.lines.eol;
  const table = model.tables.find((t) => t.start <= offset && offset <= t.end);
  const edits: TextEdit[] = [];
  let title: string;
  if (table) {
    const startLine = model.lines.positionAt(table.start).line;
    const endLine = model.lines.positionAt(table.end).line;
    const indent = /^\s*/.exec(model.lines.lineText(startLine))![0];
    const end = model.lines.positionAt(model.lines.lineEnd(endLine));
    edits.push({ range: { start: { line: startLine, character: 0 }, end: { line: startLine, character: 0 } }, newText: `${indent}<!-- runbook-disable ${rule} -->${eol}` });
    edits.push({ range: { start: end, end }, newText: `${eol}${indent}<!-- runbook-enable ${rule} -->` });
    title = `Disable ${rule} for this table`;
  } else {
    const line = diagnostic.range.start.line;
    const indent = /^\s*/.exec(model.lines.lineText(line))![0];
    edits.push({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}<!-- runbook-disable-next-line ${rule} -->${eol}` });
    title = `Disable ${rule} for this line`;
  }
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [model.uri]: edits } } };
}

/** Passes of fix-all: each closes one unclosed block or applies every other safe fix, then the text is analysed again. */
const FIX_ALL_PASSES = 30;

/**
 * Every safe fix, applied until none is left (a fix may reveal another, such as a date placeholder in
 * an inserted section), returned as minimal edits of the original text. Safe fixes only insert text or
 * replace placeholders, so running it twice changes nothing the second time. An unclosed block is
 * closed first, alone, and the text read again: what it held may be sections, and what is inserted
 * must not land inside it. Undefined when `isCancelled` answers true (asked between rules).
 */
export async function fixAllEdits(model: DocumentModel, schema: TemplateSchema, settings: RunbookSettings, today: string, isCancelled: IsCancelled = () => false): Promise<OffsetEdit[] | undefined> {
  let text = model.text;
  let current = model;
  const parser = new ChunkParser();
  for (let pass = 0; pass < FIX_ALL_PASSES; pass++) {
    const findings = await findingsOf(current, schema, settings, today, isCancelled);
    if (!findings) return undefined;
    const safe = findings.map(({ finding }) => ({ finding, fix: (finding.fixes ?? []).find((f) => f.safe) })).filter((f) => f.fix);
    // Blocks close in document order, one a pass: closing one may pair the fences after it differently.
    const closing = safe.find((f) => f.finding.rule === 'unclosed-block');
    const edits = closing ? closing.fix!.edits : uniqueEdits(safe.flatMap((f) => f.fix!.edits));
    if (!edits.length) break;
    const next = applyEdits(text, edits);
    if (next === text) break;
    text = next;
    current = buildModel(model.uri, model.version, text, parser);
  }
  return diffEdits(model.text, text);
}

/** The fix-all code action; null when there is nothing to fix, undefined when cancelled. */
export async function fixAllAction(model: DocumentModel, schema: TemplateSchema, settings: RunbookSettings, today: string, isCancelled?: IsCancelled): Promise<CodeAction | null | undefined> {
  const edits = await fixAllEdits(model, schema, settings, today, isCancelled);
  if (!edits) return undefined;
  if (!edits.length) return null;
  return {
    title: 'Fix all auto-fixable runbook problems',
    kind: FIX_ALL_KIND,
    edit: { changes: { [model.uri]: edits.map((e) => ({ range: model.lines.range(e.start, e.end), newText: e.newText })) } },
  };
}
