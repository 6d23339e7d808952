import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { toString } from 'mdast-util-to-string';
import type { Root, Table } from 'mdast';
import type { Diagnostic } from 'vscode-languageserver-types';
import { githubOutput } from '../../server/src/cli/formats/github';
import { junitOutput } from '../../server/src/cli/formats/junit';
import { markdownCell, markdownOutput } from '../../server/src/cli/formats/markdown';
import type { FileReport } from '../../server/src/cli/report';
import { edit, example } from '../support/lint';
import { ROOT, requireProgram, runCli } from '../support/cli';

const scratch = mkdtempSync(join(tmpdir(), 'runbook-formats-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const schemas = join(ROOT, 'test/fixtures/schemas');
const DRAFT = 'examples/runbooks/checkout-worker.md';
const CLEAN = 'examples/payments-api-runbook.md';

interface JsonDiagnostic {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  range: Diagnostic['range'];
}

let reference: { file: string; diagnostics: JsonDiagnostic[] }[] | undefined;
/** What --format json says of the draft and the clean example: the reference the other formats are compared with. */
function findings(): { file: string; diagnostics: JsonDiagnostic[] }[] {
  reference ??= JSON.parse(runCli(['--format', 'json', DRAFT, CLEAN]).stdout);
  return reference!;
}

/** A report as the CLI hands it to a format, with messages a test chooses. */
function report(file: string, diagnostics: [line: number, character: number, endLine: number, endCharacter: number, severity: 1 | 2 | 3, rule: string, message: string][]): FileReport {
  return {
    file,
    uri: `file:///repo/${file}`,
    isRunbook: true,
    diagnostics: diagnostics.map(([line, character, endLine, endCharacter, severity, code, message]) => ({
      range: { start: { line, character }, end: { line: endLine, character: endCharacter } },
      severity,
      code,
      source: 'runbook',
      message,
    })),
  };
}

const NASTY = 'a 100% "quoted" <b>&amp;</b> it\'s: one, two\r\nthree\ttab \u0001 \ud83d\ude80 lone \ud800 end';

test('--format sarif: valid against the SARIF 2.1.0 JSON schema (draft-04) of OASIS, formats included', () => {
  const ajv = new Ajv04({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile<any>(JSON.parse(readFileSync(join(schemas, 'sarif-schema-2.1.0.json'), 'utf8')));
  const r = runCli(['--format', 'sarif', DRAFT, CLEAN]);
  assert.equal(r.status, 1, r.stderr);
  const sarif: any = JSON.parse(r.stdout);
  assert.ok(validate(sarif), ajv.errorsText(validate.errors));
  assert.equal(sarif.runs[0].results.length, findings()[0].diagnostics.length);
  // The schema is not a rubber stamp: a result without a message is refused.
  delete sarif.runs[0].results[0].message;
  assert.equal(validate(sarif), false);
});

test('--format github: each finding is the workflow command @actions/core writes for it, escaped alike', async () => {
  const core = await import('@actions/core');
  const written = (level: 'error' | 'warning' | 'notice', message: string, properties: Record<string, unknown>) => {
    let out = '';
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      out += chunk;
      return true;
    }) as typeof process.stdout.write;
    try {
      core[level](message, properties);
    } finally {
      process.stdout.write = write;
    }
    return out.replace(/\r?\n$/, '');
  };
  const expected = (file: string, d: JsonDiagnostic) => {
    const { start, end } = d.range;
    const oneLine = start.line === end.line;
    return written(d.severity === 'info' ? 'notice' : d.severity, d.message, {
      title: d.rule,
      file,
      startLine: start.line + 1,
      endLine: end.line + 1,
      startColumn: oneLine ? start.character + 1 : undefined,
      endColumn: oneLine ? end.character + 1 : undefined,
    });
  };

  const r = runCli(['--format', 'github', DRAFT, CLEAN]);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const all = findings().flatMap((f) => f.diagnostics.map((d) => expected(f.file, d)));
  assert.equal(lines.length, all.length);
  assert.ok(lines.length > 20);
  assert.deepEqual(lines, all);
  assert.match(lines.find((l) => l.startsWith('::error'))!, /^::error title=[a-z-]+,file=examples\/runbooks\/checkout-worker\.md,line=\d+,endLine=\d+,col=\d+,endColumn=\d+::\S/);

  // What a message and a file name can hold: %, CR, LF, ':' and ',' (which end a property), a range over lines.
  const nasty = report('runbooks/odd, name: 100%.md', [
    [2, 4, 2, 9, 1, 'placeholder', NASTY],
    [3, 0, 5, 2, 2, 'table-shape', 'spans lines: no columns'],
    [0, 0, 0, 0, 3, 'empty-section', 'information is a notice'],
  ]);
  const ours = githubOutput([nasty]).split('\n');
  assert.deepEqual(ours, [
    written('error', NASTY, { title: 'placeholder', file: nasty.file, startLine: 3, endLine: 3, startColumn: 5, endColumn: 10 }),
    written('warning', 'spans lines: no columns', { title: 'table-shape', file: nasty.file, startLine: 4, endLine: 6 }),
    written('notice', 'information is a notice', { title: 'empty-section', file: nasty.file, startLine: 1, endLine: 1, startColumn: 1, endColumn: 1 }),
  ]);
  // Read back as the runner does: properties split at ',' and '=', then unescaped.
  const [, command, props, data] = /^::(\w+) (.*?)::(.*)$/.exec(ours[0])!;
  const unescape = (s: string) => s.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const read = Object.fromEntries(props.split(',').map((p) => [p.slice(0, p.indexOf('=')), unescape(p.slice(p.indexOf('=') + 1))]));
  assert.equal(command, 'error');
  assert.deepEqual(read, { title: 'placeholder', file: 'runbooks/odd, name: 100%.md', line: '3', endLine: '3', col: '5', endColumn: '10' });
  assert.equal(unescape(data), NASTY);
});

test('--format junit: valid against the JUnit XSD (xmllint); a test case per file, a failure per error', (t) => {
  if (!requireProgram('xmllint', (m) => t.skip(m))) return;
  const xsd = join(schemas, 'junit-10.xsd');
  const xpath = (file: string, expression: string) => spawnSync('xmllint', ['--xpath', expression, file], { encoding: 'utf8' }).stdout.replace(/\n$/, '');
  const valid = (file: string) => spawnSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8' });

  const out = join(scratch, 'junit.xml');
  const r = runCli(['--format', `junit=${out}`, DRAFT, CLEAN]);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '');
  const check = valid(out);
  assert.equal(check.status, 0, check.stderr);
  const [draft] = findings();
  const errors = draft.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(xpath(out, 'count(//testcase)'), '2');
  assert.equal(xpath(out, 'string(//testsuite/@tests)'), '2');
  assert.equal(xpath(out, 'string(//testsuite/@failures)'), '1');
  assert.equal(xpath(out, `count(//testcase[@name="${DRAFT}"]/failure)`), String(errors.length));
  assert.equal(xpath(out, `count(//testcase[@name="${CLEAN}"]/*)`), '0');
  assert.equal(xpath(out, `string(//testcase[@name="${DRAFT}"]/failure[1]/@message)`), errors[0].message);
  assert.equal(xpath(out, `string(//testcase[@name="${DRAFT}"]/failure[1]/@type)`), errors[0].rule);
  const warnings = draft.diagnostics.filter((d) => d.severity !== 'error');
  assert.equal(xpath(out, `string(//testcase[@name="${DRAFT}"]/system-out)`).split('\n').length, warnings.length);

  // Markup, quotes, tabs and line breaks survive; what XML 1.0 cannot hold (U+0001, a lone surrogate) becomes U+FFFD.
  const odd = join(scratch, 'odd.xml');
  writeFileSync(odd, junitOutput([report('a&b <c>.md', [[0, 0, 0, 1, 1, 'secret', NASTY]])]));
  assert.equal(valid(odd).status, 0, valid(odd).stderr);
  assert.equal(xpath(odd, 'string(//failure/@message)'), NASTY.replace('\u0001', '\ufffd').replace('\ud800', '\ufffd'));
  assert.equal(xpath(odd, 'string(//testcase/@name)'), 'a&b <c>.md');
  // The schema is not a rubber stamp: an attribute JUnit does not have is refused.
  const bad = join(scratch, 'bad.xml');
  writeFileSync(bad, readFileSync(out, 'utf8').replace('<testcase ', '<testcase line="1" '));
  assert.notEqual(valid(bad).status, 0);
});

test('--format codequality: every entry passes GitLab\'s own schema and parser; fingerprints are unique and survive moved lines', () => {
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(JSON.parse(readFileSync(join(schemas, 'gitlab-codeclimate.json'), 'utf8')));
  // GitLab's parser keeps entries up to the first invalid one, keyed by fingerprint, and sorts by these severities.
  const gitlabRead = (entries: Record<string, unknown>[]) => {
    const kept = new Map<string, Record<string, unknown>>();
    for (const entry of entries) {
      if (!validate(entry)) break;
      kept.set(entry.fingerprint as string, entry);
    }
    return kept;
  };
  const r = runCli(['--format', 'codequality', DRAFT, CLEAN]);
  assert.equal(r.status, 1, r.stderr);
  const entries = JSON.parse(r.stdout) as Record<string, any>[];
  const [draft] = findings();
  assert.equal(entries.length, draft.diagnostics.length);
  assert.equal(gitlabRead(entries).size, entries.length, 'GitLab keeps every finding');
  entries.forEach((entry, i) => {
    const d = draft.diagnostics[i];
    assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(entry.severity));
    assert.equal(entry.severity, { error: 'major', warning: 'minor', info: 'info' }[d.severity]);
    assert.equal(entry.check_name, d.rule);
    assert.equal(entry.description, d.message);
    assert.deepEqual(entry.location, { path: DRAFT, lines: { begin: d.range.start.line + 1, end: d.range.end.line + 1 } });
    assert.match(entry.fingerprint, /^[0-9a-f]{32}$/);
  });
  // A line added at the top moves every finding; GitLab must still see the same findings, not new ones.
  const text = readFileSync(join(ROOT, DRAFT), 'utf8');
  const dir = join(scratch, 'moved');
  mkdirSync(join(dir, 'runbooks'), { recursive: true });
  const quality = () => JSON.parse(runCli(['--format', 'codequality', 'runbooks/checkout-worker.md'], dir).stdout) as Record<string, any>[];
  writeFileSync(join(dir, 'runbooks/checkout-worker.md'), text);
  const before = quality();
  assert.deepEqual(quality(), before, 'the same run twice gives the same report');
  writeFileSync(join(dir, 'runbooks/checkout-worker.md'), text.replace('\n', '\n\nA line added under the title.\n'));
  const moved = quality();
  assert.deepEqual(moved.map((e) => e.location.lines.begin), before.map((e) => e.location.lines.begin + 2));
  assert.deepEqual(moved.map((e) => e.fingerprint), before.map((e) => e.fingerprint));
  assert.notDeepEqual(moved.map((e) => e.fingerprint), entries.map((e) => e.fingerprint), 'the path is part of the fingerprint');
  // The schema is not a rubber stamp: an entry without a fingerprint stops GitLab's reading there.
  delete entries[3].fingerprint;
  assert.equal(gitlabRead(entries).size, 3);
});

/** The tables of a Markdown text as GitHub-flavoured Markdown reads them: rows of cell texts. */
function tables(markdown: string): string[][][] {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(markdown) as Root;
  return tree.children.filter((n): n is Table => n.type === 'table').map((t) => t.children.map((row) => row.children.map((cell) => toString(cell))));
}

test('--format markdown: a row per runbook (completeness, errors, warnings, review) and the problems by rule, as GFM reads it', () => {
  const r = runCli(['--format', 'markdown', DRAFT, CLEAN]);
  assert.equal(r.status, 1, r.stderr);
  const [runbooks, byRule] = tables(r.stdout);
  assert.deepEqual(runbooks[0], ['Runbook', 'File', 'Completeness', 'Errors', 'Warnings', 'Review']);
  const [draft] = findings();
  const count = (severity: string) => String(draft.diagnostics.filter((d) => d.severity === severity).length);
  assert.deepEqual(runbooks[1], ['System Runbook: Checkout Worker', DRAFT, '7/14 sections, 3 placeholders', count('error'), count('warning'), 'overdue since 2026-06-01 (179 days)']);
  assert.deepEqual(runbooks[2].slice(0, 5), ['System Runbook: Payments API', CLEAN, '14/14 sections', '0', '0']);
  assert.match(runbooks[2][5], /^next \d{4}-\d{2}-\d{2}$/);
  assert.match(r.stdout.split('\n')[0], /^### Runbook check: 2 runbooks checked, 1 with errors, 1 overdue for review$/);
  assert.deepEqual(byRule[0], ['Rule', 'Errors', 'Warnings', 'Info', 'Runbooks']);
  assert.deepEqual(byRule[1], ['missing-section', '7', '0', '0', '1']);
  const total = byRule.slice(1).reduce((n, row) => n + Number(row[1]) + Number(row[2]) + Number(row[3]), 0);
  assert.equal(total, draft.diagnostics.length);

  // A title with Markdown in it shows as written: no cell split, no emphasis, no link, no HTML.
  const title = 'Pay|ments *API* [v2](http://x) <b>bold</b> \\ `code` ~~no~~ & co_op';
  assert.deepEqual(tables(`| a |\n|---|\n| ${markdownCell(title)} |\n`)[0][1], [title]);
  assert.deepEqual(tables(markdownOutput([report('runbooks/a|b.md', [])]))[0][1].slice(0, 3), ['runbooks/a|b.md', 'runbooks/a|b.md', 'not checked']);
});

test('several formats in one run: files for some, one on standard output; the same findings in each', () => {
  const out = join(scratch, 'multi');
  const r = runCli(['--format', `sarif=${out}/lint.sarif`, '--format', 'text', `--format=junit=${out}/junit.xml`, '--format', `codequality=${out}/cq.json`, DRAFT]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^examples\/runbooks\/checkout-worker\.md\n/);
  assert.match(r.stdout, /1 file checked: 10 errors, 17 warnings, 0 info\.\n$/);
  const count = findings()[0].diagnostics.length;
  assert.equal(JSON.parse(readFileSync(join(out, 'lint.sarif'), 'utf8')).runs[0].results.length, count);
  assert.equal(JSON.parse(readFileSync(join(out, 'cq.json'), 'utf8')).length, count);
  assert.match(readFileSync(join(out, 'junit.xml'), 'utf8'), /^<\?xml/);

  const usage = (args: string[], message: RegExp) => {
    const bad = runCli([...args, DRAFT]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr.split('\n')[0], message);
    assert.equal(bad.stdout, '');
  };
  usage(['--format', 'json', '--format', 'text'], /^runbook-lint: Only one format can go to standard output, not json and text; write the others to files \(--format text=<file>\)\.$/);
  usage(['--format', `json=${out}/x`, '--format', `sarif=${out}/x`], /^runbook-lint: Two formats are written to .*multi\/x\.$/);
  usage(['--format', 'xml'], /^runbook-lint: Unknown format "xml": use text, json, sarif, junit, github, codequality, markdown or html\.$/);
  usage(['--format', 'sarif='], /^runbook-lint: --format sarif= needs a file name after "="\.$/);
  writeFileSync(join(scratch, 'a-file'), '');
  usage(['--format', `sarif=${join(scratch, 'a-file', 'x.sarif')}`], /^runbook-lint: Cannot write .*a-file\/x\.sarif: (ENOTDIR|EEXIST)$/);
});

test('findings that hold a credential are never repeated in full in any format', () => {
  const secret = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
  const file = join(scratch, 'leak-runbook.md');
  writeFileSync(file, edit(example, '| **Owner** |', `| **Owner** | token ${secret} |\n| **Former Owner** |`));
  const formats = ['text', 'json', 'sarif', 'junit', 'github', 'codequality', 'markdown', 'html'];
  const r = runCli([...formats.map((f) => `--format=${f}=${join(scratch, 'leak', f)}`), file]);
  assert.equal(r.status, 1, r.stderr);
  for (const format of formats) {
    const out = readFileSync(join(scratch, 'leak', format), 'utf8');
    assert.ok(!out.includes(secret.slice(4, 12)), `${format} repeats the credential`);
    if (format !== 'markdown') assert.match(out, /secret/i, format);
  }
});
