import * as vscode from 'vscode';
import type { BaseLanguageClient as LanguageClient, Middleware } from 'vscode-languageclient';
import { SERVER_COMMANDS, WORKSPACE_SUMMARY_REQUEST, type CommandResult, type ReviewStatus, type RunbookSummary, type SectionStatus, type WorkspaceSummary, type WorkspaceSummaryParams } from '../../server/src/protocol';

/** The Runbooks view in the Explorer. */
export const VIEW_ID = 'runbook.runbooks';

/** Shows a runbook (its URI, else the active editor's) in the Runbooks view, selected and expanded. */
export const SHOW_IN_VIEW_COMMAND = 'runbook.showInRunbooksView';

/** Inserts one missing section: from the view's + button, or picked from a list of the active runbook's. */
export const INSERT_SECTION_COMMAND = 'runbook.insertSection';

const MISSING_SCHEME = 'runbook-missing-section';

interface RunbookNode {
  kind: 'runbook';
  uri: string;
  summary: RunbookSummary;
}

interface SectionNode {
  kind: 'section';
  uri: string;
  section: SectionStatus;
  index: number;
}

type Node = RunbookNode | SectionNode;

/** A URI string as VS Code writes it, so the server's and the editor's spellings compare equal. */
export const normalizeUri = (uri: string) => vscode.Uri.parse(uri).toString();

/** `$(warning)` overdue, `$(clock)` due soon, a book otherwise. */
export function reviewIcon(review: ReviewStatus): vscode.ThemeIcon {
  if (review.status === 'overdue') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  if (review.status === 'due-soon') return new vscode.ThemeIcon('clock');
  return new vscode.ThemeIcon('book');
}

/** Review status in words, for tooltips. */
export function reviewLine(review: ReviewStatus): string {
  const days = Math.abs(review.days ?? 0);
  const unit = days === 1 ? 'day' : 'days';
  switch (review.status) {
    case 'overdue':
      return `Review overdue since ${review.date} (${days} ${unit})`;
    case 'due-soon':
      return days === 0 ? `Review due today (${review.date})` : `Review due in ${days} ${unit} (${review.date})`;
    case 'ok':
      return `Next review ${review.date}`;
    default:
      return 'No valid Next Review date';
  }
}

/** The details of a runbook summary as a tooltip. */
export function summaryTooltip(uri: string, summary: RunbookSummary): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${summary.title.replace(/[\\`*_[\]<>]/g, '\\$&')}**\n\n`);
  tooltip.appendMarkdown(`$(file) ${vscode.workspace.asRelativePath(vscode.Uri.parse(uri))}\n\n`);
  tooltip.appendMarkdown(`$(list-tree) ${summary.sections.present} of ${summary.sections.expected} template sections\n\n`);
  tooltip.appendMarkdown(`$(edit) ${summary.placeholders} placeholder${summary.placeholders === 1 ? '' : 's'} left\n\n`);
  tooltip.appendMarkdown(`$(error) ${summary.errors} error${summary.errors === 1 ? '' : 's'}, $(warning) ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}\n\n`);
  tooltip.appendMarkdown(`$(calendar) ${reviewLine(summary.review)}`);
  return tooltip;
}

class RunbooksProvider implements vscode.TreeDataProvider<Node> {
  private runbooks: RunbookNode[] = [];
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly client: LanguageClient) {}

  get overdue(): number {
    return this.runbooks.filter((r) => r.summary.review.status === 'overdue').length;
  }

  /** Asks the server again: for these runbooks when they are all known, else for all of them. */
  async refresh(uris?: string[]): Promise<void> {
    if (uris?.length) {
      const known = new Map(this.runbooks.map((r) => [normalizeUri(r.uri), r]));
      const wanted = uris.map(normalizeUri);
      if (wanted.every((u) => known.has(u))) {
        const result = await this.client.sendRequest<WorkspaceSummary>(WORKSPACE_SUMMARY_REQUEST, { uris } satisfies WorkspaceSummaryParams);
        // A runbook that is no longer one leaves the list: that needs the whole list.
        if (result.runbooks.length === wanted.length) {
          for (const { uri, summary } of result.runbooks) {
            const node = known.get(normalizeUri(uri));
            if (!node) continue;
            node.summary = summary;
            this.emitter.fire(node);
          }
          await setContexts(result);
          return;
        }
      }
    }
    const result = await this.client.sendRequest<WorkspaceSummary>(WORKSPACE_SUMMARY_REQUEST, {} satisfies WorkspaceSummaryParams);
    this.runbooks = result.runbooks.map(({ uri, summary }) => ({ kind: 'runbook', uri, summary }));
    this.emitter.fire(undefined);
    await setContexts(result);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'runbook') {
      const uri = vscode.Uri.parse(node.uri);
      const item = new vscode.TreeItem(node.summary.title, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.uri;
      item.resourceUri = uri;
      item.description = node.summary.completeness;
      item.iconPath = reviewIcon(node.summary.review);
      item.tooltip = summaryTooltip(node.uri, node.summary);
      item.contextValue = 'runbook';
      item.command = { command: 'vscode.open', title: 'Open Runbook', arguments: [uri] };
      return item;
    }
    const { section } = node;
    const item = new vscode.TreeItem(section.heading, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.uri}#${node.index}:${section.heading}`;
    if (section.present) {
      item.iconPath = new vscode.ThemeIcon('symbol-module');
      item.contextValue = 'runbook.section';
      const line = section.line ?? 0;
      item.command = { command: 'vscode.open', title: 'Go to Section', arguments: [vscode.Uri.parse(node.uri), { selection: new vscode.Range(line, 0, line, 0) }] };
      if (!section.template) item.description = 'not in the template';
    } else {
      item.iconPath = new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
      item.description = 'missing';
      item.tooltip = `"${section.title}" is missing from this runbook. Insert it from the template with the + button.`;
      item.contextValue = 'runbook.missingSection';
      // The decoration provider below greys the label of this URI.
      item.resourceUri = vscode.Uri.from({ scheme: MISSING_SCHEME, path: `/${node.index}` });
    }
    return item;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.runbooks;
    if (node.kind === 'section') return [];
    return node.summary.outline.map((section, index) => ({ kind: 'section', uri: node.uri, section, index }));
  }

  getParent(node: Node): Node | undefined {
    return node.kind === 'section' ? this.find(node.uri) : undefined;
  }

  find(uri: string): RunbookNode | undefined {
    const wanted = normalizeUri(uri);
    return this.runbooks.find((r) => normalizeUri(r.uri) === wanted);
  }
}

async function setContexts(result: WorkspaceSummary): Promise<void> {
  await vscode.commands.executeCommand('setContext', 'runbook.indexing', result.indexing);
  await vscode.commands.executeCommand('setContext', 'runbook.noMarkdown', !result.indexing && result.markdownFiles === 0);
}

/**
 * The Runbooks view: every runbook of the workspace with its completeness and review status, its
 * sections below it (missing ones greyed, with an action that inserts them). `changed` carries the
 * server's `runbook/workspaceChanged` notifications.
 */
export function registerRunbooksView(context: vscode.ExtensionContext, client: LanguageClient, changed: vscode.Event<string[] | undefined>): void {
  const provider = new RunbooksProvider(client);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  let stale = true;
  // The last refresh of the list, for a command that looks a runbook up in it.
  let refreshed: Promise<void> = Promise.resolve();
  const refresh = (uris?: string[]) => {
    if (!view.visible) {
      stale = true;
      // The view may be hidden for want of Markdown files: keep the counts behind its `when` current.
      client.sendRequest<WorkspaceSummary>(WORKSPACE_SUMMARY_REQUEST, { uris: [] } satisfies WorkspaceSummaryParams).then(setContexts, () => undefined);
      return;
    }
    const full = stale;
    stale = false;
    refreshed = provider
      .refresh(full ? undefined : uris)
      .then(() => {
        const overdue = provider.overdue;
        view.badge = overdue ? { value: overdue, tooltip: `${overdue} runbook${overdue === 1 ? '' : 's'} overdue for review` } : undefined;
      })
      .catch((error: Error) => {
        stale = true;
        client.warn(`Refreshing the Runbooks view failed: ${error.message}`);
      });
  };
  context.subscriptions.push(
    view,
    view.onDidChangeVisibility(() => {
      if (view.visible && stale) refresh();
    }),
    changed((uris) => refresh(uris)),
    vscode.window.registerFileDecorationProvider({
      provideFileDecoration: (uri) => (uri.scheme === MISSING_SCHEME ? { color: new vscode.ThemeColor('disabledForeground') } : undefined),
    }),
    vscode.commands.registerCommand(INSERT_SECTION_COMMAND, async (target?: SectionNode | string, title?: string) => {
      const uri = typeof target === 'string' ? target : (target?.uri ?? markdownEditor()?.document.uri.toString());
      const name = typeof target === 'string' ? title : (target?.section.title ?? (uri && (await pickMissingSection(client, uri))));
      if (!uri || !name) return;
      // Open it first, so the edit lands in an editor where it can be reviewed and undone; the server
      // then puts the cursor on the inserted heading (window/showDocument), which scrolls it into view.
      const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri));
      const result = await vscode.commands.executeCommand<CommandResult>(SERVER_COMMANDS.insertSection, editor.document.uri.toString(), name);
      if (!result?.applied) void vscode.window.showWarningMessage(`Runbook Tools: ${result?.reason ?? `"${name}" could not be inserted.`}`);
      return result;
    }),
    vscode.commands.registerCommand(SHOW_IN_VIEW_COMMAND, async (uri?: string) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      if (!target) return false;
      // Focusing the view makes it visible, which refreshes a stale list.
      await refreshed.catch(() => undefined);
      let node = provider.find(target);
      if (!node) {
        await provider.refresh();
        node = provider.find(target);
      }
      if (!node) return false;
      await view.reveal(node, { select: true, focus: true, expand: true });
      return true;
    }),
  );
  refresh();
}

/** A quick pick of the runbook's missing sections, in template order; the title picked. */
/**
 * The Markdown editor a command without a document acts on: the active one, or, when something else has
 * the focus (a walkthrough, the Runbooks view, a webview), the one Markdown editor on screen.
 */
function markdownEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active) return active;
  const visible = vscode.window.visibleTextEditors.filter((e) => e.document.languageId === 'markdown');
  return visible.length === 1 ? visible[0] : undefined;
}

async function pickMissingSection(client: LanguageClient, uri: string): Promise<string | undefined> {
  const result = await client.sendRequest<WorkspaceSummary>(WORKSPACE_SUMMARY_REQUEST, { uris: [uri] } satisfies WorkspaceSummaryParams);
  const missing = result.runbooks[0]?.summary.outline.filter((s) => !s.present) ?? [];
  if (!missing.length) {
    void vscode.window.showInformationMessage(result.runbooks.length ? 'Runbook Tools: this runbook has every section of the template.' : 'Runbook Tools: this document is not a runbook.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    missing.map((s) => ({ label: s.title, description: s.heading === s.title ? undefined : s.heading })),
    // Kept open when the focus moves: a walkthrough's button starts it, and the walkthrough re-renders its step meanwhile.
    { title: 'Insert Section from Template', placeHolder: 'A missing section of this runbook, inserted at its place', ignoreFocusOut: true },
  );
  return picked?.label;
}

/** What each action lens does, in more words than its title. */
const LENS_TOOLTIPS: Record<string, string> = {
  [SERVER_COMMANDS.insertMissingSections]: 'Insert the missing sections and subsections from the template, each at its place (undo with Ctrl+Z)',
  [SERVER_COMMANDS.markReviewed]: 'Set Last Updated to today and Next Review from the Review Frequency, and add a row to the change log',
};

/**
 * The server's summary lens is a label (no command): clicking it shows the runbook in the Runbooks
 * view, which lists its sections, the missing ones greyed. In a window without a folder there is no
 * view and the summary stays plain text. The action lenses get tooltips that say what they change.
 */
export const codeLensMiddleware: Pick<Middleware, 'provideCodeLenses'> = {
  async provideCodeLenses(document, token, next) {
    const lenses = await next(document, token);
    const hasView = !!vscode.workspace.workspaceFolders?.length;
    for (const lens of lenses ?? []) {
      if (!lens.command) continue;
      if (!lens.command.command) {
        if (hasView) lens.command = { ...lens.command, command: SHOW_IN_VIEW_COMMAND, arguments: [document.uri.toString()], tooltip: 'Show this runbook in the Runbooks view' };
      } else {
        lens.command.tooltip ??= LENS_TOOLTIPS[lens.command.command];
      }
    }
    return lenses;
  },
};
