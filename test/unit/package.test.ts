import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

test('the .vsix holds the bundles and assets only: no sources, tests, maps or node_modules', () => {
  const r = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.trim().split('\n').sort();
  for (const f of files) assert.ok(!/\.ts$|\.map$|^node_modules\/|^test\/|^scratch\/|^bench\/|^\.|\/src\/|^examples\//.test(f), `should not be packaged: ${f}`);
  const walkthrough = manifest.contributes.walkthroughs.flatMap((w: { steps: { media: { markdown: string } }[] }) => w.steps.map((s) => s.media.markdown));
  for (const needed of ['package.json', 'README.md', 'LICENSE', 'client/out/extension.js', 'client/out/browser.js', 'client/out/example-runbook.md', 'server/out/server.js', 'server/out/browser.js', 'server/out/cli.js', 'snippets/runbook.code-snippets', 'syntaxes/runbook.injection.tmLanguage.json', 'images/icon.png', 'runbookrc.schema.json', ...walkthrough]) {
    assert.ok(files.includes(needed), `missing from the package: ${needed}`);
  }
});

test('the manifest is complete and activates on Markdown only', () => {
  for (const key of ['name', 'displayName', 'description', 'publisher', 'icon', 'license', 'repository', 'categories', 'keywords', 'engines', 'main', 'browser']) assert.ok(manifest[key], key);
  assert.deepEqual(manifest.categories, ['Linters', 'Snippets', 'Programming Languages']);
  assert.deepEqual(manifest.activationEvents, ['onLanguage:markdown']);
  // It reads files through workspace.fs (any file system) and runs no code from the workspace.
  assert.deepEqual(manifest.capabilities, { virtualWorkspaces: true, untrustedWorkspaces: { supported: true } });
  assert.match(manifest.engines.vscode, /^\^1\.(\d+)\./);
  assert.ok(Number(/^\^1\.(\d+)\./.exec(manifest.engines.vscode)![1]) <= 100, 'must accept VS Code 1.100');
  const settings = manifest.contributes.configuration.properties;
  for (const [name, spec] of Object.entries<Record<string, unknown>>(settings)) {
    assert.ok(spec.description || spec.markdownDescription, `${name} has a description`);
    assert.ok('default' in spec, `${name} has a default`);
  }
  const commands = manifest.contributes.commands.map((c: { command: string; category: string }) => `${c.category}: ${c.command}`);
  for (const c of ['runbook.newFromTemplate', 'runbook.insertMissingSections', 'runbook.updateToc', 'runbook.markReviewed']) assert.ok(commands.includes(`Runbook: ${c}`), c);
  assert.equal(manifest.bin['runbook-lint'], './server/out/cli.js');
  assert.equal(manifest.bin['runbook-language-server'], './server/out/server.js');
});

test('the walkthrough: five steps, each with a command button and its own media page', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.equal(manifest.contributes.walkthroughs.length, 1);
  const steps = walkthrough.steps as { id: string; title: string; description: string; media: { markdown: string }; completionEvents: string[] }[];
  assert.deepEqual(steps.map((s) => s.title), ['Open the example runbook', 'See the problems', 'Insert a section', 'Fix all', 'Use your own template']);
  for (const step of steps) {
    // A link on a line of its own is a button; toSide keeps the walkthrough open next to the runbook.
    const button = /\n\[[^\]]+\]\(command:toSide:([\w.]+)(\?[^)]*)?\)$/.exec(step.description);
    assert.ok(button, `${step.id}: a command button on the last line`);
    const args = button[2] ? JSON.parse(decodeURIComponent(button[2].slice(1))) : undefined;
    if (button[1] === 'editor.action.sourceAction') assert.deepEqual(args, { kind: 'source.fixAll.runbook', apply: 'first' });
    assert.ok(step.completionEvents.length > 0, step.id);
    assert.ok(readFileSync(new URL(`../../${step.media.markdown}`, import.meta.url), 'utf8').startsWith('# '), step.media.markdown);
  }
  const contributed = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
  for (const id of ['runbook.openExample', 'runbook.insertSection']) assert.ok(contributed.has(id), id);
  assert.equal(readFileSync(new URL('../../client/out/example-runbook.md', import.meta.url), 'utf8'), readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8'));
});
