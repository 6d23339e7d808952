/** Today's date (YYYY-MM-DD, local time); RUNBOOK_TODAY pins it for tests and reproducible CI runs. */
export function today(): string {
  const pinned = process.env.RUNBOOK_TODAY;
  if (pinned && /^\d{4}-\d{2}-\d{2}$/.test(pinned)) return pinned;
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
