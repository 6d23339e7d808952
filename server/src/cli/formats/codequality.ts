import { createHash } from 'node:crypto';
import { levelOf, ruleOf, type FileReport } from '../report';

const SEVERITY = { error: 'major', warning: 'minor', info: 'info' } as const;

/**
 * GitLab Code Quality (a subset of the Code Climate issue format): description, check_name,
 * fingerprint, severity and location per finding. GitLab tells new findings from fixed ones by the
 * fingerprint, so it leaves out the line: the file, the rule, the message and which of the findings
 * with those three it is. It keys findings by fingerprint, so no two are the same.
 */
export function codequalityOutput(reports: FileReport[]): string {
  const issues = [];
  for (const r of reports) {
    const path = r.file.split('\\').join('/');
    const seen = new Map<string, number>();
    for (const d of r.diagnostics) {
      const key = JSON.stringify([path, ruleOf(d), d.message]);
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      issues.push({
        type: 'issue',
        description: d.message,
        check_name: ruleOf(d),
        fingerprint: createHash('sha256').update(`${key}#${occurrence}`).digest('hex').slice(0, 32),
        severity: SEVERITY[levelOf(d)],
        categories: [ruleOf(d) === 'secret' ? 'Security' : 'Style'],
        location: { path, lines: { begin: d.range.start.line + 1, end: d.range.end.line + 1 } },
      });
    }
  }
  return JSON.stringify(issues, null, 2);
}
