import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** Starts the runbook language server for Markdown documents; the server does all the work. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6012'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('Runbook Tools');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    synchronize: { configurationSection: 'runbook' },
    outputChannel,
    middleware: {
      // VS Code's Markdown extension already lists headings in the Outline, breadcrumbs and
      // Go to Symbol, and folds sections; a second list would show every heading twice.
      provideDocumentSymbols: () => undefined,
      provideFoldingRanges: () => undefined,
    },
  };
  client = new LanguageClient('runbook', 'Runbook Tools', serverOptions, clientOptions);
  context.subscriptions.push(outputChannel);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
