import { levelOf, ruleOf, type FileReport } from '../report';

/**
 * Text as XML 1.0 can carry it: characters it cannot hold at all (most control characters, lone
 * surrogates, U+FFFE/U+FFFF) become U+FFFD, markup characters become references. In an attribute,
 * line breaks and tabs are written as references too, or every XML reader turns them into spaces.
 */
export function xmlEscape(s: string, attribute: boolean): string {
  const text = s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
  return attribute ? text.replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;') : text;
}

const attr = (s: string) => xmlEscape(s, true);
const at = (d: { range: { start: { line: number; character: number } } }) => `${d.range.start.line + 1}:${d.range.start.character + 1}`;

/**
 * JUnit XML: one test suite, a test case per file, a failure per error-level finding (its rule as
 * the type, its message as the message, `file:line:column` in the text). Warnings and information
 * go to the test case's system-out, so a CI's test view shows them without failing the case.
 */
export function junitOutput(reports: FileReport[]): string {
  const failed = reports.filter((r) => r.diagnostics.some((d) => levelOf(d) === 'error')).length;
  const counts = `tests="${reports.length}" failures="${failed}" errors="0"`;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="runbook-lint" ${counts}>`, `  <testsuite name="runbook-lint" ${counts} skipped="0">`];
  for (const r of reports) {
    const path = r.file.split('\\').join('/');
    const errors = r.diagnostics.filter((d) => levelOf(d) === 'error');
    const others = r.diagnostics.filter((d) => levelOf(d) !== 'error');
    const open = `    <testcase name="${attr(path)}" classname="runbook-lint"`;
    if (!r.diagnostics.length) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    for (const d of errors) {
      const text = `${path}:${at(d)} ${ruleOf(d)}: ${d.message}`;
      lines.push(`      <failure type="${attr(ruleOf(d))}" message="${attr(d.message)}">${xmlEscape(text, false)}</failure>`);
    }
    if (others.length) {
      const text = others.map((d) => `${path}:${at(d)} ${levelOf(d)} ${ruleOf(d)}: ${d.message}`).join('\n');
      lines.push(`      <system-out>${xmlEscape(text, false)}</system-out>`);
    }
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return lines.join('\n');
}
