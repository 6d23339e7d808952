// The first hour on the bundled draft (issue 14), as a person sees it: each problem on the line it names,
// not on an empty line after the end; Fix All and Insert All that leave no more problems than before, the
// sections they insert one "unfilled" warning each; Insert All putting a missing subsection inside its
// section, and adding nothing the second time; completion in a cell that holds a wrong value.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SEL, goToLine, norm, openProblems, quickOpen, runFromPalette, waitForLine } from '../lib/workbench.mjs';
import { repoRoot } from '../lib/codeserver.mjs';

const DRAFT = 'checkout-worker.md';
const REL = `drafts/${DRAFT}`;
const LENS = '.part.editor .monaco-editor .codelens-decoration';
const STATUS_SELECTION = '.part.statusbar [id="status.editor.selection"]';

/** The bundled draft, copied into the workspace as a person would keep it. */
function addDraft(workspace) {
  fs.mkdirSync(path.join(workspace, 'drafts'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'examples', 'runbooks', DRAFT), path.join(workspace, REL));
}


/** Ctrl+Shift+M toggles the Problems panel: pressed only when it is not showing. */
async function showProblems(page) {
  if (!(await page.locator(SEL.problemsPanel).isVisible().catch(() => false))) await openProblems(page);
}

/** The number of problems the Problems panel shows for the draft: the count badge of its file row, the other files collapsed. */
async function problemCount(page) {
  await showProblems(page);
  const collapse = page.locator('.panel .action-item a[aria-label^="Collapse All"], .panel .action-label.codicon-collapse-all').first();
  if (await collapse.isVisible().catch(() => false)) await collapse.click();
  const row = page.locator(SEL.problemsRow, { hasText: DRAFT }).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  const badge = norm(await row.locator('.monaco-count-badge').first().innerText()).trim();
  const n = Number(badge.replace(/[^\d]/g, ''));
  assert.ok(Number.isInteger(n) && n > 0, `the draft's row has no count badge: "${badge}"`);
  return n;
}

/** Waits until the draft's problem count stops changing (the server publishes after each check). */
async function settledCount(page, timeout = 30_000) {
  let last = await problemCount(page);
  const deadline = Date.now() + timeout;
  for (let same = 0; same < 3 && Date.now() < deadline; ) {
    await page.waitForTimeout(500);
    const now = await problemCount(page);
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return last;
}

/** Expands the draft in Problems, finds the row with `text`, Enter: the cursor goes to the problem. Returns the 1-based line. */
async function goToProblem(page, text) {
  await showProblems(page);
  const filter = page.locator(SEL.problemsFilter).first();
  await filter.waitFor({ state: 'visible', timeout: 10_000 });
  await filter.click();
  await filter.fill(text);
  // The file row, collapsed when the count was read: open it.
  const file = page.locator(SEL.problemsRow, { hasText: DRAFT }).first();
  await file.waitFor({ state: 'visible', timeout: 20_000 });
  if ((await file.getAttribute('aria-expanded')) === 'false') {
    await file.click();
    await page.keyboard.press('ArrowRight');
  }
  const row = page.locator(SEL.problemsRow, { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  const shown = norm(await row.innerText());
  await row.click();
  await page.keyboard.press('Enter');
  await page.locator(SEL.focusedEditor).waitFor({ state: 'visible', timeout: 10_000 });
  await page.locator(STATUS_SELECTION, { hasText: /Ln \d+/ }).waitFor({ state: 'visible', timeout: 10_000 });
  const status = await page.locator(STATUS_SELECTION).innerText();
  await filter.fill('');
  return { line: Number(/Ln (\d+)/.exec(status)[1]), shown };
}

const lineText = (workspace, line) => fs.readFileSync(path.join(workspace, REL), 'utf8').split('\n')[line - 1];

export const tests = [
  {
    name: 'the draft: each missing part is reported on the heading or table it names; Fix All leaves fewer problems, an inserted section one unfilled warning',
    timeoutMs: 150_000,
    async run({ page, step, workspace }) {
      addDraft(workspace);
      let before = 0;
      await step(`open ${REL} with Ctrl+P: squiggles`, async () => {
        await quickOpen(page, DRAFT);
        await page.locator(SEL.squiggle).first().waitFor({ state: 'visible', timeout: 30_000 });
      });
      await step('Problems: the draft has its problems (27 as shipped)', async () => {
        before = await settledCount(page);
        assert.ok(before >= 20 && before <= 40, `problems of the draft: ${before}`);
      });
      await step('the "Rollback Procedures" row: its message says where the fix inserts it; Enter goes to the Section 5 heading', async () => {
        const { line, shown } = await goToProblem(page, 'Missing section "Rollback Procedures"');
        assert.match(shown, /the fix inserts it after section "Monitoring and Alerts"/, shown);
        assert.equal(lineText(workspace, line), '## Section 5: Monitoring and Alerts', `the problem is on line ${line}`);
      });
      await step('the "Log Locations" row: on the heading of Section 5, its section', async () => {
        const { line, shown } = await goToProblem(page, 'missing subsection "Log Locations"');
        assert.match(shown, /the fix inserts it after subsection "Alert Configuration"/, shown);
        assert.equal(lineText(workspace, line), '## Section 5: Monitoring and Alerts', `the problem is on line ${line}`);
      });
      await step('the "Domain Registrar" row: on the header row of its table', async () => {
        const { line, shown } = await goToProblem(page, 'Field "Domain Registrar"');
        assert.match(shown, /the fix adds it after the "Hosting Platform" row/, shown);
        assert.equal(lineText(workspace, line), '| Component | Details |', `the problem is on line ${line}`);
      });
      await step('Fix All from the palette: the missing sections are inserted', async () => {
        await runFromPalette(page, 'Fix All');
        await page.locator(`${SEL.activeTab}.dirty`).waitFor({ state: 'visible', timeout: 20_000 });
        await page.keyboard.press('Control+S');
        await page.locator(`${SEL.activeTab}.dirty`).waitFor({ state: 'detached', timeout: 15_000 });
        const text = fs.readFileSync(path.join(workspace, REL), 'utf8');
        for (const heading of ['## Section 6: Routine Operations', '## Section 11: Change Log', '## Appendix', '### 5.4 Log Locations']) {
          assert.equal(text.split('\n').filter((l) => l === heading).length, 1, `"${heading}" once`);
        }
      });
      await step('Problems: fewer than before; the inserted sections are one "unfilled" warning each, their placeholders quiet', async () => {
        const after = await settledCount(page);
        assert.ok(after <= before, `fix all turned ${before} problems into ${after}`);
        const { shown } = await goToProblem(page, 'Section "Rollback Procedures" is unfilled');
        assert.match(shown, /still holds only the template's guidance and placeholders/, shown);
      });
    },
  },
  {
    name: 'Insert All Missing Sections: 5.4 Log Locations inside Section 5, every section once, no more problems; a second run adds nothing',
    timeoutMs: 150_000,
    async run({ page, step, workspace }) {
      addDraft(workspace);
      let before = 0;
      await step(`open ${REL}: the lens "Insert 7 missing sections and N subsections"`, async () => {
        await quickOpen(page, DRAFT);
        await page.locator(`${LENS} a`, { hasText: /^Insert 7 missing sections and \d+ subsections$/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
        before = await settledCount(page);
      });
      await step('click the lens: the runbook has all fourteen sections', async () => {
        await page.locator(`${LENS} a`, { hasText: /^Insert 7 missing sections/ }).first().click();
        await page.locator(LENS, { hasText: /^14\/14 sections/ }).first().waitFor({ state: 'visible', timeout: 20_000 });
        await page.keyboard.press('Control+S');
        await page.locator(`${SEL.activeTab}.dirty`).waitFor({ state: 'detached', timeout: 15_000 });
      });
      await step('the file: 5.2 and 5.4 between their neighbours in Section 5, each section once, the footer last', async () => {
        const lines = fs.readFileSync(path.join(workspace, REL), 'utf8').split('\n');
        const at = (h) => {
          const found = lines.filter((l) => l === h);
          assert.equal(found.length, 1, `"${h}" once, found ${found.length}`);
          return lines.indexOf(h);
        };
        const order = ['### 5.1 Monitoring Dashboards', '### 5.2 Key Metrics', '### 5.3 Alert Configuration', '### 5.4 Log Locations', '## Section 6: Routine Operations', '## Section 11: Change Log', '## Appendix'].map(at);
        assert.deepEqual([...order].sort((a, b) => a - b), order, `in template order: ${order.join(', ')}`);
      });
      await step('Problems: no more than before', async () => {
        const after = await settledCount(page);
        assert.ok(after <= before, `Insert All turned ${before} problems into ${after}`);
      });
      await step('run "Runbook: Insert All Missing Sections" again: the document stays as saved', async () => {
        const saved = fs.readFileSync(path.join(workspace, REL), 'utf8');
        await runFromPalette(page, 'Runbook: Insert All Missing Sections');
        // Whatever it says, it must not edit: no dirty tab, the same text on disk after a save.
        await page.waitForTimeout(1500);
        assert.equal(await page.locator(`${SEL.activeTab}.dirty`).count(), 0, 'the second run edited the runbook');
        assert.equal(fs.readFileSync(path.join(workspace, REL), 'utf8'), saved);
      });
    },
  },
  {
    name: 'completion in a filled cell: Ctrl+Space in the Criticality cell "Critical" offers High, Medium, Low; High replaces the cell',
    async run({ page, step, workspace }) {
      addDraft(workspace);
      const line = fs.readFileSync(path.join(workspace, REL), 'utf8').split('\n').findIndex((l) => l.startsWith('| Amazon SQS | Job queue | Critical |')) + 1;
      await step(`open ${REL}, the cursor after "Critical" on line ${line}`, async () => {
        await quickOpen(page, DRAFT);
        await page.locator(SEL.squiggle).first().waitFor({ state: 'visible', timeout: 30_000 });
        await goToLine(page, line);
        await page.keyboard.press('Home');
        for (let i = 0; i < '| Amazon SQS | Job queue | Critical'.length; i++) await page.keyboard.press('ArrowRight');
      });
      await step('Ctrl+Space: the list shows High, Medium, Low (not "No suggestions")', async () => {
        await page.keyboard.press('Control+Space');
        await page.locator(SEL.suggestWidget).waitFor({ state: 'visible', timeout: 15_000 });
        await page.locator(SEL.suggestRow, { hasText: 'High' }).first().waitFor({ state: 'visible', timeout: 15_000 });
        const labels = (await page.locator(`${SEL.suggestRow} .monaco-icon-label .label-name`).allInnerTexts()).map((t) => norm(t).trim());
        for (const value of ['High', 'Medium', 'Low']) assert.ok(labels.includes(value), `"${value}" in the list: ${labels.join(' | ')}`);
      });
      await step('pick High: the cell reads High, the rest of the row as it was', async () => {
        const focused = page.locator(`${SEL.suggestRow}.focused`);
        for (let i = 0; i < 10 && norm(await focused.innerText().catch(() => '')).trim().split('\n')[0] !== 'High'; i++) await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await waitForLine(page, /^\| Amazon SQS \| Job queue \| High \| https:\/\/health\.aws\.amazon\.com\/health\/status \|$/);
      });
    },
  },
];
