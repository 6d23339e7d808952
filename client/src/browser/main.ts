import * as vscode from 'vscode';
import { BaseLanguageClient, BrowserMessageReader, BrowserMessageWriter, type LanguageClientOptions, type MessageTransports } from 'vscode-languageclient/browser';
import { activateWith, deactivate } from '../extension';

type RunServer = (port: MessagePort) => void;

/**
 * The language client of the web extension. The server (server/out/browser.js) runs in a Web Worker
 * where the extension host can start one (vscode.dev, github.dev). Where it cannot, as in code-server and
 * other hosts that serve the extension from a remote ("Creating workers from remote extensions is
 * currently not supported", microsoft/vscode#144235), the server runs in the extension host's own
 * worker, over a MessageChannel: the same bundle, the same messages, no second thread.
 */
class WorkerLanguageClient extends BaseLanguageClient {
  private stopServer: (() => void) | undefined;
  private runServer: Promise<RunServer> | undefined;

  constructor(id: string, name: string, options: LanguageClientOptions, private readonly serverUri: vscode.Uri) {
    super(id, name, options);
  }

  // Called for each start and restart: a fresh server each time.
  protected async createMessageTransports(): Promise<MessageTransports> {
    this.stopServer?.();
    const port = await this.startServer();
    return { reader: new BrowserMessageReader(port), writer: new BrowserMessageWriter(port) };
  }

  override async stop(timeout?: number): Promise<void> {
    try {
      await super.stop(timeout);
    } finally {
      this.stopServer?.();
      this.stopServer = undefined;
    }
  }

  private async startServer(): Promise<Worker | MessagePort> {
    try {
      const worker = new Worker(this.serverUri.toString(true), { name: 'Runbook Tools language server' });
      this.stopServer = () => worker.terminate();
      this.info('The language server runs in a Web Worker.');
      return worker;
    } catch (error) {
      this.info(`This extension host cannot start a Web Worker (${(error as Error).message}); the language server runs in the extension host's worker.`);
    }
    const run = await (this.runServer ??= this.loadServer());
    const { port1, port2 } = new MessageChannel();
    run(port2);
    this.stopServer = () => port1.close();
    return port1;
  }

  /** The server bundle as a function of its port; it reads `runbookServerPort` instead of the worker's scope. */
  private async loadServer(): Promise<RunServer> {
    const url = this.serverUri.toString(true);
    // The extension host's fetch resolves the extension's own URIs (vscode-remote: included), as it does
    // when it loads this extension's code.
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Could not load the language server from ${url}: ${response.status} ${response.statusText}`);
    const source = await response.text();
    return new Function('runbookServerPort', `${source}\n//# sourceURL=${url}`) as RunServer;
  }
}

/** The web extension: vscode.dev, github.dev, and any VS Code whose extension host runs in a browser worker. */
export function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverUri = vscode.Uri.joinPath(context.extensionUri, 'server', 'out', 'browser.js');
  return activateWith(context, (id, name, options) => new WorkerLanguageClient(id, name, options, serverUri));
}

export { deactivate };
