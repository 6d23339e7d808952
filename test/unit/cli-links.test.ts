import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = mkdtempSync(join(tmpdir(), 'runbook-cli-links-'));
after(() => rmSync(root, { recursive: true, force: true }));
const CLI = new URL('../../server/out/cli.js', import.meta.url).pathname;

test('the CLI checks links into other Markdown files: a missing file or heading is broken, a good one is not', () => {
  mkdirSync(join(root, 'docs'));
  writeFileSync(join(root, 'docs/b.md'), '# B\n\n## Section 1: System Overview\n');
  const line = '[1](docs/b.md#section-1-system-overview) [2](docs/b.md#nowhere) [3](gone.md) [4](https://example.com/x.md#y) [5](/docs/b.md)';
  writeFileSync(join(root, 'a.md'), `# A\n\n${line}\n`);
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', 'a.md'], { cwd: root, encoding: 'utf8' });
  const broken = JSON.parse(r.stdout)[0].diagnostics.filter((d: { rule: string }) => d.rule === 'broken-link');
  assert.deepEqual(
    broken.map((d: { message: string; range: { start: { character: number } } }) => [d.range.start.character, d.message.split(';')[0]]),
    [
      [line.indexOf('docs/b.md#nowhere'), 'Link target "#nowhere" matches no heading in "docs/b.md"'],
      [line.indexOf('gone.md'), 'Linked file "gone.md" does not exist.'],
    ],
  );
});
