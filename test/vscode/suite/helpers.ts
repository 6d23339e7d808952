// Shared helpers of the extension-host suites. Everything waits on a condition with a deadline.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'runbook-tools.runbook-tools';
export const SOURCE = 'runbook';
export { RULE_IDS } from '../../../server/src/service/rules/types';

/** The sections of the built-in template, in order. */
export const TEMPLATE_SECTIONS = [
  'System Overview',
  'Architecture',
  'Access and Credentials',
  'Deployment Procedures',
  'Monitoring and Alerts',
  'Routine Operations',
  'Incident Response',
  'Rollback Procedures',
  'Troubleshooting Guide',
  'Contact Information',
  'Change Log',
];

/** The fixture runbook: the template with Section 8 removed, Classification "Urgent", placeholders left. */
export const PAYMENTS = 'payments-runbook.md';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open (the runner opens test/e2e/workspace or a copy of it)');
  return folder.uri;
}

export function fileUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
  describe?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const state = describe ? `\n  state: ${describe()}` : '';
      const err = lastError ? `\n  last error: ${String(lastError)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state}${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Fails with a message that names a capability of the extension that is not there yet. */
export function requireCapability(name: string, present: unknown, hint: string): void {
  if (!present) throw new Error(`CAPABILITY MISSING [${name}]: ${hint}`);
}

export async function openDocument(relativeOrUri: string | vscode.Uri, show = true): Promise<vscode.TextDocument> {
  const uri = typeof relativeOrUri === 'string' ? fileUri(relativeOrUri) : relativeOrUri;
  const doc = await vscode.workspace.openTextDocument(uri);
  if (show) await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

export function codeValue(d: vscode.Diagnostic): string | number | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? c.value : c;
}

export function runbookDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (all.length === 0) return 'no diagnostics';
  return all
    .slice(0, 25)
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} [${d.source}/${String(codeValue(d))}] ${d.message}`)
    .join('\n    ');
}

/** Waits until the document has at least one diagnostic from our server (and `accept` holds). */
export function waitForRunbookDiagnostics(
  uri: vscode.Uri,
  accept: (ds: vscode.Diagnostic[]) => boolean = (ds) => ds.length > 0,
  what = `runbook diagnostics for ${uri.path.split('/').pop()}`,
  timeoutMs = 20_000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    what,
    () => {
      const ds = runbookDiagnostics(uri);
      return accept(ds) ? ds : undefined;
    },
    timeoutMs,
    () => describeDiagnostics(uri),
  );
}

export function findDiagnostic(uri: vscode.Uri, rule: string, messagePart?: string): vscode.Diagnostic | undefined {
  return runbookDiagnostics(uri).find((d) => codeValue(d) === rule && (!messagePart || d.message.includes(messagePart)));
}

let scratchCounter = 0;

/**
 * Writes a fresh copy of a fixture (optionally transformed) under a new runbook name in the workspace
 * and opens it, so that a test that edits never disturbs another.
 */
export async function scratchRunbook(
  label: string,
  transform: (text: string) => string = (t) => t,
  from = PAYMENTS,
): Promise<{ uri: vscode.Uri; doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const source = new TextDecoder().decode(await vscode.workspace.fs.readFile(fileUri(from)));
  const name = `scratch-${++scratchCounter}-${label}-runbook.md`;
  const uri = vscode.Uri.joinPath(workspaceRoot(), 'scratch', name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(transform(source)));
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { uri, doc, editor };
}

/** Zero-based line of the first line of `doc` equal to (or, with `startsWith`, starting with) `text`. */
export function lineOf(doc: vscode.TextDocument, text: string, startsWith = false): number {
  for (let i = 0; i < doc.lineCount; i++) {
    const line = doc.lineAt(i).text;
    if (startsWith ? line.startsWith(text) : line === text) return i;
  }
  throw new Error(`no line ${startsWith ? 'starting with' : 'equal to'} ${JSON.stringify(text)} in ${doc.uri.path}`);
}

/** The extension under test, activated. */
export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  if (!ext.isActive) {
    await openDocument(PAYMENTS);
    await waitFor(`${EXTENSION_ID} to activate on a Markdown file`, () => ext.isActive, 20_000);
  }
  return ext;
}

/** Label text of a completion item. */
export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** Text of hover contents, whatever their kind. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c)))
    .join('\n');
}

export function todayStrings(): string[] {
  const d = new Date();
  const local = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return [...new Set([local, d.toISOString().slice(0, 10)])];
}

/** Runs a command but gives up after `timeoutMs` (a command that waits for input would hang the suite). */
export async function executeWithin<T>(timeoutMs: number, command: string, ...args: unknown[]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve(vscode.commands.executeCommand<T>(command, ...args)),
      new Promise<T>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`command ${command} did not finish within ${timeoutMs} ms (is it waiting for input?)`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
