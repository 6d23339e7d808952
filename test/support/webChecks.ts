// Judges what test/support/webScenario.ts saw the browser server do (in a worker-like Node context or a
// real Web Worker in Chromium) by what a person on github.dev would notice.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROOT, RUNBOOK, RUNBOOK_TEXT, TOKEN, type WebObservations } from './webScenario';

const POSITIVES_FILE = fileURLToPath(new URL('../fixtures/secrets/positives.md', import.meta.url));
const CLI = fileURLToPath(new URL('../../server/out/cli.js', import.meta.url));

export const positivesText = () => readFileSync(POSITIVES_FILE, 'utf8');

/** Lines of the `secret` findings the CLI (the Node host of the same engine) reports in positives.md. */
export function cliSecretLines(): number[] {
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', POSITIVES_FILE], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const [report] = JSON.parse(r.stdout) as { diagnostics: { rule: string; range: { start: { line: number } } }[] }[];
  return report.diagnostics.filter((d) => d.rule === 'secret').map((d) => d.range.start.line);
}

export function checkWebObservations(seen: WebObservations, expectedSecretLines: number[]): void {
  for (const c of ['textDocumentSync', 'completionProvider', 'codeActionProvider', 'hoverProvider', 'executeCommandProvider']) assert.ok(seen.capabilities.includes(c), `capability ${c}`);

  const lines = RUNBOOK_TEXT.split('\n');
  const at = (text: string) => lines.findIndex((l) => l.includes(text));
  const rule = (code: string) => seen.diagnostics.filter((d) => d.code === code);

  // The pasted token: reported on its line, never repeated.
  assert.deepEqual(rule('secret').map((d) => d.line), [at('Release automation')]);
  for (const d of seen.diagnostics) assert.ok(!d.message.includes(TOKEN.slice(0, 8)), `a message holds the token: ${d.message}`);
  for (const l of seen.logs) assert.ok(!l.includes(TOKEN.slice(0, 8)) && !l.includes('Release automation'), `the log holds document text: ${l}`);

  // .runbookrc.json, read through the client, makes placeholders errors (their default is a warning).
  const placeholders = rule('placeholder');
  assert.deepEqual(placeholders.map((d) => [d.line, d.severity]), [[at('[System Name]'), 1]]);

  // The linked guide, read through the client: its heading is offered for the misspelt anchor.
  const links = rule('broken-link');
  assert.equal(links.length, 1, JSON.stringify(links));
  assert.equal(links[0].line, at('[the guide]'));
  assert.match(links[0].message, /"#deployin".*"\.\.\/docs\/guide\.md".*"#deploying"/);

  assert.ok(rule('missing-section').some((d) => d.message.startsWith('Missing section "Rollback Procedures"')), 'missing Rollback Procedures is reported');

  // The file system requests went to the client, for the workspace's own URIs.
  const asked = (method: string, path: string) => seen.fsRequests.some(([m, uri]) => m === method && uri === (path ? `${ROOT}/${path}` : ROOT));
  assert.ok(asked('runbook/fs/readFile', '.runbookrc.json'), 'read .runbookrc.json');
  assert.ok(asked('runbook/fs/readFile', 'docs/guide.md'), 'read the linked guide');
  assert.ok(asked('runbook/fs/readDirectory', ''), 'listed the workspace folder');
  for (const [, uri] of seen.fsRequests) assert.ok(uri.startsWith(`${ROOT}/`) || uri === ROOT || uri.startsWith('vscode-vfs://github/acme/'), `asked for ${uri}`);

  // The index found the runbooks of the repository (not the README, not node_modules).
  assert.deepEqual([...seen.runbooks].sort(), [`${ROOT}/runbooks/ledger.md`, RUNBOOK]);

  assert.ok(seen.completions.some((label) => /Rollback Procedures/.test(label)), `completions after "## ": ${seen.completions.join(', ')}`);

  assert.ok(seen.quickFix, 'a quick fix inserts the Rollback Procedures section');
  assert.match(seen.quickFix.title, /Rollback Procedures/);
  assert.equal(seen.quickFix.stillMissing, false, 'the fix removes its diagnostic');
  const after = seen.quickFix.after.split('\n');
  let i = 0;
  for (const line of lines) {
    while (i < after.length && after[i] !== line) i++;
    assert.ok(i < after.length, `the fix lost the line ${JSON.stringify(line)}`);
    i++;
  }
  assert.ok(after.some((l) => /^## .*Rollback Procedures/.test(l)), 'the section heading is in the text');

  // secretlint works in the browser as on Node: the same findings in the credential fixture.
  assert.ok(expectedSecretLines.length >= 20, 'the fixture has many credentials');
  assert.deepEqual(seen.positives, expectedSecretLines);
}
