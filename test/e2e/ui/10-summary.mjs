// The runbook's summary where a person looks for it: the status bar, the code lens at the top, and the
// Runbooks view in the Explorer with the other runbooks of the workspace.
import assert from 'node:assert/strict';
import { SEL, acceptRow, quickOpen } from '../lib/workbench.mjs';

const SUMMARY = /\d+\/\d+ sections/;

export const tests = [
  {
    name: 'the status bar, the code lens and the Runbooks view show the runbook summary, and a palette command completes it',
    async run({ page, step }) {
      await step('open payments-runbook.md with Ctrl+P', () => quickOpen(page, 'payments-runbook.md'));
      await step('the status bar shows "N/M sections"', async () => {
        const item = page.locator('.part.statusbar .statusbar-item', { hasText: SUMMARY }).first();
        await item.waitFor({ state: 'visible', timeout: 30_000 });
        assert.match(await item.innerText(), SUMMARY);
      });
      await step('the code lens at the top shows the summary', async () => {
        await page.locator('.part.editor .monaco-editor .codelens-decoration', { hasText: SUMMARY }).first().waitFor({ state: 'visible', timeout: 20_000 });
      });
      await step('the Runbooks view lists the runbooks of the workspace', async () => {
        const header = page.locator('.part.sidebar .pane-header', { hasText: /^Runbooks/i }).first();
        await header.waitFor({ state: 'visible', timeout: 15_000 });
        if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
        const pane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^Runbooks/i }) }).first();
        // The workspace's runbooks: by name, by folder (runbooks/) and by first heading (ops/billing.md).
        for (const title of ['Payments API', 'Search service', 'Billing']) {
          const row = pane.locator('.monaco-list-row', { hasText: title }).first();
          try {
            await row.waitFor({ state: 'visible', timeout: 20_000 });
          } catch {
            const shown = await pane.innerText().catch(() => '');
            throw new Error(`no "${title}" in the Runbooks view; it shows: ${shown.replace(/\s+/g, ' ').slice(0, 300)}`);
          }
        }
        const payments = pane.locator('.monaco-list-row', { hasText: 'Payments API' }).first();
        assert.match(await payments.innerText(), SUMMARY);
      });
      await step('the palette command "Runbook: Insert All Missing Sections" completes the runbook', async () => {
        const before = await page.locator('.part.statusbar .statusbar-item', { hasText: SUMMARY }).first().innerText();
        const [, present, expected] = /(\d+)\/(\d+) sections/.exec(before);
        assert.notEqual(present, expected, `the runbook should miss a section: ${before}`);
        await page.locator('.part.editor .monaco-editor').first().click({ position: { x: 400, y: 300 } });
        await page.keyboard.press('Control+Shift+P');
        await page.locator(SEL.quickInput).waitFor({ state: 'visible', timeout: 10_000 });
        await page.keyboard.type('Runbook: Insert All Missing Sections');
        await page.locator(SEL.quickInputRow, { hasText: 'Insert All Missing Sections' }).first().waitFor({ state: 'visible', timeout: 10_000 });
        await acceptRow(page, 'Insert All Missing Sections');
        await page.locator('.part.statusbar .statusbar-item', { hasText: `${expected}/${expected} sections` }).first().waitFor({ state: 'visible', timeout: 20_000 });
      });
    },
  },
];
