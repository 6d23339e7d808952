// What a person does with the browser language server on github.dev, as LSP messages: a repository on a
// virtual file system (`vscode-vfs:`) with a team configuration, a linked guide and a second runbook;
// open a runbook, read its problems, ask for the sections after `## `, apply a quick fix, open a file
// full of pasted credentials. Browser-safe (no Node API, no assertion library): it returns what it saw,
// and test/support/webChecks.ts judges it in Node, for the unit test and for the Chromium page alike.
import { MemoryWorkspace, PortClient, type Endpoint, type Published } from './webClient';

export const ROOT = 'vscode-vfs://github/acme/ops';
export const RUNBOOK = `${ROOT}/runbooks/payments.md`;
export const POSITIVES = `${ROOT}/fixtures/positives.md`;
/** A token in the runbook; no message or log may hold it. */
export const TOKEN = 'ghp_gDQgaFoTFuyqShOk6DmLYLiFLdTZj1ETT0uJ';

export const RUNBOOK_TEXT = [
  '# System Runbook: Payments API',
  '',
  '## Section 1: Document Information',
  '',
  '| **Field** | Value |',
  '|---|---|',
  '| **System Name** | [System Name] |',
  '',
  'Deploys follow [the guide](../docs/guide.md#deployin).',
  '',
  `Release automation: \`curl -H "Authorization: token ${TOKEN}" https://api.github.com/repos/acme/ledger/releases\``,
  '',
  '## ',
  '',
].join('\n');

export const FILES: Record<string, string> = {
  '.runbookrc.json': JSON.stringify({ rules: { placeholder: 'error' } }),
  'README.md': '# Ops\n\nRunbooks live in runbooks/.\n',
  'docs/guide.md': '# Operator guide\n\n## Deploying\n\nUse the pipeline.\n',
  'runbooks/ledger.md': '# System Runbook: Ledger\n\n## Section 8: Rollback Procedures\n\nRoll back with the pipeline.\n',
  'runbooks/payments.md': RUNBOOK_TEXT,
  'node_modules/some-package/runbook.md': '# System Runbook: vendored\n',
};

type Diagnostic = Published['diagnostics'][number];
interface TextEdit {
  range: Diagnostic['range'];
  newText: string;
}
interface CodeAction {
  title: string;
  kind?: string;
  edit?: { changes?: Record<string, TextEdit[]>; documentChanges?: { edits: TextEdit[] }[] };
}

export interface WebObservations {
  capabilities: string[];
  diagnostics: { code?: string | number; severity?: number; line: number; message: string }[];
  completions: string[];
  quickFix: { title: string; after: string; stillMissing: boolean } | undefined;
  runbooks: string[];
  fsRequests: [string, string][];
  positives: number[];
  logs: string[];
}

const isMissingRollback = (d: Diagnostic) => d.code === 'missing-section' && d.message.startsWith('Missing section "Rollback Procedures"');

/** UTF-16 offset of an LSP position. */
function offsetAt(text: string, { line, character }: { line: number; character: number }): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + character, text.length);
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const spans = edits.map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }));
  spans.sort((a, b) => b.start - a.start);
  for (const s of spans) text = text.slice(0, s.start) + s.newText + text.slice(s.end);
  return text;
}

/** Runs the scenario against a server listening on `endpoint`; `positives` is test/fixtures/secrets/positives.md. */
export async function runWebScenario(endpoint: Endpoint, positives: string): Promise<WebObservations> {
  const client = new PortClient(endpoint, new MemoryWorkspace(ROOT, FILES));
  const init = await client.request<{ capabilities: Record<string, unknown> }>('initialize', {
    processId: null,
    rootUri: ROOT,
    workspaceFolders: [{ uri: ROOT, name: 'ops' }],
    capabilities: { workspace: { configuration: true, applyEdit: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  client.notify('initialized', {});
  client.notify('textDocument/didOpen', { textDocument: { uri: RUNBOOK, languageId: 'markdown', version: 1, text: RUNBOOK_TEXT } });
  // The linked guide's headings come from the index, which reads it through the client: the runbook is
  // checked at once and again when they are known.
  const diagnostics = await client.diagnosticsOf(RUNBOOK, 1, (ds) => ds.some((d) => d.code === 'broken-link'));

  const heading = RUNBOOK_TEXT.split('\n').indexOf('## ');
  const completion = await client.request<{ label: string }[] | { items: { label: string }[] } | null>('textDocument/completion', {
    textDocument: { uri: RUNBOOK },
    position: { line: heading, character: 3 },
  });
  const items = Array.isArray(completion) ? completion : (completion?.items ?? []);

  let quickFix: WebObservations['quickFix'];
  const missing = diagnostics.find((d) => isMissingRollback(d));
  if (missing) {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: RUNBOOK }, range: missing.range, context: { diagnostics: [missing], only: ['quickfix'] } });
    const fix = actions.find((a) => a.title.includes('Rollback Procedures') && a.edit);
    if (fix) {
      const edits = fix.edit!.changes?.[RUNBOOK] ?? fix.edit!.documentChanges?.flatMap((c) => c.edits) ?? [];
      const after = applyEdits(RUNBOOK_TEXT, edits);
      client.notify('textDocument/didChange', { textDocument: { uri: RUNBOOK, version: 2 }, contentChanges: [{ text: after }] });
      const next = await client.diagnosticsOf(RUNBOOK, 2);
      quickFix = { title: fix.title, after, stillMissing: next.some((d) => isMissingRollback(d)) };
    }
  }

  // The workspace index walks the repository through runbook/fs/readDirectory.
  let runbooks: string[] = [];
  for (const deadline = Date.now() + 30_000; ; ) {
    const result = await client.request<{ runbooks: { uri: string }[]; indexing: boolean }>('runbook/workspaceSummary', {});
    runbooks = result.runbooks.map((r) => r.uri);
    if (!result.indexing) break;
    if (Date.now() > deadline) throw new Error('the workspace index did not finish within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  client.notify('textDocument/didOpen', { textDocument: { uri: POSITIVES, languageId: 'markdown', version: 1, text: positives } });
  const found = await client.diagnosticsOf(POSITIVES, 1);

  await client.request('shutdown');
  client.notify('exit');
  return {
    capabilities: Object.keys(init.capabilities),
    diagnostics: diagnostics.map((d) => ({ code: d.code, severity: d.severity, line: d.range.start.line, message: d.message })),
    completions: items.map((i) => i.label),
    quickFix,
    runbooks,
    fsRequests: client.fsRequests,
    positives: found.filter((d) => d.code === 'secret').map((d) => d.range.start.line),
    logs: client.logs,
  };
}
