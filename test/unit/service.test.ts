import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRunbookService, type RunbookService } from '../../server/src/service/runbookService';
import { MemoryFileSystem } from '../../server/src/service/memoryFs';
import { TODAY, example, marked } from '../support/lint';

// The service with its workspace over an in-memory file system: policy, index and cross-file links as
// every host (desktop server, CLI, browser server) gets them.

const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');

const ALERT_TEMPLATE = '# Alert: [AlertName]\n\n## Meaning\n\n[What the alert means]\n\n## Mitigation\n\n[Steps]\n';

const LINKS = marked(`# System Runbook: Ledger

## Section 8: Rollback Procedures

See [the guide](/docs/guide.md#setup), [the alert](../alerts/high-latency.md#meaning), [gone](«/docs/missing.md») and [a typo](«../alerts/high-latency.md#meanin»).
`);

const W = '/w';
const uri = (path: string) => URI.file(`${W}/${path}`).toString();

function workspace(): MemoryFileSystem {
  return new MemoryFileSystem({
    [`${W}/README.md`]: '# Project\n\nSee the [runbooks](runbooks/).\n',
    [`${W}/CHANGELOG.md`]: '# Changelog\n\n## 1.0\n',
    [`${W}/docs/guide.md`]: '# Guide\n\n## Setup\n\nInstall it.\n',
    [`${W}/runbooks/checkout-worker.md`]: draft,
    [`${W}/runbooks/ledger.md`]: LINKS.text,
    [`${W}/services/payments-runbook.md`]: example,
    [`${W}/notes/on-call.md`]: '---\nrunbook-template: ../templates/alert.md\n---\n# Alert: On-call\n\n## Meaning\n\nPaged.\n',
    [`${W}/alerts/high-latency.md`]: '# Alert: HighLatency\n\n## Meaning\n\nSlow.\n',
    [`${W}/templates/alert.md`]: ALERT_TEMPLATE,
    [`${W}/.runbookrc.json`]: JSON.stringify({ overrides: [{ files: ['alerts/**/*.md'], template: 'templates/alert.md' }], files: ['**/*runbook*.md', '**/runbooks/**/*.md', 'alerts/**/*.md'] }),
    [`${W}/.github/runbooks/ci.md`]: draft,
    [`${W}/node_modules/pkg/runbook.md`]: draft,
  });
}

async function indexed(fs = workspace()): Promise<{ service: RunbookService; published: Map<string, Diagnostic[]> }> {
  const published = new Map<string, Diagnostic[]>();
  const service = createRunbookService({ fs, clock: { today: () => TODAY } });
  service.on({ publish: (u, d) => published.set(u, d) });
  await service.setWorkspaceFolders([URI.file(W).toString()]);
  return { service, published };
}

const doc = (path: string, text: string, version = 1) => ({ uri: uri(path), version, getText: () => text });

test('service: the index holds the runbooks only: globs, an override template, front matter; not README, guide, template, dot-folders, node_modules', async () => {
  const { service, published } = await indexed();
  const runbooks = service.workspaceSummary().runbooks.map((r) => r.uri);
  assert.deepEqual(runbooks, [uri('alerts/high-latency.md'), uri('notes/on-call.md'), uri('runbooks/checkout-worker.md'), uri('runbooks/ledger.md'), uri('services/payments-runbook.md')]);
  assert.equal(service.workspaceSummary().markdownFiles, 9, 'README, CHANGELOG, guide, template and the five runbooks');
  // The alert follows the team's template through the override; the front matter chooses it too.
  const alert = service.workspaceSummary([uri('alerts/high-latency.md')]).runbooks[0].summary;
  assert.deepEqual(alert.sections, { present: 1, expected: 2 });
  assert.deepEqual(published.get(uri('alerts/high-latency.md'))?.map((d) => d.message), ['Missing section "Mitigation" (template: "Mitigation"); the fix inserts it after section "Meaning".']);
  assert.deepEqual(service.workspaceSummary([uri('notes/on-call.md')]).runbooks[0].summary.sections, { present: 1, expected: 2 });
  assert.deepEqual(published.get(uri('services/payments-runbook.md')), []);
  assert.equal(published.has(uri('README.md')), false);
  assert.equal(published.has(uri('.github/runbooks/ci.md')), false);
});

test('service: links starting with / start at the workspace folder, others at the document; a missing file or heading is reported at its target', async () => {
  const { service } = await indexed();
  const result = (await service.check(doc('runbooks/ledger.md', LINKS.text)))!;
  const broken = result.diagnostics.filter((d) => d.code === 'broken-link');
  assert.deepEqual(
    broken.map((d) => d.range),
    LINKS.ranges,
  );
  assert.match(broken[0].message, /Linked file "\/docs\/missing\.md" does not exist/);
  assert.match(broken[1].message, /"#meanin" matches no heading in "\.\.\/alerts\/high-latency\.md"; did you mean "#meaning"\?/);
});

test('service: a file appearing fixes the link to it in an open document, and the host is asked to check it again', async () => {
  const fs = workspace();
  const { service } = await indexed(fs);
  const rechecked: string[][] = [];
  service.on({ recheck: (uris) => rechecked.push(uris) });
  const before = (await service.check(doc('runbooks/ledger.md', LINKS.text)))!;
  assert.equal(before.diagnostics.filter((d) => d.code === 'broken-link').length, 2);
  fs.write(`${W}/docs/missing.md`, '# Now here\n');
  service.filesChanged([{ uri: uri('docs/missing.md'), type: 1 }]);
  await waitFor(() => rechecked.some((u) => u.includes(uri('runbooks/ledger.md'))), 'a recheck of the linking document');
  const after = (await service.check(doc('runbooks/ledger.md', LINKS.text, 2)))!;
  assert.deepEqual(after.diagnostics.filter((d) => d.code === 'broken-link').map((d) => d.range), [LINKS.ranges[1]]);
});

test('service: a configuration that changes is read again; its problems are published on the file', async () => {
  const fs = workspace();
  const { service, published } = await indexed(fs);
  const text = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
  assert.ok((await service.check(doc('runbooks/checkout-worker.md', text)))!.diagnostics.some((d) => d.code === 'missing-section'));
  fs.write(`${W}/.runbookrc.json`, '{ "rules": { "missing-section": "off", "no-such-rule": "error" } }');
  service.filesChanged([{ uri: uri('.runbookrc.json'), type: 2 }]);
  const result = (await service.check(doc('runbooks/checkout-worker.md', text, 2)))!;
  assert.ok(!result.diagnostics.some((d) => d.code === 'missing-section'));
  assert.deepEqual(published.get(uri('.runbookrc.json'))?.map((d) => [d.severity, d.code, d.message.split(';')[0]]), [[2, 'config', 'Unknown rule "no-such-rule" in "rules"']]);
});

test('service: a document that is not a runbook gets nothing, unless the host checks it as one (a file named on the command line)', async () => {
  const { service } = await indexed();
  const readme = doc('README.md', '# Project\n');
  assert.deepEqual(await service.check(readme), { isRunbook: false, diagnostics: [] });
  assert.equal(await service.hover(readme, { line: 0, character: 3 }), null);
  const forced = (await service.check(readme, undefined, { asRunbook: true }))!;
  assert.equal(forced.isRunbook, true);
  assert.ok(forced.diagnostics.filter((d) => d.code === 'missing-section').length > 10);
});

test('service: a cancelled token stops a check; the same check without it answers', async () => {
  const { service } = await indexed();
  const d = doc('runbooks/checkout-worker.md', draft);
  assert.equal(await service.check(d, { isCancellationRequested: true }), undefined);
  assert.ok((await service.check(d))!.diagnostics.length > 0);
});

test('service: commands run on a closed runbook read it through the file system', async () => {
  const { service } = await indexed();
  const result = await service.updateToc(uri('runbooks/checkout-worker.md'));
  assert.ok('edits' in result && result.version === null && result.edits.length > 0);
  assert.deepEqual(await service.updateToc(uri('README.md')), { reason: 'Not a runbook document.' });
});

test('service: New Runbook takes the template that applies at the top of the folder', async () => {
  const fs = workspace();
  fs.write(`${W}/.runbookrc.json`, '{ "template": "templates/alert.md" }');
  const { service } = await indexed(fs);
  assert.match(await service.newRunbookText('Search', URI.file(W).toString()), /^# Alert: /);
  const plain = createRunbookService({ fs: new MemoryFileSystem() });
  assert.match(await plain.newRunbookText('Search'), /^# System Runbook: Search/);
});

test('service: draft markers come from .runbookrc.json and its overrides, as rules do', async () => {
  const fs = workspace();
  fs.write(`${W}/.runbookrc.json`, JSON.stringify({ draftMarkers: ['TKTK'], overrides: [{ files: ['services/**'], draftMarkers: [] }] }));
  const { service } = await indexed(fs);
  const text = example.replace('## Section 2:', 'TKTK: ask the DBA, TODO later.\n\n## Section 2:');
  const markers = async (path: string) => (await service.check(doc(path, text)))!.diagnostics.filter((d) => d.code === 'draft-marker').map((d) => d.message);
  const inRunbooks = await markers('runbooks/payments.md');
  assert.equal(inRunbooks.length, 1);
  assert.match(inRunbooks[0], /TKTK/);
  assert.deepEqual(await markers('services/payments-runbook.md'), [], 'an empty list in an override turns the check off there');
});

async function waitFor(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('service: an open runbook is checked without waiting for the index to analyse its link target, and again once the target is known', async () => {
  const fs = workspace();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  // The index's analyser holds the alert back, as a busy analyser thread would.
  const analyst = createRunbookService({ fs, clock: { today: () => TODAY } });
  const service = createRunbookService({
    fs,
    clock: { today: () => TODAY },
    analyser: {
      concurrency: 2,
      analyse: async (u, text, editor, options, links) => {
        if (u === uri('alerts/high-latency.md')) {
          held();
          await gate;
        }
        return analyst.analyseFile(u, text, editor, options, links);
      },
    },
  });
  const rechecked: string[][] = [];
  service.on({ recheck: (uris) => rechecked.push(uris) });
  const indexing = service.setWorkspaceFolders([URI.file(W).toString()]);
  await holding;
  const timeout = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5000));
  const before = await Promise.race([service.check(doc('runbooks/ledger.md', LINKS.text)), timeout]);
  assert.notEqual(before, 'waited', 'the check waited for the index');
  // The alert's headings are not known yet: its links are not called broken; the missing file is.
  assert.deepEqual((before as { diagnostics: Diagnostic[] }).diagnostics.filter((d) => d.code === 'broken-link').map((d) => d.range), [LINKS.ranges[0]]);
  release();
  await indexing;
  await waitFor(() => rechecked.some((u) => u.includes(uri('runbooks/ledger.md'))), 'a recheck of the open document');
  const after = (await service.check(doc('runbooks/ledger.md', LINKS.text, 2)))!;
  assert.deepEqual(after.diagnostics.filter((d) => d.code === 'broken-link').map((d) => d.range), LINKS.ranges);
});

test('service: a link target whose analysis ends while the first check of an open runbook still runs re-checks that runbook', async () => {
  const fs = workspace();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  let analysed!: () => void;
  const alertDone = new Promise<void>((resolve) => (analysed = resolve));
  const analyst = createRunbookService({ fs, clock: { today: () => TODAY } });
  // The check reads the date after it has resolved the links: the held analysis is let go then, and the
  // check pauses at its next checkpoint until that analysis has ended, before it records what it found
  // (the race the browser server hit on github.dev).
  let armed = false;
  const clock = { today: () => (release(), (armed = true), TODAY) };
  const service = createRunbookService({
    fs,
    clock,
    checkpoint: () => (armed ? alertDone : undefined),
    analyser: {
      concurrency: 2,
      analyse: async (u, text, editor, options, links) => {
        if (u !== uri('alerts/high-latency.md')) return analyst.analyseFile(u, text, editor, options, links);
        held();
        await gate;
        const result = await analyst.analyseFile(u, text, editor, options, links);
        setTimeout(analysed, 0);
        return result;
      },
    },
  });
  const rechecked: string[][] = [];
  service.on({ recheck: (uris) => rechecked.push(uris) });
  const indexing = service.setWorkspaceFolders([URI.file(W).toString()]);
  await holding;
  const first = service.check({ uri: uri('runbooks/ledger.md'), version: 1, getText: () => LINKS.text });
  await alertDone;
  const before = (await first)!;
  assert.equal(before.diagnostics.filter((d) => d.code === 'broken-link').length, 1, 'the first check did not know the alert yet');
  await indexing;
  await waitFor(() => rechecked.some((u) => u.includes(uri('runbooks/ledger.md'))), 'a recheck of the open document');
  const after = (await service.check(doc('runbooks/ledger.md', LINKS.text, 2)))!;
  assert.deepEqual(after.diagnostics.filter((d) => d.code === 'broken-link').map((d) => d.range), LINKS.ranges);
});
