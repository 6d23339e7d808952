// Outline symbols, go to definition from the table of contents, hover on a section heading.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PAYMENTS, activeExtension, fileUri, hoverText, lineOf, openDocument, waitFor, waitForRunbookDiagnostics } from './helpers';

type Sym = vscode.DocumentSymbol & vscode.SymbolInformation;

const bare = (name: string) => name.replace(/^#+\s*/, '').trim();
const rangeKey = (s: Sym) => {
  const r = s.range ?? s.location?.range;
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
};
function flatten(symbols: Sym[]): Sym[] {
  return symbols.flatMap((s) => [s, ...flatten((s.children ?? []) as Sym[])]);
}

suite('Symbols, definition, hover', () => {
  let doc: vscode.TextDocument;
  suiteSetup(async () => {
    await activeExtension();
    doc = await openDocument(PAYMENTS);
    await waitForRunbookDiagnostics(doc.uri); // the server has seen the document
  });

  test('document symbols list each heading once (only the built-in Markdown provider answers)', async () => {
    const symbols = await waitFor('document symbols', async () => {
      const s = await vscode.commands.executeCommand<Sym[]>('vscode.executeDocumentSymbolProvider', doc.uri);
      return s && s.length > 0 ? s : undefined;
    });
    const seen = new Map<string, number>();
    for (const s of symbols) {
      const key = `${bare(s.name)}@${rangeKey(s)}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const dups = [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`);
    assert.deepEqual(dups, [], 'top-level symbols listed twice (two symbol providers for Markdown?)');
    const all = flatten(symbols);
    const arch = all.filter((s) => bare(s.name) === 'Section 2: Architecture');
    assert.equal(arch.length, 1, `"Section 2: Architecture" once in the outline; names: ${all.slice(0, 12).map((s) => s.name).join(' | ')}`);
  });

  test('go to definition on a TOC link [Architecture](#section-2-architecture) reaches the heading', async () => {
    const tocLine = lineOf(doc, '2. [Architecture](#section-2-architecture)');
    const character = doc.lineAt(tocLine).text.indexOf('#section-2-architecture') + 3;
    const heading = lineOf(doc, '## Section 2: Architecture');
    const result = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      new vscode.Position(tocLine, character),
    );
    const targets = (result ?? []).map((l) =>
      'targetUri' in l ? { uri: l.targetUri, line: (l.targetSelectionRange ?? l.targetRange).start.line } : { uri: l.uri, line: l.range.start.line },
    );
    assert.ok(
      targets.some((t) => t.uri.toString() === doc.uri.toString() && t.line === heading),
      `expected line ${heading + 1}; got ${JSON.stringify(targets.map((t) => `${t.uri.path}:${t.line + 1}`))}`,
    );
  });

  test('hover on a section heading shows the template guidance for it', async () => {
    const heading = lineOf(doc, '## Section 2: Architecture');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(heading, 8));
    const text = hoverText(hovers ?? []);
    assert.match(text, /Architecture/, `hover text: ${JSON.stringify(text.slice(0, 300))}`);
  });
});
