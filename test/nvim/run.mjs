// The language server in a real Neovim (Debian's 0.7.2): diagnostics of a runbook and a completion list.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '..', '..');
const server = join(repo, 'server', 'out', 'server.js');

const which = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
if (which.status !== 0) {
  console.error('Neovim (nvim) is not installed: apt-get install -y neovim');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'runbook-nvim-'));
let failed = 0;
let passed = 0;
const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${ok ? '' : `: ${detail}`}`);
  if (ok) passed++;
  else failed++;
};
try {
  mkdirSync(join(dir, 'runbooks'));
  const file = join(dir, 'runbooks', 'checkout-worker.md');
  copyFileSync(join(repo, 'examples', 'runbooks', 'checkout-worker.md'), file);
  const out = join(dir, 'result.json');
  const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), XDG_STATE_HOME: join(dir, 'state'), XDG_CACHE_HOME: join(dir, 'cache'), RUNBOOK_TODAY: '2026-11-27', RUNBOOK_SERVER: server, RUNBOOK_FILE: file, RUNBOOK_OUT: out };
  const run = spawnSync('timeout', ['60', 'nvim', '--headless', '--clean', '-n', '-u', join(here, 'check.lua')], { env, encoding: 'utf8', input: '' });
  // Neovim 0.7 gives a -u script no arg[], so the paths travel in the environment.
  if (run.status !== 0 && !readSafe(out)) console.error(run.stdout, run.stderr);
  const result = JSON.parse(readSafe(out) ?? '{"error":"no result written"}');
  check('Neovim ran the script without error', !result.error, result.error);
  const codes = new Set((result.diagnostics ?? []).map((d) => d.code));
  check('diagnostics arrive from the server', (result.diagnostics ?? []).length > 5, JSON.stringify(result.diagnostics));
  check('diagnostics carry rule ids (missing-section, review-overdue, invalid-value)', ['missing-section', 'review-overdue', 'invalid-value'].every((c) => codes.has(c)), [...codes].join());
  const overdue = (result.diagnostics ?? []).find((d) => d.code === 'review-overdue');
  const lines = readFileSync(file, 'utf8').split('\n');
  check('a diagnostic sits on the right line', !!overdue && lines[overdue.lnum].includes('Next Review'), JSON.stringify(overdue));
  check('completion after "## " offers the missing sections', (result.completion ?? []).includes('Rollback Procedures'), JSON.stringify(result.completion));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

function readSafe(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
