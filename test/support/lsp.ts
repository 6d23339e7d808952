import { spawn, type ChildProcess } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, Range, WorkspaceEdit } from 'vscode-languageserver-types';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_STATUS_NOTIFICATION } from '../../server/src/protocol';

interface PublishDiagnosticsParams {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export const SERVER = fileURLToPath(new URL('../../server/out/server.js', import.meta.url));

/** The real server started over stdio, as any editor starts it, with a minimal editor around it. */
export class LspClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  readonly appliedEdits: WorkspaceEdit[] = [];
  /** `window/showDocument` requests, answered with success (only a client that says it supports them gets any). */
  readonly shownDocuments: { uri: string; selection?: Range; takeFocus?: boolean }[] = [];
  readonly logs: string[] = [];
  /** What the server showed the person (`window/showMessage` and `window/showMessageRequest`). */
  readonly messages: string[] = [];
  settings: unknown = {};
  private waiters: (() => void)[] = [];

  constructor(env: Record<string, string> = {}) {
    this.process = spawn(process.execPath, [SERVER, '--stdio'], { env: { ...process.env, RUNBOOK_TODAY: '2026-11-27', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = this.diagnostics.get(p.uri) ?? [];
      list.push(p);
      this.diagnostics.set(p.uri, list);
      this.notify();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.notify();
    });
    this.connection.onNotification('window/showMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.messages.push(p.message);
      this.notify();
    });
    this.connection.onRequest('window/showMessageRequest', (p: { message: string }) => {
      this.messages.push(p.message);
      this.notify();
      return null;
    });
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.connection.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => {
      this.appliedEdits.push(p.edit);
      return { applied: true };
    });
    this.connection.onRequest('window/showDocument', (p: { uri: string; selection?: Range; takeFocus?: boolean }) => {
      this.shownDocuments.push(p);
      return { success: true };
    });
    this.connection.onNotification(DOCUMENT_STATUS_NOTIFICATION, () => undefined);
    this.connection.listen();
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** `window` capabilities: `{ showDocument: { support: true } }` as VS Code's client declares. */
  async initialize(rootUri: string | null = null, window: Record<string, unknown> = {}): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'root' }] : null,
      capabilities: { workspace: { configuration: true, applyEdit: true }, textDocument: { publishDiagnostics: { versionSupport: true } }, window },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
  }

  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Waits until a condition on what the server sent holds (never a fixed sleep), up to a timeout. */
  async until<T>(check: () => T | undefined, what: string, timeoutMs = 15000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The diagnostics published for a version of a document. */
  /**
   * The first diagnostics published for this version, or with `ready` the first that satisfy it: an open
   * document is checked again when the index learns its link targets, for the same version.
   */
  diagnosticsOf(uri: string, version: number, ready: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    return this.until(() => this.diagnostics.get(uri)?.find((p) => p.version === version && ready(p.diagnostics))?.diagnostics, `diagnostics of ${uri} v${version}`);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.process.kill();
  }
}
