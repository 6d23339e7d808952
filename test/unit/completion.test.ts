import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type TextEdit } from 'vscode-languageserver-types';
import { buildModel } from '../../server/src/service/model/document';
import { ChunkParser } from '../../server/src/service/model/parse';
import { matchTemplate } from '../../server/src/service/match';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { compileTemplate } from '../../server/src/service/template/compile';
import type { TemplateSchema } from '../../server/src/service/template/schema';
import { completions } from '../../server/src/service/features/completion';

/** Marks the cursor in test documents; never appears in Markdown. */
const CURSOR = '⸢';
const TODAY = '2025-03-14';

const RUNBOOK = `# System Runbook: Payments

## Document Information

| Field | Value |
|-------|-------|
| **System Name** | Payments |
| **Owner** | Jane Doe |
| **Classification** | Internal |
| **Last Updated** | 2025-01-02 |

## Section 1: System Overview

### 1.4 Dependencies

#### External Services

| Service | Purpose | Criticality | Status Page |
|---------|---------|-------------|-------------|
| Stripe | Card payments | High | status.stripe.com |

## Section 4: Deployment Procedures

### 4.1 Deployment Overview

| Environment | Branch | Trigger | Approval Required |
|-------------|--------|---------|-------------------|
| Production | main | Manual | Yes |

## Section 5: Monitoring and Alerts

### 5.2 Key Metrics

### 5.3 Alert Configuration

| Alert Name | Condition | Severity | Notification |
|------------|-----------|----------|--------------|
| High Error Rate | >5% errors | Critical | Slack |

## Section 8: Rollback Procedures

### 8.1 When to Rollback

Roll back when the error rate doubles after a release.

## Section 11: Change Log

### Document History

| Version | Date | Author | Changes |
|---------|------|--------|---------|
| 1.0 | 2025-01-02 | Jane Doe | Initial document |

## Appendix

### B. API Endpoints Reference

| Endpoint | Method | Purpose | Auth Required |
|----------|--------|---------|---------------|
| /charges | POST | Create a charge | Yes |
`;

/** The runbook with `line` inserted after the first line equal to `after` (the marker goes in `line`). */
function withLine(after: string, line: string, text = RUNBOOK): string {
  const lines = text.split('\n');
  const at = lines.indexOf(after);
  assert.ok(at >= 0, `no line "${after}"`);
  lines.splice(at + 1, 0, line);
  return lines.join('\n');
}

/** The runbook with the first occurrence of `find` replaced (to put the marker inside existing text). */
function withText(find: string, replace: string, text = RUNBOOK): string {
  assert.ok(text.includes(find), `no text "${find}"`);
  return text.replace(find, replace);
}

function complete(marked: string, schema: TemplateSchema = builtinTemplate()) {
  const offset = marked.indexOf(CURSOR);
  assert.ok(offset >= 0, 'the document needs a cursor marker');
  const text = marked.replace(CURSOR, '');
  const model = buildModel('file:///t/runbook.md', 1, text, new ChunkParser());
  const list = completions(model, schema, matchTemplate(model, schema), model.lines.positionAt(offset), TODAY);
  const items = list?.items ?? [];
  return {
    list,
    labels: items.map((i) => i.label),
    item(label: string): CompletionItem {
      const found = items.find((i) => i.label === label);
      assert.ok(found, `"${label}" not offered; got ${items.map((i) => i.label).join(', ')}`);
      return found;
    },
    /** The document after accepting the item, tab stops left at their defaults. */
    apply(label: string): string {
      const item = this.item(label);
      const edit = item.textEdit as TextEdit;
      const inserted = item.insertTextFormat === InsertTextFormat.Snippet ? expandSnippet(edit.newText) : edit.newText;
      return text.slice(0, model.lines.offsetAt(edit.range.start)) + inserted + text.slice(model.lines.offsetAt(edit.range.end));
    },
  };
}

/** What an editor inserts for a snippet when the user tabs through without typing (unknown variables insert their name). */
function expandSnippet(snippet: string): string {
  const unescape = (s: string) => s.replace(/\\([\\$}])/g, '$1');
  return snippet.replace(
    /\$\{\d+:((?:\\.|[^\\}])*)\}|\$\d+|\$\{?([A-Za-z_]\w*)\}?|\\([\\$}])/g,
    (_m, inner?: string, variable?: string, escaped?: string) => (inner !== undefined ? unescape(inner) : (variable ?? escaped ?? '')),
  );
}

function sectionSpec(title: string) {
  const spec = builtinTemplate().sections.find((s) => s.title === title);
  assert.ok(spec, title);
  return spec;
}

test('after "## " the missing sections are offered in template order, present ones are not', () => {
  const c = complete(RUNBOOK + `\n## ${CURSOR}\n`);
  assert.ok(c.labels.includes('Architecture'));
  assert.ok(!c.labels.includes('System Overview'));
  assert.ok(!c.labels.includes('Document Information'));
  assert.ok(!c.labels.includes('Rollback Procedures'));
  assert.ok(c.labels.indexOf('Table of Contents') < c.labels.indexOf('Architecture'));
  assert.ok(c.labels.indexOf('Architecture') < c.labels.indexOf('Incident Response'));
  const bySortText = [...c.list!.items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.label);
  assert.deepEqual(bySortText, c.labels);
});

/** The runbook without Section 8, with `line` in its place. */
function withoutRollback(line: string): string {
  return withText('## Section 8: Rollback Procedures\n\n### 8.1 When to Rollback\n\nRoll back when the error rate doubles after a release.\n', line);
}

test('a section item is a snippet of the template skeleton that replaces the heading line', () => {
  const c = complete(withoutRollback(`## ${CURSOR}\n`));
  const item = c.item('Rollback Procedures');
  assert.equal(item.kind, CompletionItemKind.Module);
  assert.equal(item.detail, 'Section 8: Rollback Procedures');
  assert.equal(item.insertTextFormat, InsertTextFormat.Snippet);
  assert.match((item.textEdit as TextEdit).newText, /\$\{1:\[/, 'placeholders become tab stops');
  const after = c.apply('Rollback Procedures');
  const skeleton = sectionSpec('Rollback Procedures').skeleton.trimEnd();
  assert.ok(after.includes(`\n\n${skeleton}\n\n## Section 11: Change Log\n`), 'the skeleton sits in place of "## ", with a blank line before the next heading');
  assert.ok(after.includes('### 8.2 Rollback Decision Matrix') && after.includes('### 8.5 Rollback Verification'));
  assert.ok(!after.includes('## \n'));
});

test('a section can be filtered by title or number, and the heading being typed does not hide itself', () => {
  assert.ok(complete(withoutRollback(`## Rollback Procedures${CURSOR}\n`)).labels.includes('Rollback Procedures'));
  assert.ok(!complete(RUNBOOK + `\n## Rollback Procedures${CURSOR}\n`).labels.includes('Rollback Procedures'), 'present elsewhere');
  const item = complete(RUNBOOK + `\n## ${CURSOR}\n`).item('Architecture');
  assert.ok(item.filterText!.startsWith('## Architecture'), 'VS Code filters on the text from the line start');
  assert.match(item.filterText!, /\b2\b/);
});

test('after "### " in a section: its missing subsections only', () => {
  const c = complete(withLine('Roll back when the error rate doubles after a release.', `\n### ${CURSOR}`));
  assert.deepEqual(c.labels, ['Rollback Decision Matrix', 'Application Rollback', 'Database Rollback', 'Rollback Verification']);
  assert.ok(c.apply('Database Rollback').includes(sectionSpec('Rollback Procedures').children[3].skeleton.trimEnd()));
});

test('headings of other depths, and the cursor before the marks, get nothing', () => {
  assert.equal(complete(withLine('Roll back when the error rate doubles after a release.', `\n#### ${CURSOR}`)).list, null);
  assert.equal(complete(RUNBOOK + `\n# ${CURSOR}\n`).list, null);
  assert.equal(complete(RUNBOOK + `\n#${CURSOR}# \n`).list, null);
});

test('"|" on an empty line in 5.2 Key Metrics offers the table skeleton', () => {
  const c = complete(withLine('### 5.2 Key Metrics', `\n|${CURSOR}`));
  assert.deepEqual(c.labels, ['Key Metrics table']);
  assert.equal(c.item('Key Metrics table').kind, CompletionItemKind.Snippet);
  const after = c.apply('Key Metrics table');
  assert.ok(after.includes('### 5.2 Key Metrics\n\n| Metric | Normal Range | Warning | Critical |\n|--------|--------------|---------|----------|\n|  |  |  |  |\n\n### 5.3'));
  const model = buildModel('file:///t/runbook.md', 2, after, new ChunkParser());
  const matched = [...matchTemplate(model, builtinTemplate()).tables.values()].map((t) => t.context);
  assert.ok(matched.includes('5.2 Key Metrics'), 'the inserted table is recognised as the template one');
});

test('"|" where the section already has its table offers nothing', () => {
  assert.equal(complete(withLine('| High Error Rate | >5% errors | Critical | Slack |', `\n|${CURSOR}`)).list, null);
});

test('first cell of a new Document Information row: the missing fields, as whole rows', () => {
  const c = complete(withLine('| **Last Updated** | 2025-01-02 |', `| ${CURSOR}`));
  assert.deepEqual(c.labels, ['Version', 'Review Frequency', 'Next Review']);
  assert.ok(c.apply('Version').includes('| **Last Updated** | 2025-01-02 |\n| **Version** |  |\n\n## Section 1'));
  const typed = complete(withLine('| **Last Updated** | 2025-01-02 |', `| **Ne${CURSOR}`));
  assert.ok(typed.item('Next Review').filterText!.startsWith('| **Ne'));
});

test('first cell of a new Key Metrics row: the metric names not yet in the table', () => {
  const doc = withLine('### 5.2 Key Metrics', '\n| Metric | Normal Range | Warning | Critical |\n|---|---|---|---|\n| CPU Usage | <60% | >80% | >95% |\n| ' + CURSOR);
  const c = complete(doc);
  assert.ok(c.labels.includes('Response Time'));
  assert.ok(!c.labels.includes('CPU Usage'));
  assert.ok(c.apply('Error Rate').includes('| CPU Usage | <60% | >80% | >95% |\n| Error Rate |  |  |  |\n'));
});

test('Criticality offers High/Medium/Low and replaces what the cell holds', () => {
  const c = complete(withText('| Stripe | Card payments | High |', `| Stripe | Card payments | Lo${CURSOR}w |`));
  assert.deepEqual(c.labels, ['High', 'Medium', 'Low']);
  assert.equal(c.item('High').kind, CompletionItemKind.EnumMember);
  assert.ok(c.apply('Medium').includes('| Stripe | Card payments | Medium | status.stripe.com |'));
});

test('a cell holding a value outside the list still gets the list: filtered by what it holds, replacing it', () => {
  const line = '| Stripe | Card payments | High |';
  const c = complete(withText(line, `| Stripe | Card payments | Critical${CURSOR} |`));
  assert.deepEqual(c.labels, ['High', 'Medium', 'Low']);
  // The editor filters by "Critical" (from the edit's start to the cursor): each item carries it first.
  assert.deepEqual(['High', 'Medium', 'Low'].map((l) => c.item(l).filterText), ['CriticalHigh', 'CriticalMedium', 'CriticalLow']);
  const range = (c.item('High').textEdit as { range: { start: { character: number }; end: { character: number } } }).range;
  assert.deepEqual([range.start.character, range.end.character], [line.indexOf('High'), line.indexOf('High') + 'Critical'.length]);
  assert.ok(c.apply('Medium').includes('| Stripe | Card payments | Medium | status.stripe.com |'));
  // While a person types a value of the list, the editor's own filtering applies.
  const typing = complete(withText(line, `| Stripe | Card payments | Me${CURSOR} |`));
  assert.equal(typing.item('Medium').filterText, undefined);
});

test('Classification offers the field vocabulary Internal/Confidential', () => {
  const c = complete(withText('| **Classification** | Internal |', `| **Classification** | ${CURSOR} |`));
  assert.deepEqual(c.labels, ['Internal', 'Confidential']);
  assert.ok(c.apply('Confidential').includes('| **Classification** | Confidential |'));
});

test('date cells offer today first', () => {
  const column = complete(withLine('| 1.0 | 2025-01-02 | Jane Doe | Initial document |', `| 1.1 | ${CURSOR} | | |`));
  assert.equal(column.labels[0], TODAY);
  const field = complete(withText('| **Last Updated** | 2025-01-02 |', `| **Last Updated** | 2025-01-02${CURSOR} |`));
  assert.equal(field.labels[0], TODAY);
  assert.ok(field.apply(TODAY).includes(`| **Last Updated** | ${TODAY} |`));
});

test('Severity, Method and Environment cells get their well-known values', () => {
  const severity = complete(withText('| High Error Rate | >5% errors | Critical |', `| High Error Rate | >5% errors | ${CURSOR} |`));
  for (const sev of ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4', 'Critical', 'Warning']) assert.ok(severity.labels.includes(sev), sev);
  const method = complete(withText('| /charges | POST |', `| /charges | ${CURSOR} |`));
  assert.deepEqual(method.labels, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
  const environment = complete(withLine('| Production | main | Manual | Yes |', `| ${CURSOR} | | | |`));
  assert.deepEqual(environment.labels, ['Development', 'Staging']);
  const approval = complete(withText('| Production | main | Manual | Yes |', `| Production | main | Manual | ${CURSOR} |`));
  assert.deepEqual(approval.labels, ['Yes', 'No']);
});

test('"](#" offers every heading anchor, replacing the part typed', () => {
  const c = complete(withLine('Roll back when the error rate doubles after a release.', `See [matrix](#sec${CURSOR}).`));
  const item = c.item('section-8-rollback-procedures');
  assert.equal(item.detail, 'Section 8: Rollback Procedures');
  assert.equal(item.kind, CompletionItemKind.Reference);
  assert.ok(c.labels.includes('document-information'));
  assert.ok(c.apply('section-8-rollback-procedures').includes('See [matrix](#section-8-rollback-procedures).'));
});

test('nothing inside a fenced code block, whatever the line looks like', () => {
  for (const line of [`## ${CURSOR}`, `|${CURSOR}`, `| ${CURSOR} | |`, `[x](#${CURSOR})`]) {
    const doc = withLine('### 5.2 Key Metrics', `\n\`\`\`text\n${line}\n\`\`\``);
    assert.equal(complete(doc).list, null, line);
  }
  assert.equal(complete(RUNBOOK + `\n\`\`\`\n## ${CURSOR}`).list, null, 'an unclosed fence at the end');
});

test('nothing on a plain paragraph line, in front matter or in inline code', () => {
  assert.equal(complete(withText('Roll back when', `Roll back${CURSOR} when`)).list, null);
  assert.equal(complete(`---\ntitle: x\n## ${CURSOR}\n---\n` + RUNBOOK).list, null);
  assert.equal(complete(withLine('Roll back when the error rate doubles after a release.', `Use \`[a](#${CURSOR})\``)).list, null);
});

test('CRLF documents get CRLF skeletons and exact cell ranges', () => {
  const crlf = RUNBOOK.replace(/\n/g, '\r\n');
  const table = complete(withLine('### 5.2 Key Metrics\r', `\r\n|${CURSOR}\r`, crlf));
  assert.ok(table.apply('Key Metrics table').includes('| Metric | Normal Range | Warning | Critical |\r\n|--------|--------------|---------|----------|\r\n'));
  const cell = complete(withText('| **Classification** | Internal |', `| **Classification** | Int${CURSOR}ernal |`, crlf));
  assert.ok(cell.apply('Confidential').includes('| **Classification** | Confidential |\r\n'));
});

test('a team template works the same way, and "$", "}" or "\\" in it survive the snippet', () => {
  const schema = compileTemplate('# Service Sheet: [NAME]\n\n## Setup\n\nRun `echo ${HOME}` first, it costs \\$0.\n\n## Teardown\n\n[Steps]\n', 'team');
  const c = complete(`# Service Sheet: Cache\n\n## ${CURSOR}\n`, schema);
  assert.deepEqual(c.labels, ['Setup', 'Teardown']);
  assert.ok(c.apply('Setup').includes('## Setup\n\nRun `echo ${HOME}` first, it costs \\$0.'));
  assert.ok(c.apply('Teardown').includes('## Teardown\n\n[Steps]'));
});
