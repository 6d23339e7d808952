// A new user's first steps: the walkthrough "Get Started with Runbook Tools" and its example runbook,
// opened from the palette or from the walkthrough's first button.
import assert from 'node:assert/strict';
import { SEL, acceptRow, runFromPalette, typeInQuickInput, waitForLine } from '../lib/workbench.mjs';

const LENS = '.part.editor .monaco-editor .codelens-decoration';


export const tests = [
  {
    name: 'Runbook: Open Example Runbook opens the draft with its problems; its lenses say what they do, and Mark as reviewed explains the missing history row',
    async run({ page, step }) {
      await step('run "Runbook: Open Example Runbook" from the palette', () => runFromPalette(page, 'Runbook: Open Example Runbook'));
      await step('an untitled draft opens: "# System Runbook: Checkout Worker" with squiggles', async () => {
        await waitForLine(page, /^# System Runbook: Checkout Worker$/, 20_000);
        await page.locator(SEL.squiggle).first().waitFor({ state: 'visible', timeout: 30_000 });
      });
      await step('the lenses: the summary, "Insert 7 missing sections and N subsections", "Mark as reviewed"', async () => {
        await page.locator(`${LENS} a`, { hasText: 'Mark as reviewed' }).first().waitFor({ state: 'visible', timeout: 30_000 });
        const parts = (await page.locator(LENS).first().innerText()).replace(/\u00a0/g, ' ').trim().split(/\s+\|\s+/);
        assert.match(parts[0], /^7\/14 sections · .*review overdue$/, parts.join(' | '));
        assert.match(parts[1], /^Insert 7 missing sections and \d+ subsections?$/, parts.join(' | '));
        assert.equal(parts[2], 'Mark as reviewed');
      });
      await step('click "Mark as reviewed": the dates are set and a message says no history row was added', async () => {
        await page.locator(`${LENS} a`, { hasText: 'Mark as reviewed' }).first().click();
        const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'No history row added' }).first();
        await toast.waitFor({ state: 'visible', timeout: 20_000 });
        assert.match(await toast.innerText(), /No history row added \(this runbook has no "Document History" table in "Change Log"\)/);
        // The review is no longer overdue: the action is gone.
        await page.waitForFunction((sel) => !(document.querySelector(sel)?.textContent ?? '').includes('Mark as reviewed'), LENS, { timeout: 20_000 });
      });
    },
  },
  {
    name: 'the walkthrough: its steps, "Open Example Runbook" opens the draft beside it, "Insert a Section" picks a missing section and shows it',
    async run({ page, step }) {
      const walkthrough = page.locator('.part.editor .gettingStartedContainer');
      await step('run "Welcome: Open Walkthrough..." and pick "Get Started with Runbook Tools"', async () => {
        await runFromPalette(page, 'Welcome: Open Walkthrough', 'Open Walkthrough');
        const row = page.locator(SEL.quickInputRow, { hasText: 'Get Started with Runbook Tools' }).first();
        await page.locator(`${SEL.quickInput} input[placeholder*="walkthrough" i]`).waitFor({ state: 'visible', timeout: 15_000 });
        await typeInQuickInput(page, 'Runbook Tools');
        await row.waitFor({ state: 'visible', timeout: 15_000 });
        await acceptRow(page, 'Get Started with Runbook Tools');
        await walkthrough.waitFor({ state: 'visible', timeout: 15_000 });
      });
      await step('the five steps are listed', async () => {
        for (const title of ['Open the example runbook', 'See the problems', 'Insert a section', 'Fix all', 'Use your own template']) {
          await walkthrough.locator('.step-title', { hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
        }
      });
      await step('click "Open Example Runbook": the draft opens beside the walkthrough', async () => {
        await walkthrough.locator('.monaco-button, a', { hasText: 'Open Example Runbook' }).first().click();
        await waitForLine(page, /^# System Runbook: Checkout Worker$/, 20_000);
        assert.ok(await walkthrough.isVisible(), 'the walkthrough stays open');
        await page.locator(SEL.squiggle).first().waitFor({ state: 'visible', timeout: 30_000 });
      });
      await step('step "Insert a section", its button: a list of the missing sections', async () => {
        await walkthrough.locator('.step-title', { hasText: 'Insert a section' }).first().click();
        await walkthrough.locator('.monaco-button, a', { hasText: 'Insert a Section' }).first().click();
        await page.locator(SEL.quickInputRow, { hasText: 'Rollback Procedures' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      });
      await step('pick "Rollback Procedures": its heading is inserted, on screen, the cursor on it', async () => {
        await typeInQuickInput(page, 'Rollback');
        await acceptRow(page, 'Rollback Procedures');
        await waitForLine(page, /^## Section 8: Rollback Procedures$/, 20_000);
        const cursor = page.locator('.part.editor .monaco-editor.focused .view-overlays .current-line').first();
        await cursor.waitFor({ state: 'visible', timeout: 10_000 });
        const status = await page.locator('.part.statusbar [id="status.editor.selection"]').innerText();
        const line = Number(/Ln (\d+)/.exec(status)?.[1]);
        const heading = await page.evaluate(() => {
          const rows = [...document.querySelectorAll('.part.editor .monaco-editor.focused .view-lines .view-line')];
          const top = (e) => parseFloat(e.style.top);
          const current = document.querySelector('.part.editor .monaco-editor.focused .view-overlays .current-line');
          const at = current ? parseFloat(current.parentElement.style.top) : NaN;
          return rows.find((r) => top(r) === at)?.textContent?.replace(/\u00a0/g, ' ');
        });
        assert.equal(heading, '## Section 8: Rollback Procedures', `the cursor's line (Ln ${line}) shows: ${heading}`);
      });
    },
  },
];
