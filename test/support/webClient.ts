// A small editor around the browser language server, over postMessage: JSON-RPC messages as objects, as
// vscode-jsonrpc's BrowserMessageReader/Writer exchange them. It answers the server's requests
// (configuration, edits, `runbook/fs/*` from an in-memory workspace) and keeps what the server sent.
// Browser-safe: the Chromium page runs it against a real Web Worker, the unit test against the bundle in
// a worker-like Node context. It uses nothing of the engine.
import { FS_READ_DIRECTORY_REQUEST, FS_READ_FILE_REQUEST, FS_STAT_REQUEST, encodeBase64, type FsParams } from '../../server/src/protocol';

/** A Worker, a MessagePort, or anything else that posts and receives messages. */
export interface Endpoint {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export interface Published {
  uri: string;
  version?: number;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity?: number; code?: string | number; message: string }[];
}

/** Files of a workspace by URI, read as the VS Code client reads them with `workspace.fs`. */
export class MemoryWorkspace {
  readonly files = new Map<string, Uint8Array>();

  constructor(readonly root: string, files: Record<string, string>) {
    for (const [path, text] of Object.entries(files)) this.files.set(`${root}/${path}`, new TextEncoder().encode(text));
  }

  stat(uri: string): { type: 0 | 1 | 2; mtime: number; size: number } | null {
    const file = this.files.get(uri);
    if (file) return { type: 1, mtime: 1, size: file.length };
    return [...this.files.keys()].some((k) => k.startsWith(`${uri}/`)) ? { type: 2, mtime: 1, size: 0 } : null;
  }

  readDirectory(uri: string): [string, 0 | 1 | 2][] {
    const entries = new Map<string, 0 | 1 | 2>();
    for (const key of this.files.keys()) {
      if (!key.startsWith(`${uri}/`)) continue;
      const rest = key.slice(uri.length + 1);
      const slash = rest.indexOf('/');
      entries.set(decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash)), slash < 0 ? 1 : 2);
    }
    if (!entries.size) throw new Error(`No folder ${uri}`);
    return [...entries];
  }
}

export class PortClient {
  readonly published: Published[] = [];
  readonly logs: string[] = [];
  /** Every `runbook/fs/*` request: method and URI. */
  readonly fsRequests: [string, string][] = [];
  readonly applied: unknown[] = [];
  private nextId = 1;
  private pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private waiters: (() => void)[] = [];

  constructor(private readonly endpoint: Endpoint, private readonly workspace: MemoryWorkspace) {
    endpoint.onmessage = ({ data }) => this.receive(data as Message);
  }

  private receive(message: Message): void {
    if (message.method && message.id !== undefined) {
      void this.answer(message);
    } else if (message.method) {
      if (message.method === 'textDocument/publishDiagnostics') this.published.push(message.params as Published);
      else if (message.method === 'window/logMessage' || message.method === 'window/showMessage') this.logs.push((message.params as { message: string }).message);
    } else if (typeof message.id === 'number') {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else waiter?.resolve(message.result);
    }
    for (const w of this.waiters.splice(0)) w();
  }

  private async answer(message: Message): Promise<void> {
    const reply = (body: Partial<Message>) => this.endpoint.postMessage({ jsonrpc: '2.0', id: message.id, ...body });
    const params = message.params as Record<string, unknown>;
    try {
      let result: unknown = null;
      switch (message.method) {
        case 'workspace/configuration':
          result = (params.items as unknown[]).map(() => ({}));
          break;
        case 'workspace/applyEdit':
          this.applied.push(params.edit);
          result = { applied: true };
          break;
        case FS_STAT_REQUEST:
        case FS_READ_FILE_REQUEST:
        case FS_READ_DIRECTORY_REQUEST: {
          const { uri } = params as unknown as FsParams;
          this.fsRequests.push([message.method, uri]);
          if (message.method === FS_STAT_REQUEST) result = this.workspace.stat(uri);
          else if (message.method === FS_READ_DIRECTORY_REQUEST) result = this.workspace.readDirectory(uri);
          else {
            const bytes = this.workspace.files.get(uri);
            if (!bytes) throw new Error(`No file ${uri}`);
            result = { base64: encodeBase64(bytes) };
          }
          break;
        }
      }
      reply({ result });
    } catch (error) {
      reply({ error: { code: -32603, message: (error as Error).message } });
    }
  }

  request<T>(method: string, params?: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.endpoint.postMessage({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params?: unknown): void {
    this.endpoint.postMessage({ jsonrpc: '2.0', method, params });
  }

  /** Waits until `check` gives a value, re-checking after each message from the server (never a fixed sleep). */
  async until<T>(check: () => T | undefined, what: string, timeoutMs = 30_000, seen: () => string = () => ''): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${seen()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * The first diagnostics published for this version, or with `ready` the first that satisfy it: an open
   * document is checked again when the index learns its link targets, for the same version.
   */
  diagnosticsOf(uri: string, version: number, ready: (d: Published['diagnostics']) => boolean = () => true): Promise<Published['diagnostics']> {
    const seen = () => {
      const got = this.published.filter((p) => p.uri === uri).map((p) => `v${p.version}: ${[...new Set(p.diagnostics.map((d) => d.code))].join(' ') || 'none'}`);
      return `; published for it: ${got.join('; ') || 'nothing'}; server log: ${this.logs.slice(-5).join(' | ') || 'empty'}`;
    };
    return this.until(() => this.published.find((p) => p.uri === uri && p.version === version && ready(p.diagnostics))?.diagnostics, `diagnostics of ${uri} v${version}`, 30_000, seen);
  }
}
