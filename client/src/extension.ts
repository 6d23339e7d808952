import * as vscode from 'vscode';
import type { BaseLanguageClient, LanguageClientOptions } from 'vscode-languageclient';
import {
  DOCUMENT_STATUS_NOTIFICATION,
  PALETTE_COMMANDS,
  SERVER_COMMANDS,
  WORKSPACE_CHANGED_NOTIFICATION,
  type DocumentStatusParams,
  type WorkspaceChangedParams,
} from '../../server/src/protocol';
import { registerFileSystem } from './fileSystem';
import { codeLensMiddleware, registerRunbooksView } from './runbooksView';
import { registerStatusBar } from './status';
import { registerWorkspaceReport } from './report';
import { completionMiddleware, registerSnippetTrigger } from './completion';
import { registerExample } from './example';

/**
 * The extension on every platform: the client options, the commands, the Runbooks view and the status
 * bar. The entry points (node/main.ts for the desktop, browser/main.ts for the web) only say how the
 * language client reaches its server.
 */
export type CreateClient = (id: string, name: string, options: LanguageClientOptions) => BaseLanguageClient;

let client: BaseLanguageClient | undefined;

/** Starts the runbook language server for Markdown documents; the server does all the work. */
export async function activateWith(context: vscode.ExtensionContext, createClient: CreateClient): Promise<void> {
  const outputChannel = vscode.window.createOutputChannel('Runbook Tools');
  const clientOptions: LanguageClientOptions = {
    // Any scheme: files on disk, untitled documents, and virtual file systems (vscode-vfs: on github.dev).
    documentSelector: [{ language: 'markdown' }],
    synchronize: {
      configurationSection: 'runbook',
      // Team config files, templates and every runbook: the server keeps its workspace index current.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{.runbookrc.json,*.md,*.markdown}'),
    },
    outputChannel,
    middleware: {
      // VS Code's Markdown extension already lists headings in the Outline, breadcrumbs, Go to
      // Symbol and Go to Symbol in Workspace, and folds sections; a second list would show every
      // heading twice. Other editors get these from the server.
      provideDocumentSymbols: () => undefined,
      provideFoldingRanges: () => undefined,
      provideWorkspaceSymbols: () => undefined,
      ...codeLensMiddleware,
      ...completionMiddleware,
    },
  };
  client = createClient('runbook', 'Runbook Tools', clientOptions);
  context.subscriptions.push(outputChannel, registerFileSystem(client), registerExample(context), registerSnippetTrigger());

  // Which open documents the server treats as runbooks: the commands are enabled only there.
  const runbooks = new Set<string>();
  const updateContext = () => {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    void vscode.commands.executeCommand('setContext', 'runbook.activeIsRunbook', !!uri && runbooks.has(uri));
  };
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(updateContext));

  for (const [command, serverCommand] of Object.entries(PALETTE_COMMANDS)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(command, async (uri?: vscode.Uri) => {
        const target = uri ?? vscode.window.activeTextEditor?.document.uri;
        if (!target) return;
        return vscode.commands.executeCommand(serverCommand, target.toString());
      }),
    );
  }
  context.subscriptions.push(
    vscode.commands.registerCommand('runbook.newFromTemplate', async (name?: string) => {
      const systemName = name ?? (await vscode.window.showInputBox({ title: 'New Runbook from Template', prompt: 'Name of the system this runbook is for', placeHolder: 'Payments API' }));
      if (systemName === undefined) return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.toString() ?? '';
      const content = await vscode.commands.executeCommand<string>(SERVER_COMMANDS.newRunbookText, systemName, folder);
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
      await vscode.window.showTextDocument(document);
      return document.uri.toString();
    }),
  );

  await client.start();
  client.onNotification(DOCUMENT_STATUS_NOTIFICATION, ({ uri, isRunbook }: DocumentStatusParams) => {
    if (isRunbook) runbooks.add(uri);
    else runbooks.delete(uri);
    updateContext();
  });

  // One handler for the server's notification, shared by the view and the status bar.
  const workspaceChanged = new vscode.EventEmitter<string[] | undefined>();
  context.subscriptions.push(
    workspaceChanged,
    client.onNotification(WORKSPACE_CHANGED_NOTIFICATION, (params: WorkspaceChangedParams | undefined) => workspaceChanged.fire(params?.uris)),
  );
  registerRunbooksView(context, client, workspaceChanged.event);
  registerStatusBar(context, client, workspaceChanged.event);
  registerWorkspaceReport(context, client, workspaceChanged.event);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
