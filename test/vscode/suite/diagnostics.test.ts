// Diagnostics a person sees in the Problems panel: from our server, with rule ids and README links,
// only for runbooks.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  PAYMENTS,
  RULE_IDS,
  SOURCE,
  activeExtension,
  codeValue,
  describeDiagnostics,
  fileUri,
  findDiagnostic,
  openDocument,
  runbookDiagnostics,
  scratchRunbook,
  waitForRunbookDiagnostics,
} from './helpers';

suite('Diagnostics', () => {
  suiteSetup(async () => {
    await activeExtension();
  });

  test('a runbook gets diagnostics from source "runbook" with {value: rule id, target: README} codes', async () => {
    const uri = fileUri(PAYMENTS);
    await openDocument(uri);
    const ds = await waitForRunbookDiagnostics(uri);
    for (const d of ds) {
      assert.equal(d.source, SOURCE);
      assert.ok(typeof d.code === 'object' && d.code !== null, `code of "${d.message}" is ${JSON.stringify(d.code)}, expected {value, target}`);
      const { value, target } = d.code as { value: string | number; target: vscode.Uri };
      assert.ok((RULE_IDS as readonly string[]).includes(String(value)), `unknown rule id ${String(value)}`);
      assert.ok(target instanceof vscode.Uri, `code.target of ${String(value)} is not a Uri`);
      assert.match(target.toString(true), /readme/i, `code.target of ${String(value)} should point at the README`);
    }
  });

  test('the removed section: missing-section "Rollback Procedures"', async () => {
    const uri = fileUri(PAYMENTS);
    await openDocument(uri);
    const ds = await waitForRunbookDiagnostics(uri, () => !!findDiagnostic(uri, 'missing-section', 'Rollback Procedures'), 'missing-section Rollback Procedures');
    const d = ds.find((x) => codeValue(x) === 'missing-section' && x.message.includes('Rollback Procedures'))!;
    assert.match(d.message, /Missing section "Rollback Procedures"/);
    assert.equal(
      runbookDiagnostics(uri).filter((x) => codeValue(x) === 'missing-section').length,
      1,
      `only Section 8 is missing:\n    ${describeDiagnostics(uri)}`,
    );
  });

  test('invalid-value names the field and the allowed values (Classification "Urgent")', async () => {
    const uri = fileUri(PAYMENTS);
    await openDocument(uri);
    await waitForRunbookDiagnostics(uri, () => !!findDiagnostic(uri, 'invalid-value', 'Classification'), 'invalid-value on Classification');
    const d = findDiagnostic(uri, 'invalid-value', 'Classification')!;
    assert.match(d.message, /Internal/);
    assert.match(d.message, /Confidential/);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.getText(d.range).trim(), 'Urgent', 'the diagnostic covers the value');
  });

  test('placeholders left from the template are reported', async () => {
    const uri = fileUri(PAYMENTS);
    await openDocument(uri);
    const ds = await waitForRunbookDiagnostics(uri, (all) => all.some((d) => codeValue(d) === 'placeholder'), 'placeholder diagnostics');
    const doc = await vscode.workspace.openTextDocument(uri);
    const nextReview = ds.find((d) => codeValue(d) === 'placeholder' && doc.lineAt(d.range.start.line).text.includes('Next Review'));
    assert.ok(nextReview, `the [DATE] of "Next Review" is a placeholder:\n    ${describeDiagnostics(uri)}`);
  });

  test('the TOC entry for the removed section is a toc finding (not a broken-link that suggests another heading)', async () => {
    const uri = fileUri(PAYMENTS);
    await openDocument(uri);
    await waitForRunbookDiagnostics(uri, () => !!findDiagnostic(uri, 'toc', 'names section "Rollback Procedures"'), 'toc entry for "Rollback Procedures"');
    assert.equal(findDiagnostic(uri, 'broken-link', 'section-8-rollback-procedures'), undefined, describeDiagnostics(uri));
  });

  for (const [file, why] of [
    ['runbooks/search-service.md', 'under a runbooks/ folder'],
    ['ops/billing.md', 'first heading "System Runbook: ..."'],
    ['ops/ledger.md', 'front matter runbook: true'],
  ] as const) {
    test(`a runbook by ${why} (${file}) gets diagnostics`, async () => {
      const uri = fileUri(file);
      await openDocument(uri);
      const ds = await waitForRunbookDiagnostics(uri);
      assert.ok(ds.some((d) => codeValue(d) === 'missing-section'), `expected missing sections:\n    ${describeDiagnostics(uri)}`);
    });
  }

  test('an ordinary Markdown file (notes.md) gets no diagnostics', async () => {
    const notes = fileUri('notes.md');
    await openDocument(notes);
    // The server handles documents in order: once a runbook opened after notes.md has its
    // diagnostics, notes.md has been looked at too.
    const probe = await scratchRunbook('after-notes');
    await waitForRunbookDiagnostics(probe.uri);
    assert.deepEqual(vscode.languages.getDiagnostics(notes), [], `notes.md is not a runbook:\n    ${describeDiagnostics(notes)}`);
  });
});
