import type { Diagnostic, DocumentSymbol, FoldingRange, Hover, Location, Position } from 'vscode-languageserver-types';
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
import { fixAllAction, fixAllEdits, quickFixes, FIX_ALL_KIND } from './features/codeActions';
import { insertMissingSections, markReviewed, newRunbookText, updateToc } from './features/commands';
import type { OffsetEdit } from './rules/types';
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

  /** The parsed model of this version of the document (parsed once). */
  getModel(doc: TextDocumentLike): DocumentModel {
    const cached = this.models.get(doc.uri);
    if (cached && cached.model.version === doc.version) return cached.model;
    let parser = this.parsers.get(doc.uri);
    if (!parser) {
      parser = new ChunkParser();
      this.parsers.set(doc.uri, parser);
    }
    const model = buildModel(doc.uri, doc.version, doc.getText(), parser);
    this.models.set(doc.uri, { model });
    return model;
  }

  /** How the document lines up with the template, computed once per model and template. */
  getMatch(model: DocumentModel, schema: TemplateSchema): Match {
    const entry = this.models.get(model.uri);
    if (entry?.model === model && entry.match?.schema === schema) return entry.match.match;
    const match = matchTemplate(model, schema);
    if (entry?.model === model) entry.match = { schema, match };
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

  diagnostics(model: DocumentModel, schema: TemplateSchema, settings: RunbookSettings, today: string, isCancelled?: IsCancelled): Promise<Diagnostic[] | undefined> {
    return computeDiagnostics(model, schema, settings, today, isCancelled, this.getMatch(model, schema));
  }

  documentSymbols(model: DocumentModel, schema: TemplateSchema): DocumentSymbol[] {
    return documentSymbols(model, this.getMatch(model, schema));
  }

  foldingRanges(model: DocumentModel): FoldingRange[] {
    return foldingRanges(model);
  }

  definition(model: DocumentModel, position: Position): Location | undefined {
    return definition(model, position);
  }

  hover(model: DocumentModel, schema: TemplateSchema, position: Position): Hover | undefined {
    return hover(model, schema, this.getMatch(model, schema), position);
  }

  completions(model: DocumentModel, schema: TemplateSchema, position: Position, today: string): CompletionList | null {
    return completions(model, schema, this.getMatch(model, schema), position, today);
  }

  /** Quick fixes for the diagnostics in the request, and fix-all when asked for (or for source actions). */
  async codeActions(model: DocumentModel, schema: TemplateSchema, settings: RunbookSettings, context: CodeActionContext, today: string): Promise<CodeAction[]> {
    const only = context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.') || (o === 'source' && kind.startsWith('source')));
    const actions: CodeAction[] = [];
    if (wants('quickfix')) actions.push(...quickFixes(model, context.diagnostics));
    if (only && wants(FIX_ALL_KIND)) {
      const fixAll = await fixAllAction(model, schema, settings, today);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  /** Edits of fix-all, in offsets of the model's text (used by the CLI's --fix). */
  fixAll(model: DocumentModel, schema: TemplateSchema, settings: RunbookSettings, today: string): Promise<OffsetEdit[]> {
    return fixAllEdits(model, schema, settings, today);
  }

  insertMissingSections(model: DocumentModel, schema: TemplateSchema, today: string): Promise<OffsetEdit[]> {
    return insertMissingSections(model, schema, this.getMatch(model, schema), today);
  }

  updateToc(model: DocumentModel, schema: TemplateSchema): OffsetEdit[] {
    return updateToc(model, schema, this.getMatch(model, schema));
  }

  markReviewed(model: DocumentModel, schema: TemplateSchema, today: string): OffsetEdit[] {
    return markReviewed(model, schema, this.getMatch(model, schema), today);
  }

  newRunbook(schema: TemplateSchema, systemName: string): string {
    return newRunbookText(schema, systemName);
  }
}
