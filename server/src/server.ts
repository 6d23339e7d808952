import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RunbookLanguageService } from './service/languageService';
import { defaultSettings, type RunbookSettings } from './service/settings';
import type { DocumentModel } from './service/model/document';
import type { OffsetEdit } from './service/rules/types';
import type { TemplateSchema } from './service/template/schema';
import { FIX_ALL_KIND } from './service/features/codeActions';
import { outlineHeadings } from './service/features/workspaceSymbols';
import type { RunbookSummary, WorkspaceSummary } from './service/features/summary';
import { normalizeSettings } from './settings';
import { TemplateStore } from './templates';
import { today } from './today';
import { CONFIG_NAME, ConfigStore, effectiveSettings, type RunbookConfig } from './config';
import { LineIndex } from './service/model/text';
import { WorkspaceIndex, type Analysis, type Outline } from './workspace';

/** Commands the server runs for the client's palette commands (`runbook.<name>` in the client). */
export const SERVER_COMMANDS = {
  insertMissingSections: 'runbook.server.insertMissingSections',
  insertSection: 'runbook.server.insertSection',
  updateToc: 'runbook.server.updateToc',
  markReviewed: 'runbook.server.markReviewed',
  newRunbookText: 'runbook.server.newRunbookText',
} as const;

const DEBOUNCE_MS = 150;
/** Summaries changed within this window reach the client as one notification. */
const CHANGED_DEBOUNCE_MS = 300;

/** Whether a text is over the size limit, counted in UTF-8 bytes as the setting says. */
function tooLarge(text: string, maxBytes: number): boolean {
  if (text.length * 3 <= maxBytes) return false;
  return text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes;
}

/** Tells the client whether a document is a runbook, so it can enable its commands. */
export const STATUS_NOTIFICATION = 'runbook/documentStatus';

/** Request `{ uris?: string[] }` -> `WorkspaceSummary`: every runbook of the workspace (or those asked for) with its summary. */
export const WORKSPACE_SUMMARY_REQUEST = 'runbook/workspaceSummary';

/** Notification `{ uris?: string[] }`: these runbooks' summaries changed (any of them when `uris` is absent). */
export const WORKSPACE_CHANGED_NOTIFICATION = 'runbook/workspaceChanged';


/** Wires the language service to a connection: one handler per request, no logic of its own. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const service = new RunbookLanguageService();
  const templates = new TemplateStore((problem) => {
    const message = `${problem}; using the built-in System Runbook template.`;
    connection.console.warn(message);
    void connection.window.showWarningMessage(`Runbook Tools: ${message}`);
  });
  const settingsCache = new Map<string, Promise<RunbookSettings>>();
  const configs = new ConfigStore();
  const publishedConfigs = new Map<string, string>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const reportedProblems = new Set<string>();
  const templatesInUse = new Set<string>();
  let canPullConfiguration = false;
  let canWatchFolders = false;
  let workspaceFolders: string[] = [];
  let changedUris: Set<string> | 'all' | undefined;
  let changedTimer: ReturnType<typeof setTimeout> | undefined;

  const log = (message: string) => connection.console.log(message);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    canWatchFolders = !!params.capabilities.workspace?.workspaceFolders;
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!workspaceFolders.length && params.rootUri) workspaceFolders = [params.rootUri];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        documentSymbolProvider: { label: 'Runbook' },
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        definitionProvider: true,
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        completionProvider: { triggerCharacters: ['#', '|', ' '] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
        workspace: canWatchFolders ? { workspaceFolders: { supported: true, changeNotifications: true } } : undefined,
      },
      serverInfo: { name: 'runbook-language-server', version: '0.1.0' },
    };
  });

  const filePaths = (uris: string[]) => uris.filter((u) => u.startsWith('file:')).map((u) => resolve(fileURLToPath(u)));

  connection.onInitialized(() => {
    log(`Runbook language server started (configuration ${canPullConfiguration ? 'pulled from the client' : 'defaults'}).`);
    if (canWatchFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
        const gone = removed.map((f) => f.uri);
        workspaceFolders = [...workspaceFolders.filter((f) => !gone.includes(f)), ...added.map((f) => f.uri)];
        index.removeFolders(filePaths(gone));
        void index.addFolders(filePaths(added.map((f) => f.uri))).catch(reportIndexError);
      });
    }
    void index.addFolders(filePaths(workspaceFolders)).catch(reportIndexError);
  });

  const reportIndexError = (error: Error) => connection.console.error(`Workspace index failed: ${error.stack ?? error.message}`);

  /** Settings of a document, pulled from the client once and kept until they change. */
  function settingsFor(uri: string): Promise<RunbookSettings> {
    if (!canPullConfiguration) return Promise.resolve(defaultSettings);
    let pending = settingsCache.get(uri);
    if (!pending) {
      pending = connection.workspace.getConfiguration({ scopeUri: uri, section: 'runbook' }).then(
        (raw) => {
          const problems: string[] = [];
          const settings = normalizeSettings(raw, problems);
          for (const p of problems) {
            if (reportedProblems.has(p)) continue;
            reportedProblems.add(p);
            connection.console.warn(`Settings: ${p}`);
          }
          return settings;
        },
        () => defaultSettings,
      );
      settingsCache.set(uri, pending);
    }
    return pending;
  }

  function folderUriOf(uri: string): string | undefined {
    return workspaceFolders.filter((f) => uri.startsWith(f.endsWith('/') ? f : f + '/')).sort((a, b) => b.length - a.length)[0];
  }

  function folderOf(uri: string): string | undefined {
    const folder = folderUriOf(uri);
    if (folder) return fileURLToPath(folder);
    return uri.startsWith('file:') ? dirname(fileURLToPath(uri)) : undefined;
  }

  /** Problems of a team's config file, shown on that file (once per content). */
  function publishConfigProblems(config: RunbookConfig): void {
    const key = JSON.stringify(config.problems);
    if (publishedConfigs.get(config.path) === key) return;
    publishedConfigs.set(config.path, key);
    const lines = new LineIndex(config.text);
    for (const p of config.problems) connection.console.warn(`${config.path}: ${p.message}`);
    void connection.sendDiagnostics({
      uri: pathToFileURL(config.path).href,
      diagnostics: config.problems.map((p) => ({
        range: lines.range(p.start, p.end),
        severity: p.fatal ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        source: 'runbook',
        code: 'config',
        message: p.message,
      })),
    });
  }

  /**
   * Settings, template and runbook-ness of one document, open or not: editor settings, then
   * .runbookrc.json and its overrides, then front matter.
   */
  function resolveDocument(uri: string, base: RunbookSettings, model: DocumentModel): { settings: RunbookSettings; schema: TemplateSchema; isRunbook: boolean; template: string } {
    const filePath = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    const configPath = filePath ? configs.find(filePath) : undefined;
    const config = configPath ? configs.load(configPath) : undefined;
    if (config) publishConfigProblems(config);
    const fmTemplate = model.frontMatter?.['runbook-template'];
    const effective = effectiveSettings(base, config, filePath ?? uri, filePath ? fmTemplate : undefined);
    const baseDir = folderOf(uri);
    const schema = templates.get(effective.template, baseDir);
    const template = !effective.template || isAbsolute(effective.template) ? effective.template : resolve(baseDir ?? process.cwd(), effective.template);
    if (template) templatesInUse.add(template);
    const isRunbook = service.isRunbook(model, schema, effective.settings, filePath ? effective.matchPath : undefined);
    return { settings: effective.settings, schema, isRunbook, template };
  }

  /** The open document, its settings, template and model, when it is a runbook. */
  async function context(uri: string) {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const base = await settingsFor(uri);
    if (!base.enable || tooLarge(doc.getText(), base.maxFileSize)) return undefined;
    const model: DocumentModel = service.getModel(doc);
    const { settings, schema, isRunbook } = resolveDocument(uri, base, model);
    return isRunbook ? { doc, settings, schema, model } : undefined;
  }

  const outlineOf = (model: DocumentModel): Outline => ({ headings: outlineHeadings(model), anchors: model.anchors });

  function analysisOf(model: DocumentModel, schema: TemplateSchema, template: string, diagnostics: Diagnostic[], publish: boolean): Omit<Analysis, 'linkTargets'> {
    const summary = service.summary(model, schema, diagnostics, today());
    return { title: summary.title, sectionDepth: schema.sectionDepth, diagnostics, summary, publish, template };
  }

  /** Lets requests in between the rules of a background check; it is never cancelled. */
  const yieldBetweenRules = async () => {
    await new Promise((r) => setImmediate(r));
    return false;
  };

  /** Closed files take their editor settings from their workspace folder: one request per folder, not per file. */
  const scopeOf = (uri: string) => folderUriOf(uri) ?? uri;

  const index: WorkspaceIndex = new WorkspaceIndex(
    {
      async analyse(uri, text, links) {
        const base = await settingsFor(scopeOf(uri));
        if (tooLarge(text, base.maxFileSize)) return { outline: { headings: [], anchors: new Set() } };
        const model = service.parseDetached({ uri, version: 0, getText: () => text });
        const outline = outlineOf(model);
        if (!base.enable) return { outline };
        const { settings, schema, isRunbook, template } = resolveDocument(uri, base, model);
        if (!isRunbook) return { outline };
        const diagnostics = (await service.diagnostics(model, schema, settings, today(), yieldBetweenRules, links)) ?? [];
        return { outline, analysis: analysisOf(model, schema, template, diagnostics, settings.workspaceDiagnostics) };
      },
      outline: (uri, text) => (tooLarge(text, defaultSettings.maxFileSize) ? { headings: [], anchors: new Set() } : outlineOf(service.parseDetached({ uri, version: 0, getText: () => text }))),
      publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
      changed: workspaceChanged,
      recheckOpen: (uris) => uris.forEach(schedule),
      log,
    },
    Number(process.env.RUNBOOK_INDEX_LIMIT) || undefined,
  );

  /** Tells the client which summaries changed, a few at a time. */
  function workspaceChanged(uris?: string[]): void {
    if (!uris || changedUris === 'all') changedUris = 'all';
    else {
      changedUris ??= new Set();
      for (const uri of uris) changedUris.add(uri);
      if (changedUris.size > 100) changedUris = 'all';
    }
    changedTimer ??= setTimeout(() => {
      const uris = changedUris;
      changedUris = changedTimer = undefined;
      void connection.sendNotification(WORKSPACE_CHANGED_NOTIFICATION, uris === 'all' || !uris ? {} : { uris: [...uris] });
    }, CHANGED_DEBOUNCE_MS);
  }

  /** The summary of an open runbook: from its last check when that was this version, else computed now. */
  async function summaryOf(ctx: NonNullable<Awaited<ReturnType<typeof context>>>): Promise<RunbookSummary> {
    const checked = index.openDocument(ctx.doc.uri);
    if (checked?.analysis && checked.version === ctx.model.version) return checked.analysis.summary;
    const diagnostics = (await service.diagnostics(ctx.model, ctx.schema, ctx.settings, today(), undefined, index.resolver(ctx.doc.uri, new Set()))) ?? [];
    return service.summary(ctx.model, ctx.schema, diagnostics, today());
  }

  async function validate(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const settings = await settingsFor(uri);
    if (documents.get(uri)?.version !== version) return;
    if (settings.enable && tooLarge(doc.getText(), settings.maxFileSize)) {
      // Only a runbook hears that it was not checked; its start tells (path, front matter, first heading).
      const head = service.parseDetached({ uri, version, getText: () => doc.getText().slice(0, 65536) });
      if (!resolveDocument(uri, settings, head).isRunbook) {
        await connection.sendDiagnostics({ uri, version, diagnostics: [] });
        return;
      }
      const size = (settings.maxFileSize / 1_000_000).toLocaleString('en');
      log(`Skipped ${uri}: larger than runbook.maxFileSize.`);
      await connection.sendDiagnostics({
        uri,
        version,
        diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, source: 'runbook', message: `Not checked: the document is larger than runbook.maxFileSize (${size} MB).` }],
      });
      return;
    }
    const isCancelled = async () => {
      await new Promise((r) => setImmediate(r));
      return documents.get(uri)?.version !== version;
    };
    // A first open, or an edit of much of the text, parses in slices: the server keeps answering meanwhile.
    if (!(await service.prepareModel(doc, isCancelled))) return;
    const model = service.getModel(doc);
    const resolved = settings.enable ? resolveDocument(uri, settings, model) : undefined;
    void connection.sendNotification(STATUS_NOTIFICATION, { uri, isRunbook: !!resolved?.isRunbook });
    if (!resolved?.isRunbook) {
      index.setOpen(uri, { uri, version, outline: outlineOf(model) });
      await connection.sendDiagnostics({ uri, version, diagnostics: [] });
      return;
    }
    const started = Date.now();
    const linkTargets = new Set<string>();
    const diagnostics = await service.diagnostics(model, resolved.schema, resolved.settings, today(), isCancelled, index.resolver(uri, linkTargets));
    // A newer version arrived meanwhile: its own validation will publish.
    if (!diagnostics || documents.get(uri)?.version !== version) return;
    const analysis = analysisOf(model, resolved.schema, resolved.template, diagnostics, true);
    index.setOpen(uri, { uri, version, outline: outlineOf(model), analysis: { ...analysis, linkTargets } });
    await connection.sendDiagnostics({ uri, version, diagnostics });
    log(`Checked ${uri} v${version}: ${diagnostics.length} diagnostics in ${Date.now() - started} ms.`);
  }

  function schedule(uri: string): void {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        validate(uri).catch((error: Error) => connection.console.error(`Checking ${uri} failed: ${error.stack ?? error.message}`));
      }, DEBOUNCE_MS),
    );
  }

  documents.onDidOpen((e) => schedule(e.document.uri));
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  // The file's analysis takes over from the open version: its diagnostics, or none.
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    service.close(e.document.uri);
    index.close(e.document.uri);
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    reportedProblems.clear();
    templates.clear();
    for (const doc of documents.all()) schedule(doc.uri);
    index.reanalyseAll();
  });

  // Markdown files keep the index current. A config or template file changed: read them again and
  // check every open runbook, and every indexed one too.
  connection.onDidChangeWatchedFiles(({ changes }) => {
    let everything = false;
    for (const change of changes) {
      if (!change.uri.startsWith('file:')) continue;
      const path = fileURLToPath(change.uri);
      if (path.endsWith(CONFIG_NAME)) {
        everything = true;
        if (change.type === 3 && publishedConfigs.delete(path)) void connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
        continue;
      }
      if (templatesInUse.has(path)) everything = true;
      index.fileChanged(path, change.type);
    }
    configs.clear();
    templates.clear();
    for (const doc of documents.all()) schedule(doc.uri);
    if (everything) index.reanalyseAll();
  });

  connection.onRequest(WORKSPACE_SUMMARY_REQUEST, (params?: { uris?: string[] }): WorkspaceSummary => ({
    runbooks: index.summaries(Array.isArray(params?.uris) ? params.uris : undefined),
    markdownFiles: index.markdownFiles,
    indexing: index.indexing,
  }));

  connection.onWorkspaceSymbol(({ query }) => service.workspaceSymbols(index.symbolSources(), query));

  connection.onCodeLens(async ({ textDocument }) => {
    const ctx = await context(textDocument.uri);
    if (!ctx) return null;
    return service.codeLenses(ctx.model, await summaryOf(ctx), SERVER_COMMANDS);
  });

  connection.onDocumentSymbol(async ({ textDocument }) => {
    const ctx = await context(textDocument.uri);
    return ctx ? service.documentSymbols(ctx.model, ctx.schema) : null;
  });

  connection.onFoldingRanges(async ({ textDocument }) => {
    const ctx = await context(textDocument.uri);
    return ctx ? service.foldingRanges(ctx.model) : null;
  });

  connection.onDefinition(async ({ textDocument, position }) => {
    const ctx = await context(textDocument.uri);
    return ctx ? (service.definition(ctx.model, position, index.resolver(textDocument.uri, new Set())) ?? null) : null;
  });

  connection.onHover(async ({ textDocument, position }) => {
    const ctx = await context(textDocument.uri);
    return ctx ? (service.hover(ctx.model, ctx.schema, position) ?? null) : null;
  });

  connection.onCompletion(async ({ textDocument, position }) => {
    const ctx = await context(textDocument.uri);
    return ctx ? service.completions(ctx.model, ctx.schema, position, today()) : null;
  });

  connection.onCodeAction(async ({ textDocument, context: actionContext }, token) => {
    const ctx = await context(textDocument.uri);
    if (!ctx) return null;
    // Fix-all re-analyses the document up to ten times: it reads messages between rules and stops when
    // the client cancels (typing on, or leaving the code action menu).
    const isCancelled = async () => {
      await new Promise((r) => setImmediate(r));
      return token.isCancellationRequested;
    };
    const actions = await service.codeActions(ctx.model, ctx.schema, ctx.settings, actionContext, today(), isCancelled);
    if (!actions) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The code action request was cancelled.');
    return actions;
  });

  /** A runbook to run a command on: the open document, else the file (edited without a version). */
  async function commandContext(uri: string) {
    const ctx = await context(uri);
    if (ctx) return { ...ctx, version: ctx.model.version as number | null };
    if (documents.get(uri) || !uri.startsWith('file:')) return undefined;
    let text: string;
    try {
      text = readFileSync(fileURLToPath(uri), 'utf8');
    } catch {
      return undefined;
    }
    const base = await settingsFor(scopeOf(uri));
    if (!base.enable || tooLarge(text, base.maxFileSize)) return undefined;
    const model = service.parseDetached({ uri, version: 0, getText: () => text });
    const { settings, schema, isRunbook } = resolveDocument(uri, base, model);
    return isRunbook ? { model, settings, schema, version: null } : undefined;
  }

  async function applyEdits(uri: string, label: string, edits: OffsetEdit[], model: DocumentModel, version: number | null): Promise<boolean> {
    if (!edits.length) return true;
    const result = await connection.workspace.applyEdit({
      label,
      edit: { documentChanges: [{ textDocument: { uri, version }, edits: edits.map((e) => ({ range: model.lines.range(e.start, e.end), newText: e.newText })) }] },
    });
    return result.applied;
  }

  connection.onExecuteCommand(async ({ command, arguments: args = [] }) => {
    if (command === SERVER_COMMANDS.newRunbookText) {
      const settings = await settingsFor(typeof args[1] === 'string' ? args[1] : '');
      return service.newRunbook(templates.get(settings.template, folderOf(String(args[1] ?? ''))), String(args[0] ?? ''));
    }
    const uri = typeof args[0] === 'string' ? args[0] : undefined;
    const ctx = uri ? await commandContext(uri) : undefined;
    if (!uri || !ctx) return { applied: false, reason: 'Not a runbook document.' };
    let edits: OffsetEdit[];
    let label: string;
    if (command === SERVER_COMMANDS.insertMissingSections) {
      edits = await service.insertMissingSections(ctx.model, ctx.schema, today());
      label = 'Insert all missing sections';
    } else if (command === SERVER_COMMANDS.insertSection) {
      const title = String(args[1] ?? '');
      edits = await service.insertSection(ctx.model, ctx.schema, title, today());
      if (!edits.length) return { applied: false, reason: `"${title}" is not a missing section of this runbook.` };
      label = `Insert section "${title}"`;
    } else if (command === SERVER_COMMANDS.updateToc) {
      edits = service.updateToc(ctx.model, ctx.schema);
      label = 'Update table of contents';
    } else if (command === SERVER_COMMANDS.markReviewed) {
      edits = service.markReviewed(ctx.model, ctx.schema, today());
      label = 'Mark as reviewed';
    } else {
      return { applied: false, reason: `Unknown command ${command}.` };
    }
    return { applied: await applyEdits(uri, label, edits, ctx.model, ctx.version), edits: edits.length };
  });

  documents.listen(connection);
  connection.listen();
}
