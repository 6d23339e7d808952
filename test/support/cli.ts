import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TODAY } from './lint';

export const CLI = fileURLToPath(new URL('../../server/out/cli.js', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built runbook-lint with today pinned and no colours. */
export function runCli(args: string[], cwd = ROOT, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, RUNBOOK_TODAY: TODAY, NO_COLOR: '1', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Whether a program is on the PATH. */
export function hasProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

/**
 * A test that needs a Debian program (installed by test/e2e/setup.sh) skips without it on a
 * developer's machine, and fails in CI, where setup.sh has run.
 */
export function requireProgram(name: string, skip: (message: string) => void): boolean {
  if (hasProgram(name)) return true;
  if (process.env.CI) throw new Error(`${name} is not installed: bash test/e2e/setup.sh installs it`);
  skip(`${name} is not installed (bash test/e2e/setup.sh installs it)`);
  return false;
}
