// A person runs "Runbook: Show Workspace Report": a webview lists every runbook of the workspace with
// its completeness and review status, sorts by a column, and a click opens the runbook.
import assert from 'node:assert/strict';
import { SEL, runFromPalette } from '../lib/workbench.mjs';

/** The report page inside the webview's two frames. */
const reportFrame = (page) => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

export const tests = [
  {
    name: 'Show Workspace Report lists the runbooks in a webview, sorts them and opens one on a click',
    async run({ page, step }) {
      await step('run Runbook: Show Workspace Report from the palette', async () => {
        // The palette lists what the extension contributes once the extension host has read it: in the web
        // worker host that comes a moment after the workbench, so a palette opened too early is opened again.
        await runFromPalette(page, 'Runbook: Show Workspace Report', 'Show Workspace Report');
        await page.locator(SEL.activeTab, { hasText: 'Runbook Report' }).waitFor({ state: 'visible', timeout: 20_000 });
      });
      const report = reportFrame(page);
      const titles = () => report.locator('#runbooks tbody tr td:first-child a').allInnerTexts();
      await step('the report lists the four runbooks of the workspace, and not notes.md', async () => {
        await report.locator('#runbooks tbody tr').nth(3).waitFor({ state: 'visible', timeout: 30_000 });
        const paths = await report.locator('#runbooks tbody tr .path').allInnerTexts();
        assert.deepEqual([...paths].sort(), ['ops/billing.md', 'ops/ledger.md', 'payments-runbook.md', 'runbooks/search-service.md']);
        assert.ok(!(await report.locator('body').innerText()).includes('notes.md'));
        const payments = report.locator('#runbooks tbody tr', { hasText: 'Payments API' });
        assert.match((await payments.locator('td').nth(1).innerText()).trim(), /^\d+\/\d+ sections$/);
        assert.equal((await payments.locator('td').nth(5).innerText()).trim(), 'no date');
        assert.ok((await report.locator('#rules tbody tr').count()) > 3, 'problems by rule are listed');
      });
      await step('a click on the Runbook header sorts the rows the other way', async () => {
        const before = await titles();
        // The page is replaced when the workspace's summaries change (the index may still be finishing):
        // a click that landed on the page going away, or on the new one before its script ran, did nothing,
        // and the person clicks again. The sort order itself outlives the replacement.
        const descending = report.locator('#runbooks thead th[aria-sort="descending"]');
        for (let attempt = 1; ; attempt++) {
          await report.locator('#runbooks thead th').first().locator('button').click();
          try {
            await descending.waitFor({ timeout: 3_000 });
            break;
          } catch (error) {
            if (attempt === 3) throw error;
            console.log(`    (the Runbook header was still sorted ascending 3 s after click ${attempt}: clicking again)`);
          }
        }
        assert.deepEqual(await titles(), [...before].reverse());
      });
      await step('a click on a runbook opens it in the editor', async () => {
        await report.locator('#runbooks tbody tr', { hasText: 'Billing' }).locator('a').first().click();
        await page.locator(SEL.activeTab, { hasText: 'billing.md' }).waitFor({ state: 'visible', timeout: 15_000 });
      });
    },
  },
];
