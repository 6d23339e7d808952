import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { edit, example, TODAY } from '../support/lint';
import { ROOT } from '../support/cli';

interface Step {
  name: string;
  id?: string;
  shell: string;
  env?: Record<string, string>;
  run: string;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
const scratch = mkdtempSync(join(tmpdir(), 'runbook-action-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('action.yml: a composite action with inputs for paths, config, format, fail level, SARIF and summary; inputs never pasted into scripts', () => {
  assert.equal(action.runs.using, 'composite');
  assert.deepEqual(Object.keys(action.inputs), ['paths', 'config', 'format', 'fail-level', 'sarif-file', 'summary']);
  for (const [name, input] of Object.entries(action.inputs)) {
    assert.ok(input.description.length > 20, name);
    assert.equal(typeof input.default, 'string', name);
  }
  assert.deepEqual(Object.keys(action.outputs), ['sarif-file', 'exit-code']);
  for (const step of action.runs.steps) {
    assert.equal(step.shell, 'bash', step.name);
    // An expression in a script is a script injection; only the env block may hold them.
    assert.doesNotMatch(step.run, /\$\{\{/, step.name);
  }
});

/** What the runner does with a step's `${{ inputs.x }}` in its env: the given value, else the default. */
function evaluate(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => {
    assert.ok(name in action.inputs, `unknown input ${name}`);
    return inputs[name] ?? action.inputs[name].default;
  });
}

/**
 * Runs the action's steps as the runner runs a composite action: each `run` with
 * `bash --noprofile --norc -eo pipefail`, in the workspace, with the GITHUB_* files and variables a
 * job has, stopping at the first failing step. Answers the log, the step outputs and the summary.
 */
function runAction(workspace: string, inputs: Record<string, string> = {}) {
  const files = mkdtempSync(join(scratch, 'runner-'));
  const output = join(files, 'output');
  const summary = join(files, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '## An earlier step wrote this\n');
  let log = '';
  let status = 0;
  const outputs: Record<string, Record<string, string>> = {};
  for (const step of action.runs.steps) {
    writeFileSync(output, '');
    const script = join(files, 'step.sh');
    writeFileSync(script, step.run);
    const env: Record<string, string> = {
      PATH: process.env.PATH!,
      HOME: files,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_ENV: join(files, 'env'),
      RUNNER_TEMP: files,
      RUNBOOK_TODAY: TODAY,
    };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = evaluate(value, inputs);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, encoding: 'utf8' });
    log += r.stdout + r.stderr;
    if (step.id) outputs[step.id] = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    status = r.status ?? 1;
    if (status !== 0) break;
  }
  const actionOutputs = Object.fromEntries(
    Object.entries(action.outputs).map(([name, o]) => [name, o.value.replace(/\$\{\{\s*steps\.(\w+)\.outputs\.([\w-]+)\s*\}\}/, (_, id: string, key: string) => outputs[id]?.[key] ?? '')]),
  );
  return { status, log, outputs: actionOutputs, summary: readFileSync(summary, 'utf8') };
}

function workspaceWith(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const draft = readFileSync(join(ROOT, 'examples/runbooks/checkout-worker.md'), 'utf8');
const warningsOnly = edit(example, '| **Classification** | Confidential |', '| **Classification** | Urgent |');

test('the action with its defaults: annotations in the log, a SARIF log for the upload, the runbook table appended to the summary, failing on errors', () => {
  const workspace = workspaceWith('defaults', { 'runbooks/checkout-worker.md': draft, 'runbooks/payments.md': example, 'README.md': '# Read me\n' });
  const r = runAction(workspace);
  assert.equal(r.status, 1, r.log);
  const annotations = r.log.split('\n').filter((l) => l.startsWith('::'));
  assert.ok(annotations.length > 20);
  assert.ok(annotations.every((l) => /^::(error|warning|notice) title=[a-z-]+,file=runbooks\/checkout-worker\.md,line=\d+,endLine=\d+/.test(l)), annotations.join('\n'));
  assert.deepEqual(r.outputs, { 'sarif-file': 'runbook-lint.sarif', 'exit-code': '1' });
  const sarif = JSON.parse(readFileSync(join(workspace, 'runbook-lint.sarif'), 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].results.length, annotations.length);
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'runbooks/checkout-worker.md');
  assert.match(r.summary, /^## An earlier step wrote this\n### Runbook check: 2 runbooks checked, 1 with errors, 1 overdue for review\n/);
  assert.match(r.summary, /\| System Runbook: Checkout Worker \| runbooks\/checkout-worker\.md \| 7\/14 sections, 3 placeholders \| 10 \| 17 \|/);
});

test('the action\'s inputs: paths on lines, a config, the text format, fail levels warning and none, no SARIF, no summary', () => {
  const workspace = workspaceWith('inputs', {
    'ops/my runbook.md': warningsOnly,
    'ops/other-runbook.md': warningsOnly,
    'team/.runbookrc.json': JSON.stringify({ rules: { 'invalid-value': 'error' } }),
  });
  const clean = runAction(workspace, { paths: 'ops/my runbook.md', 'sarif-file': '', summary: 'false' });
  assert.notEqual(clean.status, 0, 'one line is split at spaces: "ops/my" does not exist');
  const lines = runAction(workspace, { paths: 'ops/my runbook.md\n  ops/other-runbook.md  \n', 'sarif-file': '', summary: 'false', format: 'text' });
  assert.equal(lines.status, 0, lines.log);
  assert.match(lines.log, /ops\/my runbook\.md\n/);
  assert.match(lines.log, /2 files checked: 0 errors, 2 warnings, 0 info\./);
  assert.equal(lines.summary, '## An earlier step wrote this\n');
  assert.deepEqual(lines.outputs, { 'sarif-file': '', 'exit-code': '0' });
  assert.ok(!existsSync(join(workspace, 'runbook-lint.sarif')));

  const warning = runAction(workspace, { paths: 'ops', 'fail-level': 'warning', 'sarif-file': 'out/lint.sarif' });
  assert.equal(warning.status, 1, warning.log);
  assert.match(warning.log, /2 warnings, more than --max-warnings 0 allows/);
  assert.equal(warning.outputs['sarif-file'], 'out/lint.sarif');
  assert.ok(existsSync(join(workspace, 'out/lint.sarif')));

  copyFileSync(join(workspace, 'team/.runbookrc.json'), join(workspace, 'ops/.runbookrc.json'));
  const none = runAction(workspace, { paths: 'ops', 'fail-level': 'none', config: 'team/.runbookrc.json' });
  assert.equal(none.status, 0, none.log);
  assert.equal(none.outputs['exit-code'], '1');
  assert.match(none.log, /^::error title=invalid-value,file=ops\/my runbook\.md,/m);

  const bad = runAction(workspace, { 'fail-level': 'sometimes' });
  assert.equal(bad.status, 2);
  assert.match(bad.log, /^::error title=runbook-lint::Unknown fail-level input "sometimes": use error, warning or none\.$/m);
  const missing = runAction(workspace, { config: 'nowhere.json' });
  assert.equal(missing.status, 2);
  assert.match(missing.log, /Configuration file not found: nowhere\.json/);
});
