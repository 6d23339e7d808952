import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { example, TODAY } from '../support/lint';
import { ROOT, requireProgram } from '../support/cli';

const scratch = mkdtempSync(join(tmpdir(), 'runbook-precommit-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const env = {
  ...process.env,
  HOME: join(scratch, 'home'),
  PRE_COMMIT_HOME: join(scratch, 'pre-commit-home'),
  // pre-commit installs the hook repository with npm; the registry's packages come from the npm
  // cache that `npm ci` filled where it can.
  npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? '/root', '.npm'),
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  RUNBOOK_TODAY: TODAY,
  NO_COLOR: '1',
  PATH: [dirname(process.execPath), process.env.PATH].join(delimiter),
};

function run(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function git(args: string[], cwd: string): string {
  const r = run('git', args, cwd);
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.output}`);
  return r.output.trim();
}

test('.pre-commit-hooks.yaml: runbook-lint and a --fix variant, for Markdown, only runbooks', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; types: string[] }[];
  assert.deepEqual(
    hooks.map((h) => [h.id, h.entry, h.language, h.types]),
    [
      ['runbook-lint', 'runbook-lint --only-runbooks', 'node', ['markdown']],
      ['runbook-lint-fix', 'runbook-lint --only-runbooks --fix', 'node', ['markdown']],
    ],
  );
});

test('Debian\'s pre-commit installs the hooks from this repository and runs them on a repository\'s runbooks', (t) => {
  if (!requireProgram('pre-commit', (m) => t.skip(m))) return;
  mkdirSync(env.HOME, { recursive: true });
  // The hook repository: this working tree's files (tracked and new, as git sees them), committed.
  const hookRepo = join(scratch, 'hooks');
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of listed) {
    try {
      mkdirSync(dirname(join(hookRepo, file)), { recursive: true });
      copyFileSync(join(ROOT, file), join(hookRepo, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted in the working tree
    }
  }
  git(['init', '-q'], hookRepo);
  git(['add', '-A'], hookRepo);
  git(['commit', '-q', '-m', 'hooks'], hookRepo);
  const rev = git(['rev-parse', 'HEAD'], hookRepo);

  // A team's repository: a README, a clean runbook, a runbook with errors, one the fix can complete.
  const project = join(scratch, 'project');
  mkdirSync(join(project, 'runbooks'), { recursive: true });
  writeFileSync(join(project, 'README.md'), '# Team docs\n\nNot a runbook: the hook leaves it alone.\n');
  writeFileSync(join(project, 'runbooks/payments.md'), example);
  const withoutRollback = example.replace(/\n## Section 8: Rollback Procedures\n[\s\S]*?(?=\n## Section 9)/, '\n');
  assert.notEqual(withoutRollback, example);
  writeFileSync(join(project, 'runbooks/ledger.md'), withoutRollback);
  writeFileSync(
    join(project, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: runbook-lint-fix\n        files: ^runbooks/ledger\\.md$\n      - id: runbook-lint\n`,
  );
  git(['init', '-q'], project);
  git(['add', '-A'], project);

  const first = run('pre-commit', ['run', '--all-files'], project);
  assert.equal(first.status, 1, first.output);
  assert.match(first.output, /runbook-lint --fix\.+Failed\n- hook id: runbook-lint-fix\n- files were modified by this hook/);
  const fixed = readFileSync(join(project, 'runbooks/ledger.md'), 'utf8');
  assert.match(fixed, /\n## Section 8: Rollback Procedures\n/);
  for (const line of withoutRollback.split('\n')) assert.ok(fixed.includes(line), `the fix kept: ${line}`);

  git(['add', '-A'], project);
  const second = run('pre-commit', ['run', '--all-files'], project);
  assert.equal(second.status, 0, second.output);
  assert.match(second.output, /runbook-lint --fix\.+Passed/);
  assert.match(second.output, /runbook-lint\.+Passed/);

  // As a git hook: a commit that adds a runbook with errors is refused, with the findings shown.
  assert.equal(run('pre-commit', ['install'], project).status, 0);
  git(['commit', '-q', '-m', 'docs'], project);
  writeFileSync(join(project, 'runbooks/checkout-worker.md'), readFileSync(join(ROOT, 'examples/runbooks/checkout-worker.md'), 'utf8'));
  writeFileSync(join(project, 'notes.md'), '# Notes\n');
  git(['add', '-A'], project);
  const refused = run('git', ['commit', '-m', 'add the checkout worker runbook'], project);
  assert.notEqual(refused.status, 0, refused.output);
  assert.match(refused.output, /runbook-lint\.+Failed/);
  assert.match(refused.output, /runbooks\/checkout-worker\.md\n/);
  assert.match(refused.output, /missing-section/);
  assert.doesNotMatch(refused.output, /notes\.md/);
  assert.match(refused.output, /1 file checked: 10 errors, 17 warnings, 0 info\./);

  // Fixed by hand (the errors waived in the configuration): the commit goes through.
  writeFileSync(join(project, '.runbookrc.json'), JSON.stringify({ rules: { 'missing-section': 'warning', 'missing-field': 'warning', 'broken-link': 'warning' } }));
  git(['add', '-A'], project);
  const accepted = run('git', ['commit', '-m', 'add the checkout worker runbook'], project);
  assert.equal(accepted.status, 0, accepted.output);
  assert.equal(git(['log', '--format=%s', '-1'], project), 'add the checkout worker runbook');
  assert.equal(readFileSync(join(project, 'runbooks/payments.md'), 'utf8'), example, 'the check changes nothing');
});
