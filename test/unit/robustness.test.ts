import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CodeAction, Diagnostic, DocumentSymbol } from 'vscode-languageserver-types';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import { LspClient } from '../support/lsp';
import { edit, example, lint } from '../support/lint';
import { lspLines, offsetOf, rangeProblem } from '../support/generate';
import { SERVER_COMMANDS } from '../../server/src/protocol';

// Protocol robustness over stdio: the built server (`npm run build`) driven by a client that misbehaves.
// After each misbehaviour the server must still answer, checked by `stillServing`.

const ROOT = 'file:///robust';
const RUNBOOK = `${ROOT}/runbooks/payments-runbook.md`;
const broken = edit(example, '| **Classification** | Confidential |', '| **Classification** | Urgent |');

const clients: LspClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

async function start(settings: unknown = {}): Promise<LspClient> {
  const client = new LspClient();
  clients.push(client);
  client.settings = settings;
  await client.initialize(ROOT);
  return client;
}

/** The server answers a real request about a real runbook correctly. */
async function stillServing(client: LspClient, uri = RUNBOOK): Promise<void> {
  const symbols = await client.request<DocumentSymbol[] | null>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.equal(symbols?.[0]?.name, 'System Runbook: Payments API', 'the server stopped serving');
}

/** How many diagnostics publications a document has had. */
const published = (client: LspClient, uri: string) => client.diagnostics.get(uri)?.length ?? 0;

/** The first publication for `uri` after the first `count` ones. */
function nextPublication(client: LspClient, uri: string, count: number) {
  return client.until(() => client.diagnostics.get(uri)?.[count], `publication #${count + 1} of ${uri}`);
}

/** Messages the server wrote to its log (window/logMessage), not pop-ups. */
const logLines = (client: LspClient) => client.logs.filter((l) => !l.startsWith('Runbook Tools:'));

/** What a person sees of diagnostics (fix data carries the version). */
const seen = (list: Diagnostic[]) => list.map((d) => ({ code: d.code, range: d.range, message: d.message, severity: d.severity }));

test('requests for documents the server never saw answer null, and notifications about them are ignored', async () => {
  const client = await start();
  await client.open(RUNBOOK, example);
  await client.diagnosticsOf(RUNBOOK, 1);
  const unknown = `${ROOT}/runbooks/never-opened-runbook.md`;
  const textDocument = { uri: unknown };
  const position = { line: 3, character: 4 };
  assert.equal(await client.request('textDocument/hover', { textDocument, position }), null);
  assert.equal(await client.request('textDocument/definition', { textDocument, position }), null);
  assert.equal(await client.request('textDocument/completion', { textDocument, position }), null);
  assert.equal(await client.request('textDocument/documentSymbol', { textDocument }), null);
  assert.equal(await client.request('textDocument/foldingRange', { textDocument }), null);
  const actions = await client.request<unknown[] | null>('textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics: [] } });
  assert.ok(actions === null || (Array.isArray(actions) && actions.length === 0), JSON.stringify(actions));
  const command = await client.request<{ applied: boolean }>('workspace/executeCommand', { command: SERVER_COMMANDS.markReviewed, arguments: [unknown] });
  assert.equal(command.applied, false);
  await client.change(unknown, 2, 'changed');
  await client.connection.sendNotification('textDocument/didClose', { textDocument });
  await client.connection.sendNotification('textDocument/didSave', { textDocument });
  await stillServing(client);
  assert.equal(client.diagnostics.get(unknown), undefined, 'nothing is published for a document that was never opened');
});

test('positions out of range (line 10^6, past the line end, negative) answer without error or within the document', async () => {
  const client = await start();
  await client.open(RUNBOOK, example);
  await client.diagnosticsOf(RUNBOOK, 1);
  const lines = lspLines(example);
  const textDocument = { uri: RUNBOOK };
  for (const position of [
    { line: 1_000_000, character: 0 },
    { line: 0, character: 1_000_000 },
    { line: lines.length, character: 0 },
    { line: 2 ** 31 - 1, character: 2 ** 31 - 1 },
  ]) {
    const hover = await client.request<{ range?: Diagnostic['range'] } | null>('textDocument/hover', { textDocument, position });
    if (hover?.range) assert.equal(rangeProblem(lines, hover.range), undefined);
    const location = await client.request<{ range: Diagnostic['range'] } | null>('textDocument/definition', { textDocument, position });
    if (location) assert.equal(rangeProblem(lines, location.range), undefined);
    const completion = await client.request<{ items: { textEdit?: { range: Diagnostic['range'] } }[] } | null>('textDocument/completion', { textDocument, position });
    for (const item of completion?.items ?? []) if (item.textEdit) assert.equal(rangeProblem(lines, item.textEdit.range), undefined);
  }
  // Negative numbers break the protocol (uinteger): an error response is as good as null; a crash is not.
  for (const method of ['textDocument/hover', 'textDocument/definition', 'textDocument/completion']) {
    await client.request(method, { textDocument, position: { line: -1, character: -7 } }).catch((error: Error) => assert.ok(error.message));
  }
  await stillServing(client);
});

test('a stale version (didChange with an older version number) does not confuse what is published later', async () => {
  const client = await start();
  await client.open(RUNBOOK, example, 5);
  assert.deepEqual(await client.diagnosticsOf(RUNBOOK, 5), []);
  await client.change(RUNBOOK, 3, broken);
  await client.change(RUNBOOK, 6, example.replace('| **Version** | 2.4 |', '| **Version** | 2.5 |'));
  assert.deepEqual(await client.diagnosticsOf(RUNBOOK, 6), []);
  const last = client.diagnostics.get(RUNBOOK)!.at(-1)!;
  assert.equal(last.version, 6, 'the last publication is for the newest version');
  await stillServing(client);
});

test(
  'a change that repeats the current version number is not answered from the old text',
  async () => {
    const client = await start();
    await client.open(RUNBOOK, example, 1);
    assert.deepEqual(await client.diagnosticsOf(RUNBOOK, 1), []);
    const count = published(client, RUNBOOK);
    await client.change(RUNBOOK, 1, broken);
    const next = await nextPublication(client, RUNBOOK, count);
    // The server holds the new text under the old number: what it publishes must be about that text.
    assert.deepEqual(seen(next.diagnostics), seen(await lint(broken, { uri: RUNBOOK })));
  },
);

test('a burst of 1,000 didChange notifications: the final version is published, matching a fresh analysis, and no older one after it', async () => {
  const client = await start();
  await client.open(RUNBOOK, example, 1);
  await client.diagnosticsOf(RUNBOOK, 1);
  const before = published(client, RUNBOOK);
  // Typing 1,000 characters, one change each, into the System Name cell, as incremental edits.
  const lines = lspLines(example);
  const line = lines.findIndex((l) => l.startsWith('| **System Name** |'));
  const column = lines[line].indexOf('Payments API') + 'Payments API'.length;
  let text = example;
  const typed = ' (payments-api-prod, us-east-1, Northwind) '.repeat(30).slice(0, 1000);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < typed.length; i++) {
    const at = { line, character: column + i };
    sends.push(client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: RUNBOOK, version: i + 2 }, contentChanges: [{ range: { start: at, end: at }, text: typed[i] }] }));
  }
  await Promise.all(sends);
  text = example.replace('| **System Name** | Payments API', `| **System Name** | Payments API${typed}`);
  const final = typed.length + 1;
  const diagnostics = await client.diagnosticsOf(RUNBOOK, final);
  assert.deepEqual(seen(diagnostics), seen(await lint(text, { uri: RUNBOOK })));
  await stillServing(client);
  const after = client.diagnostics.get(RUNBOOK)!.slice(before);
  assert.equal(after.at(-1)!.version, final, 'nothing older is published after the final version');
  const versions = after.map((p) => p.version ?? 0);
  assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `publications out of order: ${versions.join(', ')}`);
  assert.ok(after.length < 50, `debounce: ${after.length} publications for 1,000 changes`);
});

test('invalid settings: one clear log message per problem, defaults used, the server keeps serving', async () => {
  const client = await start();
  const other = `${ROOT}/runbooks/other-runbook.md`;
  await client.open(RUNBOOK, broken);
  await client.open(other, example);
  await client.diagnosticsOf(RUNBOOK, 1);
  await client.diagnosticsOf(other, 1);
  const count = published(client, RUNBOOK);
  client.settings = { rules: { 'no-such': 'loud' }, files: 7, maxFileSize: 'x' };
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const next = await nextPublication(client, RUNBOOK, count);
  await nextPublication(client, other, count);
  // Defaults: the default globs still make both runbooks, all rules at their default severity.
  assert.deepEqual(seen(next.diagnostics), seen(await lint(broken, { uri: RUNBOOK })));
  const problems = [/unknown rule "no-such"/, /runbook\.files/, /runbook\.maxFileSize/];
  for (const problem of problems) {
    const lines = logLines(client).filter((l) => problem.test(l));
    assert.equal(lines.length, 1, `${problem}: ${JSON.stringify(lines)} (all: ${JSON.stringify(logLines(client))})`);
  }
  await stillServing(client);
});

test('a document over maxFileSize gets one information diagnostic "Not checked..." and nothing else', async () => {
  const client = await start({ maxFileSize: 1000 });
  await client.open(RUNBOOK, broken);
  const [only, ...rest] = await client.diagnosticsOf(RUNBOOK, 1);
  assert.deepEqual(rest, []);
  assert.equal(only.severity, 3);
  assert.match(only.message, /^Not checked: the document is larger than runbook\.maxFileSize/);
  assert.deepEqual(only.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  const small = `${ROOT}/runbooks/small-runbook.md`;
  await client.open(small, '# System Runbook: Tiny\n\n## Document Information\n');
  assert.ok((await client.diagnosticsOf(small, 1)).some((d) => d.code === 'missing-section'), 'a document under the limit is checked');
  assert.equal(await client.request('textDocument/documentSymbol', { textDocument: { uri: RUNBOOK } }), null, 'nothing else is computed for it either');
  const symbols = await client.request<DocumentSymbol[] | null>('textDocument/documentSymbol', { textDocument: { uri: small } });
  assert.equal(symbols?.[0]?.name, 'System Runbook: Tiny', 'the server keeps serving documents under the limit');
});

test('maxFileSize counts bytes, as the setting says: 400 CJK characters (1,200 UTF-8 bytes) are over a 1,000-byte limit', async () => {
  const client = await start({ maxFileSize: 1000 });
  await client.open(RUNBOOK, `# System Runbook: 账本\n\n${'账'.repeat(400)}\n`);
  const diagnostics = await client.diagnosticsOf(RUNBOOK, 1);
  assert.deepEqual(diagnostics.map((d) => d.message.slice(0, 12)), ['Not checked:']);
});

test('ordinary Markdown over maxFileSize gets nothing, like any ordinary Markdown', async () => {
  const client = await start({ maxFileSize: 1000 });
  const notes = `${ROOT}/notes/meeting-notes.md`;
  await client.open(notes, `# Meeting notes\n\n${'We talked about the release. '.repeat(100)}\n`);
  assert.deepEqual(await client.diagnosticsOf(notes, 1), []);
});

test('a template path that does not exist: one clear message, the built-in template keeps working', async () => {
  const client = await start({ template: '/nope.md' });
  const other = `${ROOT}/runbooks/other-runbook.md`;
  await client.open(RUNBOOK, broken);
  await client.open(other, example);
  assert.deepEqual(seen(await client.diagnosticsOf(RUNBOOK, 1)), seen(await lint(broken, { uri: RUNBOOK })));
  assert.deepEqual(await client.diagnosticsOf(other, 1), []);
  const messages = logLines(client).filter((l) => l.includes('/nope.md'));
  assert.equal(messages.length, 1, JSON.stringify(logLines(client)));
  assert.match(messages[0], /Template "\/nope\.md" cannot be read \(the file does not exist\); using the built-in System Runbook template\./);
  await stillServing(client);
});

test('nothing the server writes (log, messages, diagnostics, code actions) holds a credential or, in its log, document text', async () => {
  const positives = readFileSync(new URL('../fixtures/secrets/positives.md', import.meta.url), 'utf8');
  const sentinel = 'Quartz-zebra sentinel sentence 4471 of the ledger runbook.';
  const text = `${positives}\n${sentinel}\n`;
  const uri = `${ROOT}/runbooks/leaky-runbook.md`;
  const client = await start();
  let raw = '';
  client.process.stdout!.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  client.process.stderr!.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  await client.open(uri, text);
  const diagnostics = await client.diagnosticsOf(uri, 1);
  // Work that writes to the log and answers with text: a settings problem, an edit, code actions, a command.
  client.settings = { rules: { secret: 'loud' } };
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await client.change(uri, 2, text + '\npassword: Hk7vQ2pLx9Ze\n');
  await nextPublication(client, uri, 1);
  await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lspLines(text).length, character: 0 } }, context: { diagnostics } });
  await client.request('workspace/executeCommand', { command: 'runbook.server.no-such-command', arguments: [uri] }).catch(() => undefined);
  await stillServing(client, uri).catch(() => undefined);

  const found = diagnostics.filter((d) => d.code === 'secret');
  assert.ok(found.length >= 20, `the fixture's credentials are found (${found.length})`);
  const tokens = new Set([...found.map((d) => text.slice(offsetOf(text, d.range.start), offsetOf(text, d.range.end))), 'Hk7vQ2pLx9Ze'].flatMap((s) => s.match(/[A-Za-z0-9+/=_.~-]{8,}/g) ?? []));
  const leaked = [...tokens].filter((t) => raw.includes(t));
  assert.deepEqual(leaked, [], 'credential text in what the server wrote');
  const logged = client.logs.join('\n');
  assert.ok(logged.length > 0, 'the server logged something (the settings problem)');
  assert.ok(!logged.includes('Quartz-zebra') && !logged.includes('4471 of the ledger'), 'document text in the log');
});

test('a fix-all request cancelled while it runs answers RequestCancelled; asked again, it answers; the server keeps serving', async () => {
  const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
  const uri = `${ROOT}/runbooks/checkout-worker.md`;
  const client = await start();
  await client.open(uri, draft);
  await client.diagnosticsOf(uri, 1);
  const params = { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } };
  const source = new CancellationTokenSource();
  const cancelled = client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', params, source.token);
  source.cancel();
  await assert.rejects(cancelled, (error: { code?: number }) => error.code === -32800, 'RequestCancelled (-32800)');
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', params);
  assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.runbook']);
  await client.open(RUNBOOK, example);
  await stillServing(client);
});
