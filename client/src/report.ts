import * as vscode from 'vscode';
import type { BaseLanguageClient as LanguageClient } from 'vscode-languageclient';
import { WORKSPACE_REPORT_REQUEST, type WorkspaceReport, type WorkspaceReportParams } from '../../server/src/protocol';

export const REPORT_COMMAND = 'runbook.showWorkspaceReport';

/** What the page posts: a click on a runbook or a problem. */
interface OpenMessage {
  type: 'open';
  uri: string;
  line?: number;
}

/**
 * *Runbook: Show Workspace Report*: the server's health report page in a webview, the same page
 * `runbook-lint --format html` writes. It follows the workspace while it is open, and a click on a
 * runbook or a problem opens the file there.
 */
export function registerWorkspaceReport(context: vscode.ExtensionContext, client: LanguageClient, changed: vscode.Event<string[] | undefined>): void {
  let panel: vscode.WebviewPanel | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const refresh = async () => {
    if (!panel) return;
    let report: WorkspaceReport;
    try {
      report = await client.sendRequest<WorkspaceReport>(WORKSPACE_REPORT_REQUEST, {} satisfies WorkspaceReportParams);
    } catch {
      // The server is restarting: the page stays as it was until the next change.
      return;
    }
    if (!panel) return;
    panel.webview.html = report.html;
    panel.title = `Runbook Report (${report.runbooks})`;
  };

  const open = async (message: OpenMessage) => {
    if (message?.type !== 'open' || typeof message.uri !== 'string') return;
    const line = Number.isInteger(message.line) ? (message.line as number) : 0;
    const position = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(message.uri), { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(position, position) });
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(REPORT_COMMAND, async () => {
      if (panel) {
        panel.reveal();
      } else {
        // The page loads nothing (its own policy says so): no local resources, scripts only for sorting and links.
        panel = vscode.window.createWebviewPanel('runbook.workspaceReport', 'Runbook Report', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
        panel.onDidDispose(() => {
          panel = undefined;
          clearTimeout(timer);
        });
        panel.webview.onDidReceiveMessage((m: OpenMessage) => void open(m));
      }
      await refresh();
    }),
    // Summaries change in bursts while the workspace is scanned or edited: one refresh per burst.
    changed(() => {
      if (!panel) return;
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 500);
    }),
    { dispose: () => clearTimeout(timer) },
  );
}
