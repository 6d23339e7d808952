import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { RunbookLanguageService } from '../../server/src/service/languageService';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { defaultSettings } from '../../server/src/service/settings';
import { applyEdits } from '../../server/src/service/edits';
import { buildModel } from '../../server/src/service/model/document';
import { ChunkParser } from '../../server/src/service/model/parse';
import { TODAY, edit, example, expectAt, lint, lintRule } from '../support/lint';
import { Harness, lspLines, offsetOf, startClock } from '../support/generate';

// Bad input (issue 2, "Bad input"; issue 5): no crash, no hang, sensible diagnostics, for the service and
// for the CLI. "No hang" is judged by CPU time against a bound far above any normal document (HANG_MS),
// or as a ratio to a plain document of the same size, never as a tight figure.

const schema = builtinTemplate();
const harness = new Harness(schema, defaultSettings, TODAY);
const HANG_MS = 5000;
const SECTIONS = schema.sections.map((s) => s.title);
const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');

/** Diagnostics of a document, checked to lie inside it and to come within the bound. */
async function analysed(text: string): Promise<Diagnostic[]> {
  const clock = startClock();
  const diagnostics = await lint(text);
  const { ms } = clock();
  assert.ok(ms < HANG_MS, `analysis took ${Math.round(ms)} ms of CPU time`);
  assert.deepEqual(harness.rangeProblems(text, diagnostics), []);
  return diagnostics;
}

const missingSections = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === 'missing-section').map((d) => /Missing section "([^"]+)"/.exec(d.message)?.[1]);
/** What a person sees of a diagnostic: rule, place and message (fix data holds the document's line breaks). */
const seen = (diagnostics: Diagnostic[]) => diagnostics.map((d) => ({ code: d.code, range: d.range, message: d.message }));

/** The text with the diagnostic's first quick fix applied. */
function withFirstFix(text: string, d: Diagnostic): string {
  const fix = (d.data as { fixes: { edits: { range: Diagnostic['range']; newText: string }[] }[] }).fixes[0];
  return applyEdits(text, fix.edits.map((e) => ({ start: offsetOf(text, e.range.start), end: offsetOf(text, e.range.end), newText: e.newText })));
}

/** A deterministic byte generator, so a failure can be replayed. */
function randomBytes(seed: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    bytes[i] = seed >>> 24;
  }
  return bytes;
}

test('an empty document: every template section is missing, once, at the start', async () => {
  const diagnostics = await analysed('');
  assert.deepEqual(missingSections(diagnostics), SECTIONS);
  assert.deepEqual(diagnostics.filter((d) => d.code !== 'missing-section'), []);
  for (const d of diagnostics) assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
});

test('binary junk (random bytes as latin1, as UTF-8 with replacement characters, NUL bytes): no crash, ranges inside', async () => {
  for (const seed of [1, 2, 3]) {
    const bytes = randomBytes(seed, 20_000);
    for (const text of [bytes.toString('latin1'), new TextDecoder('utf-8').decode(bytes)]) {
      const diagnostics = await analysed(text);
      assert.deepEqual(missingSections(diagnostics), SECTIONS, `seed ${seed}`);
    }
  }
  const nul = '\0'.repeat(4096) + '\n# System Runbook: \0Payments\0\n\n## Document Information\0\n\n| Field | Value |\n|---|---|\n| **Owner** | \0 |\n';
  const diagnostics = await analysed(nul);
  assert.ok(!missingSections(diagnostics).includes('Document Information'), 'a NUL after the heading text still leaves the heading a heading');
  assert.equal(new TextDecoder('utf-8').decode(randomBytes(1, 20_000)).includes('\ufffd'), true, 'the UTF-8 junk has replacement characters');
});

test('a 1 MB single line of prose: no hang; missing sections reported on it, the only line with text', async () => {
  const line = 'the payments api retries the capture once the processor answers again '.repeat(15_000).slice(0, 1_000_000);
  const diagnostics = await analysed(line);
  assert.deepEqual(missingSections(diagnostics), SECTIONS);
  for (const d of diagnostics) assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 1_000_000 } });
});

test(
  'a long single line of JSON (a pasted log line) costs no more than 5x a line of prose of the same length',
  async () => {
    const json = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ ts: `2026-11-27T10:${String(i % 60).padStart(2, '0')}:00Z`, level: 'error', tags: ['payments', 'api'], n: i }))).slice(0, 40_000);
    const prose = 'upstream timed out on the payments api at ten '.repeat(1000).slice(0, json.length);
    await lint(prose);
    let clock = startClock();
    await lint(prose);
    const proseMs = clock().ms;
    clock = startClock();
    await lint(json);
    const jsonMs = clock().ms;
    assert.ok(jsonMs < 5 * Math.max(proseMs, 20), `JSON line: ${Math.round(jsonMs)} ms of CPU, prose line: ${Math.round(proseMs)} ms`);
  },
);

// The example's Section 8 starts with a bash block; without its closing fences from there on, everything
// after the opening fence is code, as in any CommonMark renderer.
const unclosedFence = (() => {
  const at = example.indexOf('```bash', example.indexOf('## Section 8: Rollback Procedures'));
  return example.slice(0, at + '```bash\n'.length) + example.slice(at + '```bash\n'.length).replace(/^```.*$/gm, '');
})();

test('an unclosed fence swallows what follows it: one unclosed-block finding at the fence, the sections after it are not reported missing', async () => {
  const diagnostics = await analysed(unclosedFence);
  assert.deepEqual(missingSections(diagnostics), []);
  const [block] = diagnostics.filter((d) => d.code === 'unclosed-block');
  assert.equal(block.range.start.line, lspLines(unclosedFence.slice(0, unclosedFence.indexOf('```bash', unclosedFence.indexOf('## Section 8')))).length - 1);
  assert.match(block.message, /section "Troubleshooting Guide"/);
  assert.ok(diagnostics.some((d) => d.code === 'broken-link' && d.message.includes('#section-9-troubleshooting-guide')), 'the TOC entry of a swallowed section is a broken link');
});

test(
  'the fix for a section missing after an unclosed fence takes effect, and fix-all is idempotent there',
  async () => {
    const text = '# System Runbook: Ledger\n\n## Document Information\n\n```bash\nledger status\n';
    const before = (await lintRule(text, 'missing-section')).find((d) => d.message.includes('"Table of Contents"'))!;
    const fixed = withFirstFix(text, before);
    assert.deepEqual((await lintRule(fixed, 'missing-section')).filter((d) => d.message === before.message), []);
    const service = new RunbookLanguageService();
    const all = applyEdits(text, await service.fixAll(service.getModel({ uri: 'file:///r/runbooks/ledger.md', version: 1, getText: () => text }), schema, defaultSettings, TODAY));
    assert.equal(all.split('## Table of Contents').length - 1, 1, 'Table of Contents inserted once');
  },
);

test('a fence left open inside a list item or a block quote is closed in its container, so an inserted section stays a section', async () => {
  // Found by npm run fuzz (seeds 583, 772, 928): a closing fence at column 0 ends the list item and opens a new fence.
  // An indented code block showing a fence (seeds 7044, 8095) needs no closing: a ``` there would open one.
  for (const open of ['1. **Run migrations**\n   ```bash\n   ledger migrate up\n', '- step\n\n  ~~~~\n  ledger status\n', '> ```sql\n> select 1;\n', '    ```bash']) {
    const text = `# System Runbook: Ledger\n\n## Document Information\n\n${open}`;
    const before = (await lintRule(text, 'missing-section')).find((d) => d.message.includes('"Table of Contents"'))!;
    const fixed = withFirstFix(text, before);
    assert.deepEqual((await lintRule(fixed, 'missing-section')).filter((d) => d.message === before.message), [], JSON.stringify(open));
    assert.ok(fixed.startsWith(text), 'the original text is kept as it was');
  }
});

test(
  'a document that opens with a thematic break (---): an inserted section stays a section, not front matter',
  async () => {
    // Found by npm run fuzz (seed 194): the template's sections end with a --- line, which closed the
    // document's first --- into YAML front matter and swallowed the inserted section.
    for (const text of ['---\nOn-call notes for the ledger.\n', '\uFEFF---\r\nOn-call notes for the ledger.\r\n']) {
      const before = (await lintRule(text, 'missing-section')).find((d) => d.message.includes('"Table of Contents"'))!;
      const fixed = withFirstFix(text, before);
      assert.deepEqual((await lintRule(fixed, 'missing-section')).filter((d) => d.message === before.message), [], JSON.stringify(text));
      assert.ok(fixed.includes('***') && !/^---$/m.test(fixed.slice(4)), 'the inserted break is written ***');
    }
    // A document with real front matter keeps the template's --- breaks.
    const withFrontMatter = '---\nowner: ledger\n---\n\nOn-call notes.\n';
    const d = (await lintRule(withFrontMatter, 'missing-section')).find((x) => x.message.includes('"Table of Contents"'))!;
    const edit0 = (d.data as { fixes: { edits: { newText: string }[] }[] }).fixes[0].edits[0];
    assert.match(edit0.newText, /^---$/m);
  },
);

test('ragged table rows: table-shape fires on exactly those rows', async () => {
  const doc = edit(
    edit(example, '| 1.0 | 2025-03-04 | Priya Raman | Initial document |', '«| 1.0 | 2025-03-04 | Priya Raman |»'),
    '| 2026-06-09 | RDS upgraded from PostgreSQL 15.7 to 16.4 | Tomasz Lindqvist | PAY-2214 |',
    '«| 2026-06-09 | RDS upgraded | from PostgreSQL 15.7 to 16.4 | Tomasz Lindqvist | PAY-2214 |»',
  );
  const found = await expectAt(doc, 'table-shape', /Row has (3|5) cells but the header of table "(Document History|System Change History)" has 4/);
  assert.equal(found.length, 2);
});

test('a BOM: the clean example stays clean; the draft gets the same diagnostics, shifted by the BOM on line 0 only', async () => {
  assert.deepEqual(await analysed('\ufeff' + example), []);
  const plain = seen(await analysed(draft));
  const withBom = seen(await analysed('\ufeff' + draft));
  const shift = (p: { line: number; character: number }) => (p.line === 0 ? { line: 0, character: p.character + 1 } : p);
  assert.deepEqual(withBom, plain.map((d) => ({ ...d, range: { start: shift(d.range.start), end: shift(d.range.end) } })));
});

test('two BOMs (found by npm run fuzz, seed 1765): the model\'s places are those of the text, in a whole parse and in chunks', async () => {
  // micromark drops a BOM at the start of what it parses and counts its offsets without it: the second mark
  // shifted every place of a whole-document parse by one, and the judge of fix-all saw each heading twice.
  const text = '\ufeff\ufeff# System Runbook: Ledger\n\n## Document Information\n\n| Field | Value |\n|-------|-------|\n| **Owner** | Ledger team |\n';
  for (const whole of [false, true]) {
    const model = buildModel('file:///two-boms.md', 1, text, new ChunkParser(), whole);
    assert.deepEqual(model.headings.map((h) => text.slice(h.start, h.end)), ['# System Runbook: Ledger', '## Document Information'], `whole: ${whole}`);
    assert.deepEqual(model.tables.map((t) => text.slice(t.rows[0].start, t.rows[0].end)), ['| **Owner** | Ledger team |'], `whole: ${whole}`);
  }
  assert.deepEqual(await analysed('\ufeff\ufeff' + example), []);
});

test('CRLF and lone CR line breaks give the same diagnostics at the same places as LF', async () => {
  assert.deepEqual(await analysed(example.replace(/\n/g, '\r\n')), []);
  assert.deepEqual(await analysed(example.replace(/\n/g, '\r')), []);
  const lf = seen(await analysed(draft));
  assert.ok(lf.length > 5);
  assert.deepEqual(seen(await analysed(draft.replace(/\n/g, '\r\n'))), lf);
  assert.deepEqual(seen(await analysed(draft.replace(/\n/g, '\r'))), lf);
  // Half CRLF, half LF.
  let n = 0;
  assert.deepEqual(seen(await analysed(draft.replace(/\n/g, () => (n++ % 2 ? '\r\n' : '\n')))), lf);
});

test(
  'fix-all in a document with lone CR line breaks inserts lone CR line breaks',
  async () => {
    const rollback = example.slice(example.indexOf('## Section 8: Rollback Procedures'), example.indexOf('## Section 9: Troubleshooting Guide'));
    const doc = edit(example, rollback, '').replace(/\n/g, '\r');
    const service = new RunbookLanguageService();
    const fixed = applyEdits(doc, await service.fixAll(service.getModel({ uri: 'file:///r/runbooks/cr.md', version: 1, getText: () => doc }), schema, defaultSettings, TODAY));
    assert.ok(fixed.includes('## Section 8: Rollback Procedures\r'));
    assert.equal(fixed.includes('\n'), false);
  },
);

test('emoji and CJK: diagnostic positions count UTF-16 code units', async () => {
  const emoji = edit(example, '| **Classification** | Confidential |', '| **Classification** | «🔒 Urgent» |');
  const [value] = await expectAt(emoji, 'invalid-value', /"Classification" is "🔒 Urgent"/);
  const line = '| **Classification** | 🔒 Urgent |';
  // Independent of the service's position code: JavaScript string indices are UTF-16 code units.
  assert.equal(value.range.start.character, line.indexOf('🔒'));
  assert.equal(value.range.start.character, 23);
  assert.equal(value.range.end.character - value.range.start.character, '🔒 Urgent'.length);
  assert.equal('🔒 Urgent'.length, 9, 'the lock is two code units');

  const cjk = edit(example, '## Section 8: Rollback Procedures', '## Section 8: Rollback Procedures\n\n🚀𠜎 参见 [部署](«#不存在的锚点») for details');
  const [link] = await expectAt(cjk, 'broken-link', /#不存在的锚点/);
  assert.equal(link.range.start.character, '🚀𠜎 参见 [部署]('.length);
  assert.equal(link.range.start.character, 13);
});

test('emoji and CJK headings: an emoji after a section title still matches; CJK words make it another heading', async () => {
  const emoji = edit(example, '## Section 8: Rollback Procedures', '## Section 8: Rollback Procedures 🔄');
  const diagnostics = await analysed(emoji);
  assert.deepEqual(missingSections(diagnostics), []);
  // GitHub's slug keeps a hyphen for the removed emoji, so the TOC entry no longer matches: a real broken link.
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['broken-link'],
  );
  // A heading in other words is the template's section when it holds the section's subsections in its place.
  const cjk = edit(example, '## Section 8: Rollback Procedures', '## 第八节：回滚程序 🔄');
  const translated = await analysed(cjk);
  assert.deepEqual(missingSections(translated), []);
  assert.match(translated.find((d) => d.code === 'near-miss')?.message ?? '', /looks like the template section "Rollback Procedures"/);
  const alone = cjk.slice(0, cjk.indexOf('### 8.1')) + cjk.slice(cjk.indexOf('## Section 9'));
  assert.deepEqual(missingSections(await analysed(alone)), ['Rollback Procedures'], 'without its subsections it is another heading');
});

test('tabs in tables and headings: no crash, the clean example with tab-separated cells stays clean', async () => {
  const tabbed = example.replace(/^\| \*\*(.+?)\*\* \| (.+) \|$/gm, '|\t**$1**\t|\t$2\t|');
  assert.notEqual(tabbed, example);
  assert.deepEqual(await analysed(tabbed), []);
});

test('a huge table (5,000 rows): no hang; table-shape fires on exactly the ragged rows', async () => {
  const rows = Array.from({ length: 5_000 }, (_, i) => (i === 1_777 || i === 4_999 ? `| 2026-11-${String((i % 20) + 1).padStart(2, '0')} | change ${i} | Priya Raman |` : `| 2026-11-${String((i % 20) + 1).padStart(2, '0')} | change ${i} | Priya Raman | PAY-${i} |`));
  const header = '| Date | Change | Performed By | Ticket/Reference |\n|------|--------|--------------|------------------|\n';
  const at = example.indexOf('| 2026-06-09 | RDS upgraded');
  const doc = example.slice(0, at) + rows.join('\n') + '\n' + example.slice(example.indexOf('\n\n', at));
  assert.ok(example.slice(0, at).endsWith(header));
  const diagnostics = await analysed(doc);
  const shape = diagnostics.filter((d) => d.code === 'table-shape');
  const firstRow = lspLines(doc).indexOf(rows[0]);
  assert.deepEqual(shape.map((d) => d.range.start.line - firstRow), [1_777, 4_999]);
  assert.deepEqual(diagnostics.filter((d) => d.code !== 'table-shape'), []);
});

// The CLI on bad files

const CLI = fileURLToPath(new URL('../../server/out/cli.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cli(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, RUNBOOK_TODAY: TODAY, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const scratch = mkdtempSync(join(tmpdir(), 'runbook-badinput-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer) => {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
};

/** Exit 2 with one clear `runbook-lint: ...` line first on stderr, and nothing on stdout. */
function usageError(r: ReturnType<typeof cli>, message: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr.split('\n')[0], message);
  assert.equal(r.stdout, '');
}

test('CLI: a file that does not exist: exit 2, "File not found"', () => {
  const missing = join(scratch, 'no-such-runbook.md');
  usageError(cli([missing]), new RegExp(`^runbook-lint: File not found: ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
});

test('CLI: a file that is not UTF-8: exit 2, "not UTF-8"', () => {
  const latin1 = file('latin1-runbook.md', Buffer.from('# System Runbook: Caf\xe9\n\n## Document Information\n', 'latin1'));
  usageError(cli([latin1]), /^runbook-lint: .*latin1-runbook\.md is not UTF-8 text\.$/);
  usageError(cli([file('junk-runbook.md', randomBytes(5, 4096))]), /is not UTF-8 text\.$/);
});

test('CLI: an unknown option and a bad --format: exit 2 with the option named', () => {
  usageError(cli(['--bogus', 'examples/payments-api-runbook.md']), /^runbook-lint: Unknown option "--bogus"\.$/);
  usageError(cli(['--format', 'xml', 'examples/payments-api-runbook.md']), /^runbook-lint: Unknown format "xml": use text, json, sarif, junit, github, codequality, markdown or html\.$/);
  usageError(cli(['--format=yaml', 'examples/payments-api-runbook.md']), /^runbook-lint: Unknown format "yaml"/);
  usageError(cli(['examples/payments-api-runbook.md', '--format']), /^runbook-lint: --format needs a value\.$/);
});

test('CLI: a directory with no Markdown: exit 2 with a clear message', () => {
  const dir = join(scratch, 'no-markdown');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'notes.txt'), 'not markdown');
  const r = cli([dir]);
  usageError(r, /^runbook-lint: .*(markdown|\.md)/i);
  assert.ok(r.stderr.split('\n')[0].includes(dir), 'the message names the directory');
});

test('CLI: exit 0 without error-severity findings, 1 with one; bad content is checked, not refused', () => {
  const clean = cli(['examples/payments-api-runbook.md']);
  assert.equal(clean.status, 0, clean.stderr);
  assert.equal(clean.stderr, '');
  const broken = cli(['examples/runbooks/checkout-worker.md']);
  assert.equal(broken.status, 1);
  assert.match(broken.stdout, /error/);
  const warningsOnly = file('warnings-runbook.md', edit(example, '| **Classification** | Confidential |', '| **Classification** | Urgent |'));
  assert.equal(cli([warningsOnly]).status, 0);
  for (const [name, content] of [
    ['empty-runbook.md', ''],
    ['nul-runbook.md', '\0\0\0\n# System Runbook: X\0\n'],
    ['bom-runbook.md', '\ufeff' + example],
    ['crlf-runbook.md', example.replace(/\n/g, '\r\n')],
    ['fence-runbook.md', unclosedFence],
  ] as const) {
    const r = cli(['--format', 'json', file(name, content)]);
    assert.ok(r.status === 0 || r.status === 1, `${name}: exit ${r.status} ${r.stderr}`);
    assert.equal(r.stderr, '', name);
    const [result] = JSON.parse(r.stdout) as { diagnostics: unknown[] }[];
    if (name === 'bom-runbook.md' || name === 'crlf-runbook.md') assert.deepEqual(result.diagnostics, [], name);
    else assert.ok(result.diagnostics.length > 0, name);
  }
});

test('CLI --format json: exactly [{file, diagnostics: [{rule, severity, message, range}]}] with LSP positions', async () => {
  const clean = cli(['--format', 'json', 'examples/payments-api-runbook.md']);
  assert.equal(clean.status, 0);
  assert.deepEqual(JSON.parse(clean.stdout), [{ file: 'examples/payments-api-runbook.md', diagnostics: [] }]);

  const r = cli(['--format', 'json', 'examples/runbooks/checkout-worker.md', 'examples/payments-api-runbook.md']);
  assert.equal(r.status, 1);
  const output = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.deepEqual(output.map((o) => Object.keys(o)), [['file', 'diagnostics'], ['file', 'diagnostics']]);
  assert.deepEqual(output.map((o) => o.file), ['examples/runbooks/checkout-worker.md', 'examples/payments-api-runbook.md']);
  const diagnostics = output[0].diagnostics as Record<string, unknown>[];
  assert.ok(diagnostics.length > 5);
  const position = (p: unknown) => {
    assert.deepEqual(Object.keys(p as object), ['line', 'character']);
    const { line, character } = p as { line: number; character: number };
    assert.ok(Number.isInteger(line) && line >= 0 && Number.isInteger(character) && character >= 0);
  };
  for (const d of diagnostics) {
    assert.deepEqual(Object.keys(d), ['rule', 'severity', 'message', 'range']);
    assert.ok(['error', 'warning', 'info', 'hint'].includes(d.severity as string), String(d.severity));
    assert.equal(typeof d.rule, 'string');
    assert.equal(typeof d.message, 'string');
    assert.deepEqual(Object.keys(d.range as object), ['start', 'end']);
    position((d.range as { start: unknown }).start);
    position((d.range as { end: unknown }).end);
  }
  // The same findings, places and messages as the language service.
  const severities: Record<number, string> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };
  const fromService = (await lint(draft)).map((d) => ({ rule: d.code, severity: severities[d.severity!], message: d.message, range: d.range }));
  assert.deepEqual(diagnostics, fromService);
});

test('CLI --format sarif: valid SARIF 2.1.0 with rules, results, levels and 1-based regions', () => {
  const r = cli(['--format', 'sarif', 'examples/runbooks/checkout-worker.md']);
  assert.equal(r.status, 1);
  const sarif = JSON.parse(r.stdout);
  assert.equal(sarif.version, '2.1.0');
  assert.match(sarif.$schema, /sarif-2\.1\.0/);
  assert.equal(sarif.runs.length, 1);
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'runbook-lint');
  const rules = run.tool.driver.rules as { id: string; shortDescription: { text: string }; helpUri: string; defaultConfiguration: { level: string } }[];
  assert.ok(rules.length >= 14);
  for (const rule of rules) {
    assert.match(rule.id, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(rule.shortDescription.text.length > 10, rule.id);
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level), rule.id);
  }
  const json = JSON.parse(cli(['--format', 'json', 'examples/runbooks/checkout-worker.md']).stdout)[0].diagnostics as { rule: string; severity: string; range: Diagnostic['range'] }[];
  const results = run.results as { ruleId: string; ruleIndex?: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[] }[];
  assert.equal(results.length, json.length);
  const level: Record<string, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
  results.forEach((result, i) => {
    const expected = json[i];
    assert.equal(result.ruleId, expected.rule);
    if (result.ruleIndex !== undefined) assert.equal(rules[result.ruleIndex].id, result.ruleId);
    assert.equal(result.level, level[expected.severity]);
    assert.ok(result.message.text.length > 0);
    const { region, artifactLocation } = result.locations[0].physicalLocation;
    assert.equal(artifactLocation.uri, 'examples/runbooks/checkout-worker.md');
    assert.deepEqual(region, {
      startLine: expected.range.start.line + 1,
      startColumn: expected.range.start.character + 1,
      endLine: expected.range.end.line + 1,
      endColumn: expected.range.end.character + 1,
    });
  });
});
