import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleById } from '../../server/src/service/rules/index';
import { edit, example } from '../support/lint';
import { ROOT, runCli } from '../support/cli';
import { LspClient } from '../support/lsp';
import { WORKSPACE_REPORT_REQUEST, WORKSPACE_SUMMARY_REQUEST, type WorkspaceReport, type WorkspaceSummary } from '../../server/src/protocol';

const scratch = mkdtempSync(join(tmpdir(), 'runbook-report-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const shots = join(ROOT, '.test-output', 'report');

/** playwright-core and Chromium come from test/e2e/setup.sh: without them a developer's run skips, CI's fails. */
function browserAvailable(skip: (message: string) => void): boolean {
  const have = existsSync(join(ROOT, 'test/e2e/node_modules/playwright-core/package.json')) && ['/usr/bin/chromium', '/usr/bin/chromium-browser', process.env.CHROMIUM_PATH].some((p) => p && existsSync(p));
  if (have) return true;
  if (process.env.CI) throw new Error('Chromium or playwright-core is missing: bash test/e2e/setup.sh installs them');
  skip('Chromium or playwright-core is missing (bash test/e2e/setup.sh installs them)');
  return false;
}

const put = (path: string, text: string) => {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), text);
};

// Today is 2026-11-27 (support/lint): one runbook complete and reviewed in February, one due in five
// days, the draft overdue since June; one title holds markup characters.
put('runbooks/payments.md', example);
put('runbooks/ledger.md', edit(edit(example, '# System Runbook: Payments API', '# System Runbook: Ledger & <Co'), '| **Next Review** | 2027-02-20 |', '| **Next Review** | 2026-12-02 |'));
put('runbooks/checkout-worker.md', readFileSync(join(ROOT, 'examples/runbooks/checkout-worker.md'), 'utf8'));
put('README.md', '# Not a runbook\n');

test('--format html: a self-contained report that Chromium shows with runbooks, completeness, review status and problems by rule, sortable', async (t) => {
  if (!browserAvailable((m) => t.skip(m))) return;
  const r = runCli(['--format', 'html', '.'], scratch);
  assert.equal(r.status, 1, r.stderr);
  writeFileSync(join(scratch, 'report.html'), r.stdout);
  assert.doesNotMatch(r.stdout, /& <Co/, 'text is escaped');
  assert.match(r.stdout, /Ledger &#38; &#60;Co/);
  assert.doesNotMatch(r.stdout, /(src|href)="(https?:)?\/\//, 'nothing to fetch');

  // The e2e harness's launcher (plain JavaScript): Debian Chromium with the flags this machine needs.
  const launcher = '../e2e/lib/browser.mjs';
  const { launchBrowser } = (await import(launcher)) as { launchBrowser(home: string): Promise<any> };
  const browser = await launchBrowser(join(scratch, 'home'));
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request: { url(): string }) => requests.push(request.url()));
    page.on('console', (message: { type(): string; text(): string }) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error: Error) => problems.push(error.message));
    page.on('dialog', (dialog: { message(): string; dismiss(): Promise<void> }) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const url = pathToFileURL(join(scratch, 'report.html')).toString();
    await page.goto(url);

    const rows = () =>
      page.$$eval('#runbooks tbody tr', (trs: any) =>
        trs.map((tr: any) => ({
          title: tr.cells[0].querySelector('a')!.textContent,
          path: tr.cells[0].querySelector('.path')!.textContent,
          meter: [Number(tr.cells[1].querySelector('meter')!.getAttribute('value')), Number(tr.cells[1].querySelector('meter')!.getAttribute('max'))],
          completeness: tr.cells[1].textContent!.trim(),
          placeholders: tr.cells[2].textContent,
          errors: tr.cells[3].textContent,
          warnings: tr.cells[4].textContent,
          review: tr.cells[5].textContent,
          badge: tr.cells[5].querySelector('.badge')?.textContent ?? null,
        })),
      );
    const first = await rows();
    assert.deepEqual(
      first.map((row: any) => [row.title, row.path, row.meter, row.completeness, row.badge]),
      [
        ['System Runbook: Checkout Worker', 'runbooks/checkout-worker.md', [7, 14], '7/14 sections', 'overdue'],
        ['System Runbook: Ledger & <Co', 'runbooks/ledger.md', [14, 14], '14/14 sections', 'due in 5 days'],
        ['System Runbook: Payments API', 'runbooks/payments.md', [14, 14], '14/14 sections', null],
      ],
    );
    assert.match(first[0].review, /^overdue 2026-06-01 \(179 days ago\)$/);
    assert.match(first[2].review, /^2027-02-20 \(in 85 days\)$/);
    const json = JSON.parse(runCli(['--format', 'json', 'runbooks/checkout-worker.md'], scratch).stdout)[0].diagnostics as { severity: string; rule: string }[];
    assert.equal(first[0].errors, String(json.filter((d) => d.severity === 'error').length));
    assert.equal(first[0].warnings, String(json.filter((d) => d.severity === 'warning').length));
    assert.equal(first[0].placeholders, '3');

    const cards = await page.$$eval('.cards li', (lis: any) => lis.map((li: any) => li.textContent));
    assert.deepEqual(cards, ['3runbooks', '2with every section', '1with errors', '1overdue for review', '1due for review within 14 days']);
    const rules = await page.$$eval('#rules tbody tr', (trs: any) => trs.map((tr: any) => Array.from(tr.cells, (c: any) => c.textContent)));
    assert.deepEqual(rules[0], ['missing-section', ruleById.get('missing-section')!.description, '7', '0', '0', '1']);
    assert.equal(rules.reduce((n: number, row: string[]) => n + Number(row[2]) + Number(row[3]) + Number(row[4]), 0), json.length);

    // The inline style and script ran under the page's own policy: columns sort on a click, both ways.
    assert.equal(await page.$eval('th button', (b: any) => (globalThis as any).getComputedStyle(b).cursor), 'pointer');
    await page.click('#runbooks th:nth-child(4) button');
    assert.equal(await page.getAttribute('#runbooks th:nth-child(4)', 'aria-sort'), 'ascending');
    assert.deepEqual((await rows()).map((row: any) => row.errors), ['0', '0', first[0].errors]);
    await page.click('#runbooks th:nth-child(4) button');
    assert.deepEqual((await rows()).map((row: any) => row.errors), [first[0].errors, '0', '0']);
    await page.click('#runbooks th:nth-child(6) button');
    assert.deepEqual((await rows()).map((row: any) => row.path), ['runbooks/checkout-worker.md', 'runbooks/ledger.md', 'runbooks/payments.md']);
    await page.click('#runbooks th:nth-child(6) button');
    assert.deepEqual((await rows()).map((row: any) => row.path), ['runbooks/payments.md', 'runbooks/ledger.md', 'runbooks/checkout-worker.md']);

    // The problems of a runbook, a click away, each linking to its file.
    await page.click('details summary');
    const problem = await page.$eval('details[open] li', (li: any) => ({ text: li.textContent, href: li.querySelector('a')!.getAttribute('href') }));
    assert.equal(problem.href, 'runbooks/checkout-worker.md');
    assert.match(problem.text!, /^\d+:\d+ (error|warning|info) .+ [a-z-]+$/);

    mkdirSync(shots, { recursive: true });
    await page.click('#runbooks th:nth-child(1) button');
    await page.screenshot({ path: join(shots, 'report.png'), fullPage: true });
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [url], 'the page loads nothing but itself');
  } finally {
    await browser.close();
  }
});

test('runbook/workspaceReport: the server answers the same page for the workspace index, open documents first', async () => {
  const client = new LspClient();
  try {
    await client.initialize(pathToFileURL(scratch).toString());
    const summary = () => client.request<WorkspaceSummary>(WORKSPACE_SUMMARY_REQUEST, {});
    for (let s = await summary(); s.indexing || s.runbooks.length < 3; s = await summary()) await new Promise((resolve) => setTimeout(resolve, 100));
    const ledger = pathToFileURL(join(scratch, 'runbooks/ledger.md')).toString();
    await client.open(ledger, readFileSync(join(scratch, 'runbooks/ledger.md'), 'utf8').replace('Ledger & <Co', 'Ledger (edited)'));
    await client.diagnosticsOf(ledger, 1);
    const report = await client.request<WorkspaceReport>(WORKSPACE_REPORT_REQUEST, {});
    assert.equal(report.runbooks, 3);
    assert.equal(report.indexing, false);
    assert.match(report.html, /^<!DOCTYPE html>/);
    assert.match(report.html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-[0-9a-f]{32}'; script-src 'nonce-[0-9a-f]{32}'">/);
    const rows = [...report.html.matchAll(/<tr data-review="([a-z-]+)"><td data-value="[^"]*"><a href="([^"]+)" data-uri="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[4], m[2], m[1]]);
    assert.deepEqual(rows, [
      ['System Runbook: Checkout Worker', 'runbooks/checkout-worker.md', 'overdue'],
      ['System Runbook: Ledger (edited)', 'runbooks/ledger.md', 'due-soon'],
      ['System Runbook: Payments API', 'runbooks/payments.md', 'ok'],
    ]);
    assert.ok(!report.html.includes('README.md'));
  } finally {
    await client.stop();
  }
});
