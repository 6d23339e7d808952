import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { compileTemplate, parseVocabulary } from '../../server/src/service/template/compile';
import { headingKey } from '../../server/src/service/model/keys';

const schema = builtinTemplate();

test('the System Runbook template compiles to its sections in order', () => {
  assert.equal(schema.titlePrefix, 'System Runbook');
  assert.deepEqual(
    schema.sections.map((s) => s.title),
    ['Document Information', 'Table of Contents', 'System Overview', 'Architecture', 'Access and Credentials', 'Deployment Procedures', 'Monitoring and Alerts', 'Routine Operations', 'Incident Response', 'Rollback Procedures', 'Troubleshooting Guide', 'Contact Information', 'Change Log', 'Appendix'],
  );
  const rollback = schema.sections.find((s) => s.title === 'Rollback Procedures')!;
  assert.deepEqual(rollback.children.map((c) => c.heading), ['8.1 When to Rollback', '8.2 Rollback Decision Matrix', '8.3 Application Rollback', '8.4 Database Rollback', '8.5 Rollback Verification']);
});

test('example headings are not required: [Component Name 1], Issue: ..., Step 1: ...', () => {
  const all = schema.sections.flatMap((s) => [s, ...s.children]).map((s) => s.heading);
  for (const heading of all) assert.ok(!/\[Component Name|^Issue:|^Step \d|^Option [A-C]/.test(heading), heading);
});

test('Document Information fields, with their vocabularies and date fields', () => {
  const info = schema.sections[0].tables[0];
  assert.equal(info.keyed, true);
  assert.deepEqual(info.fields.map((f) => f.name), ['System Name', 'Version', 'Last Updated', 'Owner', 'Classification', 'Review Frequency', 'Next Review']);
  assert.deepEqual(info.fields.find((f) => f.name === 'Classification')!.vocabulary, ['Internal', 'Confidential']);
  assert.equal(info.fields.find((f) => f.name === 'Owner')!.vocabulary, undefined, '[Name/Role] describes a value, it is no list of choices');
  assert.deepEqual(info.fields.filter((f) => f.date).map((f) => f.name), ['Last Updated', 'Next Review']);
  assert.equal(schema.roles.nextReview?.name, 'Next Review');
  assert.equal(schema.roles.reviewFrequency?.example, 'Quarterly');
});

test('vocabularies shown in the template: High/Medium/Low, Yes/No columns, SEV-1..4', () => {
  const columns = schema.tables.flatMap((t) => t.columns);
  assert.deepEqual(columns.find((c) => c.name === 'Criticality')!.vocabulary, ['High', 'Medium', 'Low']);
  assert.deepEqual(columns.find((c) => c.name === 'Approval Required')!.vocabulary, ['Yes', 'No']);
  assert.deepEqual(schema.vocabularies.get('severity'), ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4']);
  assert.equal(columns.find((c) => c.name === 'Layer')!.vocabulary, undefined, 'CI/CD names a row, it is no list of choices');
  assert.deepEqual(parseVocabulary('[YES/NO]'), ['Yes', 'No']);
  assert.equal(parseVocabulary('[connection string/credentials to check]'), undefined);
});

test('placeholders and guidance come from the template text', () => {
  for (const p of ['system name', 'date', 'command to check status', 'replace with actual diagram or link to diagram tool']) assert.ok(schema.placeholders.has(p), p);
  const purpose = schema.sections[2].children[0];
  assert.match(purpose.guidance[0], /^Describe what this system does/);
});

test('heading keys are tolerant of numbering, case and punctuation', () => {
  const key = headingKey('Section 8: Rollback Procedures');
  for (const h of ['8. Rollback Procedures', 'Rollback Procedures', 'rollback procedure', 'SECTION 8 - Rollback Procedures!']) assert.equal(headingKey(h), key, h);
  assert.equal(headingKey('A. Environment Variables Reference'), headingKey('Environment Variables Reference'));
  assert.equal(headingKey('Access & Credentials'), headingKey('Access and Credentials'));
  assert.notEqual(headingKey('Appendix'), '');
});

test('a team template marks parts optional with <!-- optional -->', () => {
  const alert = compileTemplate(
    '# Alert: [AlertName]\n\n## Meaning\n\n[What the alert means]\n\n## Impact\n\n## Diagnosis\n\n## Mitigation\n\n## Notes <!-- optional -->\n\n| **Field** | Value |\n|---|---|\n| **Severity** | [SEV-1/2/3/4] |\n',
    'alert.md',
  );
  assert.deepEqual(alert.sections.map((s) => [s.title, s.optional]), [['Meaning', false], ['Impact', false], ['Diagnosis', false], ['Mitigation', false], ['Notes', true]]);
  assert.equal(alert.titlePrefix, 'Alert');
});
