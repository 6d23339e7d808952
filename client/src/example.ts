import * as vscode from 'vscode';

export const OPEN_EXAMPLE_COMMAND = 'runbook.openExample';

/** The bundled draft (examples/runbooks/checkout-worker.md, copied there by the build). */
const EXAMPLE_PATH = ['client', 'out', 'example-runbook.md'];

/**
 * *Runbook: Open Example Runbook*: a draft runbook with the problems a first draft has, opened as a new
 * untitled document, so that it can be edited, fixed and thrown away without touching any file. It is
 * read from the extension's own files with `workspace.fs`, which reaches them on the desktop and in
 * the browser alike.
 */
export function registerExample(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_EXAMPLE_COMMAND, async () => {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, ...EXAMPLE_PATH));
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: new TextDecoder().decode(bytes) });
    await vscode.window.showTextDocument(document, { preview: false });
    return document.uri.toString();
  });
}
