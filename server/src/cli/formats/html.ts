import { randomBytes } from 'node:crypto';
import { healthReportRunbook, renderHealthReport } from '../../service/features/healthReport';
import type { FileReport } from '../report';

/** The workspace health report (the same page as the editor's *Show Workspace Report*) for the files checked. */
export function htmlOutput(reports: FileReport[], today: string): string {
  const runbooks = reports.flatMap((r) => (r.summary ? [healthReportRunbook(r.file.split('\\').join('/'), r.uri, r.summary, r.diagnostics)] : []));
  return renderHealthReport({ runbooks, today, nonce: randomBytes(16).toString('hex') });
}
