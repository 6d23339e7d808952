import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const CLI = new URL('../../server/out/cli.js', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;

/** The CLI over the bundled examples with a forced number of analyser threads. */
function lint(threads: number) {
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', '--all-markdown', 'examples'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, RUNBOOK_LINT_WORKERS: String(threads), RUNBOOK_TODAY: '2026-11-27' },
  });
  return { status: r.status, stderr: r.stderr, reports: r.stdout ? JSON.parse(r.stdout) : undefined };
}

test('analyser threads report what one thread reports, and the process waits for them', () => {
  const one = lint(0);
  const two = lint(2);
  // The draft has errors: exit 1 with a report, never a silent exit 0 before the threads answer.
  assert.equal(one.status, 1, one.stderr);
  assert.equal(two.status, 1, two.stderr);
  assert.ok(one.reports.length >= 3);
  assert.ok(one.reports.some((r: { diagnostics: unknown[] }) => r.diagnostics.length > 0));
  assert.deepEqual(two.reports, one.reports);
});
