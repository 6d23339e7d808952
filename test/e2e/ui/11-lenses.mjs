// The line at the top of a runbook says what each part does: the summary is a label that shows the
// runbook in the Runbooks view and changes nothing; "Insert N missing sections" inserts them.
import assert from 'node:assert/strict';
import { SEL, quickOpen, waitForLine } from '../lib/workbench.mjs';

const LENS = '.part.editor .monaco-editor .codelens-decoration';
/** One lens of the line: VS Code renders a lens with a command as a link, one without as plain text. */
const lens = (page, text) => page.locator(`${LENS} a, ${LENS} span`, { hasText: text }).first();
const lensLine = async (page) => (await page.locator(LENS).first().innerText()).replace(/\u00a0/g, ' ').trim();
const SUMMARY = /^\d+\/\d+ sections/;
const shownIn = async (pane) => (await pane.innerText().catch(() => '(no Runbooks view)')).replace(/\s+/g, ' ').slice(0, 300);
const INSERT = /^Insert \d+ missing sections?/;

export const tests = [
  {
    name: 'the code lenses: clicking the summary shows the runbook in the Runbooks view and edits nothing; "Insert N missing sections" inserts them',
    async run({ page, step }) {
      let before;
      await step('open ops/billing.md (one section of fourteen) with Ctrl+P', () => quickOpen(page, 'billing.md'));
      await step('the lenses read "1/14 sections | Insert N missing sections and M subsections"', async () => {
        await lens(page, INSERT).waitFor({ state: 'visible', timeout: 30_000 });
        before = await lensLine(page);
        const parts = before.split(/\s+\|\s+/);
        assert.match(parts[0], /^1\/14 sections/, before);
        assert.match(parts[1], /^Insert 13 missing sections( and \d+ subsections?)?$/, before);
        assert.ok(!parts.includes('Mark as reviewed'), `no review date, no "Mark as reviewed": ${before}`);
      });
      await step('click the summary: the Runbooks view shows "Billing" selected, the document is unchanged', async () => {
        const pane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^Runbooks/i }) }).first();
        const header = pane.locator('.pane-header').first();
        const selected = pane.locator('.monaco-list-row.selected', { hasText: 'Billing' }).first();
        await lens(page, SUMMARY).click();
        try {
          await selected.waitFor({ state: 'visible', timeout: 10_000 });
        } catch {
          // The command opens (expands) the view before it asks the server for the list. One CI run,
          // under load, found the view still collapsed 20 s after the click: a click that ran no
          // command. Then the click is made once more, and said so.
          if ((await header.getAttribute('aria-expanded')) === 'false') {
            console.log('    (the Runbooks view is still collapsed 10 s after the click on the summary: clicking it again)');
            await lens(page, SUMMARY).click();
          }
          try {
            await selected.waitFor({ state: 'visible', timeout: 20_000 });
          } catch {
            throw new Error(`no selected "Billing" row in the Runbooks view (${(await header.getAttribute('aria-expanded')) === 'false' ? 'collapsed' : 'open'}); it shows: ${await shownIn(pane)}`);
          }
        }
        // Expanded: its sections below it, the missing ones marked.
        await pane.locator('.monaco-list-row', { hasText: /Architecture\s*missing/ }).first().waitFor({ state: 'visible', timeout: 10_000 });
        assert.equal(await page.locator(`${SEL.activeTab}.dirty`).count(), 0, 'the summary must not edit the runbook');
        assert.equal(await lensLine(page), before);
      });
      await step('click "Insert N missing sections": the runbook has all fourteen, and no section is left to insert', async () => {
        await lens(page, INSERT).click();
        await page.locator(LENS, { hasText: /^14\/14 sections/ }).first().waitFor({ state: 'visible', timeout: 20_000 });
        await page.locator(`${SEL.activeTab}.dirty`).waitFor({ state: 'visible', timeout: 10_000 });
        const after = await lensLine(page);
        // Subsections at their place are the service's tests' concern (issue 14, item 3).
        assert.ok(!/missing sections?\b/.test(after), `no section left to insert: ${after}`);
        await waitForLine(page, /^## Document Information$/);
      });
    },
  },
];
