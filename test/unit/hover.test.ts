import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunbookLanguageService } from '../../server/src/service/languageService';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { example } from '../support/lint';

const schema = builtinTemplate();
const service = new RunbookLanguageService();
const model = service.getModel({ uri: 'file:///w/payments-runbook.md', version: 1, getText: () => example });
const lines = example.split('\n');

function hoverAt(lineText: string, column: string) {
  const line = lines.indexOf(lineText);
  assert.ok(line >= 0, lineText);
  const hover = service.hover(model, schema, { line, character: lineText.indexOf(column) + 1 });
  return hover && (hover.contents as { value: string }).value;
}

test('hover on a field value shows the allowed values from the template', () => {
  assert.match(hoverAt('| **Classification** | Confidential |', 'Confidential')!, /\*\*Classification\*\*.*\n\nAllowed values: `Internal`, `Confidential`/);
});

test('hover on a date field says the expected format', () => {
  assert.match(hoverAt('| **Next Review** | 2027-02-20 |', '2027')!, /A date as `YYYY-MM-DD`/);
});

test('hover on a column header shows its vocabulary', () => {
  assert.match(hoverAt('| Service | Purpose | Criticality | Status Page |', 'Criticality')!, /Allowed values: `High`, `Medium`, `Low`/);
});

test('hover on a heading lists the subsections and marks none missing in a complete runbook', () => {
  const value = hoverAt('## Section 8: Rollback Procedures', 'Rollback')!;
  assert.match(value, /- 8\.5 Rollback Verification/);
  assert.ok(!value.includes('(missing)'));
});

test('no hover on ordinary text', () => {
  assert.equal(hoverAt(lines.find((l) => l.startsWith('The Payments API takes money'))!, 'money'), undefined);
});
