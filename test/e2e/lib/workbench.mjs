// What a person does in the VS Code workbench, as playwright steps. Every helper waits on something
// that appears on the screen (a selector), never on a fixed delay.

export const SEL = {
  workbench: '.monaco-workbench',
  statusbar: '.part.statusbar',
  quickInput: '.quick-input-widget',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  activeTab: '.tabs-container .tab.active',
  editor: '.part.editor .editor-instance .monaco-editor',
  focusedEditor: '.part.editor .editor-instance .monaco-editor.focused',
  squiggle: '.part.editor .monaco-editor .squiggly-error, .part.editor .monaco-editor .squiggly-warning',
  problemsPanel: '.markers-panel',
  problemsRow: '.markers-panel .monaco-list-row',
  problemsFilter: '.panel .viewpane-filter input, .panel .markers-panel-action-filter input',
  suggestWidget: '.editor-widget.suggest-widget.visible',
  suggestRow: '.editor-widget.suggest-widget.visible .monaco-list-row',
  actionWidget: '.action-widget',
  actionRow: '.action-widget .monaco-list-row',
  viewLine: '.part.editor .monaco-editor .view-lines .view-line',
};

/** Text as a person reads it: Monaco renders spaces as no-break spaces. */
export const norm = (s) => (s ?? '').replace(/\u00a0/g, ' ');

/** Waits for the workbench to be ready for the keyboard (the editor area is laid out). */
export async function waitForWorkbench(page, timeout = 30_000) {
  await page.locator(SEL.workbench).waitFor({ state: 'visible', timeout });
  await page.locator(SEL.statusbar).waitFor({ state: 'visible', timeout });
  await page.locator('.part.editor').waitFor({ state: 'visible', timeout });
  // The explorer lists the workspace once the remote file system is connected.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout });
}

/** Ctrl+P, type the file name, Enter; waits for its tab to be active and the editor focused. */
export async function quickOpen(page, fileName, timeout = 20_000) {
  await page.locator('.part.editor').click({ position: { x: 300, y: 200 } });
  await page.keyboard.press('Control+P');
  await page.locator(SEL.quickInput).waitFor({ state: 'visible', timeout });
  await page.keyboard.type(fileName);
  await page.locator(SEL.quickInputRow, { hasText: fileName }).first().waitFor({ state: 'visible', timeout });
  await acceptRow(page, fileName, timeout);
  await page.locator(SEL.activeTab, { hasText: fileName }).waitFor({ state: 'visible', timeout });
  await page.locator(SEL.focusedEditor).waitFor({ state: 'visible', timeout });
}

/** Ctrl+G LINE Enter (1-based line); waits until the cursor position in the status bar says so. */
export async function goToLine(page, line, timeout = 10_000) {
  await page.keyboard.press('Control+G');
  await page.locator(SEL.quickInput).waitFor({ state: 'visible', timeout });
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page.locator(SEL.quickInput).waitFor({ state: 'hidden', timeout });
  await page
    .locator('.part.statusbar [id="status.editor.selection"]', { hasText: new RegExp(`Ln ${line},`) })
    .waitFor({ state: 'visible', timeout });
}

/** The rendered editor lines (only those on screen), as text. */
export async function visibleLines(page) {
  const texts = await page.locator(SEL.viewLine).allInnerTexts();
  return texts.map(norm);
}

/** Waits until a rendered editor line matches `re` (a RegExp). */
export async function waitForLine(page, re, timeout = 15_000) {
  try {
    await page.waitForFunction(
      ({ sel, source, flags }) => {
        const rx = new RegExp(source, flags);
        return [...document.querySelectorAll(sel)].some((e) => rx.test((e.textContent ?? '').replace(/\u00a0/g, ' ')));
      },
      { sel: SEL.viewLine, source: re.source, flags: re.flags },
      { timeout },
    );
  } catch (e) {
    const lines = await visibleLines(page).catch(() => []);
    throw new Error(`timed out after ${timeout} ms waiting for an editor line matching ${re}; on screen:\n  ${lines.join('\n  ')}`);
  }
}

/** Opens the Problems panel (Ctrl+Shift+M) and waits for it. */
export async function openProblems(page, timeout = 15_000) {
  await page.keyboard.press('Control+Shift+M');
  await page.locator(SEL.problemsPanel).waitFor({ state: 'visible', timeout });
}

/** Types into the Problems filter box (so that the wanted row is among the rendered ones). */
export async function filterProblems(page, text, timeout = 10_000) {
  const filter = page.locator(SEL.problemsFilter).first();
  await filter.waitFor({ state: 'visible', timeout });
  await filter.click();
  await filter.fill(text);
}

/**
 * F1, the command's title, Enter. The extension's commands are known a moment after the workbench (the
 * web worker host reads the extension later): a palette opened too early is opened again.
 */
export async function runFromPalette(page, title, rowText = title) {
  const row = page.locator(SEL.quickInputRow, { hasText: rowText }).first();
  for (let attempt = 0; ; attempt++) {
    await page.locator('.part.editor').click({ position: { x: 300, y: 200 } });
    await page.keyboard.press('F1');
    await page.locator(SEL.quickInput).waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type(title);
    try {
      await row.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt >= 5) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await acceptRow(page, rowText);
}

/**
 * Types into the open quick pick's box as a person does: clicks into it when it does not have the
 * keyboard (a picker opened from a walkthrough loses it when the walkthrough re-renders, and what is
 * typed goes nowhere), then checks that the box holds the text, typing it again if it vanished (a
 * picker that follows the palette reuses its box and may clear it as it fills).
 */
export async function typeInQuickInput(page, text, timeout = 10_000) {
  const box = page.locator(`${SEL.quickInput} .quick-input-box input`).first();
  await box.waitFor({ state: 'visible', timeout });
  for (let attempt = 0; ; attempt++) {
    if (!(await box.evaluate((el) => el === document.activeElement))) await box.click();
    await page.keyboard.type(text);
    try {
      await page.waitForFunction(([el, wanted]) => el.value === wanted, [await box.elementHandle(), text], { timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt >= 2) throw new Error(`the quick pick's box holds ${JSON.stringify(await box.inputValue())}, not ${JSON.stringify(text)}`);
      await box.fill('');
    }
  }
}

/**
 * Enter in an open quick pick once the row it would accept (the focused one) is `rowText`'s. A row can
 * be on screen before the list is filtered by what was typed, and Enter then takes another (the
 * walkthrough picker's first row, "Get Started with VS Code", failed a CI run so).
 */
export async function acceptRow(page, rowText, timeout = 10_000) {
  const focused = page.locator(`${SEL.quickInputRow}.focused`);
  try {
    await focused.filter({ hasText: rowText }).first().waitFor({ state: 'visible', timeout });
  } catch {
    const shown = norm(await focused.first().innerText({ timeout: 1_000 }).catch(() => '(none)')).replace(/\s+/g, ' ');
    throw new Error(`the quick pick's focused row is not "${rowText}" but: ${shown}`);
  }
  await page.keyboard.press('Enter');
}
