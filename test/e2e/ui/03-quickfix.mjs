// From the Problems row to the light bulb: Ctrl+. offers the fix and applying it changes the text.
import { SEL, filterProblems, openProblems, quickOpen, waitForLine } from '../lib/workbench.mjs';

export const tests = [
  {
    name: 'Ctrl+. on the missing section offers a quick fix that inserts it',
    async run({ page, step }) {
      await step('open payments-runbook.md with Ctrl+P', () => quickOpen(page, 'payments-runbook.md'));
      await step('squiggles appear in the editor', () => page.locator(SEL.squiggle).first().waitFor({ state: 'visible', timeout: 30_000 }));
      const rows = () => page.locator(SEL.problemsRow, { hasText: 'Missing section "Rollback Procedures"' });
      let before = 0;
      await step('Problems: go to the missing-section row and press Enter', async () => {
        await openProblems(page);
        await filterProblems(page, 'Rollback Procedures');
        const row = rows().first();
        await row.waitFor({ state: 'visible', timeout: 20_000 });
        // Other runbooks of the workspace may miss the section too (workspace diagnostics): count them.
        before = await rows().count();
        await row.click();
        await page.keyboard.press('Enter');
        await page.locator(SEL.focusedEditor).waitFor({ state: 'visible', timeout: 10_000 });
      });
      await step('Ctrl+. shows the quick fix', async () => {
        await page.keyboard.press('Control+.');
        // Either the code action menu, or the editor's "No code actions available" message.
        const none = page.locator('.monaco-editor-overlaymessage', { hasText: 'No code actions available' });
        await page.locator(`${SEL.actionWidget}, .monaco-editor-overlaymessage`).first().waitFor({ state: 'visible', timeout: 15_000 });
        if (await none.isVisible()) {
          throw new Error('CAPABILITY MISSING [code actions]: Ctrl+. on the missing-section diagnostic says "No code actions available"');
        }
        const fix = page.locator(SEL.actionRow, { hasText: 'Rollback Procedures' }).first();
        try {
          await fix.waitFor({ state: 'visible', timeout: 10_000 });
        } catch {
          const shown = await page.locator(SEL.actionWidget).first().innerText().catch(() => '');
          throw new Error(`CAPABILITY MISSING [code actions]: no quick fix naming "Rollback Procedures"; the menu shows: ${shown.replace(/\s+/g, ' ').slice(0, 300)}`);
        }
      });
      await step('apply it: the section heading appears in the text', async () => {
        // As a person at the keyboard: arrow down to the fix, then Enter.
        const focused = page.locator(`${SEL.actionRow}.focused`);
        for (let i = 0; i < 10 && !/Rollback Procedures/.test(await focused.innerText().catch(() => '')); i++) {
          await page.keyboard.press('ArrowDown');
        }
        const title = await focused.innerText();
        if (!/^(Insert|Add|Replace)\b.*Rollback Procedures/.test(title.trim())) throw new Error(`unexpected quick fix title: ${title}`);
        await page.keyboard.press('Enter');
        await page.locator(SEL.actionWidget).first().waitFor({ state: 'hidden', timeout: 10_000 });
        await waitForLine(page, /^## .*Rollback Procedures/);
      });
      await step('its Problems row goes away', async () => {
        await page.waitForFunction(
          ([selector, text, expected]) => [...document.querySelectorAll(selector)].filter((r) => r.textContent.includes(text)).length === expected,
          [SEL.problemsRow, 'Missing section "Rollback Procedures"', before - 1],
          { timeout: 20_000 },
        );
      });
    },
  },
];
