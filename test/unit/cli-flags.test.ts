import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { edit, example } from '../support/lint';
import { runCli, type CliResult } from '../support/cli';
import { rules } from '../../server/src/service/rules/index';

const root = mkdtempSync(join(tmpdir(), 'runbook-cli-flags-'));
after(() => rmSync(root, { recursive: true, force: true }));
const put = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const cli = (...args: string[]) => runCli(args, root);
const json = (r: CliResult) => JSON.parse(r.stdout) as { file: string; diagnostics: { rule: string; severity: string }[] }[];

function usageError(r: CliResult, message: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr.split('\n')[0], message);
  assert.equal(r.stdout, '');
}

// Two warnings and nothing else: an invalid Classification and an invalid Criticality of a dependency.
const warningsOnly = edit(edit(example, '| **Classification** | Confidential |', '| **Classification** | Urgent |'), '(fails open after 800 ms) | Medium |', '(fails open after 800 ms) | Severe |');
put('warnings-runbook.md', warningsOnly);
put('draft-runbook.md', '# System Runbook: Draft\n\n## Document Information\n\n[System Name]\n');

test('--quiet: errors only, in the output and the counts; exit 0 when only warnings are left', () => {
  const loud = json(cli('--format', 'json', 'warnings-runbook.md', 'draft-runbook.md'));
  assert.deepEqual(loud[0].diagnostics.map((d) => d.severity), ['warning', 'warning']);
  assert.ok(loud[1].diagnostics.some((d) => d.severity === 'warning'));
  const quiet = cli('--quiet', '--format', 'json', 'warnings-runbook.md', 'draft-runbook.md');
  assert.equal(quiet.status, 1);
  assert.deepEqual(json(quiet)[0].diagnostics, []);
  assert.deepEqual(json(quiet)[1].diagnostics, loud[1].diagnostics.filter((d) => d.severity === 'error'));
  const text = cli('--quiet', 'warnings-runbook.md');
  assert.equal(text.status, 0);
  assert.equal(text.stdout, '1 file checked: no problems.\n');
});

test('--max-warnings N: exit 1 with a message when there are more than N warnings, 0 at N', () => {
  const over = cli('--max-warnings', '1', 'warnings-runbook.md');
  assert.equal(over.status, 1);
  assert.equal(over.stderr, 'runbook-lint: 2 warnings, more than --max-warnings 1 allows.\n');
  assert.match(over.stdout, /1 file checked: 0 errors, 2 warnings, 0 info\./);
  const at = cli('--max-warnings=2', 'warnings-runbook.md');
  assert.equal(at.status, 0, at.stderr);
  assert.equal(at.stderr, '');
  assert.equal(cli('--max-warnings', '0', '--quiet', 'warnings-runbook.md').status, 0, '--quiet leaves warnings out of the count');
  usageError(cli('--max-warnings', 'ten', 'warnings-runbook.md'), /^runbook-lint: --max-warnings needs a number of warnings \(0 or more\), not "ten"\.$/);
  usageError(cli('--max-warnings', '-1', 'warnings-runbook.md'), /^runbook-lint: --max-warnings needs a number/);
});

test('--shard i/n: every runbook in exactly one shard, shards within one file of each other, the same split every run', () => {
  const names = ['b', 'a', 'g', 'c', 'e', 'f', 'd'].map((n) => `fleet/runbooks/${n}.md`);
  for (const name of names) put(name, `# System Runbook: ${name}\n`);
  put('fleet/README.md', '# Fleet\n');
  const all = json(cli('--format', 'json', 'fleet')).map((r) => r.file);
  assert.deepEqual(all, [...names].sort());
  const shards = [1, 2, 3].map((i) => json(cli('--format', 'json', '--shard', `${i}/3`, 'fleet')).map((r) => r.file));
  assert.deepEqual(shards.flat().sort(), all);
  assert.equal(new Set(shards.flat()).size, all.length);
  // The split is of the Markdown files found (the README included), before each is checked.
  assert.deepEqual(shards.map((s) => s.length), [2, 3, 2]);
  assert.deepEqual(json(cli('--format', 'json', '--shard=2/3', 'fleet')).map((r) => r.file), shards[1]);
  // The order of the arguments does not change the split.
  const byName = (order: string[]) => json(cli('--format', 'json', '--shard', '1/3', ...order)).map((r) => r.file);
  assert.deepEqual(byName([...names].reverse()), byName(names));
  assert.deepEqual(byName(names), ['fleet/runbooks/a.md', 'fleet/runbooks/d.md', 'fleet/runbooks/g.md']);
  // More shards than files: the extra shards check nothing and pass.
  const empty = cli('--shard', '9/9', 'fleet');
  assert.equal(empty.status, 0, empty.stderr);
  assert.equal(empty.stdout, '0 files checked: no problems.\n');
  for (const bad of ['0/3', '4/3', '1', 'a/b', '1/0']) usageError(cli('--shard', bad, 'fleet'), /^runbook-lint: --shard needs <i>\/<n> with 1 <= i <= n \(for example 2\/3\), not ".*"\.$/);
});

test('--print-config: the configuration file, template, runbook status and every rule\'s severity for that file', () => {
  put('team/templates/alert.md', '# Alert: [AlertName]\n\n## Meaning\n[What it means]\n\n## Mitigation\n[Steps]\n\n## Escalation <!-- optional -->\n');
  put(
    'team/.runbookrc.json',
    JSON.stringify({ files: ['runbooks/**/*.md', 'alerts/**/*.md'], rules: { placeholder: 'error', 'empty-section': 'off' }, overrides: [{ files: ['alerts/**/*.md'], template: 'templates/alert.md', rules: { 'missing-section': 'warning' } }] }),
  );
  put('team/alerts/HighLatency.md', '# Alert: HighLatency\n');
  put('team/notes.md', '# Notes\n');
  const r = cli('--print-config', 'team/alerts/HighLatency.md');
  assert.equal(r.status, 0, r.stderr);
  const printed = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(printed), ['file', 'runbook', 'config', 'template', 'templateTitle', 'sections', 'files', 'rules']);
  assert.equal(printed.file, 'team/alerts/HighLatency.md');
  assert.equal(printed.runbook, true);
  assert.equal(printed.config, 'team/.runbookrc.json');
  assert.equal(printed.template, 'team/templates/alert.md');
  assert.equal(printed.templateTitle, 'Alert: [AlertName]');
  assert.deepEqual(printed.sections, ['Meaning', 'Mitigation', 'Escalation (optional)']);
  assert.deepEqual(printed.files, ['runbooks/**/*.md', 'alerts/**/*.md']);
  assert.deepEqual(printed.rules['missing-section'], { severity: 'warning', default: 'error' });
  assert.deepEqual(printed.rules.placeholder, { severity: 'error', default: 'warning' });
  assert.deepEqual(printed.rules['empty-section'], { severity: 'off', default: 'warning' });
  assert.deepEqual(printed.rules['broken-link'], { severity: 'error', default: 'error' });
  assert.deepEqual(Object.keys(printed.rules), rules.map((r) => r.id));

  // --rule and --template are layers on top, as in a run.
  const layered = JSON.parse(cli('--rule', 'missing-section=info', '--print-config', 'team/alerts/HighLatency.md').stdout);
  assert.deepEqual(layered.rules['missing-section'], { severity: 'info', default: 'error' });
  const notes = JSON.parse(cli('--print-config', 'team/notes.md').stdout);
  assert.equal(notes.runbook, false);
  assert.equal(notes.template, 'built-in');
  assert.equal(notes.templateTitle, 'System Runbook: [SYSTEM NAME]');
  const none = JSON.parse(cli('--print-config', 'draft-runbook.md').stdout);
  assert.equal(none.config, null);
  assert.deepEqual(none.files, ['**/*runbook*.md', '**/runbooks/**/*.md']);

  usageError(cli('--print-config', 'team/missing.md'), /^runbook-lint: File not found: team\/missing\.md$/);
  put('broken/.runbookrc.json', '{ "rules": ');
  put('broken/x-runbook.md', '# x\n');
  const broken = cli('--print-config', 'broken/x-runbook.md');
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /not valid JSON/);
});

test('--only-runbooks: a named file that is not a runbook is left out, as a hook passing every changed file needs', () => {
  put('repo/README.md', '# Read me\n\nNot a runbook.\n');
  put('repo/runbooks/db.md', '# System Runbook: DB\n');
  const named = json(runCli(['--format', 'json', 'README.md', 'runbooks/db.md'], join(root, 'repo')));
  assert.deepEqual(named.map((r) => r.file), ['README.md', 'runbooks/db.md']);
  const only = runCli(['--only-runbooks', '--format', 'json', 'README.md', 'runbooks/db.md'], join(root, 'repo'));
  assert.equal(only.status, 1);
  assert.deepEqual(json(only).map((r) => r.file), ['runbooks/db.md']);
  const readmeOnly = runCli(['--only-runbooks', 'README.md'], join(root, 'repo'));
  assert.equal(readmeOnly.status, 0);
  assert.equal(readmeOnly.stdout, '0 files checked: no problems.\n');
});
