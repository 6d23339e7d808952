// What the suggest widget shows while a person types: after "](#" each heading anchor once (VS Code's
// Markdown extension lists them; ours are left out in VS Code), and the runbook snippets after "runbook-".
import assert from 'node:assert/strict';
import { SEL, goToLine, norm, quickOpen, waitForLine } from '../lib/workbench.mjs';

/** The labels of the rendered suggest rows. */
async function rows(page) {
  return (await page.locator(`${SEL.suggestRow} .monaco-icon-label .label-name`).allInnerTexts()).map((t) => norm(t).trim());
}

/** A new empty line above Section 9 of payments-runbook.md, the cursor on it. */
async function newLine(page, lineOf) {
  await quickOpen(page, 'payments-runbook.md');
  await page.locator(SEL.squiggle).first().waitFor({ state: 'visible', timeout: 30_000 });
  await goToLine(page, lineOf('payments-runbook.md', '## Section 9: Troubleshooting Guide'));
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowUp');
}

export const tests = [
  {
    name: 'typing "](#" lists each heading anchor once',
    async run({ page, step, lineOf }) {
      await step('open payments-runbook.md, new line above Section 9', () => newLine(page, lineOf));
      await step('type "See [rollback](#": the anchors appear', async () => {
        await page.keyboard.type('See [rollback](#');
        // The editor closes the bracket itself.
        await waitForLine(page, /^See \[rollback\]\(#\)?$/);
        // The '#' opens the list; should it not, Ctrl+Space does.
        try {
          await page.locator(SEL.suggestWidget).waitFor({ state: 'visible', timeout: 5_000 });
        } catch {
          await page.keyboard.press('Control+Space');
          await page.locator(SEL.suggestWidget).waitFor({ state: 'visible', timeout: 15_000 });
        }
        await page.locator(SEL.suggestRow).first().waitFor({ state: 'visible', timeout: 15_000 });
      });
      await step('type "section-": every anchor in the list is there once', async () => {
        await page.keyboard.type('section-');
        await page.locator(SEL.suggestRow, { hasText: 'section-2-architecture' }).first().waitFor({ state: 'visible', timeout: 15_000 });
        const labels = await rows(page);
        const anchors = labels.map((l) => l.replace(/^#/, ''));
        assert.ok(anchors.length >= 5, `the list: ${labels.join(' | ')}`);
        const twice = anchors.filter((a, i) => anchors.indexOf(a) !== i);
        assert.deepEqual(twice, [], `anchors listed twice: ${labels.join(' | ')}`);
        assert.equal(anchors.filter((a) => a === 'section-2-architecture').length, 1, labels.join(' | '));
      });
      await step('Enter completes the link', async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.type('2-arch');
        await page.keyboard.press('Control+Space');
        const row = page.locator(SEL.suggestRow, { hasText: 'section-2-architecture' }).first();
        await row.waitFor({ state: 'visible', timeout: 15_000 });
        assert.equal((await rows(page)).filter((l) => l.replace(/^#/, '') === 'section-2-architecture').length, 1);
        await page.keyboard.press('Enter');
        await waitForLine(page, /^See \[rollback\]\(#section-2-architecture\)?$/);
      });
    },
  },
  {
    name: 'typing "runbook-" opens the list of runbook snippets',
    async run({ page, step, lineOf }) {
      await step('open payments-runbook.md, new line above Section 9', () => newLine(page, lineOf));
      await step('type "runbook-": the snippets show without Ctrl+Space', async () => {
        await page.keyboard.type('runbook-');
        await page.locator(SEL.suggestWidget).waitFor({ state: 'visible', timeout: 15_000 });
        await page.locator(SEL.suggestRow, { hasText: 'runbook-full' }).first().waitFor({ state: 'visible', timeout: 15_000 });
        const labels = await rows(page);
        assert.ok(labels.every((l) => l.startsWith('runbook-')), `only runbook snippets: ${labels.join(' | ')}`);
      });
      await step('type "alert" and Enter: the alert row snippet is inserted', async () => {
        await page.keyboard.type('alert');
        await page.locator(SEL.suggestRow, { hasText: 'runbook-alert-row' }).first().waitFor({ state: 'visible', timeout: 10_000 });
        await page.locator(`${SEL.suggestRow}.focused`, { hasText: 'runbook-alert-row' }).waitFor({ state: 'visible', timeout: 10_000 });
        await page.keyboard.press('Enter');
        await waitForLine(page, /^\| Alert Name \| Condition \| Critical \| Notification \|$/);
      });
    },
  },
];
