import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Diagnostic, Location, SymbolInformation, TextDocumentEdit } from 'vscode-languageserver-types';
import { LspClient } from '../support/lsp';
import { TODAY, edit, example, marked } from '../support/lint';
import { RunbookLanguageService } from '../../server/src/service/languageService';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { defaultSettings } from '../../server/src/service/settings';
import { applyEdits } from '../../server/src/service/edits';
import type { LinkResolver, LinkTarget } from '../../server/src/service/rules/types';
import { SERVER_COMMANDS, WORKSPACE_CHANGED_NOTIFICATION, WORKSPACE_SUMMARY_REQUEST, type WorkspaceChangedParams, type WorkspaceSummary } from '../../server/src/protocol';
import { outlineHeadings, workspaceSymbols } from '../../server/src/service/features/workspaceSymbols';

// The workspace index over a real folder: the built server over stdio, files changed on disk and
// announced with workspace/didChangeWatchedFiles as an editor's file watcher does.

const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
const notes = readFileSync(new URL('../../examples/notes.md', import.meta.url), 'utf8');

const LEDGER = marked(`# System Runbook: Ledger

## Section 8: Rollback Procedures

Roll back as [Payments does](../payments-api-runbook.md#section-8-rollback-procedures), not as [this](«../payments-api-runbook.md#section-8-rollbak»).
See [the worker](checkout-worker.md), [billing](«../billing-runbook.md»), [a diagram](diagram.png) and [the docs](https://example.com/x.md).
`);

const root = mkdtempSync(join(tmpdir(), 'runbook-workspace-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(relative: string, text: string): string {
  const path = join(root, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return pathToFileURL(path).href;
}

const PAYMENTS = write('payments-api-runbook.md', example);
const CHECKOUT = write('runbooks/checkout-worker.md', draft);
const LEDGER_URI = write('runbooks/ledger.md', LEDGER.text);
const NOTES = write('notes.md', notes);
const DEPENDENCY = write('node_modules/some-package/runbook.md', draft);
const DOT_FOLDER = write('.github/runbook.md', draft);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a request until its answer satisfies `ok` (the server works in the background), with a deadline. */
async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await sleep(100);
  }
}

const summaryOf = (c: LspClient, uris?: string[]) => c.request<WorkspaceSummary>(WORKSPACE_SUMMARY_REQUEST, uris ? { uris } : {});
const indexed = (c: LspClient) => eventually(() => summaryOf(c), (s) => !s.indexing, 'the first scan');

/** The last diagnostics published for a closed file (no version). */
function published(c: LspClient, uri: string): Diagnostic[] | undefined {
  const last = c.diagnostics.get(uri)?.at(-1);
  return last && last.version === undefined ? last.diagnostics : undefined;
}

function fileEvent(c: LspClient, uri: string, type: 1 | 2 | 3): Promise<void> {
  return c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type }] });
}

let client: LspClient;
const changes: ({ uris?: string[] } | undefined)[] = [];

before(async () => {
  client = new LspClient();
  client.connection.onNotification(WORKSPACE_CHANGED_NOTIFICATION, (p: WorkspaceChangedParams) => changes.push(p));
  const init = await client.initialize(pathToFileURL(root).href);
  assert.equal(init.capabilities.workspaceSymbolProvider, true);
  assert.ok(init.capabilities.codeLensProvider);
  await indexed(client);
});

after(() => client.stop());

test('closed runbooks are checked in the background and their diagnostics published; other Markdown is not', async () => {
  const checkout = await client.until(() => published(client, CHECKOUT), 'diagnostics of the closed draft');
  const codes = new Set(checkout.map((d) => d.code));
  for (const rule of ['missing-section', 'placeholder', 'review-overdue']) assert.ok(codes.has(rule), rule);
  assert.deepEqual(await client.until(() => published(client, PAYMENTS), 'diagnostics of the clean runbook'), []);
  for (const uri of [NOTES, DEPENDENCY, DOT_FOLDER]) assert.equal(client.diagnostics.has(uri), false, uri);
  const summary = await summaryOf(client);
  assert.deepEqual(
    summary.runbooks.map((r) => r.uri),
    [PAYMENTS, CHECKOUT, LEDGER_URI],
  );
  assert.equal(summary.markdownFiles, 4);
  assert.ok(changes.length > 0, 'runbook/workspaceChanged was sent');
});

test('runbook/workspaceSummary: completeness, placeholders, problems and review status of each runbook', async () => {
  const { runbooks } = await summaryOf(client);
  const payments = runbooks.find((r) => r.uri === PAYMENTS)!.summary;
  assert.equal(payments.title, 'System Runbook: Payments API');
  assert.deepEqual(payments.sections, { present: 14, expected: 14 });
  assert.deepEqual([payments.placeholders, payments.errors, payments.warnings], [0, 0, 0]);
  assert.deepEqual(payments.review, { status: 'ok', date: '2027-02-20', days: 85 });
  assert.equal(payments.text, '14/14 sections');

  const checkout = runbooks.find((r) => r.uri === CHECKOUT)!.summary;
  assert.deepEqual(checkout.sections, { present: 7, expected: 14 });
  assert.equal(checkout.placeholders, 3);
  assert.deepEqual(checkout.review, { status: 'overdue', date: '2026-06-01', days: -179 });
  assert.equal(checkout.completeness, '7/14 sections · 3 placeholders');
  assert.equal(checkout.text, '7/14 sections · 3 placeholders · review overdue');
  // The counts are those of the diagnostics the editor shows.
  const diagnostics = published(client, CHECKOUT)!;
  assert.equal(checkout.errors, diagnostics.filter((d) => d.severity === 1).length);
  assert.equal(checkout.warnings, diagnostics.filter((d) => d.severity === 2).length);
  assert.equal(checkout.placeholders, diagnostics.filter((d) => d.code === 'placeholder').length);

  // Sections in document order, each missing one where the template puts it, present ones with their heading line.
  const lines = draft.split('\n');
  const outline = checkout.outline.map((s) => (s.present ? `${s.heading} @${s.line}` : `(missing) ${s.title}`));
  assert.deepEqual(outline, [
    `Document Information @${lines.indexOf('## Document Information')}`,
    `Table of Contents @${lines.indexOf('## Table of Contents')}`,
    `Section 1: System Overview @${lines.indexOf('## Section 1: System Overview')}`,
    `Section 2: Architecture @${lines.indexOf('## Section 2: Architecture')}`,
    `Section 3: Access and Credentials @${lines.indexOf('## Section 3: Access and Credentials')}`,
    `Section 4: Deployment Procedures @${lines.indexOf('## Section 4: Deployment Procedures')}`,
    `Section 5: Monitoring and Alerts @${lines.indexOf('## Section 5: Monitoring and Alerts')}`,
    '(missing) Routine Operations',
    '(missing) Incident Response',
    '(missing) Rollback Procedures',
    '(missing) Troubleshooting Guide',
    '(missing) Contact Information',
    '(missing) Change Log',
    '(missing) Appendix',
  ]);

  const only = await summaryOf(client, [CHECKOUT, NOTES]);
  assert.deepEqual(only.runbooks.map((r) => r.uri), [CHECKOUT]);
});

test('workspace symbols: "Rollback" finds the rollback sections of both runbooks, named after their runbook', async () => {
  const symbols = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'Rollback' });
  const sections = symbols.filter((s) => s.name === 'Section 8: Rollback Procedures');
  assert.deepEqual(sections.map((s) => [s.location.uri, s.containerName, s.kind]).sort(), [
    [PAYMENTS, 'System Runbook: Payments API', 2],
    [LEDGER_URI, 'System Runbook: Ledger', 2],
  ]);
  const payments = sections.find((s) => s.location.uri === PAYMENTS)!;
  assert.equal(payments.location.range.start.line, example.split('\n').indexOf('## Section 8: Rollback Procedures'));
  assert.ok(symbols.some((s) => s.name === '8.1 When to Rollback' && s.kind === 3));
  // Substring matches come before fuzzy ones.
  const kinds = symbols.map((s) => /rollback/i.test(s.name));
  assert.ok(kinds.lastIndexOf(true) < (kinds.indexOf(false) === -1 ? Infinity : kinds.indexOf(false)), 'substring matches first');
  // Fuzzy: the query's characters in order.
  const fuzzy = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'rollproc' });
  assert.ok(fuzzy.some((s) => s.name === 'Section 8: Rollback Procedures'));
  // Headings of non-runbooks are not symbols.
  const agenda = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'Agenda' });
  assert.deepEqual(agenda, []);
});

test('cross-file links: a missing file or heading is reported naming the file; a good link navigates', async () => {
  const broken = (await client.until(() => published(client, LEDGER_URI), 'diagnostics of the ledger')).filter((d) => d.code === 'broken-link');
  assert.deepEqual(
    broken.map((d) => d.range),
    LEDGER.ranges,
  );
  assert.match(broken[0].message, /"#section-8-rollbak" matches no heading in "\.\.\/payments-api-runbook\.md"/);
  assert.equal(broken[1].message, 'Linked file "../billing-runbook.md" does not exist.');

  await client.open(LEDGER_URI, LEDGER.text);
  const lines = LEDGER.text.split('\n');
  const linkLine = lines.findIndex((l) => l.includes('[Payments does]'));
  const toHeading = await client.request<Location>('textDocument/definition', { textDocument: { uri: LEDGER_URI }, position: { line: linkLine, character: lines[linkLine].indexOf('Payments does') } });
  assert.equal(toHeading.uri, PAYMENTS);
  assert.equal(toHeading.range.start.line, example.split('\n').indexOf('## Section 8: Rollback Procedures'));
  const fileLine = lines.findIndex((l) => l.includes('[the worker]'));
  const toFile = await client.request<Location>('textDocument/definition', { textDocument: { uri: LEDGER_URI }, position: { line: fileLine, character: lines[fileLine].indexOf('the worker') } });
  assert.deepEqual(toFile, { uri: CHECKOUT, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
});

test('a file appearing on disk fixes the links to it, in open documents and closed ones', async () => {
  // The ledger is open (previous test): its diagnostics carry a version.
  const open = await client.diagnosticsOf(LEDGER_URI, 1);
  assert.equal(open.filter((d) => d.code === 'broken-link').length, 2);
  const billing = write('billing-runbook.md', '# System Runbook: Billing\n');
  await fileEvent(client, billing, 1);
  await client.until(() => {
    const last = client.diagnostics.get(LEDGER_URI)?.at(-1);
    return last && last.version === 1 && last.diagnostics.filter((d) => d.code === 'broken-link').length === 1 ? true : undefined;
  }, 'the open ledger checked again');
  // Closing it falls back to the file's analysis, which the new file fixed too.
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: LEDGER_URI } });
  const closed = await client.until(() => published(client, LEDGER_URI), 'the file analysis after closing');
  const stillBroken = closed.filter((d) => d.code === 'broken-link');
  assert.equal(stillBroken.length, 1);
  assert.match(stillBroken[0].message, /"#section-8-rollbak" matches no heading/);
  // And its deletion breaks the link again.
  unlinkSync(join(root, 'billing-runbook.md'));
  await fileEvent(client, billing, 3);
  const again = await client.until(() => {
    const list = published(client, LEDGER_URI)?.filter((d) => d.code === 'broken-link');
    return list?.length === 2 ? list : undefined;
  }, 'the ledger checked again after the deletion');
  assert.equal(again[1].message, 'Linked file "../billing-runbook.md" does not exist.');
});

test('file events: a created, changed and deleted runbook updates its diagnostics and the summary', async () => {
  const relative = 'runbooks/new-service.md';
  const full = edit(example, '# System Runbook: Payments API', '# System Runbook: New Service');
  const withoutRollback = edit(full, full.slice(full.indexOf('## Section 8:'), full.indexOf('## Section 9:')), '');
  const uri = write(relative, withoutRollback);
  await fileEvent(client, uri, 1);
  const created = await client.until(() => published(client, uri), 'diagnostics of the new runbook');
  // The section is missing, and the table of contents lists it.
  assert.deepEqual(created.map((d) => d.code).sort(), ['missing-section', 'toc']);
  const first = await eventually(() => summaryOf(client, [uri]), (s) => s.runbooks.length === 1, 'the new runbook in the summary');
  assert.equal(first.runbooks[0].summary.text, '13/14 sections');

  const before = client.diagnostics.get(uri)!.length;
  const notified = changes.length;
  write(relative, full);
  await fileEvent(client, uri, 2);
  await client.until(() => (client.diagnostics.get(uri)!.length > before ? true : undefined), 'diagnostics after the change');
  assert.deepEqual(published(client, uri), []);
  const changed = await summaryOf(client, [uri]);
  assert.equal(changed.runbooks[0].summary.text, '14/14 sections');
  await eventually(async () => changes.length, (n) => n > notified, 'runbook/workspaceChanged after the change');

  unlinkSync(join(root, relative));
  const beforeDelete = client.diagnostics.get(uri)!.length;
  await fileEvent(client, uri, 3);
  await client.until(() => (client.diagnostics.get(uri)!.length > beforeDelete ? true : undefined), 'diagnostics cleared');
  assert.deepEqual(published(client, uri), []);
  assert.deepEqual((await summaryOf(client, [uri])).runbooks, []);
});

test('an open document takes precedence over its file; closing it restores the file analysis', async () => {
  const reviewed = edit(draft, '| **Next Review** | 2026-06-01 |', '| **Next Review** | 2027-03-01 |');
  await client.open(CHECKOUT, reviewed, 7);
  const open = await client.diagnosticsOf(CHECKOUT, 7);
  assert.ok(!open.some((d) => d.code === 'review-overdue'));
  const summary = await eventually(() => summaryOf(client, [CHECKOUT]), (s) => s.runbooks[0]?.summary.review.status === 'ok', 'the open version in the summary');
  assert.equal(summary.runbooks[0].summary.text, '7/14 sections · 3 placeholders');
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: CHECKOUT } });
  const closed = await client.until(() => published(client, CHECKOUT), 'the file analysis after closing');
  assert.ok(closed.some((d) => d.code === 'review-overdue'));
  const back = await summaryOf(client, [CHECKOUT]);
  assert.equal(back.runbooks[0].summary.review.status, 'overdue');
});

test('code lenses: the summary as a label, then each action that applies, titled by what it does', async () => {
  const lenses = async (uri: string, text: string) => {
    await client.open(uri, text);
    const found = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    for (const lens of found) assert.deepEqual(lens.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    return found.map((l) => l.command!);
  };
  const missing = await lenses(CHECKOUT, draft);
  assert.deepEqual(missing, [
    { title: '7/14 sections · 3 placeholders · review overdue', command: '' },
    { title: 'Insert 7 missing sections and 7 subsections', command: SERVER_COMMANDS.insertMissingSections, arguments: [CHECKOUT] },
    { title: 'Mark as reviewed', command: SERVER_COMMANDS.markReviewed, arguments: [CHECKOUT] },
  ]);
  assert.deepEqual(await lenses(PAYMENTS, example), [{ title: '14/14 sections', command: '' }]);
  const dueSoon = pathToFileURL(join(root, 'runbooks/due-soon.md')).href;
  assert.deepEqual(await lenses(dueSoon, edit(example, '| **Next Review** | 2027-02-20 |', '| **Next Review** | 2026-12-05 |')), [
    { title: '14/14 sections · review due in 8 days', command: '' },
    { title: 'Mark as reviewed', command: SERVER_COMMANDS.markReviewed, arguments: [dueSoon] },
  ]);
  const late = await lenses(pathToFileURL(join(root, 'runbooks/late.md')).href, edit(example, '| **Next Review** | 2027-02-20 |', '| **Next Review** | 2026-01-05 |'));
  assert.deepEqual(late.map((c) => c.title), ['14/14 sections · review overdue', 'Mark as reviewed']);
  assert.equal(await client.request('textDocument/codeLens', { textDocument: { uri: NOTES } }), null);
});

test('runbook.server.insertSection inserts one missing section, the missing-section fix', async () => {
  // CHECKOUT is open at version 1 (previous test).
  const result = await client.request<{ applied: boolean }>('workspace/executeCommand', { command: SERVER_COMMANDS.insertSection, arguments: [CHECKOUT, 'Rollback Procedures'] });
  assert.equal(result.applied, true);
  const change = client.appliedEdits.at(-1)!.documentChanges![0] as TextDocumentEdit;
  assert.equal(change.textDocument.uri, CHECKOUT);
  // The section, and its entry in the table of contents.
  const sections = change.edits.filter((e) => /^## /m.test(e.newText));
  assert.equal(sections.length, 1);
  assert.ok(change.edits.length <= 2);
  assert.match(sections[0].newText, /^## Section 8: Rollback Procedures/m);
  assert.doesNotMatch(sections[0].newText, /## Section 9/);
  const present = await client.request<{ applied: boolean; reason: string }>('workspace/executeCommand', { command: SERVER_COMMANDS.insertSection, arguments: [CHECKOUT, 'Architecture'] });
  assert.equal(present.applied, false);
});

test('with runbook.diagnostics.workspace off, closed runbooks are indexed but their diagnostics are not published', async () => {
  const quiet = new LspClient();
  quiet.settings = { diagnostics: { workspace: false } };
  try {
    await quiet.initialize(pathToFileURL(root).href);
    const summary = await indexed(quiet);
    assert.ok(summary.runbooks.some((r) => r.uri === CHECKOUT));
    assert.equal(quiet.diagnostics.has(CHECKOUT), false);
    await quiet.open(CHECKOUT, draft);
    assert.ok((await quiet.diagnosticsOf(CHECKOUT, 1)).length > 0);
    await quiet.connection.sendNotification('textDocument/didClose', { textDocument: { uri: CHECKOUT } });
    assert.deepEqual(await quiet.until(() => published(quiet, CHECKOUT), 'diagnostics cleared on close'), []);
  } finally {
    await quiet.stop();
  }
});

test('the index stops at its file limit and says so', async () => {
  const small = mkdtempSync(join(tmpdir(), 'runbook-limit-'));
  for (const name of ['a', 'b', 'c']) writeFileSync(join(small, `${name}-runbook.md`), `# System Runbook: ${name}\n`);
  const capped = new LspClient({ RUNBOOK_INDEX_LIMIT: '2' });
  try {
    await capped.initialize(pathToFileURL(small).href);
    const summary = await indexed(capped);
    assert.equal(summary.markdownFiles, 2);
    assert.ok(capped.logs.some((l) => /stopped at 2 Markdown files/.test(l)));
  } finally {
    await capped.stop();
    rmSync(small, { recursive: true, force: true });
  }
});

// The language service alone: cross-file links through a resolver, summaries and symbols.

const service = new RunbookLanguageService();
const schema = builtinTemplate();
let version = 0;
const modelOf = (text: string, uri = 'file:///work/runbooks/test-runbook.md') => service.getModel({ uri, version: ++version, getText: () => text });

/** A resolver over a few in-memory files, by the path written in the link. */
function resolver(files: Record<string, string>): LinkResolver {
  return {
    resolve(path) {
      const text = files[path];
      if (text === undefined) return path.endsWith('.md') ? 'missing' : undefined;
      const model = modelOf(text, `file:///work/${path}`);
      const target: LinkTarget = { uri: model.uri, anchors: model.anchors, headings: outlineHeadings(model) };
      return target;
    },
  };
}

const other = '# Other\n\n## Section 8: Rollback Procedures\n\n<a name="custom-anchor"></a>\n';

test('service: cross-file links are checked only with a resolver, only for Markdown files, and can be suppressed', async () => {
  const { text, ranges } = marked(
    [
      '# System Runbook: X',
      '',
      '[ok](other.md#section-8-rollback-procedures) [html anchor](other.md#custom-anchor) [file](other.md) [url](https://example.com/a.md#nope) [image](pic.png#x)',
      '[bad](«other.md#section-8-rollbak») [gone](«missing.md#anything»)',
      '<!-- runbook-disable-next-line broken-link -- generated by the wiki -->',
      '[suppressed](missing.md)',
      '',
    ].join('\n'),
  );
  const links = resolver({ 'other.md': other });
  const model = modelOf(text);
  const diagnostics = (await service.diagnostics(model, schema, defaultSettings, TODAY, undefined, links))!.filter((d) => d.code === 'broken-link');
  assert.deepEqual(diagnostics.map((d) => d.range), ranges);
  assert.equal(diagnostics[0].message, 'Link target "#section-8-rollbak" matches no heading in "other.md"; did you mean "#section-8-rollback-procedures"?');
  assert.equal(diagnostics[1].message, 'Linked file "missing.md" does not exist.');
  const without = (await service.diagnostics(model, schema, defaultSettings, TODAY))!.filter((d) => d.code === 'broken-link');
  assert.deepEqual(without, []);
  const off = (await service.diagnostics(model, schema, { ...defaultSettings, rules: { 'broken-link': 'off' } }, TODAY, undefined, links))!.filter((d) => d.code === 'broken-link');
  assert.deepEqual(off, []);
  // The fix points the link at the closest heading of the other file and keeps its path.
  const fix = (diagnostics[0].data as { fixes: { edits: { newText: string }[] }[] }).fixes[0];
  assert.equal(fix.edits[0].newText, 'other.md#section-8-rollback-procedures');
});

test('service: go to definition follows a link into another file, to its heading or its start', () => {
  const text = '# System Runbook: X\n\n[a](other.md#section-8-rollback-procedures) [b](other.md) [c](missing.md#x)\n';
  const model = modelOf(text);
  const links = resolver({ 'other.md': other });
  const at = (needle: string) => ({ line: 2, character: text.split('\n')[2].indexOf(needle) + 1 });
  const heading = '## Section 8: Rollback Procedures';
  assert.deepEqual(service.definition(model, at('[a]'), links), { uri: 'file:///work/other.md', range: { start: { line: 2, character: 0 }, end: { line: 2, character: heading.length } } });
  assert.deepEqual(service.definition(model, at('[b]'), links)?.range.start, { line: 0, character: 0 });
  assert.equal(service.definition(model, at('[c]'), links), undefined);
  assert.equal(service.definition(model, at('[a]')), undefined);
});

test('service: summary review status is overdue, due within 14 days with days left, ok or unknown', async () => {
  const review = (value: string) => {
    const model = modelOf(edit(example, '| **Next Review** | 2027-02-20 |', `| **Next Review** | ${value} |`));
    return service.summary(model, schema, [], TODAY);
  };
  assert.deepEqual(review('2026-11-26').review, { status: 'overdue', date: '2026-11-26', days: -1 });
  assert.deepEqual(review('2026-11-27').review, { status: 'due-soon', date: '2026-11-27', days: 0 });
  assert.equal(review('2026-11-27').text, '14/14 sections · review due today');
  assert.equal(review('2026-12-11').text, '14/14 sections · review due in 14 days');
  assert.deepEqual(review('2026-12-12').review, { status: 'ok', date: '2026-12-12', days: 15 });
  assert.deepEqual(review('[DATE]').review, { status: 'unknown' });
});

test('service: the summary of a draft, and of the draft with one section inserted', async () => {
  const model = modelOf(draft);
  const diagnostics = (await service.diagnostics(model, schema, defaultSettings, TODAY))!;
  const summary = service.summary(model, schema, diagnostics, TODAY);
  assert.equal(summary.text, '7/14 sections · 3 placeholders · review overdue');
  const edits = await service.insertSection(model, schema, 'Section 8: Rollback Procedures', TODAY);
  // The section and its table-of-contents entry.
  assert.equal(edits.filter((e) => /^## /m.test(e.newText)).length, 1);
  assert.ok(edits.length <= 2);
  const after = modelOf(applyEdits(draft, edits));
  const next = service.summary(after, schema, [], TODAY);
  assert.deepEqual(next.sections, { present: 8, expected: 14 });
  const rollback = next.outline.find((s) => s.title === 'Rollback Procedures')!;
  assert.equal(rollback.present, true);
  assert.equal(applyEdits(draft, edits).split('\n')[rollback.line!], '## Section 8: Rollback Procedures');
  assert.deepEqual(await service.insertSection(model, schema, 'Architecture', TODAY), []);
});

test('service: workspace symbols match substrings first, then characters in order, sections to components only', () => {
  const model = modelOf('# System Runbook: X\n\n## Rollback\n\n### Roll it back\n\n#### Ready to roll\n\n##### Too deep rollback\n');
  const headings = outlineHeadings(model);
  const names = (query: string) => workspaceSymbols([{ uri: model.uri, title: 'X', sectionDepth: 2, headings }], query).map((s) => s.name);
  assert.deepEqual(names('ROLLBACK'), ['Rollback', 'Roll it back']);
  // Each symbol's place is its heading line, from the first character to the line's end.
  const [roll] = workspaceSymbols([{ uri: model.uri, title: 'X', sectionDepth: 2, headings }], 'Roll it back');
  assert.deepEqual(roll.location.range, { start: { line: 4, character: 0 }, end: { line: 4, character: '### Roll it back'.length } });
  assert.deepEqual(names('rlbk'), ['Rollback', 'Roll it back']);
  assert.deepEqual(names('roll'), ['Rollback', 'Roll it back', 'Ready to roll']);
  assert.deepEqual(names(''), ['Rollback', 'Roll it back', 'Ready to roll']);
});
