import { rules } from '../service/rules/index';
import { DOCS_URL } from '../service/features/diagnostics';
import { levelOf, ruleOf, type FileReport } from './report';

export const VERSION = '0.1.0';

/** `[{ file, diagnostics: [{ rule, severity, message, range }] }]` with LSP positions (0-based, UTF-16). */
export function jsonOutput(reports: FileReport[]): string {
  return JSON.stringify(
    reports.map((r) => ({
      file: r.file,
      diagnostics: r.diagnostics.map((d) => ({ rule: ruleOf(d), severity: levelOf(d), message: d.message, range: d.range })),
    })),
    null,
    2,
  );
}

/** Problems grouped by file with `line:column` (1-based), then a count. */
export function textOutput(reports: FileReport[], color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  const counts = { error: 0, warning: 0, info: 0 };
  for (const r of reports) {
    if (!r.diagnostics.length) continue;
    lines.push(paint(4, r.file));
    for (const d of r.diagnostics) {
      const level = levelOf(d);
      counts[level]++;
      const label = level === 'error' ? paint(31, 'error  ') : level === 'warning' ? paint(33, 'warning') : paint(36, 'info   ');
      lines.push(`  ${`${d.range.start.line + 1}:${d.range.start.character + 1}`.padEnd(8)} ${label}  ${d.message}  ${paint(2, ruleOf(d))}`);
    }
    lines.push('');
  }
  const total = counts.error + counts.warning + counts.info;
  const files = `${reports.length} file${reports.length === 1 ? '' : 's'} checked`;
  lines.push(
    total
      ? `${files}: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info.`
      : `${files}: no problems.`,
  );
  return lines.join('\n');
}

/** SARIF 2.1.0 for code scanning: the rules with their defaults, results with 1-based regions. */
export function sarifOutput(reports: FileReport[]): string {
  const level = { error: 'error', warning: 'warning', info: 'note' } as const;
  const ruleIndex = new Map<string, number>(rules.map((r, i) => [r.id, i]));
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'runbook-lint',
              version: VERSION,
              informationUri: DOCS_URL,
              rules: rules.map((r) => ({
                id: r.id,
                shortDescription: { text: r.description },
                helpUri: `${DOCS_URL}#${r.id}`,
                defaultConfiguration: { level: level[r.defaultSeverity] },
              })),
            },
          },
          columnKind: 'utf16CodeUnits',
          results: reports.flatMap((r) =>
            r.diagnostics.map((d) => ({
              ruleId: ruleOf(d),
              ruleIndex: ruleIndex.get(ruleOf(d)),
              level: level[levelOf(d)],
              message: { text: d.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: r.file.split('\\').join('/') },
                    region: { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 },
                  },
                },
              ],
            })),
          ),
        },
      ],
    },
    null,
    2,
  );
}
