import * as vscode from 'vscode';
import type { BaseLanguageClient as LanguageClient } from 'vscode-languageclient';
import { WORKSPACE_SUMMARY_REQUEST, type WorkspaceSummary, type WorkspaceSummaryParams } from '../../server/src/protocol';
import { normalizeUri, reviewLine, VIEW_ID } from './runbooksView';

/**
 * A status bar item with the active runbook's summary ("14/14 sections · 3 placeholders"), on a warning
 * background when its review is overdue; hidden for other documents. Clicking it shows the Runbooks view.
 */
export function registerStatusBar(context: vscode.ExtensionContext, client: LanguageClient, changed: vscode.Event<string[] | undefined>): void {
  const item = vscode.window.createStatusBarItem('runbook.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Runbook Summary';
  item.command = `${VIEW_ID}.focus`;
  let request = 0;

  const update = async () => {
    const document = vscode.window.activeTextEditor?.document;
    const ticket = ++request;
    if (!document || document.languageId !== 'markdown') {
      item.hide();
      return;
    }
    let result: WorkspaceSummary;
    try {
      result = await client.sendRequest<WorkspaceSummary>(WORKSPACE_SUMMARY_REQUEST, { uris: [document.uri.toString()] } satisfies WorkspaceSummaryParams);
    } catch {
      result = { runbooks: [], markdownFiles: 0, indexing: false };
    }
    // The active editor changed while the server answered: a newer update owns the item.
    if (ticket !== request) return;
    const summary = result.runbooks[0]?.summary;
    if (!summary) {
      item.hide();
      return;
    }
    const overdue = summary.review.status === 'overdue';
    item.text = `${overdue ? '$(warning)' : summary.review.status === 'due-soon' ? '$(clock)' : '$(book)'} ${summary.text}`;
    item.tooltip = `${summary.title}\n${summary.errors} errors, ${summary.warnings} warnings\n${reviewLine(summary.review)}`;
    item.backgroundColor = overdue ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };

  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    changed((uris) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && (!uris || uris.some((u) => normalizeUri(u) === active))) void update();
    }),
  );
  void update();
}
