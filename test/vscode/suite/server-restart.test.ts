// Crash recovery: when the language server process dies, the language client's restart policy starts a
// new one, which analyses the open runbooks again. Runs last (file order): it kills the server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, codeValue, scratchRunbook, waitFor, waitForRunbookDiagnostics } from './helpers';

/** Processes started by this extension host (the server is forked from it) that run our server bundle. */
function serverProcesses(): number[] {
  const bundle = path.join('server', 'out', 'server.js');
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').some((arg) => arg.endsWith(bundle))) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

suite('Server recovery', () => {
  test('a killed server is restarted by the client, and an edit made afterwards gets its diagnostic', async function () {
    if (!fs.existsSync('/proc/self/stat')) this.skip(); // finding the server's process needs Linux's /proc
    this.timeout(90_000);
    await activeExtension();
    const { uri, doc, editor } = await scratchRunbook('restart');
    await waitForRunbookDiagnostics(uri, (ds) => ds.some((d) => codeValue(d) === 'missing-section'));

    const [first, ...others] = serverProcesses();
    assert.ok(first, 'the language server runs as a child process of the extension host');
    assert.deepEqual(others, [], 'one server process');
    process.kill(first, 'SIGKILL');

    const second = await waitFor('a new server process', () => serverProcesses().find((pid) => pid !== first), 30_000);
    assert.notEqual(second, first);

    // Only the new server can answer this: the credential did not exist before the crash.
    const last = doc.lineCount - 1;
    await editor.edit((e) => e.insert(doc.lineAt(last).range.end, '\n\npassword: Hk7vQ2pLx9Ze\n'));
    const isNew = (d: vscode.Diagnostic) => codeValue(d) === 'secret' && d.range.start.line === last + 2;
    const ds = await waitForRunbookDiagnostics(uri, (all) => all.some(isNew), 'a secret diagnostic from the restarted server', 30_000);
    const secret = ds.find(isNew)!;
    assert.equal(doc.getText(secret.range), 'Hk7vQ2pLx9Ze');
    assert.ok(!secret.message.includes('Hk7vQ2pLx9Ze'), 'the message does not repeat the secret');
    assert.ok(ds.some((d) => codeValue(d) === 'missing-section'), 'the other findings are back too');
  });
});
