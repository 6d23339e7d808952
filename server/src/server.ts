import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import {
  CodeActionKind,
  DiagnosticSeverity,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RunbookLanguageService } from './service/languageService';
import { defaultSettings, type RunbookSettings } from './service/settings';
import type { DocumentModel } from './service/model/document';
import type { OffsetEdit } from './service/rules/types';
import { FIX_ALL_KIND } from './service/features/codeActions';

/** Commands the server runs for the client's palette commands (`runbook.<name>` in the client). */
export const SERVER_COMMANDS = {
  insertMissingSections: 'runbook.server.insertMissingSections',
  updateToc: 'runbook.server.updateToc',
  markReviewed: 'runbook.server.markReviewed',
  newRunbookText: 'runbook.server.newRunbookText',
} as const;
import { normalizeSettings } from './settings';
import { TemplateStore } from './templates';
import { ConfigStore, effectiveSettings, type RunbookConfig } from './config';
import { LineIndex } from './service/model/text';
import { pathToFileURL } from 'node:url';

const DEBOUNCE_MS = 150;

/** Tells the client whether a document is a runbook, so it can enable its commands. */
export const STATUS_NOTIFICATION = 'runbook/documentStatus';

/** Today's date (YYYY-MM-DD, local time); RUNBOOK_TODAY pins it for tests. */
export function today(): string {
  const pinned = process.env.RUNBOOK_TODAY;
  if (pinned && /^\d{4}-\d{2}-\d{2}$/.test(pinned)) return pinned;
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

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
  let canPullConfiguration = false;
  let workspaceFolders: string[] = [];

  const log = (message: string) => connection.console.log(message);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!workspaceFolders.length && params.rootUri) workspaceFolders = [params.rootUri];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        documentSymbolProvider: { label: 'Runbook' },
        foldingRangeProvider: true,
        definitionProvider: true,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['#', '|', ' '] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
      },
      serverInfo: { name: 'runbook-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    log(`Runbook language server started (configuration ${canPullConfiguration ? 'pulled from the client' : 'defaults'}).`);
  });

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

  function folderOf(uri: string): string | undefined {
    const folder = workspaceFolders.filter((f) => uri.startsWith(f.endsWith('/') ? f : f + '/')).sort((a, b) => b.length - a.length)[0];
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

  /** Settings and template of one document: editor settings, then .runbookrc.json, overrides and front matter. */
  function resolveFor(uri: string, base: RunbookSettings, model: DocumentModel) {
    const filePath = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    const configPath = filePath ? configs.find(filePath) : undefined;
    const config = configPath ? configs.load(configPath) : undefined;
    if (config) publishConfigProblems(config);
    const fmTemplate = model.frontMatter?.['runbook-template'];
    const effective = effectiveSettings(base, config, filePath ?? uri, filePath ? fmTemplate : undefined);
    const schema = templates.get(effective.template, folderOf(uri));
    return { settings: effective.settings, schema, matchPath: filePath ? effective.matchPath : undefined };
  }

  async function context(uri: string) {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const base = await settingsFor(uri);
    if (!base.enable || doc.getText().length > base.maxFileSize) return undefined;
    const model: DocumentModel = service.getModel(doc);
    const { settings, schema, matchPath } = resolveFor(uri, base, model);
    if (!service.isRunbook(model, schema, settings, matchPath)) return undefined;
    return { doc, settings, schema, model };
  }

  async function validate(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const settings = await settingsFor(uri);
    if (documents.get(uri)?.version !== version) return;
    if (settings.enable && doc.getText().length > settings.maxFileSize) {
      const size = (settings.maxFileSize / 1_000_000).toLocaleString('en');
      log(`Skipped ${uri}: larger than runbook.maxFileSize.`);
      await connection.sendDiagnostics({
        uri,
        version,
        diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, source: 'runbook', message: `Not checked: the document is larger than runbook.maxFileSize (${size} MB).` }],
      });
      return;
    }
    const ctx = await context(uri);
    void connection.sendNotification(STATUS_NOTIFICATION, { uri, isRunbook: !!ctx });
    if (!ctx || ctx.doc.version !== version) {
      if (documents.get(uri)?.version === version) await connection.sendDiagnostics({ uri, version, diagnostics: [] });
      return;
    }
    const started = Date.now();
    const diagnostics = await service.diagnostics(ctx.model, ctx.schema, ctx.settings, today(), async () => {
      await new Promise((r) => setImmediate(r));
      return documents.get(uri)?.version !== version;
    });
    // A newer version arrived meanwhile: its own validation will publish.
    if (!diagnostics || documents.get(uri)?.version !== version) return;
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
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    service.close(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    reportedProblems.clear();
    templates.clear();
    for (const doc of documents.all()) schedule(doc.uri);
  });

  // A config or template file changed on disk: read them again and re-check every open runbook.
  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) {
      if (change.type !== 3 || !change.uri.endsWith('.runbookrc.json') || !change.uri.startsWith('file:')) continue;
      const path = fileURLToPath(change.uri);
      if (publishedConfigs.delete(path)) void connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
    }
    configs.clear();
    templates.clear();
    for (const doc of documents.all()) schedule(doc.uri);
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
    return ctx ? (service.definition(ctx.model, position) ?? null) : null;
  });

  connection.onHover(async ({ textDocument, position }) => {
    const ctx = await context(textDocument.uri);
    return ctx ? (service.hover(ctx.model, ctx.schema, position) ?? null) : null;
  });

  connection.onCompletion(async ({ textDocument, position }) => {
    const ctx = await context(textDocument.uri);
    return ctx ? service.completions(ctx.model, ctx.schema, position, today()) : null;
  });

  connection.onCodeAction(async ({ textDocument, context: actionContext }) => {
    const ctx = await context(textDocument.uri);
    return ctx ? service.codeActions(ctx.model, ctx.schema, ctx.settings, actionContext, today()) : null;
  });

  async function applyEdits(uri: string, label: string, edits: OffsetEdit[], model: DocumentModel): Promise<boolean> {
    if (!edits.length) return true;
    const result = await connection.workspace.applyEdit({
      label,
      edit: { documentChanges: [{ textDocument: { uri, version: model.version }, edits: edits.map((e) => ({ range: model.lines.range(e.start, e.end), newText: e.newText })) }] },
    });
    return result.applied;
  }

  connection.onExecuteCommand(async ({ command, arguments: args = [] }) => {
    if (command === SERVER_COMMANDS.newRunbookText) {
      const settings = await settingsFor(typeof args[1] === 'string' ? args[1] : '');
      return service.newRunbook(templates.get(settings.template, folderOf(String(args[1] ?? ''))), String(args[0] ?? ''));
    }
    const uri = typeof args[0] === 'string' ? args[0] : undefined;
    const ctx = uri ? await context(uri) : undefined;
    if (!uri || !ctx) return { applied: false, reason: 'Not a runbook document.' };
    let edits: OffsetEdit[];
    let label: string;
    if (command === SERVER_COMMANDS.insertMissingSections) {
      edits = await service.insertMissingSections(ctx.model, ctx.schema, today());
      label = 'Insert all missing sections';
    } else if (command === SERVER_COMMANDS.updateToc) {
      edits = service.updateToc(ctx.model, ctx.schema);
      label = 'Update table of contents';
    } else if (command === SERVER_COMMANDS.markReviewed) {
      edits = service.markReviewed(ctx.model, ctx.schema, today());
      label = 'Mark as reviewed';
    } else {
      return { applied: false, reason: `Unknown command ${command}.` };
    }
    return { applied: await applyEdits(uri, label, edits, ctx.model), edits: edits.length };
  });

  documents.listen(connection);
  connection.listen();
}
