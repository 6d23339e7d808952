import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient';

/** The cursor is in the fragment of a link to a heading of the same document: `[text](#…`. */
const LINK_FRAGMENT = /\]\(#[^\s()#]*$/;

/** The snippets' prefix (snippets/runbook.code-snippets), typed after a space, a bracket or a pipe, or at the line start. */
const SNIPPET_PREFIX = /(?:^|[\s([|>])runbook-$/;

/**
 * VS Code's Markdown extension lists the document's heading anchors after `](#` (its path suggestions,
 * on unless `markdown.suggest.paths.enabled` is false); the server's anchors there would show every
 * anchor twice. That extension may run in another extension host than this one (in the browser with a
 * remote, it runs on the remote), where `vscode.extensions` does not see it; its setting, registered
 * while it is installed and enabled, is seen from every host.
 */
function builtInListsAnchors(document: vscode.TextDocument): boolean {
  const setting = vscode.workspace.getConfiguration('markdown', document.uri).inspect<boolean>('suggest.paths.enabled');
  if (setting?.defaultValue === undefined) return false;
  return vscode.workspace.getConfiguration('markdown', document.uri).get<boolean>('suggest.paths.enabled') !== false;
}

const isAnchor = (item: vscode.CompletionItem) => item.kind === vscode.CompletionItemKind.Reference;

/**
 * In a link fragment, where the built-in Markdown extension already offers the anchors, our anchor
 * items are dropped; every other item, and every other place, is left as the server answered. Other
 * editors get the server's anchors.
 */
export const completionMiddleware: Pick<Middleware, 'provideCompletionItem'> = {
  async provideCompletionItem(document, position, context, token, next) {
    const result = await next(document, position, context, token);
    if (!result) return result;
    const before = document.lineAt(position.line).text.slice(0, position.character);
    if (!LINK_FRAGMENT.test(before) || !builtInListsAnchors(document)) return result;
    if (Array.isArray(result)) return result.filter((item) => !isAnchor(item));
    return new vscode.CompletionList(result.items.filter((item) => !isAnchor(item)), result.isIncomplete);
  },
};

/**
 * Markdown has quick suggestions off, so the snippets stay hidden while `runbook-` is typed. When a
 * person types the prefix's last character, the suggestions open (as Ctrl+Space does), listing the
 * runbook snippets; typing on narrows them.
 */
export function registerSnippetTrigger(): vscode.Disposable {
  return vscode.workspace.onDidChangeTextDocument((event) => {
    // Undo and redo bring text back; they are not typing.
    if (event.reason !== undefined || event.document.languageId !== 'markdown' || event.contentChanges.length !== 1) return;
    const editor = vscode.window.activeTextEditor;
    if (editor?.document !== event.document || editor.selections.length !== 1) return;
    const [change] = event.contentChanges;
    if (!change.text.endsWith('-') || /[\r\n]/.test(change.text)) return;
    const end = change.range.start.translate(0, change.text.length);
    if (!SNIPPET_PREFIX.test(event.document.lineAt(end.line).text.slice(0, end.character))) return;
    void vscode.commands.executeCommand('editor.action.triggerSuggest');
  });
}
