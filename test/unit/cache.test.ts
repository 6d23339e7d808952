import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../support/cli';
import { example } from '../support/lint';

// runbook-lint --cache: an unchanged re-run reads nothing but hashes; a changed file is checked again
// with the files that link to it; a cache that is not ours is ignored, said so, and written anew.

const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
const root = mkdtempSync(join(tmpdir(), 'runbook-cache-'));
after(() => rmSync(root, { recursive: true, force: true }));

function workspace(name: string): string {
  const dir = join(root, name);
  const files: Record<string, string> = {
    'runbooks/payments.md': example,
    'runbooks/checkout.md': draft.replace('## Section 2:', 'See [the rollback of payments](payments.md#section-8-rollback-procedures).\n\n## Section 2:'),
    'runbooks/search.md': draft.replace(/Checkout Worker/g, 'Search'),
    'README.md': '# Team\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const lint = (cwd: string, ...args: string[]) => {
  const r = runCli(['--cache', '--format', 'json', ...args, '.'], cwd);
  const counts = /(\d+) of (\d+) files? checked, (\d+) from the cache/.exec(r.stderr);
  assert.ok(counts, r.stderr);
  return { status: r.status, json: JSON.parse(r.stdout) as { file: string; diagnostics: { rule: string; message: string }[] }[], checked: Number(counts[1]), cached: Number(counts[3]), stderr: r.stderr };
};

test('--cache: an unchanged re-run takes every result from the cache and reports the same', () => {
  const dir = workspace('unchanged');
  const cold = lint(dir);
  assert.deepEqual([cold.checked, cold.cached], [4, 0], 'three runbooks and a README that is not one');
  const warm = lint(dir);
  assert.deepEqual([warm.checked, warm.cached], [0, 4]);
  assert.deepEqual(warm.json, cold.json);
  assert.equal(warm.status, cold.status);
});

test('--cache: a changed file is checked again, and the files linking to it; the others come from the cache', () => {
  const dir = workspace('changed');
  lint(dir);
  const path = join(dir, 'runbooks/payments.md');
  writeFileSync(path, readFileSync(path, 'utf8').replace('## Section 8: Rollback Procedures', '## Section 8: Rolling Back'));
  const after = lint(dir);
  assert.deepEqual([after.checked, after.cached], [2, 2], 'payments.md and checkout.md, which links to it');
  const checkout = after.json.find((r) => r.file === 'runbooks/checkout.md')!;
  assert.ok(checkout.diagnostics.some((d) => d.rule === 'broken-link' && d.message.includes('#section-8-rollback-procedures')), 'the link to the renamed heading is broken now');
  assert.deepEqual(after.json, lint(dir).json, 'and a run after that agrees');
});

test('--cache: another configuration or other options check everything again', () => {
  const dir = workspace('config');
  lint(dir);
  writeFileSync(join(dir, '.runbookrc.json'), '{ "rules": { "placeholder": "off" } }');
  const configured = lint(dir);
  assert.deepEqual([configured.checked, configured.cached], [4, 0]);
  assert.ok(configured.json.every((r) => r.diagnostics.every((d) => d.rule !== 'placeholder')));
  const ruled = lint(dir, '--rule', 'empty-section=off');
  assert.deepEqual([ruled.checked, ruled.cached], [4, 0]);
  assert.deepEqual([lint(dir, '--rule', 'empty-section=off').cached], [4]);
});

test('--cache: a damaged or foreign cache file is not trusted: a message, a full check, and a good cache afterwards', () => {
  const dir = workspace('damaged');
  const cold = lint(dir);
  for (const junk of ['{"tool": "runbook-lint", "format": 1, "files": ', '{"eslint": true}', '\u0000\u0001binary']) {
    writeFileSync(join(dir, '.runbooklintcache'), junk);
    const run = lint(dir);
    assert.match(run.stderr, /ignoring .*\.runbooklintcache: it is not a runbook-lint cache \(or it is damaged\); it is written anew/);
    assert.deepEqual([run.checked, run.cached], [4, 0]);
    assert.deepEqual(run.json, cold.json);
    assert.deepEqual([lint(dir).cached], [4]);
  }
  // One written by another version of the tool, in an older format, says so.
  writeFileSync(join(dir, '.runbooklintcache'), '{"tool": "runbook-lint", "format": 1, "key": "x", "files": {}}');
  const older = lint(dir);
  assert.match(older.stderr, /ignoring .*\.runbooklintcache: another version of runbook-lint wrote it \(cache format 1, this one reads 2\); it is written anew/);
  assert.deepEqual([older.checked, older.cached], [4, 0]);
  assert.deepEqual([lint(dir).cached], [4]);
});

test('--cache-location: a file, or a folder that holds .runbooklintcache', () => {
  const dir = workspace('location');
  mkdirSync(join(dir, 'cache'));
  lint(dir, '--cache-location', 'cache');
  assert.ok(readFileSync(join(dir, 'cache/.runbooklintcache'), 'utf8').startsWith('{"tool":"runbook-lint"'));
  assert.equal(lint(dir, '--cache-location', 'cache').cached, 4);
  lint(dir, '--cache-location', 'ci/lint-cache.json');
  assert.equal(lint(dir, '--cache-location', 'ci/lint-cache.json').cached, 4);
});
