import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lsp';

// The language server's threads while the workspace index runs (Linux, two cores or more): the thread
// that answers the editor keeps the normal priority; the analyser threads and every helper thread of the
// process (V8's, which collect the analysers' garbage and compile their code, and libuv's, which read
// their files) run at niceness 19, so a keystroke's check never waits for a core.

const draft = readFileSync(new URL('../../examples/runbooks/checkout-worker.md', import.meta.url), 'utf8');
const root = mkdtempSync(join(tmpdir(), 'runbook-threads-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Niceness of each thread of a process, from /proc (the command name may hold spaces and parentheses). */
function niceness(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      // Fields after the command: state is field 3, nice field 19.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(task), Number(fields[19 - 3]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

const linuxWithCores = process.platform === 'linux' && existsSync('/proc/self/task') && availableParallelism() >= 2;

test('while the index runs, every thread of the server but the one that answers the editor runs at niceness 19', { skip: !linuxWithCores && 'needs Linux and two cores' }, async () => {
  for (let i = 0; i < 6; i++) writeFileSync(join(root, `service-${i}-runbook.md`), draft.replace('Checkout Worker', `Service ${i}`));
  const client = new LspClient();
  try {
    await client.initialize(pathToFileURL(root).href);
    await client.until(() => client.logs.find((l) => l.startsWith('Workspace index: checked')), 'the index of the folder');
    const pid = client.process.pid!;
    const threads = niceness(pid);
    assert.equal(threads.get(pid), 0, 'the main thread answers the editor at the normal priority');
    const others = [...threads].filter(([tid]) => tid !== pid);
    // Node's main thread alone has 4 V8 helpers and a few more; the analysers add one thread each.
    assert.ok(others.length >= 6, `threads besides the main one: ${others.length}`);
    assert.deepEqual(
      others.filter(([, nice]) => nice !== 19),
      [],
      'threads at another niceness than 19 ([thread id, niceness])',
    );
  } finally {
    await client.stop();
  }
});
