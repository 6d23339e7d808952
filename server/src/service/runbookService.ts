import { URI } from 'vscode-uri';
import type {
  CodeAction,
  CodeActionContext,
  CodeLens,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Position,
  Range,
  SymbolInformation,
  TextEdit,
} from 'vscode-languageserver-types';
import { NEVER_CANCELLED, readText, silentLogger, systemClock, type CancellationToken, type Checkpoint, type Clock, type FileSystem, type Logger } from './host';
import { RunbookLanguageService, type TextDocumentLike } from './languageService';
import type { DocumentModel } from './model/document';
import { LineIndex } from './model/text';
import { applyEdits } from './edits';
import { insertedHeadingOffset } from './features/commands';
import { markdownLinkPath } from './rules/broken-link';
import type { LinkResolver, OffsetEdit, RuleSession } from './rules/types';
import { defaultSettings, type RunbookSettings } from './settings';
import type { RunbookSummary, WorkspaceSummary } from './features/summary';
import type { WorkspaceReport } from '../protocol';
import { renderHealthReport, reportProblems } from './features/healthReport';
import type { LensCommands } from './features/codeLens';
import type { ActionCommands } from './features/codeActions';
import { outlineHeadings } from './features/workspaceSymbols';
import type { RunbookConfig } from './workspace/config';
import { documentKey, WorkspaceIndex, type AnalyseOptions, type Analysis, type FileResult, type Outline } from './workspace/index';
import { Policy, type Layers, type Resolution } from './workspace/policy';
import { basenameOf, parseUri, relativePath } from './workspace/paths';

/** What a host gives the service. Only `fs` is required. */
export interface RunbookServiceOptions {
  fs: FileSystem;
  logger?: Logger;
  clock?: Clock;
  /** The editor's `runbook.*` settings at a scope (a document's or a workspace folder's URI), normalised. Defaults when absent. */
  settings?(scope: string): Promise<RunbookSettings> | RunbookSettings;
  /** Layers on top of the configuration files (the CLI's flags). */
  layers?: Layers;
  /** Where long work lets the host's event loop run; the host's scheduler decides how. */
  checkpoint?: Checkpoint;
  /** Most Markdown files the workspace index reads. */
  indexLimit?: number;
  /** Who analyses closed files (worker threads on Node); this service itself when absent. */
  analyser?: Analyser;
}

/**
 * Where the targets of a file's links come from. The file's own outline goes first, so that an
 * analysis of a file linking back can go on while this one waits.
 */
export type LinkSource = (fromUri: string, paths: string[], outline: Outline) => Promise<{ resolver: LinkResolver; targets: Set<string> }>;

/** Analyses closed files, as `RunbookService.analyseFile` does, possibly elsewhere (a worker thread). */
export interface Analyser {
  readonly concurrency: number;
  analyse(uri: string, text: string, editor: RunbookSettings, options: AnalyseOptions, links: LinkSource): Promise<FileResult>;
  /** Configuration or template files may have changed. */
  changed?(): void;
}

/** The result of checking a document. */
export interface CheckResult {
  /** The policy treats the document as a runbook: the client enables its commands. */
  isRunbook: boolean;
  diagnostics: Diagnostic[];
  /** Set when the runbook was checked (not when it is over the size limit). */
  summary?: RunbookSummary;
}

export interface CheckOptions {
  /** Check the document whatever the policy says of it (the CLI's files named on the command line, --all-markdown). */
  asRunbook?: boolean;
}

/**
 * Edits a command computed for a document, or why there are none. `message` tells the person what the
 * command could not do; `selection` is where the cursor belongs once the edits are applied (a range of
 * the edited text).
 */
export type CommandEdits = { uri: string; version: number | null; edits: TextEdit[]; label: string; message?: string; selection?: Range } | { reason: string };

/** What a command computes on a runbook's model: its edits, and what the host passes on with them. */
type ComputedEdits = OffsetEdit[] | { edits: OffsetEdit[]; message?: string; select?: (edited: string) => Range | undefined };

/** Listeners the host registers to hear what the service found without being asked. */
export interface ServiceEvents {
  /** Diagnostics of a closed runbook or of a configuration file (an empty list clears them). */
  publish?(uri: string, diagnostics: Diagnostic[]): void;
  /** Summaries changed: of these documents, or of any when `uris` is undefined. */
  workspaceChanged?(uris?: string[]): void;
  /** Open documents that must be checked again (a file they link to changed). */
  recheck?(uris: string[]): void;
  /** Something the person should hear about (a template that cannot be read). */
  problem?(message: string): void;
  /** A configuration file was read: its problems. */
  config?(config: RunbookConfig): void;
}

interface Context {
  model: DocumentModel;
  resolution: Resolution;
}

/** The diagnostic an over-size runbook gets instead of being checked. */
function tooLargeDiagnostic(maxFileSize: number): Diagnostic {
  const size = (maxFileSize / 1_000_000).toLocaleString('en');
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 3,
    source: 'runbook',
    message: `Not checked: the document is larger than runbook.maxFileSize (${size} MB).`,
  };
}

/** The link paths of a model that point at other Markdown files. */
function linkPaths(model: DocumentModel): string[] {
  const out: string[] = [];
  for (const link of model.links) {
    const path = markdownLinkPath(link);
    if (path !== undefined) out.push(path);
  }
  return out;
}

const outlineOf = (model: DocumentModel): Outline => ({ headings: outlineHeadings(model), anchors: model.anchors });

/**
 * What the index keeps of a file analysed in this thread, as flat copies (as an analyser thread's come):
 * a heading's text or a message is often a slice of the file's text, and would keep all of it alive.
 */
function keepable(result: FileResult): FileResult {
  return { ...result, outline: structuredClone(result.outline), analysis: result.analysis && structuredClone(result.analysis) };
}

/** What the index keeps of a checked runbook. */
function analysisOf(summary: RunbookSummary, sectionDepth: number, diagnostics: Diagnostic[], publish: boolean, template: string, linkTargets: ReadonlySet<string>): Analysis {
  return { title: summary.title, sectionDepth, summary, problems: reportProblems(diagnostics), publish, template, linkTargets };
}

/** A diagnostic without the fixes it carries in `data`. */
function withoutFixes(diagnostic: Diagnostic): Diagnostic {
  const { data: _data, ...rest } = diagnostic;
  return rest;
}

/**
 * The runbook language service with its workspace: the engine (template, model, rules, features)
 * behind a host's file system, logger and clock. It owns the models, the policy (configuration,
 * templates, which files are runbooks), the workspace index and cross-file links. Every method takes
 * the document and the request's parameters and answers an LSP result; the host only transports.
 */
export class RunbookService {
  readonly engine = new RunbookLanguageService();
  readonly policy: Policy;
  readonly index: WorkspaceIndex;
  private readonly fs: FileSystem;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly checkpoint: Checkpoint;
  private readonly events: ServiceEvents = {};
  /** The resolution of each open document's last parsed version. */
  private resolutions = new Map<string, { model: DocumentModel; generation: number; editor: RunbookSettings; resolution: Resolution }>();
  /** What rules keep between checks of an open document (secretlint's results per piece). */
  private ruleState = new Map<string, Map<string, unknown>>();
  private readonly analyser: Analyser;

  constructor(private readonly options: RunbookServiceOptions) {
    this.fs = options.fs;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.checkpoint = options.checkpoint ?? (() => undefined);
    // In this thread the kept parts are copied: their strings would otherwise be slices of the file's text and hold all of it.
    this.analyser = options.analyser ?? { concurrency: 1, analyse: async (uri, text, editor, opts, links) => keepable(await this.analyseFile(uri, text, editor, opts, links)) };
    const analyser = () => this.analyser;
    this.policy = new Policy({
      fs: options.fs,
      layers: options.layers,
      onTemplateProblem: (message) => this.reportTemplateProblem(message),
      onConfig: (config) => this.reportConfig(config),
    });
    this.index = new WorkspaceIndex(
      options.fs,
      this.policy,
      {
        analyse: async (uri, text, options) => {
          const editor = await this.editorSettings(this.scopeOf(uri));
          return this.analyser.analyse(uri, text, editor, options, this.ownLinks);
        },
        get concurrency() {
          return analyser().concurrency;
        },
        outline: (uri, text) => this.outlineClosed(uri, text),
        publish: (uri, diagnostics) => this.events.publish?.(uri, diagnostics),
        changed: (uris) => this.events.workspaceChanged?.(uris),
        recheckOpen: (uris) => this.events.recheck?.(uris),
        pause: async () => {
          await this.checkpoint();
        },
      },
      this.logger,
      options.indexLimit,
    );
  }

  /** Registers the host's listeners (one set; a later call replaces those it names). */
  on(events: ServiceEvents): void {
    Object.assign(this.events, events);
  }

  /** Today's date as the host's clock tells it. */
  today(): string {
    return this.clock.today();
  }

  // --- Workspace -----------------------------------------------------------------------------------

  /**
   * Sets the workspace folders (URIs) and, unless `index` is false (the CLI), indexes those that are
   * new; resolves when their first scan is done.
   */
  async setWorkspaceFolders(folders: readonly string[], index = true): Promise<void> {
    const before = new Set(this.policy.workspaceFolders.map((f) => f.toString()));
    const normalised = folders.map(documentKey);
    this.policy.setWorkspaceFolders(normalised);
    this.resolutions.clear();
    this.index.removeOutside();
    const added = normalised.filter((f) => !before.has(f));
    if (index && added.length) await this.index.addFolders(added);
  }

  /** Editor settings changed: everything is resolved and checked again. */
  settingsChanged(): void {
    this.policy.changed();
    this.analyser.changed?.();
    this.resolutions.clear();
    this.index.reanalyseAll();
  }

  /** Files were created (1), changed (2) or deleted (3); answers whether every open document must be checked again. */
  filesChanged(changes: readonly { uri: string; type: 1 | 2 | 3 }[]): boolean {
    const keys = changes.map((c) => documentKey(c.uri));
    const everything = this.policy.filesChanged(keys);
    changes.forEach((change, i) => {
      if (keys[i].endsWith('/.runbookrc.json')) {
        if (change.type === 3) this.events.publish?.(keys[i], []);
        return;
      }
      this.index.fileChanged(keys[i], change.type);
    });
    if (everything) {
      this.analyser.changed?.();
      this.resolutions.clear();
      this.index.reanalyseAll();
    }
    return everything;
  }

  /** Every runbook of the workspace (or those asked for) with its summary. */
  workspaceSummary(uris?: string[]): WorkspaceSummary {
    return { runbooks: this.index.summaries(uris), markdownFiles: this.index.markdownFiles, indexing: this.index.indexing };
  }

  /**
   * The workspace health report page: every runbook the index holds (open versions first), with the
   * summary and diagnostics of its last check; paths relative to its workspace folder.
   */
  workspaceReport(): WorkspaceReport {
    const several = this.policy.workspaceFolders.length > 1;
    const pathOf = (uri: string) => {
      const parsed = parseUri(uri);
      const folder = parsed && this.policy.folderOf(parsed);
      const rel = folder && relativePath(folder, parsed);
      if (!rel) return parsed?.scheme === 'file' ? parsed.fsPath : uri;
      return several ? `${basenameOf(folder)}/${rel}` : rel;
    };
    const runbooks = this.index
      .runbooks()
      .map((d) => ({ path: pathOf(d.uri), uri: d.uri, summary: d.analysis.summary, problems: d.analysis.problems }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const indexing = this.index.indexing;
    return { html: renderHealthReport({ runbooks, today: this.today(), indexing }), runbooks: runbooks.length, indexing };
  }

  /** Sections, subsections and components of the workspace's runbooks that match the query. */
  workspaceSymbols(query: string): SymbolInformation[] {
    return this.engine.workspaceSymbols(this.index.symbolSources(), query);
  }

  // --- Documents -----------------------------------------------------------------------------------

  private editorSettings(scope: string): Promise<RunbookSettings> {
    return Promise.resolve(this.options.settings?.(scope) ?? defaultSettings);
  }

  /**
   * The editor settings for a text when the service works on it: Runbook Tools is enabled and the text
   * is within `runbook.maxFileSize` (the one place the limit is applied). Undefined otherwise.
   */
  private async admitted(scope: string, text: string): Promise<RunbookSettings | undefined> {
    const editor = await this.editorSettings(scope);
    return editor.enable && !this.policy.tooLarge(text, editor) ? editor : undefined;
  }

  /** Closed files take their editor settings from their workspace folder: one request per folder, not per file. */
  private scopeOf(uri: string): string {
    const parsed = parseUri(uri);
    return (parsed && this.policy.folderOf(parsed)?.toString()) ?? uri;
  }

  /** A cancellation check between rules: the host's checkpoint, then the token. */
  private step(token: CancellationToken): () => Promise<boolean> {
    return async () => {
      await this.checkpoint();
      return token.isCancellationRequested;
    };
  }

  private session(uri: string | undefined): RuleSession {
    let state: Map<string, unknown> | undefined;
    if (uri) {
      state = this.ruleState.get(uri);
      if (!state) this.ruleState.set(uri, (state = new Map()));
    }
    return { state: state ?? new Map(), checkpoint: this.checkpoint };
  }

  private async resolutionOf(uri: string, model: DocumentModel, editor: RunbookSettings): Promise<Resolution> {
    const cached = this.resolutions.get(uri);
    if (cached && cached.model === model && cached.editor === editor && cached.generation === this.policy.generation) return cached.resolution;
    const generation = this.policy.generation;
    const resolution = await this.policy.resolve(uri, model, editor);
    if (generation === this.policy.generation) this.resolutions.set(uri, { model, generation, editor, resolution });
    return resolution;
  }

  /** The model and resolution of an open runbook under the size limit; undefined for anything else. */
  private async context(doc: TextDocumentLike, options: CheckOptions = {}): Promise<Context | undefined> {
    const editor = await this.admitted(doc.uri, doc.getText());
    if (!editor) return undefined;
    const model = this.engine.getModel(doc);
    const resolution = await this.resolutionOf(doc.uri, model, editor);
    return resolution.isRunbook || options.asRunbook ? { model, resolution } : undefined;
  }

  /** An open document's link targets: it does not wait for the index's analysis of one (it is checked again when that ends). */
  private async links(uri: string, model: DocumentModel, wait = false): Promise<{ resolver: LinkResolver; targets: Set<string> }> {
    return this.index.resolveLinks(uri, linkPaths(model), undefined, wait);
  }

  /**
   * Checks an open document: its diagnostics (none for a document that is not a runbook), and what
   * the index keeps of it. Undefined when the token was cancelled meanwhile.
   */
  async check(doc: TextDocumentLike, token: CancellationToken = NEVER_CANCELLED, options: CheckOptions = {}): Promise<CheckResult | undefined> {
    const editor = await this.editorSettings(doc.uri);
    if (token.isCancellationRequested) return undefined;
    if (!editor.enable) return { isRunbook: false, diagnostics: [] };
    const text = doc.getText();
    if (this.policy.tooLarge(text, editor)) {
      // Only a runbook hears that it was not checked; its start tells (path, front matter, first heading).
      const head = this.engine.parseDetached({ uri: doc.uri, version: doc.version, getText: () => text.slice(0, 65536) });
      if (!options.asRunbook && !(await this.policy.resolve(doc.uri, head, editor)).isRunbook) return { isRunbook: false, diagnostics: [] };
      this.logger.info(`Skipped ${doc.uri}: larger than runbook.maxFileSize.`);
      return { isRunbook: true, diagnostics: [tooLargeDiagnostic(editor.maxFileSize)] };
    }
    // A first open, or an edit of much of the text, parses in slices: the host keeps answering meanwhile.
    if (!(await this.engine.prepareModel(doc, this.step(token)))) return undefined;
    const model = this.engine.getModel(doc);
    const resolution = await this.resolutionOf(doc.uri, model, editor);
    if (token.isCancellationRequested) return undefined;
    if (!resolution.isRunbook && !options.asRunbook) {
      this.index.setOpen(doc.uri, { uri: doc.uri, version: doc.version, outline: outlineOf(model) });
      return { isRunbook: false, diagnostics: [] };
    }
    const { resolver, targets } = await this.links(doc.uri, model);
    const { settings, schema } = resolution;
    const diagnostics = await this.engine.diagnostics(model, schema, settings, this.today(), this.step(token), resolver, this.session(doc.uri));
    if (!diagnostics || token.isCancellationRequested) return undefined;
    const summary = this.engine.summary(model, schema, diagnostics, this.today());
    const analysis = analysisOf(summary, schema.sectionDepth, diagnostics, true, resolution.template, targets);
    this.index.setOpen(doc.uri, { uri: doc.uri, version: doc.version, outline: outlineOf(model), analysis });
    return { isRunbook: true, diagnostics, summary };
  }

  /** Forgets a closed document: its model, resolution and rule state; the file's analysis applies again. */
  close(uri: string): void {
    this.engine.close(uri);
    this.resolutions.delete(uri);
    this.ruleState.delete(uri);
    this.index.close(uri);
  }

  /**
   * Analyses a file that is not open, as the workspace index and the CLI do: its outline and, for a
   * runbook (or with `asRunbook`), its diagnostics without their fixes and what the index keeps. With
   * `fix`, every safe fix is applied first and the fixed text analysed. `links` finds the link targets
   * (the index, in this thread or over a worker's connection).
   */
  async analyseFile(uri: string, text: string, editor: RunbookSettings, options: AnalyseOptions = {}, links?: LinkSource): Promise<FileResult> {
    if (!editor.enable || this.policy.tooLarge(text, editor)) return { outline: this.policy.tooLarge(text, editor) ? WorkspaceIndex.emptyOutline : outlineOf(this.detached(uri, text)), isRunbook: false };
    let model = this.detached(uri, text);
    let resolution = await this.policy.resolve(uri, model, editor);
    if (!resolution.isRunbook && !options.asRunbook) return { outline: outlineOf(model), isRunbook: false, template: resolution.template };
    let fixedText: string | undefined;
    if (options.fix) {
      const edits = await this.engine.fixAll(model, resolution.schema, resolution.settings, this.today());
      if (edits.length) {
        fixedText = applyEdits(text, edits);
        model = this.detached(uri, fixedText);
        resolution = await this.policy.resolve(uri, model, editor);
      }
    }
    const outline = outlineOf(model);
    const { resolver, targets } = await (links ?? this.ownLinks)(uri, linkPaths(model), outline);
    const { settings, schema } = resolution;
    const diagnostics = (await this.engine.diagnostics(model, schema, settings, this.today(), this.step(NEVER_CANCELLED), resolver, this.session(undefined))) ?? [];
    const summary = this.engine.summary(model, schema, diagnostics, this.today());
    // A closed file's problems are published without their fixes: fixes are offered on the open document.
    const analysis = analysisOf(summary, schema.sectionDepth, diagnostics, settings.workspaceDiagnostics, resolution.template, targets);
    return { outline, analysis, diagnostics: diagnostics.map(withoutFixes), isRunbook: true, summary, fixedText, template: resolution.template };
  }

  private readonly ownLinks: LinkSource = (fromUri, paths, outline) => this.index.resolveLinks(fromUri, paths, outline);

  private detached(uri: string, text: string): DocumentModel {
    return this.engine.parseDetached({ uri, version: 0, getText: () => text });
  }

  /** Headings and anchors of a file that links point at, whether Runbook Tools checks it or not (within the size limit). */
  private async outlineClosed(uri: string, text: string): Promise<Outline> {
    const editor = await this.editorSettings(this.scopeOf(uri));
    return this.policy.tooLarge(text, editor) ? WorkspaceIndex.emptyOutline : structuredClone(outlineOf(this.engine.parseDetached({ uri, version: 0, getText: () => text })));
  }

  /** A template cannot be read: the host tells the person. */
  private reportTemplateProblem(reason: string): void {
    this.relayProblem(`${reason}; using the built-in System Runbook template.`);
  }

  /** A problem to tell the person, found here or by an analyser in another thread. */
  relayProblem(message: string): void {
    this.logger.warn(message);
    this.events.problem?.(message);
  }

  /** A configuration file was read (here or by an analyser in another thread): its problems, as diagnostics on that file. */
  reportConfig(config: RunbookConfig): void {
    const lines = new LineIndex(config.text);
    for (const p of config.problems) this.logger.warn(`${URI.parse(config.uri).scheme === 'file' ? URI.parse(config.uri).fsPath : config.uri}: ${p.message}`);
    this.events.config?.(config);
    this.events.publish?.(
      config.uri,
      config.problems.map((p) => ({ range: lines.range(p.start, p.end), severity: p.fatal ? 1 : 2, source: 'runbook', code: 'config', message: p.message })),
    );
  }

  // --- Requests ------------------------------------------------------------------------------------

  async hover(doc: TextDocumentLike, position: Position, _token: CancellationToken = NEVER_CANCELLED): Promise<Hover | null> {
    const ctx = await this.context(doc);
    return (ctx && this.engine.hover(ctx.model, ctx.resolution.schema, position)) ?? null;
  }

  async completions(doc: TextDocumentLike, position: Position, _token: CancellationToken = NEVER_CANCELLED): Promise<CompletionList | null> {
    const ctx = await this.context(doc);
    return ctx ? this.engine.completions(ctx.model, ctx.resolution.schema, position, this.today()) : null;
  }

  async documentSymbols(doc: TextDocumentLike, _token: CancellationToken = NEVER_CANCELLED): Promise<DocumentSymbol[] | null> {
    const ctx = await this.context(doc);
    return ctx ? this.engine.documentSymbols(ctx.model, ctx.resolution.schema) : null;
  }

  async foldingRanges(doc: TextDocumentLike, _token: CancellationToken = NEVER_CANCELLED): Promise<FoldingRange[] | null> {
    const ctx = await this.context(doc);
    return ctx ? this.engine.foldingRanges(ctx.model) : null;
  }

  async definition(doc: TextDocumentLike, position: Position, _token: CancellationToken = NEVER_CANCELLED): Promise<Location | null> {
    const ctx = await this.context(doc);
    if (!ctx) return null;
    // Go to Definition is asked for once: it waits for a target the index is still reading.
    const { resolver } = await this.links(doc.uri, ctx.model, true);
    return this.engine.definition(ctx.model, position, resolver) ?? null;
  }

  /** The lenses at the top of a runbook: its summary, then the actions that apply. */
  async codeLenses(doc: TextDocumentLike, commands: LensCommands, _token: CancellationToken = NEVER_CANCELLED): Promise<CodeLens[] | null> {
    const ctx = await this.context(doc);
    return ctx ? this.engine.codeLenses(ctx.model, ctx.resolution.schema, await this.summaryOf(doc.uri, ctx), commands, this.today()) : null;
  }

  /** The summary of an open runbook: from its last check when that was this version, else computed now. */
  private async summaryOf(uri: string, ctx: Context): Promise<RunbookSummary> {
    const checked = this.index.openDocument(uri);
    if (checked?.analysis && checked.version === ctx.model.version) return checked.analysis.summary;
    const { resolver } = await this.links(uri, ctx.model);
    const { settings, schema } = ctx.resolution;
    const diagnostics = (await this.engine.diagnostics(ctx.model, schema, settings, this.today(), undefined, resolver, this.session(uri))) ?? [];
    return this.engine.summary(ctx.model, schema, diagnostics, this.today());
  }

  /** Quick fixes and fix-all; undefined when the token was cancelled while fix-all ran. */
  async codeActions(doc: TextDocumentLike, context: CodeActionContext, token: CancellationToken = NEVER_CANCELLED, commands: ActionCommands = {}): Promise<CodeAction[] | null | undefined> {
    const ctx = await this.context(doc);
    if (!ctx) return null;
    const { settings, schema } = ctx.resolution;
    return this.engine.codeActions(ctx.model, schema, settings, context, this.today(), this.step(token), commands);
  }

  /** Every safe fix of a runbook as offset edits of its text (the CLI's --fix); none for other documents. */
  async fixAll(doc: TextDocumentLike, options: CheckOptions = {}): Promise<OffsetEdit[]> {
    const ctx = await this.context(doc, options);
    return ctx ? this.engine.fixAll(ctx.model, ctx.resolution.schema, ctx.resolution.settings, this.today()) : [];
  }

  // --- Commands ------------------------------------------------------------------------------------

  /** A runbook to run a command on: the open document, else the file (edited without a version). */
  private async commandContext(uri: string, doc: TextDocumentLike | undefined): Promise<(Context & { version: number | null }) | undefined> {
    if (doc) {
      const ctx = await this.context(doc);
      return ctx && { ...ctx, version: doc.version };
    }
    const parsed = parseUri(uri);
    const text = parsed && (await readText(this.fs, parsed));
    if (text === undefined || text === null) return undefined;
    const editor = await this.admitted(this.scopeOf(uri), text);
    if (!editor) return undefined;
    const model = this.engine.parseDetached({ uri, version: 0, getText: () => text });
    const resolution = await this.policy.resolve(uri, model, editor);
    return resolution.isRunbook ? { model, resolution, version: null } : undefined;
  }

  private async commandEdits(uri: string, doc: TextDocumentLike | undefined, label: string, compute: (ctx: Context) => ComputedEdits | Promise<ComputedEdits>): Promise<CommandEdits> {
    const ctx = await this.commandContext(uri, doc);
    if (!ctx) return { reason: 'Not a runbook document.' };
    const computed = await compute(ctx);
    const { edits, message, select } = Array.isArray(computed) ? { edits: computed } : computed;
    const selection = select && edits.length ? select(applyEdits(ctx.model.text, edits)) : undefined;
    return {
      uri,
      version: ctx.version,
      label,
      edits: edits.map((e) => ({ range: ctx.model.lines.range(e.start, e.end), newText: e.newText })),
      ...(message ? { message } : {}),
      ...(selection ? { selection } : {}),
    };
  }

  insertMissingSections(uri: string, doc?: TextDocumentLike): Promise<CommandEdits> {
    return this.commandEdits(uri, doc, 'Insert all missing sections', (c) => this.engine.insertMissingSections(c.model, c.resolution.schema, this.today()));
  }

  /** Inserts one missing section; the selection is the start of its heading, where the cursor goes. */
  async insertSection(uri: string, title: string, doc?: TextDocumentLike): Promise<CommandEdits> {
    const result = await this.commandEdits(uri, doc, `Insert section "${title}"`, async (c) => {
      const edits = await this.engine.insertSection(c.model, c.resolution.schema, title, this.today());
      const at = insertedHeadingOffset(edits);
      return { edits, select: (edited: string) => (at === undefined ? undefined : new LineIndex(edited).range(at, at)) };
    });
    return 'edits' in result && !result.edits.length ? { reason: `"${title}" is not a missing section of this runbook.` } : result;
  }

  updateToc(uri: string, doc?: TextDocumentLike): Promise<CommandEdits> {
    return this.commandEdits(uri, doc, 'Update table of contents', (c) => this.engine.updateToc(c.model, c.resolution.schema));
  }

  markReviewed(uri: string, doc?: TextDocumentLike): Promise<CommandEdits> {
    return this.commandEdits(uri, doc, 'Mark as reviewed', (c) => this.engine.markReviewed(c.model, c.resolution.schema, this.today()));
  }

  /** The text of a new runbook for a system, from the template that applies at the top of the folder. */
  async newRunbookText(systemName: string, folder?: string): Promise<string> {
    const editor = await this.editorSettings(folder ?? '');
    return this.engine.newRunbook(await this.policy.templateForNew(folder, editor), systemName, this.today());
  }
}

/** Creates the runbook service over a host's file system, logger and clock. */
export function createRunbookService(options: RunbookServiceOptions): RunbookService {
  return new RunbookService(options);
}
