// Ctrl+Space on an empty "## " line offers the template's missing sections.
import { SEL, goToLine, quickOpen, waitForLine } from '../lib/workbench.mjs';

export const tests = [
  {
    name: 'Ctrl+Space after "## " shows our section completions',
    async run({ page, step, lineOf }) {
      const section9 = lineOf('payments-runbook.md', '## Section 9: Troubleshooting Guide');
      await step('open payments-runbook.md with Ctrl+P', () => quickOpen(page, 'payments-runbook.md'));
      await step(`new line above Section 9 (line ${section9}), type "## "`, async () => {
        await goToLine(page, section9);
        await page.keyboard.press('Home');
        await page.keyboard.press('Enter');
        await page.keyboard.press('ArrowUp');
        await page.keyboard.type('## ');
        await waitForLine(page, /^## $/);
      });
      await step('Ctrl+Space shows the suggest widget with "Rollback Procedures"', async () => {
        await page.keyboard.press('Control+Space');
        await page.locator(SEL.suggestWidget).waitFor({ state: 'visible', timeout: 15_000 });
        const ours = page.locator(SEL.suggestRow, { hasText: 'Rollback Procedures' }).first();
        try {
          await ours.waitFor({ state: 'visible', timeout: 15_000 });
        } catch {
          const rows = await page.locator(SEL.suggestWidget).innerText().catch(() => '');
          throw new Error(`CAPABILITY MISSING [completion]: no "Rollback Procedures" in the suggest widget; it shows: ${rows.replace(/\s+/g, ' ').slice(0, 300)}`);
        }
      });
      await step('Enter accepts it into the line', async () => {
        await page.keyboard.press('Enter');
        await waitForLine(page, /^## .*Rollback Procedures/);
      });
    },
  },
];
