import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { URI } from 'vscode-uri';
import { parseConfig } from '../../server/src/service/workspace/config';
import { Policy } from '../../server/src/service/workspace/policy';
import { MemoryFileSystem } from '../../server/src/service/memoryFs';
import { buildModel } from '../../server/src/service/model/document';
import { ChunkParser } from '../../server/src/service/model/parse';
import { compileTemplate } from '../../server/src/service/template/compile';
import { defaultSettings } from '../../server/src/service/settings';
import { LspClient } from '../support/lsp';
import { lint } from '../support/lint';

const root = mkdtempSync(join(tmpdir(), 'runbook-config-'));
after(() => rmSync(root, { recursive: true, force: true }));

const CLI = new URL('../../server/out/cli.js', import.meta.url).pathname;
const corpus = new URL('../../../shared/corpus/real/', import.meta.url);

const ALERT_TEMPLATE = `# Alert: [AlertName]

## Meaning

[What the alert means and when it fires]

## Impact

[Who or what is affected]

## Diagnosis

| **Field** | Value |
|---|---|
| **Dashboard** | [URL] |
| **Severity** | [SEV-1/2/3/4] |

## Mitigation

[Steps that stop the bleeding]

## Escalation <!-- optional -->

[Who to call]
`;

function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function cli(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', ...args], { cwd, encoding: 'utf8', env: { ...process.env, RUNBOOK_TODAY: '2026-11-27' } });
  return { code: r.status, stderr: r.stderr, json: r.stdout ? JSON.parse(r.stdout) : undefined };
}

// A team repository: a config at the top, its own template for alerts, the built-in one elsewhere.
const team = join(root, 'team');
write(join(team, 'templates/alert.md'), ALERT_TEMPLATE);
write(
  join(team, '.runbookrc.json'),
  JSON.stringify({
    files: ['**/*runbook*.md', 'alerts/**/*.md'],
    rules: { 'empty-section': 'off', placeholder: 'error' },
    overrides: [{ files: ['alerts/**/*.md'], template: 'templates/alert.md', rules: { 'missing-section': 'warning' } }],
  }),
);
const alertDoc = write(join(team, 'alerts/HighLatency.md'), '# Alert: HighLatency\n\n## Meaning\n\nThe p95 latency of the API is above 2 s.\n\n## Impact\n\n[Who or what is affected]\n\n## Diagnosis\n\n| **Field** | Value |\n|---|---|\n| **Severity** | SEV-9 |\n');
const serviceDoc = write(join(team, 'services/ledger/runbook.md'), '# System Runbook: Ledger\n');

/** The team repository in memory, for the policy's unit tests. */
function teamPolicy(): { policy: Policy; fs: MemoryFileSystem } {
  const fs = new MemoryFileSystem();
  for (const path of [join(team, 'templates/alert.md'), join(team, '.runbookrc.json'), alertDoc, serviceDoc]) fs.write(path, readFileSync(path, 'utf8'));
  return { policy: new Policy({ fs }), fs };
}

const modelOf = (path: string, text: string) => buildModel(URI.file(path).toString(), 1, text, new ChunkParser(), true);

test('the nearest .runbookrc.json is found by walking up from the document', async () => {
  const { policy } = teamPolicy();
  assert.equal((await policy.configFor(URI.file(alertDoc)))?.uri, URI.file(join(team, '.runbookrc.json')).toString());
  assert.equal(await policy.configFor(URI.file(join(root, 'elsewhere/x.md'))), undefined);
});

test('config and overrides merge: editor settings < config file < matching overrides < front matter', async () => {
  const { policy } = teamPolicy();
  const forAlert = await policy.resolve(URI.file(alertDoc).toString(), modelOf(alertDoc, readFileSync(alertDoc, 'utf8')), { ...defaultSettings, rules: { 'table-shape': 'info' } });
  assert.deepEqual(forAlert.config?.problems, []);
  assert.equal(forAlert.template, URI.file(join(team, 'templates/alert.md')).toString());
  assert.deepEqual(forAlert.schema.sections.map((s) => s.title), ['Meaning', 'Impact', 'Diagnosis', 'Mitigation', 'Escalation']);
  assert.deepEqual(forAlert.settings.rules, { 'table-shape': 'info', 'empty-section': 'off', placeholder: 'error', 'missing-section': 'warning' });
  // The config's "files" globs match paths relative to its folder: alerts/HighLatency.md.
  assert.equal(forAlert.isRunbook, true);
  const forService = await policy.resolve(URI.file(serviceDoc).toString(), modelOf(serviceDoc, '# Ledger notes\n'), defaultSettings);
  assert.equal(forService.template, '');
  assert.equal(forService.settings.rules['missing-section'], undefined);
  assert.equal(forService.isRunbook, true, 'services/ledger/runbook.md matches **/*runbook*.md');
  const fm = await policy.resolve(URI.file(serviceDoc).toString(), modelOf(serviceDoc, '---\nrunbook-template: ../../templates/alert.md\n---\n# Ledger\n'), defaultSettings);
  assert.equal(fm.template, URI.file(join(team, 'templates/alert.md')).toString());
});

test('a team template: the alert runbook is checked against Meaning/Impact/Diagnosis/Mitigation', async () => {
  const schema = compileTemplate(ALERT_TEMPLATE, 'alert.md');
  const diagnostics = await lint(readFileSync(alertDoc, 'utf8'), { schema, uri: pathToFileURL(alertDoc).href });
  const byRule = (rule: string) => diagnostics.filter((d) => d.code === rule).map((d) => d.message);
  assert.deepEqual(byRule('missing-section'), ['Missing section "Mitigation" (template: "Mitigation"); the fix inserts it after section "Diagnosis".']);
  assert.deepEqual(byRule('missing-field'), ['Field "Dashboard" is missing from the "Diagnosis" table; the fix adds it before the "Severity" row.']);
  assert.match(byRule('invalid-value')[0], /"Severity" is "SEV-9"; the template allows SEV-1, SEV-2, SEV-3, SEV-4/);
  // Impact still holds only the template's placeholder: one unfilled finding, the placeholder waits.
  assert.deepEqual(byRule('empty-section'), ['Section "Impact" is unfilled: it still holds only the template\'s guidance and placeholders (reported one by one once you start filling it).']);
  assert.equal(byRule('placeholder').length, 0);
});

test('a second, very different template: the AWS incident response playbook template', async () => {
  const text = readFileSync(new URL('aws-samples__aws-incident-response-playbooks__PLAYBOOK_TEMPLATE.md', corpus), 'utf8');
  const schema = compileTemplate(text, 'PLAYBOOK_TEMPLATE.md');
  assert.deepEqual(schema.sections.map((s) => s.title).slice(0, 6), ['Overview', 'Prepare', 'Detect & Analyze', 'Contain', 'Eradicate & Recover', 'Post-Incident Activity']);
  const playbook = readFileSync(new URL('aws-samples__aws-incident-response-playbooks__playbooks__IRP-DoS.md', corpus), 'utf8');
  const diagnostics = await lint(playbook, { schema });
  assert.ok(diagnostics.length > 0);
  assert.deepEqual(await lint(text.replace(/\[[^\]\n]*\](?!\()/g, 'x'), { schema }).then((d) => d.filter((x) => x.code === 'missing-section')), []);
});

test('the CLI finds the config, applies the override and its template', () => {
  const r = cli(['alerts/HighLatency.md'], team);
  assert.equal(r.code, 1, r.stderr);
  const rules = r.json[0].diagnostics.map((d: { rule: string; severity: string }) => `${d.rule}:${d.severity}`);
  assert.ok(rules.includes('missing-section:warning'));
  assert.ok(rules.includes('placeholder:error'));
  assert.ok(!rules.some((x: string) => x.startsWith('empty-section')));
});

test('bad configs: invalid JSON, unknown rule, unknown severity, missing template', async () => {
  const fs = new MemoryFileSystem();
  const problems = async (text: string) => (await parseConfig(fs, URI.file(join(root, '.runbookrc.json')), text)).problems.map((p) => `${p.fatal ? 'fatal' : 'warn'}: ${p.message}`);
  assert.match((await problems('{ "rules": '))[0], /^fatal: \.runbookrc\.json is not valid JSON/);
  assert.match((await problems('{ "rules": { "no-such-rule": "error" } }'))[0], /^warn: Unknown rule "no-such-rule"/);
  assert.match((await problems('{ "rules": { "placeholder": "loud" } }'))[0], /^warn: Unknown severity "loud" for "placeholder"/);
  assert.match((await problems('{ "template": "missing.md" }'))[0], /^fatal: Template "missing.md" does not exist/);
  const bad = join(root, 'bad');
  write(join(bad, '.runbookrc.json'), '{ "template": "nope.md" }');
  write(join(bad, 'runbook.md'), '# System Runbook: X\n');
  const r = cli(['runbook.md'], bad);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\.runbookrc\.json:1:\d+: Template "nope\.md" does not exist/);
  const r2 = cli(['--config', 'missing.json', 'runbook.md'], bad);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /Configuration file not found: missing\.json/);
});

test('in the editor: a bad config gets a diagnostic on the config file, the built-in template keeps working, and a fix re-validates', async () => {
  const dir = join(root, 'editor');
  const configPath = write(join(dir, '.runbookrc.json'), '{ "rules": { "invalid-value": "nope" }, "template": "missing.md" }');
  const doc = write(join(dir, 'runbook.md'), '# System Runbook: X\n\n## Document Information\n\n| Field | Value |\n|---|---|\n| **Classification** | Urgent |\n');
  const client = new LspClient();
  try {
    await client.initialize(pathToFileURL(dir).href);
    const uri = pathToFileURL(doc).href;
    await client.open(uri, readFileSync(doc, 'utf8'));
    const configUri = pathToFileURL(configPath).href;
    const configDiagnostics = await client.until(() => client.diagnostics.get(configUri)?.at(-1)?.diagnostics, 'config diagnostics');
    assert.deepEqual(configDiagnostics.map((d) => [d.severity, d.message.split(' ').slice(0, 2).join(' ')]), [[1, 'Template "missing.md"'], [2, 'Unknown severity']]);
    const first = await client.diagnosticsOf(uri, 1);
    assert.ok(first.some((d) => d.code === 'invalid-value'));
    assert.ok(first.some((d) => d.code === 'missing-section'));
    writeFileSync(configPath, '{ "rules": { "invalid-value": "off", "missing-section": "off" } }');
    const before = client.diagnostics.get(uri)!.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    const next = await client.until(() => (client.diagnostics.get(uri)!.length > before ? client.diagnostics.get(uri)!.at(-1)!.diagnostics : undefined), 're-validation');
    assert.ok(!next.some((d) => d.code === 'invalid-value' || d.code === 'missing-section'));
    assert.deepEqual(await client.until(() => (client.diagnostics.get(configUri)?.at(-1)?.diagnostics.length === 0 ? [] : undefined), 'config diagnostics cleared'), []);
  } finally {
    await client.stop();
  }
});
