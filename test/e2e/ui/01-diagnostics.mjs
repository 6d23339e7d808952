// A person opens the sample runbook: squiggles in the editor, our message and rule id in Problems.
import assert from 'node:assert/strict';
import { SEL, filterProblems, openProblems, quickOpen } from '../lib/workbench.mjs';

export const tests = [
  {
    name: 'the runbook shows squiggles and a Problems row with our message and rule id',
    async run({ page, step }) {
      await step('open payments-runbook.md with Ctrl+P', () => quickOpen(page, 'payments-runbook.md'));
      await step('squiggles appear in the editor', () => page.locator(SEL.squiggle).first().waitFor({ state: 'visible', timeout: 30_000 }));
      await step('open Problems with Ctrl+Shift+M', () => openProblems(page));
      await step('a row says Missing section "Rollback Procedures" with rule id missing-section', async () => {
        await filterProblems(page, 'Rollback Procedures');
        const row = page.locator(SEL.problemsRow, { hasText: 'Missing section "Rollback Procedures"' }).first();
        await row.waitFor({ state: 'visible', timeout: 20_000 });
        const text = (await row.innerText()).replace(/\s+/g, ' ');
        assert.match(text, /missing-section/, `Problems row: ${text}`);
        assert.match(text, /runbook/, `Problems row names the source: ${text}`);
      });
      await step('the invalid Classification row names the allowed values', async () => {
        await filterProblems(page, 'Classification');
        const row = page.locator(SEL.problemsRow, { hasText: 'Classification' }).first();
        await row.waitFor({ state: 'visible', timeout: 20_000 });
        const text = (await row.innerText()).replace(/\s+/g, ' ');
        assert.match(text, /invalid-value/, `Problems row: ${text}`);
        assert.match(text, /Internal/, `Problems row: ${text}`);
      });
    },
  },
];
