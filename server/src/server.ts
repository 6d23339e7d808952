import {
  CodeActionKind,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeResult,
  type Position,
  type Range,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createRunbookService, type Analyser, type CommandEdits, type RunbookService } from './service/runbookService';
import type { RunbookConfig } from './service/workspace/config';
import type { Clock, FileSystem } from './service/host';
import { FIX_ALL_KIND } from './service/features/codeActions';
import { defaultSettings, normalizeSettings, type RunbookSettings } from './service/settings';
import { ChangeBatcher, Scheduler } from './scheduler';
import {
  DOCUMENT_STATUS_NOTIFICATION,
  SERVER_COMMANDS,
  WORKSPACE_CHANGED_NOTIFICATION,
  WORKSPACE_REPORT_REQUEST,
  WORKSPACE_SUMMARY_REQUEST,
  type CommandResult,
  type DocumentStatusParams,
  type ServerCommand,
  type ServerCommands,
  type WorkspaceChangedParams,
  type WorkspaceReport,
  type WorkspaceSummary,
  type WorkspaceSummaryParams,
} from './protocol';

/** What the main thread hears from analysers in other threads. */
export interface AnalyserEvents {
  problem(message: string): void;
  config(config: RunbookConfig): void;
}

/** What the platform gives the server: a file system (Node's, or the client's in a browser) and its ways to wait. */
export interface ServerHost {
  /** The file system, given the connection (a browser host reads files through the client). */
  fs(connection: Connection): FileSystem;
  clock?: Clock;
  /** Lets the event loop run: setImmediate on Node, a message round trip in a worker. */
  yieldNow(): Promise<void>;
  /** Most Markdown files the workspace index reads. */
  indexLimit?: number;
  /** Who analyses closed files (worker threads on Node); the service itself when absent. */
  analyser?(events: AnalyserEvents, fs: FileSystem): Analyser;
}

/** Editor settings per scope, pulled from the client once and kept until they change; problems are logged once. */
class EditorSettings {
  private cache = new Map<string, Promise<RunbookSettings>>();
  private reported = new Set<string>();
  enabled = false;

  constructor(private readonly connection: Connection) {}

  get(scope: string): Promise<RunbookSettings> {
    if (!this.enabled) return Promise.resolve(defaultSettings);
    let pending = this.cache.get(scope);
    if (!pending) {
      pending = this.connection.workspace.getConfiguration({ scopeUri: scope, section: 'runbook' }).then(
        (raw) => {
          const problems: string[] = [];
          const settings = normalizeSettings(raw, problems);
          for (const p of problems) {
            if (this.reported.has(p)) continue;
            this.reported.add(p);
            this.connection.console.warn(`Settings: ${p}`);
          }
          return settings;
        },
        () => defaultSettings,
      );
      this.cache.set(scope, pending);
    }
    return pending;
  }

  forget(scope: string): void {
    this.cache.delete(scope);
  }

  clear(): void {
    this.cache.clear();
    this.reported.clear();
  }
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

const isPosition = (p: unknown): p is Position => !!p && typeof p === 'object' && Number.isInteger((p as Position).line) && Number.isInteger((p as Position).character);
const isRange = (r: unknown): r is Range => !!r && typeof r === 'object' && isPosition((r as Range).start) && isPosition((r as Range).end);

/**
 * Wires the runbook service to a connection: a flat list of handlers that look up the document and
 * ask the service, and a scheduler for checks. It reads no files and decides no policy.
 */
export function startServer(connection: Connection, host: ServerHost): void {
  const documents = new TextDocuments(TextDocument);
  const settings = new EditorSettings(connection);
  const log = (message: string) => connection.console.log(message);
  const scheduler = new Scheduler(validate, host.yieldNow, (uri, error) => connection.console.error(`Checking ${uri} failed: ${error.stack ?? error.message}`));
  // What analysers in other threads find about templates and configurations reaches the person as if found here.
  let relay: RunbookService | undefined;
  const events: AnalyserEvents = { problem: (m) => relay?.relayProblem(m), config: (c) => relay?.reportConfig(c) };
  const fs = host.fs(connection);
  const service = createRunbookService({
    fs,
    analyser: host.analyser?.(events, fs),
    clock: host.clock,
    logger: { info: log, warn: (m) => connection.console.warn(m), error: (m) => connection.console.error(m) },
    settings: (scope) => settings.get(scope),
    checkpoint: scheduler.checkpoint,
    indexLimit: host.indexLimit,
  });
  relay = service;
  const changes = new ChangeBatcher((uris) => void connection.sendNotification(WORKSPACE_CHANGED_NOTIFICATION, (uris ? { uris } : {}) satisfies WorkspaceChangedParams));
  service.on({
    publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
    workspaceChanged: (uris) => changes.add(uris),
    recheck: (uris) => uris.forEach((uri) => scheduler.recheck(uri)),
    problem: (message) => void connection.window.showWarningMessage(`Runbook Tools: ${message}`),
  });
  let folders: string[] = [];
  let watchFolders = false;
  // The editor can show a document with a selection: the cursor goes where an inserted thing is.
  let showDocument = false;

  async function validate(uri: string, token: CancellationToken): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const { version } = doc;
    const started = Date.now();
    const result = await service.check(doc, token);
    // A newer version arrived meanwhile: its own check will publish.
    if (!result || documents.get(uri)?.version !== version) return;
    void connection.sendNotification(DOCUMENT_STATUS_NOTIFICATION, { uri, isRunbook: result.isRunbook } satisfies DocumentStatusParams);
    await connection.sendDiagnostics({ uri, version, diagnostics: result.diagnostics });
    if (result.summary) log(`Checked ${uri} v${version}: ${result.diagnostics.length} diagnostics in ${Date.now() - started} ms.`);
  }

  const recheckOpen = () => documents.all().forEach((d) => scheduler.recheck(d.uri));
  const reportIndexError = (error: Error) => connection.console.error(`Workspace index failed: ${error.stack ?? error.message}`);

  connection.onInitialize((params): InitializeResult => {
    settings.enabled = !!params.capabilities.workspace?.configuration;
    watchFolders = !!params.capabilities.workspace?.workspaceFolders;
    showDocument = !!params.capabilities.window?.showDocument?.support;
    folders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!folders.length && params.rootUri) folders = [params.rootUri];
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
        workspace: watchFolders ? { workspaceFolders: { supported: true, changeNotifications: true } } : undefined,
      },
      serverInfo: { name: 'runbook-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    log(`Runbook language server started (configuration ${settings.enabled ? 'pulled from the client' : 'defaults'}).`);
    if (watchFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
        const gone = new Set(removed.map((f) => f.uri));
        folders = [...folders.filter((f) => !gone.has(f)), ...added.map((f) => f.uri)];
        void service.setWorkspaceFolders(folders).catch(reportIndexError);
      });
    }
    void service.setWorkspaceFolders(folders).catch(reportIndexError);
  });

  documents.onDidOpen((e) => scheduler.schedule(e.document.uri));
  documents.onDidChangeContent((e) => scheduler.schedule(e.document.uri));
  documents.onDidClose((e) => {
    scheduler.cancel(e.document.uri);
    settings.forget(e.document.uri);
    service.close(e.document.uri);
  });

  connection.onDidChangeConfiguration(() => {
    settings.clear();
    service.settingsChanged();
    recheckOpen();
  });

  // Markdown files keep the index current; a configuration or template file changed checks everything.
  connection.onDidChangeWatchedFiles(({ changes: events }) => {
    service.filesChanged(events.map((c) => ({ uri: c.uri, type: c.type as 1 | 2 | 3 })));
    recheckOpen();
  });

  /** Runs a service request for an open document; null for documents the server never saw. */
  const withDoc =
    <P extends { textDocument: { uri: string } }, R>(handler: (doc: TextDocument, params: P, token: CancellationToken) => Promise<R | null>) =>
    (params: P, token: CancellationToken) => {
      const doc = documents.get(params.textDocument.uri);
      return doc ? handler(doc, params, token) : null;
    };

  connection.onRequest(WORKSPACE_SUMMARY_REQUEST, (params?: WorkspaceSummaryParams): WorkspaceSummary => service.workspaceSummary(Array.isArray(params?.uris) ? params.uris : undefined));
  connection.onRequest(WORKSPACE_REPORT_REQUEST, (): WorkspaceReport => service.workspaceReport());
  connection.onWorkspaceSymbol(({ query }) => service.workspaceSymbols(query));
  connection.onCodeLens(withDoc((doc, _p, token) => service.codeLenses(doc, SERVER_COMMANDS, token)));
  connection.onDocumentSymbol(withDoc((doc, _p, token) => service.documentSymbols(doc, token)));
  connection.onFoldingRanges(withDoc((doc, _p, token) => service.foldingRanges(doc, token)));
  connection.onDefinition(withDoc((doc, p, token) => service.definition(doc, p.position, token)));
  connection.onHover(withDoc((doc, p, token) => service.hover(doc, p.position, token)));
  connection.onCompletion(withDoc((doc, p, token) => service.completions(doc, p.position, token)));
  connection.onCodeAction(
    withDoc(async (doc, p, token) => {
      // Fix-all re-analyses the document several times; it stops when the client cancels (typing on).
      const actions = await service.codeActions(doc, p.context, token, showDocument ? { select: SERVER_COMMANDS.select } : {});
      if (actions === undefined) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The code action request was cancelled.');
      return actions;
    }),
  );

  /** Asks the editor to show the document with the range selected; false where it cannot. */
  async function select(uri: string, range: Range): Promise<boolean> {
    if (!showDocument) return false;
    const { success } = await connection.window.showDocument({ uri, selection: range, takeFocus: true });
    return success;
  }

  async function apply(result: CommandEdits): Promise<CommandResult> {
    if ('reason' in result) return { applied: false, reason: result.reason };
    let applied = true;
    if (result.edits.length) {
      ({ applied } = await connection.workspace.applyEdit({ label: result.label, edit: { documentChanges: [{ textDocument: { uri: result.uri, version: result.version }, edits: result.edits }] } }));
    }
    const answer: CommandResult = { applied, edits: result.edits.length };
    if (!applied) return answer;
    if (result.message) {
      answer.message = result.message;
      void connection.window.showInformationMessage(`Runbook Tools: ${result.message}`);
    }
    if (result.selection && (await select(result.uri, result.selection))) answer.selection = result.selection;
    return answer;
  }

  const notARunbook: CommandResult = { applied: false, reason: 'Not a runbook document.' };
  /** A command on a runbook (its URI first): the open document, else the file. */
  const onRunbook = (run: (uri: string, doc: TextDocument | undefined, args: unknown[]) => Promise<CommandEdits>) => async (args: unknown[]) => {
    const uri = str(args[0]);
    return uri ? apply(await run(uri, documents.get(uri), args)) : notARunbook;
  };

  /** The server's commands: each checks its arguments and asks the service. */
  const commands: { [K in ServerCommand]: (args: unknown[]) => Promise<ServerCommands[K]['result']> } = {
    'runbook.server.insertMissingSections': onRunbook((uri, doc) => service.insertMissingSections(uri, doc)),
    'runbook.server.insertSection': onRunbook((uri, doc, [, title]) => service.insertSection(uri, str(title) ?? '', doc)),
    'runbook.server.updateToc': onRunbook((uri, doc) => service.updateToc(uri, doc)),
    'runbook.server.markReviewed': onRunbook((uri, doc) => service.markReviewed(uri, doc)),
    'runbook.server.select': async ([uri, range]) => (typeof uri === 'string' && isRange(range) ? select(uri, range) : false),
    'runbook.server.newRunbookText': ([name, folder]) => service.newRunbookText(str(name) ?? '', str(folder) || undefined),
  };

  connection.onExecuteCommand(({ command, arguments: args = [] }) => {
    const run = Object.hasOwn(commands, command) ? commands[command as ServerCommand] : undefined;
    return run ? run(args) : { applied: false, reason: `Unknown command ${command}.` };
  });

  documents.listen(connection);
  connection.listen();
}
