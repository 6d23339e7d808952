// The extension is there, is the installed one where the runner says so, and activates on Markdown.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, activeExtension, openDocument, waitFor } from './helpers';

suite('Activation', () => {
  test('the extension is installed (from the .vsix when the runner installed one)', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
    const installedIn = process.env.RUNBOOK_EXPECT_INSTALLED_IN;
    if (installedIn) {
      const rel = path.relative(installedIn, ext.extensionPath);
      assert.ok(
        !rel.startsWith('..') && !path.isAbsolute(rel),
        `the extension runs from ${ext.extensionPath}, not from the extensions folder ${installedIn} where the .vsix was installed`,
      );
    }
    const pkg = ext.packageJSON as { activationEvents?: string[]; main?: string };
    assert.deepEqual(pkg.activationEvents, ['onLanguage:markdown'], 'activation on Markdown only');
  });

  test('activates when a Markdown file opens', async () => {
    const ext = await activeExtension();
    assert.equal(ext.isActive, true);
  });

  test('contributes its settings with their defaults', async () => {
    await openDocument('notes.md');
    const config = vscode.workspace.getConfiguration('runbook');
    assert.equal(config.get('enable'), true);
    assert.deepEqual(config.get('files'), ['**/*runbook*.md', '**/runbooks/**/*.md']);
    await waitFor('Markdown language mode for notes.md', () => vscode.window.activeTextEditor?.document.languageId === 'markdown');
  });
});
