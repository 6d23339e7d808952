import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URI } from 'vscode-uri';
import { createRunbookService } from '../../server/src/service/runbookService';
import { defaultSettings } from '../../server/src/service/settings';
import { nodeFileSystem } from '../../server/src/node/fs';
import { nodeClock } from '../../server/src/node/clock';
import { lintAll } from '../../server/src/cli/lint';

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

test('with two files analysed at once, each file is analysed once, and links between them are still checked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-once-'));
  try {
    mkdirSync(join(dir, 'runbooks'));
    // A chain a -> b -> c -> ... and back to a, one link per file to a heading that exists and one that does not.
    const n = 8;
    const files: string[] = [];
    for (let i = 0; i < n; i++) {
      const next = `r${(i + 1) % n}-runbook.md`;
      const file = join(dir, 'runbooks', `r${i}-runbook.md`);
      writeFileSync(file, `# System Runbook: R${i}\n\n## Section 1: System Overview\n\nSee [the next one](${next}#section-1-system-overview) and [a lost heading](${next}#section-9-nothing).\n`);
      files.push(file);
    }
    const calls = new Map<string, number>();
    const logged: string[] = [];
    let service!: ReturnType<typeof createRunbookService>;
    // Two at a time, each answering after the other has started, as two analyser threads do.
    const analyser = {
      concurrency: 2,
      analyse: async (uri: string, text: string, editor: typeof defaultSettings, options: object, links: Parameters<typeof service.analyseFile>[4]) => {
        calls.set(uri, (calls.get(uri) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5));
        return service.analyseFile(uri, text, editor, options, links);
      },
    };
    const logger = { info: (m: string) => logged.push(m), warn: () => {}, error: (m: string) => logged.push(m) };
    service = createRunbookService({ fs: nodeFileSystem, clock: nodeClock, analyser, logger, settings: () => ({ ...defaultSettings, maxFileSize: Infinity }), layers: {} });
    await service.setWorkspaceFolders([URI.file(dir).toString()], false);
    const { reports } = await lintAll(service, files, () => false, false);
    assert.deepEqual([...calls.values()], Array(n).fill(1), `analyses per file: ${JSON.stringify([...calls.values()])}`);
    // Most of them were started by a link, outside the queue's lanes: the message counts them all, and
    // is written once the last one is in the index.
    assert.deepEqual(logged.filter((m) => m.startsWith('Workspace index: checked')).map((m) => m.replace(/ in \d+ ms/, '')), [`Workspace index: checked ${n} files; ${n} runbooks.`]);
    for (const [i, report] of reports.entries()) {
      const broken = report.diagnostics.filter((d) => d.code === 'broken-link').map((d) => d.message);
      assert.equal(broken.length, 1, `${files[i]}: ${JSON.stringify(broken)}`);
      assert.match(broken[0], /section-9-nothing/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
