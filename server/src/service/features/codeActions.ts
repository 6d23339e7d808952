import { CodeActionKind, type CodeAction, type Diagnostic, type Position, type Range, type TextEdit } from 'vscode-languageserver-types';
import { buildModel, type DocumentModel } from '../model/document';
import { ChunkParser } from '../model/parse';
import { applyEdits, diffEdits, uniqueEdits } from '../edits';
import type { OffsetEdit } from '../rules/types';
import type { RunbookSettings } from '../settings';
import type { TemplateSchema } from '../template/schema';
import { INSERTIONS, closeOpenBlocks, findingsOf, type DiagnosticData, type IsCancelled } from './diagnostics';
import { insertedHeadingOffset } from './commands';
import { LineIndex } from '../model/text';

/** The code action kind of "fix all runbook problems", runnable on save (`editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.runbook`;

/** A diagnostic of this service, with the data its fixes travel in when it has any. */
function isRunbookDiagnostic(diagnostic: Diagnostic): diagnostic is Diagnostic & { code: string } {
  return diagnostic.source === 'runbook' && typeof diagnostic.code === 'string';
}

function dataOf(diagnostic: Diagnostic): DiagnosticData | undefined {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  return data && typeof data.version === 'number' && Array.isArray(data.fixes) ? (data as DiagnosticData) : undefined;
}

/**
 * True when some runbook diagnostic of the request was computed for another version than the model's
 * (the person typed on before asking), or came back without its data: then `quickFixes` needs the
 * current version's diagnostics to offer fixes that still apply.
 */
export function needsCurrentDiagnostics(model: DocumentModel, diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => isRunbookDiagnostic(d) && dataOf(d)?.version !== model.version);
}

/** Commands the host can attach to quick fixes, by id; each is left out when absent. */
export interface ActionCommands {
  /** Takes `[uri, range]` and selects the range in the editor (the server's `window/showDocument`). */
  select?: string;
}

/** Unescaped `|` of a table row line. */
function pipesOf(line: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|') out.push(i);
  }
  return out;
}

/**
 * Where the cursor belongs after a fix that inserts one table row (such as a missing field's row): in
 * its value cell, the second, with the cell's text selected so that typing replaces the template's
 * example. A range of the text after the edit; undefined for any other fix.
 */
export function rowCursor(edits: readonly TextEdit[]): Range | undefined {
  if (edits.length !== 1 || !isEmpty(edits[0].range)) return undefined;
  const { range, newText } = edits[0];
  const lines = newText.split(/\r\n|\n|\r/);
  const rows = lines.flatMap((text, index) => (/^\s*\|.*\|\s*$/.test(text) ? [index] : []));
  if (rows.length !== 1 || lines.some((text, index) => index !== rows[0] && text.trim() !== '')) return undefined;
  const index = rows[0];
  const text = lines[index];
  const pipes = pipesOf(text);
  if (pipes.length < 3) return undefined;
  const cell = text.slice(pipes[1] + 1, pipes[2]);
  const lead = cell.length - cell.trimStart().length;
  const content = cell.trim();
  // An empty cell: the cursor after its first space, where a person would type.
  const from = pipes[1] + 1 + (content ? lead : Math.min(1, cell.length));
  const to = content ? from + content.length : from;
  const line = range.start.line + index;
  const base = index === 0 ? range.start.character : 0;
  return { start: { line, character: base + from }, end: { line, character: base + to } };
}

/** Where the first heading that the edits insert starts in the edited text; undefined when they insert none. */
export function headingCursor(model: DocumentModel, edits: readonly TextEdit[]): Range | undefined {
  if (!edits.some((e) => /^ {0,3}#{1,6}[ \t]/m.test(e.newText))) return undefined;
  const offsets = edits.map((e) => ({ start: model.lines.offsetAt(e.range.start), end: model.lines.offsetAt(e.range.end), newText: e.newText }));
  const at = insertedHeadingOffset(offsets);
  if (at === undefined) return undefined;
  const edited = new LineIndex(applyEdits(model.text, offsets));
  return edited.range(at, at);
}

/**
 * Quick fixes of the runbook diagnostics in the request, plus "disable this rule here". A diagnostic of
 * an older version is matched to the current version's diagnostic of the same problem (see
 * `matchCurrent`), whose fixes and place are offered; one that matches none offers nothing, since its
 * problem is gone or has changed and the editor is about to receive the new diagnostics. With a
 * `select` command, a fix that adds a table row puts the cursor into the row's value cell after its edit,
 * and one that inserts a section or subsection on the start of its heading.
 */
export function quickFixes(model: DocumentModel, diagnostics: Diagnostic[], current: readonly Diagnostic[] = [], commands: ActionCommands = {}): CodeAction[] {
  const actions: CodeAction[] = [];
  const disabled = new Set<string>();
  const matched = matchCurrent(model, diagnostics.filter(isRunbookDiagnostic), current);
  for (const diagnostic of diagnostics) {
    if (!isRunbookDiagnostic(diagnostic)) continue;
    const data = dataOf(diagnostic);
    const now = data?.version === model.version ? diagnostic : matched.get(diagnostic);
    if (!now) continue;
    const fixes = dataOf(now)?.fixes ?? [];
    fixes.forEach((fix, i) => {
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: i === 0 && fixes.length === 1,
        edit: { changes: { [model.uri]: fix.edits } },
      };
      const cell = commands.select ? rowCursor(fix.edits) : undefined;
      // A section goes after the one whose heading holds the problem, often below the screen: the cursor goes to it.
      const heading = commands.select && !cell ? headingCursor(model, fix.edits) : undefined;
      // The editor applies the edit first, then runs the command.
      if (cell) action.command = { title: 'Go to the new cell', command: commands.select!, arguments: [model.uri, cell] };
      else if (heading) action.command = { title: 'Go to the inserted heading', command: commands.select!, arguments: [model.uri, heading] };
      actions.push(action);
    });
    const rule = diagnostic.code;
    const key = `${rule}:${now.range.start.line}`;
    if (rule === 'suppression' || disabled.has(key)) continue;
    disabled.add(key);
    actions.push(disableAction(model, now, rule, diagnostic));
  }
  return actions;
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
const isEmpty = (r: Range) => r.start.line === r.end.line && r.start.character === r.end.character;
const shifted = (r: Range, lines: number): Range => ({ start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } });
const overlaps = (a: Range, b: Range) => before(a.start, b.end) && before(b.start, a.end);

/**
 * The current diagnostic of the same problem for each diagnostic of an older version. The edits between
 * the versions are unknown, but not the change in line count: a place above them kept its line, a place
 * below moved by that many lines, so the current place is on a line between the two. There the same
 * problem is, in this order:
 * - the same rule with the same message (a message names its section, field or value), on a line whose
 *   text and the text above are unchanged first, then the nearest;
 * - for something missing, the one current diagnostic of the rule whose fix inserts the same thing,
 *   wherever it is now (it sits on a neighbour's heading, and its message names that neighbour, which
 *   the edit may have changed);
 * - for a problem at a piece of text, the same rule over that text, which the person may be typing in.
 * Each current diagnostic answers one old one, so a fix never goes to another problem.
 */
function matchCurrent(model: DocumentModel, diagnostics: (Diagnostic & { code: string })[], current: readonly Diagnostic[]): Map<Diagnostic, Diagnostic> {
  const matched = new Map<Diagnostic, Diagnostic>();
  const taken = new Set<Diagnostic>();
  const stale = diagnostics.filter((d) => dataOf(d)?.version !== model.version);
  const shiftOf = (d: Diagnostic) => {
    const data = dataOf(d);
    return data && typeof data.lineCount === 'number' ? model.lines.lineCount - data.lineCount : 0;
  };
  const window = (d: Diagnostic) => {
    const line = d.range.start.line;
    const shift = shiftOf(d);
    return { low: Math.min(line, line + shift), high: Math.max(line, line + shift), shift };
  };
  const candidates = (d: Diagnostic & { code: string }) => {
    const { low, high } = window(d);
    return current.filter((c) => !taken.has(c) && c.code === d.code && c.range.start.line >= low && c.range.start.line <= high);
  };
  const take = (d: Diagnostic, c: Diagnostic | undefined) => {
    if (!c) return;
    matched.set(d, c);
    taken.add(c);
  };
  for (const d of stale) {
    const { shift } = window(d);
    const target = d.range.start.line + shift;
    const context = dataOf(d)?.context;
    const moved = (c: Diagnostic) => (dataOf(c)?.context === context ? 0 : 1);
    const distance = (c: Diagnostic) => Math.abs(c.range.start.line - target);
    const same = candidates(d).filter((c) => c.message === d.message);
    take(d, same.sort((a, b) => moved(a) - moved(b) || distance(a) - distance(b))[0]);
  }
  const titles = (d: Diagnostic) => (dataOf(d)?.fixes ?? []).map((f) => f.title).join('\n');
  for (const d of stale) {
    const wanted = titles(d);
    if (matched.has(d) || !INSERTIONS.has(d.code) || wanted === '') continue;
    const same = current.filter((c) => c.code === d.code && titles(c) === wanted);
    if (same.length === 1 && !taken.has(same[0])) take(d, same[0]);
  }
  for (const d of stale) {
    // Something missing is the same problem only by what its fix inserts (above): another missing part on the same heading is not.
    if (matched.has(d) || isEmpty(d.range) || INSERTIONS.has(d.code)) continue;
    const { shift } = window(d);
    take(d, candidates(d).find((c) => !isEmpty(c.range) && (overlaps(c.range, d.range) || overlaps(c.range, shifted(d.range, shift)))));
  }
  return matched;
}

/**
 * "Disable <rule> for this line" inserts a comment on the line above. A comment line inside a table
 * would split the table, so there the rule is disabled around the whole table instead.
 */
function disableAction(model: DocumentModel, diagnostic: Diagnostic, rule: string, asked: Diagnostic = diagnostic): CodeAction {
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
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [asked], edit: { changes: { [model.uri]: edits } } };
}

/** Passes of fix-all after the closing of open blocks: each applies every safe fix, then the text is analysed again. */
const FIX_ALL_PASSES = 30;

/**
 * Every safe fix, applied until none is left (a fix may reveal another, such as a date placeholder in
 * an inserted section), returned as minimal edits of the original text. Safe fixes only insert text or
 * replace placeholders, so running it twice changes nothing the second time. Blocks that run to the end
 * of the document are closed first, one at a time, and the text read again (`closeOpenBlocks`): what
 * they held may be sections, and what is inserted must not land inside them; the diagnostics report what
 * such a block hides from the same closed text. Undefined when `isCancelled` answers true (asked between rules).
 */
export async function fixAllEdits(model: DocumentModel, schema: TemplateSchema, settings: RunbookSettings, today: string, isCancelled: IsCancelled = () => false): Promise<OffsetEdit[] | undefined> {
  const parser = new ChunkParser();
  const closed = await closeOpenBlocks(model, schema, settings, today, isCancelled, parser);
  if (!closed) return undefined;
  let current = closed.model;
  let text = current.text;
  for (let pass = 0; pass < FIX_ALL_PASSES; pass++) {
    const findings = await findingsOf(current, schema, settings, today, isCancelled);
    if (!findings) return undefined;
    const safe = findings.map(({ finding }) => ({ finding, fix: (finding.fixes ?? []).find((f) => f.safe) })).filter((f) => f.fix);
    // A block left open (by an insertion) closes alone too: closing one may pair the fences after it differently.
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
