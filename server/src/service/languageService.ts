import type { CodeLens, Diagnostic, DocumentSymbol, FoldingRange, Hover, Location, Position, SymbolInformation } from 'vscode-languageserver-types';
import { buildModel, type DocumentModel } from './model/document';
import { ChunkParser } from './model/parse';
import { matchTemplate, type Match } from './match';
import type { TemplateSchema } from './template/schema';
import type { RunbookSettings } from './settings';
import { computeDiagnostics, type IsCancelled } from './features/diagnostics';
import { documentSymbols } from './features/symbols';
import { foldingRanges } from './features/folding';
import { definition } from './features/definition';
import { hover } from './features/hover';
import { isRunbook } from './features/detect';
import { fixAllAction, fixAllEdits, needsCurrentDiagnostics, quickFixes, FIX_ALL_KIND, type ActionCommands } from './features/codeActions';
import { insertMissingSections, markReviewed, missingParts, newRunbookText, updateToc, type ReviewEdits } from './features/commands';
import type { LinkResolver, OffsetEdit, RuleSession } from './rules/types';
import { missingSection } from './rules/missing-section';
import { summarize, type RunbookSummary } from './features/summary';
import { runbookLenses, type LensCommands } from './features/codeLens';
import { workspaceSymbols, type SymbolSource } from './features/workspaceSymbols';
import { headingKey } from './model/keys';
import type { CodeAction, CodeActionContext, CompletionList } from 'vscode-languageserver-types';
import { completions } from './features/completion';

/** The minimum of a text document the service needs (vscode-languageserver-textdocument's TextDocument fits). */
export interface TextDocumentLike {
  uri: string;
  version: number;
  getText(): string;
}

/**
 * The runbook language service: pure functions of (document, template, settings), no connection
 * and no Node APIs. One model per (uri, version) is shared by every feature.
 */
export class RunbookLanguageService {
  private models = new Map<string, { model: DocumentModel; match?: { schema: TemplateSchema; match: Match } }>();
  private parsers = new Map<string, ChunkParser>();
  /** Matches of models that are not kept (files analysed from disk), dropped with their model. */
  private detachedMatches = new WeakMap<DocumentModel, { schema: TemplateSchema; match: Match }>();

  /** The parsed model of this version of the document (parsed once). */
  getModel(doc: TextDocumentLike): DocumentModel {
    const cached = this.models.get(doc.uri);
    // A client may resend a version number with other text; the text decides.
    if (cached && cached.model.version === doc.version && cached.model.text === doc.getText()) return cached.model;
    const model = buildModel(doc.uri, doc.version, doc.getText(), this.parserOf(doc.uri));
    this.models.set(doc.uri, { model });
    return model;
  }

  /**
   * Parses the chunks of this version that are not parsed yet, a slice at a time, asking `pause`
   * between slices (where a server reads its messages); `getModel` then finds them parsed. Resolves
   * false when `pause` answered that the work is no longer wanted.
   */
  prepareModel(doc: TextDocumentLike, pause: () => boolean | Promise<boolean>): Promise<boolean> {
    const cached = this.models.get(doc.uri);
    if (cached && cached.model.version === doc.version && cached.model.text === doc.getText()) return Promise.resolve(true);
    return this.parserOf(doc.uri).prepare(doc.getText(), pause);
  }

  private parserOf(uri: string): ChunkParser {
    let parser = this.parsers.get(uri);
    if (!parser) {
      parser = new ChunkParser();
      this.parsers.set(uri, parser);
    }
    return parser;
  }

  /** A model of a document that is not open (a file read from disk): parsed whole, not kept by the service. */
  parseDetached(doc: TextDocumentLike): DocumentModel {
    // In chunks, as an open document: micromark's cost grows faster than the text, so a document parsed
    // in pieces cut at its headings costs about half of one whole parse (measured on the bench workspace).
    return buildModel(doc.uri, doc.version, doc.getText(), new ChunkParser());
  }

  /** How the document lines up with the template, computed once per model and template. */
  getMatch(model: DocumentModel, schema: TemplateSchema): Match {
    const entry = this.models.get(model.uri);
    const cached = entry?.model === model ? entry.match : this.detachedMatches.get(model);
    if (cached?.schema === schema) return cached.match;
    const match = matchTemplate(model, schema);
    if (entry?.model === model) entry.match = { schema, match };
    else this.detachedMatches.set(model, { schema, match });
    return match;
  }

  /** Forgets a closed document. */
  close(uri: string): void {
    this.models.delete(uri);
    this.parsers.delete(uri);
  }

  isRunbook(model: DocumentModel, schema: TemplateSchema, settings: RunbookSettings, path?: string): boolean {
    return isRunbook(model, schema, settings.files, path);
  }

  /** Diagnostics of the document; with `links`, links to other Markdown files are checked too. Undefined when cancelled. */
  diagnostics(model: DocumentModel, schema: TemplateSchema, settings: RunbookSettings, today: string, isCancelled?: IsCancelled, links?: LinkResolver, session?: RuleSession): Promise<Diagnostic[] | undefined> {
    return computeDiagnostics(model, schema, settings, today, isCancelled, this.getMatch(model, schema), links, session, this.models.get(model.uri)?.model === model ? this.parsers.get(model.uri) : undefined);
  }

  /** Completeness, placeholders, problems and review status of a runbook, from its diagnostics. */
  summary(model: DocumentModel, schema: TemplateSchema, diagnostics: readonly Diagnostic[], today: string): RunbookSummary {
    return summarize(model, schema, this.getMatch(model, schema), diagnostics, today);
  }

  /** The lenses at the top of a runbook: its summary, then the actions that apply. */
  async codeLenses(model: DocumentModel, schema: TemplateSchema, summary: RunbookSummary, commands: LensCommands, today: string): Promise<CodeLens[]> {
    return runbookLenses(model.uri, summary, await missingParts(model, schema, this.getMatch(model, schema), today), commands);
  }

  /** Sections, subsections and components of the given runbooks that match the query. */
  workspaceSymbols(sources: Iterable<SymbolSource>, query: string): SymbolInformation[] {
    return workspaceSymbols(sources, query);
  }

  documentSymbols(model: DocumentModel, schema: TemplateSchema): DocumentSymbol[] {
    return documentSymbols(model, this.getMatch(model, schema));
  }

  foldingRanges(model: DocumentModel): FoldingRange[] {
    return foldingRanges(model);
  }

  definition(model: DocumentModel, position: Position, links?: LinkResolver): Location | undefined {
    return definition(model, position, links);
  }

  hover(model: DocumentModel, schema: TemplateSchema, position: Position): Hover | undefined {
    return hover(model, schema, this.getMatch(model, schema), position);
  }

  completions(model: DocumentModel, schema: TemplateSchema, position: Position, today: string): CompletionList | null {
    return completions(model, schema, this.getMatch(model, schema), position, today);
  }

  /**
   * Quick fixes for the diagnostics in the request, and fix-all when asked for (or for source actions).
   * Diagnostics of an older version get the fixes of the same problems in this version.
   */
  async codeActions(model: DocumentModel, schema: TemplateSchema, settings: RunbookSettings, context: CodeActionContext, today: string, isCancelled?: IsCancelled, commands: ActionCommands = {}): Promise<CodeAction[] | undefined> {
    const only = context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.') || (o === 'source' && kind.startsWith('source')));
    const actions: CodeAction[] = [];
    if (wants('quickfix')) {
      // Diagnostics of an older version (the person typed on) are matched to the current version's.
      let current: Diagnostic[] | undefined = [];
      if (needsCurrentDiagnostics(model, context.diagnostics)) current = await this.diagnostics(model, schema, settings, today, isCancelled);
      if (current === undefined) return undefined;
      actions.push(...quickFixes(model, context.diagnostics, current, commands));
    }
    if (only && wants(FIX_ALL_KIND)) {
      const fixAll = await fixAllAction(model, schema, settings, today, isCancelled);
      if (fixAll === undefined) return undefined;
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  /** Edits of fix-all, in offsets of the model's text (used by the CLI's --fix). */
  async fixAll(model: DocumentModel, schema: TemplateSchema, settings: RunbookSettings, today: string): Promise<OffsetEdit[]> {
    return (await fixAllEdits(model, schema, settings, today)) ?? [];
  }

  insertMissingSections(model: DocumentModel, schema: TemplateSchema, today: string): Promise<OffsetEdit[]> {
    return insertMissingSections(model, schema, this.getMatch(model, schema), today);
  }

  /** The missing-section fix for one template section (by title or heading); none when it is present. */
  async insertSection(model: DocumentModel, schema: TemplateSchema, title: string, today: string): Promise<OffsetEdit[]> {
    const match = this.getMatch(model, schema);
    const key = headingKey(title);
    // The rule reports the missing required sections in template order, one finding each.
    const missing = schema.sections.filter((s) => !s.optional && !match.sections.has(s) && !match.swallowed.has(s));
    const index = missing.findIndex((s) => s.key === key || headingKey(s.heading) === key);
    if (index < 0) return [];
    const findings = await missingSection.check({ model, schema, match, today });
    return findings.length === missing.length ? (findings[index].fixes?.[0]?.edits ?? []) : [];
  }

  updateToc(model: DocumentModel, schema: TemplateSchema): OffsetEdit[] {
    return updateToc(model, schema, this.getMatch(model, schema));
  }

  markReviewed(model: DocumentModel, schema: TemplateSchema, today: string): ReviewEdits {
    return markReviewed(model, schema, this.getMatch(model, schema), today);
  }

  newRunbook(schema: TemplateSchema, systemName: string, today?: string): string {
    return newRunbookText(schema, systemName, today);
  }
}
