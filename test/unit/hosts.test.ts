import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import { LspClient } from '../support/lsp';
import { WORKSPACE_SUMMARY_REQUEST, type WorkspaceSummary } from '../../server/src/protocol';

// One policy, two hosts: `runbook-lint .` and the language server, in the same repository, must agree on
// which files are runbooks and on what is wrong with each of them (rule and range).

const CLI = new URL('../../server/out/cli.js', import.meta.url).pathname;
const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
const example = readFileSync(new URL('../../examples/payments-api-runbook.md', import.meta.url), 'utf8');

const root = mkdtempSync(join(tmpdir(), 'runbook-hosts-'));
after(() => rmSync(root, { recursive: true, force: true }));

const FILES: Record<string, string> = {
  'README.md': '# Payments platform\n\nRunbooks live in [runbooks](runbooks/checkout-worker.md).\n',
  'CHANGELOG.md': '# Changelog\n\n## 1.2.0\n\n- New alerts.\n',
  'docs/guide.md': '# Operator guide\n\n## Deploying\n\nUse the pipeline.\n',
  'runbooks/checkout-worker.md': draft,
  'runbooks/ledger.md':
    '# System Runbook: Ledger\n\n## Section 8: Rollback Procedures\n\nSee [deploying](/docs/guide.md#deploying), [rollback](/docs/guide.md#rollback), [a gone file](../docs/missing.md), [the alert](../alerts/HighLatency.md#meaning) and [payments](/services/payments-runbook.md#section-8-rollback-procedures).\n',
  'services/payments-runbook.md': example,
  'alerts/HighLatency.md': '# Alert: HighLatency\n\n## Meaning\n\nThe p95 latency is above 2 s.\n\n## Impact\n\n[Who or what is affected]\n',
  'notes/db-failover.md': '---\nrunbook-template: ../templates/alert.md\n---\n# Alert: Database failover\n\n## Meaning\n\nThe primary is gone. See [the guide](../docs/guide.md#deployin).\n',
  'templates/alert.md': '# Alert: [AlertName]\n\n## Meaning\n\n[What the alert means]\n\n## Impact\n\n[Who or what is affected]\n\n## Mitigation\n\n[Steps that stop the bleeding]\n',
  '.runbookrc.json': JSON.stringify({
    files: ['**/*runbook*.md', '**/runbooks/**/*.md', 'alerts/**/*.md'],
    rules: { 'empty-section': 'off' },
    overrides: [{ files: ['alerts/**/*.md'], template: 'templates/alert.md', rules: { 'missing-section': 'warning' } }],
  }),
  '.github/runbooks/ci-runbook.md': draft,
  'node_modules/some-package/runbook.md': draft,
};
for (const [path, text] of Object.entries(FILES)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const uriOf = (path: string) => URI.file(join(root, path)).toString();
const places = (diagnostics: { rule?: string; code?: unknown; range: Diagnostic['range'] }[]) => diagnostics.map((d) => `${d.rule ?? d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();

test('runbook-lint . reports on exactly the files the language server treats as runbooks, with the same findings', async () => {
  const cli = spawnSync(process.execPath, [CLI, '--format', 'json', '.'], { cwd: root, encoding: 'utf8', env: { ...process.env, RUNBOOK_TODAY: '2026-11-27' } });
  assert.equal(cli.status, 1, cli.stderr);
  const reports = JSON.parse(cli.stdout) as { file: string; diagnostics: { rule: string; range: Diagnostic['range'] }[] }[];
  const expected = ['alerts/HighLatency.md', 'notes/db-failover.md', 'runbooks/checkout-worker.md', 'runbooks/ledger.md', 'services/payments-runbook.md'];
  assert.deepEqual(reports.map((r) => r.file), expected);

  const client = new LspClient();
  try {
    await client.initialize(URI.file(root).toString());
    let indexed: WorkspaceSummary;
    for (;;) {
      indexed = await client.request<WorkspaceSummary>(WORKSPACE_SUMMARY_REQUEST, {});
      if (!indexed.indexing) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(indexed.runbooks.map((r) => r.uri), expected.map(uriOf));
    for (const report of reports) {
      const uri = uriOf(report.file);
      // Closed, as the index published it; then opened, as the editor shows it.
      const closed = await client.until(() => client.diagnostics.get(uri)?.find((p) => p.version === undefined)?.diagnostics, `index diagnostics of ${report.file}`);
      assert.deepEqual(places(closed), places(report.diagnostics), `${report.file}, closed`);
      await client.open(uri, FILES[report.file]);
      assert.deepEqual(places(await client.diagnosticsOf(uri, 1)), places(report.diagnostics), `${report.file}, open`);
    }
    const ledger = reports.find((r) => r.file === 'runbooks/ledger.md')!;
    assert.deepEqual(
      ledger.diagnostics.filter((d) => d.rule === 'broken-link').map((d) => (d as unknown as { message: string }).message),
      ['Link target "#rollback" matches no heading in "/docs/guide.md"; did you mean "#deploying"?', 'Linked file "../docs/missing.md" does not exist.'],
    );
    // Files that are no runbooks get nothing when opened either.
    for (const other of ['README.md', 'docs/guide.md', 'templates/alert.md']) {
      await client.open(uriOf(other), FILES[other]);
      assert.deepEqual(await client.diagnosticsOf(uriOf(other), 1), [], other);
    }
  } finally {
    await client.stop();
  }
});

test('a file named on the command line is always checked; --all-markdown checks every file of a walk', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, '--format', 'json', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, RUNBOOK_TODAY: '2026-11-27' } });
  const named = JSON.parse(run('README.md', 'docs').stdout) as { file: string }[];
  assert.deepEqual(named.map((r) => r.file), ['README.md']);
  const docs = run('docs');
  assert.match(docs.stderr, /the Markdown file found is not a runbook .*--all-markdown checks every file/);
  const all = JSON.parse(run('--all-markdown', '.').stdout) as { file: string }[];
  assert.deepEqual(all.map((r) => r.file), ['alerts/HighLatency.md', 'CHANGELOG.md', 'docs/guide.md', 'notes/db-failover.md', 'README.md', 'runbooks/checkout-worker.md', 'runbooks/ledger.md', 'services/payments-runbook.md', 'templates/alert.md'].sort());
  const hidden = JSON.parse(run('.github').stdout) as { file: string }[];
  assert.deepEqual(hidden.map((r) => r.file), ['.github/runbooks/ci-runbook.md'], 'a dot-folder named on the command line is walked');
});
