import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { buildModel } from '../../../server/src/service/model/document';
import { ChunkParser } from '../../../server/src/service/model/parse';
import { builtinTemplate } from '../../../server/src/service/template/builtin';
import { secret } from '../../../server/src/service/rules/secret';
import type { RuleFinding as Finding } from '../../../server/src/service/rules/types';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/secrets/${name}`, import.meta.url), 'utf8');
const positives = fixture('positives.md');
const negatives = fixture('negatives.md');
const corpusDir = new URL('../../../../shared/corpus/real/', import.meta.url);
const REPLACEMENT = '<stored in the secret manager>';

async function check(text: string) {
  const model = buildModel('file:///runbook.md', 1, text, new ChunkParser());
  const findings = await secret.check({ model, schema: builtinTemplate(), match: undefined as never, today: '2026-11-27' });
  return { model, findings };
}

const lineOf = (model: { lines: { positionAt(o: number): { line: number } } }, offset: number) => model.lines.positionAt(offset).line;

const count = (text: string, part: string) => text.split(part).length - 1;

function applyFix(text: string, f: Finding): string {
  assert.equal(f.fixes?.length, 1, 'one fix per finding');
  let out = text;
  for (const e of [...f.fixes![0].edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/**
 * Expected findings of positives.md: `<!-- expect-secret: KIND -->` is for the next non-blank line that is
 * not a code fence; `<!-- expect-secret: KIND @ TEXT -->` for the first line below that contains TEXT.
 */
function expectations(text: string): { line: number; kind: string }[] {
  const lines = text.split(/\r?\n/);
  const out: { line: number; kind: string }[] = [];
  lines.forEach((l, i) => {
    const m = /^<!-- expect-secret: (.+?)(?: @ (.+?))? -->$/.exec(l);
    if (!m) return;
    let j = i + 1;
    if (m[2]) while (j < lines.length && !lines[j].includes(m[2])) j++;
    else while (j < lines.length && (!lines[j].trim() || /^\s*(`{3,}|~{3,})/.test(lines[j]) || lines[j].startsWith('<!-- expect-secret:'))) j++;
    assert.ok(j < lines.length, `marker on line ${i + 1} points at nothing`);
    out.push({ line: j, kind: m[1] });
  });
  return out;
}

/** The message never holds the secret, nor any 5 characters of it in a row (4 and "…" are allowed). */
function assertNoSecretIn(message: string, secretText: string) {
  assert.ok(!message.includes(secretText), `message repeats the secret: ${message}`);
  for (let i = 0; i + 5 <= secretText.length; i++) {
    const piece = secretText.slice(i, i + 5);
    assert.ok(!message.includes(piece), `message holds "${piece}" of the secret: ${message}`);
  }
}

test('the secret rule is an error and needs neither schema nor match', async () => {
  assert.equal(secret.id, 'secret');
  assert.equal(secret.defaultSeverity, 'error');
  const model = buildModel('file:///r.md', 1, 'password: hunter2\n', new ChunkParser());
  const findings = await secret.check({ model, schema: undefined as never, match: undefined as never, today: '2026-11-27' });
  assert.equal(findings.length, 1);
  assert.equal(findings[0].rule, 'secret');
});

test('every credential shape of positives.md is found at its line, and nothing else', async () => {
  const { model, findings } = await check(positives);
  const expected = expectations(positives);
  assert.ok(expected.length >= 35, `only ${expected.length} markers`);
  const got = findings.map((f) => ({ line: lineOf(model, f.start), message: f.message }));
  for (const e of expected) {
    const at = got.filter((g) => g.line === e.line);
    assert.equal(at.length, 1, `line ${e.line + 1} (${e.kind}): expected one finding, got ${JSON.stringify(at)}`);
    assert.ok(at[0].message.includes(`(${e.kind}`), `line ${e.line + 1}: "${at[0].message}" does not name "${e.kind}"`);
  }
  assert.deepEqual(
    got.filter((g) => !expected.some((e) => e.line === g.line)),
    [],
    'findings on lines without a marker',
  );
  assert.equal(findings.length, expected.length);
});

test('messages name the credential and what to do, and never contain the secret', async () => {
  const { model, findings } = await check(positives);
  for (const f of findings) {
    const secretText = model.text.slice(f.start, f.end);
    assert.ok(secretText.length >= 4);
    assertNoSecretIn(f.message, secretText);
    assert.match(f.message, /^Credential in the document \(.+\): remove it and store it in a secret manager; reference it by name/);
  }
  const github = findings.find((f) => f.message.includes('GitHub token ghp_…'));
  assert.ok(github, 'a GitHub token shows its public type prefix only');
});

test('ranges cover the secret itself, so the fix keeps the key, the user and the host', async () => {
  const { model, findings } = await check(positives);
  const fixedLine = (needle: string) => {
    const f = findings.find((x) => model.lines.lineText(lineOf(model, x.start)).includes(needle));
    assert.ok(f, `no finding on the line with ${needle}`);
    const text = applyFix(positives, f);
    return text.split('\n')[lineOf(model, f.start)];
  };
  assert.equal(fixedLine('aws_secret_access_key'), `aws_secret_access_key = ${REPLACEMENT}`);
  assert.equal(fixedLine('AWS_ACCESS_KEY_ID'), `export AWS_ACCESS_KEY_ID=${REPLACEMENT}`);
  assert.equal(fixedLine('  password: hunter2'), `  password: ${REPLACEMENT}`);
  assert.equal(fixedLine('**Password:**'), `**Password:** ${REPLACEMENT}`);
  assert.equal(fixedLine('PGPASSWORD='), `    PGPASSWORD=${REPLACEMENT} psql -h ledger-db-primary.internal -U ledger_app ledger`);
  assert.match(fixedLine('DATABASE_URL=postgres'), new RegExp(`^\`DATABASE_URL=postgres://ledger_app:${REPLACEMENT}@ledger-db-primary\\.internal:5432/ledger\\?sslmode=require\`$`));
  assert.match(fixedLine('Artifacts mirror'), new RegExp(`^Artifacts mirror: https://deploy:${REPLACEMENT}@artifacts`));
  assert.match(fixedLine('REDIS_URL'), new RegExp(`^REDIS_URL=rediss://:${REPLACEMENT}@ledger-cache`));
  assert.equal(fixedLine('"Authorization: token'), `Release automation: \`curl -H "Authorization: token ${REPLACEMENT}" https://api.github.com/repos/acme/ledger/releases\``);
});

test('a private key is one finding from BEGIN to END, and its fix replaces the whole block', async () => {
  const { model, findings } = await check(positives);
  const keys = findings.filter((f) => /private key|service account key/.test(f.message));
  assert.equal(keys.length, 5);
  for (const f of keys) {
    const block = model.text.slice(f.start, f.end);
    assert.match(block, /^-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    assert.match(block, /-----END [A-Z ]*PRIVATE KEY-----$/);
    const fixed = applyFix(positives, f);
    assert.ok(!fixed.includes(block));
    assert.equal(fixed.slice(f.start, f.start + REPLACEMENT.length), REPLACEMENT);
  }
});

test('each fix replaces the secret, and afterwards the rule finds nothing on that line', async () => {
  const { model, findings } = await check(positives);
  for (const f of findings) {
    const line = lineOf(model, f.start);
    const secretText = model.text.slice(f.start, f.end);
    const fix = f.fixes![0];
    assert.equal(fix.title, 'Replace the credential with a reference to the secret manager');
    assert.equal(fix.safe, false);
    assert.deepEqual(fix.edits, [{ start: f.start, end: f.end, newText: REPLACEMENT }]);
    const fixed = applyFix(positives, f);
    assert.equal(count(fixed, secretText), count(positives, secretText) - 1, `line ${line + 1}: the secret is still there`);
    const again = await check(fixed);
    const left = again.findings.filter((g) => lineOf(again.model, g.start) === line);
    assert.deepEqual(left.map((g) => g.message), [], `line ${line + 1}: still reported after the fix`);
    assert.equal(again.findings.length, findings.length - 1, `line ${line + 1}: the fix changed other findings`);
  }
});

test('negatives.md (prose about passwords, placeholders, references, masked values, public keys) gives nothing', async () => {
  const { model, findings } = await check(negatives);
  assert.deepEqual(findings.map((f) => `${lineOf(model, f.start) + 1}: ${f.message}`), []);
});

test('the template and the example runbooks give nothing', async () => {
  const files = ['../../../templates/system-runbook.md', '../../../examples/payments-api-runbook.md'].map((p) => new URL(p, import.meta.url));
  for (const file of files.filter((f) => existsSync(f))) {
    const { model, findings } = await check(readFileSync(file, 'utf8'));
    assert.deepEqual(findings.map((f) => `${file.pathname}:${lineOf(model, f.start) + 1}: ${f.message}`), []);
  }
});

/**
 * Corpus files that really hold a credential-shaped example, with where and what: reported to the project
 * rather than hidden by weakening the rules.
 */
const KNOWN_CORPUS_FINDINGS: Record<string, string[]> = {};

test('the real corpus gives no finding beyond the known, explained ones', async (t) => {
  if (!existsSync(corpusDir)) return t.skip(`no corpus at ${corpusDir.pathname}`);
  const files = readdirSync(corpusDir).filter((f) => f.endsWith('.md'));
  assert.ok(files.length > 0);
  for (const name of files) {
    const { model, findings } = await check(readFileSync(new URL(name, corpusDir), 'utf8'));
    const got = findings.map((f) => `${lineOf(model, f.start) + 1}: ${/\((.*?)\)/.exec(f.message)?.[1]}`);
    assert.deepEqual(got, KNOWN_CORPUS_FINDINGS[name] ?? [], name);
  }
});

test('offsets are right with a BOM and CRLF line ends', async () => {
  const text = '\uFEFF# Runbook\r\n\r\nSome text.\r\n\r\n```yaml\r\npassword: hunter2\r\n```\r\n\r\nghp_gDQgaFoTFuyqShOk6DmLYLiFLdTZj1ETT0uJ\r\n';
  const { model, findings } = await check(text);
  assert.deepEqual(
    findings.map((f) => [lineOf(model, f.start), text.slice(f.start, f.end)]),
    [
      [5, 'hunter2'],
      [8, 'ghp_gDQgaFoTFuyqShOk6DmLYLiFLdTZj1ETT0uJ'],
    ],
  );
});

test('a long document is checked in pieces without losing a key that spans a piece boundary', async () => {
  const key = positives.slice(positives.indexOf('-----BEGIN RSA PRIVATE KEY-----'), positives.indexOf('-----END RSA PRIVATE KEY-----') + 29);
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `Line ${i} of the runbook: check the dashboard and page the owner.`).join('\n');
  const text = `${filler(990)}\n${key}\n${filler(1500)}\npassword: hunter2\n${filler(800)}\nxoxb-524639771200-2002167362415-NpPGXIVCziCBBDbkiPRzjWht\n`;
  const { model, findings } = await check(text);
  assert.deepEqual(
    findings.map((f) => [lineOf(model, f.start), /\((.*?)\)/.exec(f.message)?.[1]]),
    [
      [990, 'RSA private key'],
      [990 + key.split('\n').length + 1500, 'password'],
      [990 + key.split('\n').length + 1500 + 1 + 800, 'Slack token xoxb…'],
    ],
  );
  assert.equal(model.text.slice(findings[0].start, findings[0].end), key);
});

test('many credentials in one document stay fast (secretlint de-duplicates reports in quadratic time)', async () => {
  // In one secretlint run 6,000 reports cost about 3 s of CPU; checked in pieces, about half a second.
  const lines = Array.from({ length: 6000 }, (_, i) => `DB_PASSWORD=s3cr3t-${i.toString(36)}x9Q`).join('\n');
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  // The second starts with a key block that never ends: the pieces still stay small.
  for (const [i, text] of [lines, `-----BEGIN RSA PRIVATE KEY-----\n${lines}`].entries()) {
    const model = buildModel(`file:///runbook-${i}.md`, 1, text, new ChunkParser());
    const started = cpu();
    const findings = await secret.check({ model, schema: builtinTemplate(), match: undefined as never, today: '2026-11-27' });
    const ms = cpu() - started;
    assert.equal(findings.length, 6000);
    assert.ok(ms < 2500, `document ${i} took ${Math.round(ms)} ms of CPU`);
  }
});

test('secretlint-disable comments are honoured', async () => {
  const text = '<!-- secretlint-disable-next-line -->\npassword: hunter2\n\npassword: hunter3\n';
  const { model, findings } = await check(text);
  assert.deepEqual(findings.map((f) => lineOf(model, f.start)), [3]);
});

test('empty, blank and binary documents give nothing and do not throw', async () => {
  for (const text of ['', '\n\n', '\uFEFF', '\u0000\u0001\uFFFD'.repeat(1000), 'password:', 'password: ', '-----BEGIN RSA PRIVATE KEY-----']) {
    assert.deepEqual((await check(text)).findings, []);
  }
});

test('a long document re-checked after edits (pieces reused from the last check) gives what a first check gives', async () => {
  const section = (k: number) => [`## Section ${k}`, '', ...Array.from({ length: 60 }, (_, i) => `Step ${i}: check the dashboard for cluster ${k} and page the owner.`)].join('\n');
  const base = Array.from({ length: 20 }, (_, k) => section(k)).join('\n\n') + '\n';
  const at = base.indexOf('Step 7: check the dashboard for cluster 14');
  const versions = [
    base,
    base.slice(0, at) + 'password: Hk7vQ2pLx9Ze\n' + base.slice(at),
    'Intro line one.\nIntro line two.\n' + base.slice(0, at) + 'password: Hk7vQ2pLx9Ze\n' + base.slice(at),
    base.replace('Step 3: check the dashboard for cluster 2 ', 'Step 3: DB_PASSWORD=Zq8yW3pL0vKe psql -h ledger '),
    base,
  ];
  const seen = (text: string, findings: Finding[]) => findings.map((f) => [text.slice(f.start, f.end), f.start]);
  for (const [i, text] of versions.entries()) {
    const reused = await secret.check({ model: buildModel('file:///edited.md', i + 1, text, new ChunkParser()), schema: builtinTemplate(), match: undefined as never, today: '2026-11-27' });
    const fresh = await secret.check({ model: buildModel(`file:///fresh-${i}.md`, 1, text, new ChunkParser()), schema: builtinTemplate(), match: undefined as never, today: '2026-11-27' });
    assert.deepEqual(seen(text, reused), seen(text, fresh), `version ${i}`);
  }
  const last = async (text: string) => seen(text, await secret.check({ model: buildModel('file:///edited.md', 9, text, new ChunkParser()), schema: builtinTemplate(), match: undefined as never, today: '2026-11-27' }));
  assert.deepEqual((await last(versions[2])).map(([s]) => s), ['Hk7vQ2pLx9Ze']);
  assert.deepEqual((await last(versions[3])).map(([s]) => s), ['Zq8yW3pL0vKe']);
  assert.deepEqual(await last(versions[4]), []);
});
