import type { ReviewStatus } from '../../protocol';
import { levelOf, ruleOf, type FileReport } from '../report';

/**
 * Text for a GitHub-flavoured Markdown table cell: no line break, `|` escaped, and the characters
 * that would start emphasis, links, HTML, code or strike-through escaped so the text shows as written.
 */
export function markdownCell(s: string): string {
  return s.replace(/\s+/g, ' ').trim().replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

/** The review status in words: overdue and due soon stand out. */
export function reviewWords(review: ReviewStatus): string {
  const days = Math.abs(review.days ?? 0);
  const ago = `${days} day${days === 1 ? '' : 's'}`;
  switch (review.status) {
    case 'overdue':
      return `**overdue** since ${review.date} (${ago})`;
    case 'due-soon':
      return review.days === 0 ? `**due today** (${review.date})` : `**due in ${ago}** (${review.date})`;
    case 'ok':
      return `next ${review.date}`;
    default:
      return 'no Next Review date';
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A summary for `$GITHUB_STEP_SUMMARY` or a pull request comment: a row per runbook with its
 * completeness, errors, warnings and review status, then the problems by rule.
 */
export function markdownOutput(reports: FileReport[]): string {
  const rows = reports.map((r) => {
    const errors = r.diagnostics.filter((d) => levelOf(d) === 'error').length;
    const warnings = r.diagnostics.filter((d) => levelOf(d) === 'warning').length;
    const s = r.summary;
    const completeness = s ? `${s.sections.present}/${s.sections.expected} sections${s.placeholders ? `, ${plural(s.placeholders, 'placeholder')}` : ''}` : 'not checked';
    return { r, errors, warnings, cells: [s?.title ?? r.file, r.file.split('\\').join('/'), completeness].map(markdownCell).concat(String(errors), String(warnings), s ? reviewWords(s.review) : '') };
  });
  const withErrors = rows.filter((row) => row.errors).length;
  const overdue = reports.filter((r) => r.summary?.review.status === 'overdue').length;
  const dueSoon = reports.filter((r) => r.summary?.review.status === 'due-soon').length;
  const headline = [plural(reports.length, 'runbook') + ' checked', withErrors ? `${withErrors} with errors` : 'none with errors', overdue ? `${overdue} overdue for review` : '', dueSoon ? `${dueSoon} due for review within 14 days` : '']
    .filter(Boolean)
    .join(', ');
  const out = [`### Runbook check: ${headline}`, ''];
  if (rows.length) {
    out.push('| Runbook | File | Completeness | Errors | Warnings | Review |', '|---|---|---|--:|--:|---|');
    for (const row of rows) out.push(`| ${row.cells.join(' | ')} |`);
  }
  const byRule = new Map<string, { error: number; warning: number; info: number; files: Set<string> }>();
  for (const r of reports) {
    for (const d of r.diagnostics) {
      const entry = byRule.get(ruleOf(d)) ?? { error: 0, warning: 0, info: 0, files: new Set<string>() };
      entry[levelOf(d)]++;
      entry.files.add(r.file);
      byRule.set(ruleOf(d), entry);
    }
  }
  if (byRule.size) {
    out.push('', '| Rule | Errors | Warnings | Info | Runbooks |', '|---|--:|--:|--:|--:|');
    const sorted = [...byRule].sort(([a, x], [b, y]) => y.error - x.error || y.warning - x.warning || y.info - x.info || (a < b ? -1 : 1));
    for (const [rule, e] of sorted) out.push(`| ${markdownCell(rule)} | ${e.error} | ${e.warning} | ${e.info} | ${e.files.size} |`);
  }
  return out.join('\n');
}
